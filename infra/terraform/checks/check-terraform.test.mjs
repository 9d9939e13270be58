// Self-test of check-terraform.mjs: run it on fixture folders with known defects and assert that it
// names each one, and that a clean tree passes. Run with `node --test checks/`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runChecks } from './check-terraform.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures');
const checker = path.join(here, 'check-terraform.mjs');

function result(report, name) {
  const found = report.results.find((entry) => entry.name === name);
  assert.ok(found, `no check named "${name}"; got:\n${report.results.map((entry) => entry.name).join('\n')}`);
  return found;
}

function assertProblem(report, name, fragment) {
  const found = result(report, name);
  assert.equal(found.ok, false, `"${name}" should fail`);
  assert.ok(
    found.problems.some((problem) => problem.includes(fragment)),
    `"${name}" should report "${fragment}"; it reported:\n${found.problems.join('\n')}`,
  );
}

function runCli(root) {
  const run = spawnSync(process.execPath, [checker, root], { encoding: 'utf8' });
  const lines = run.stdout.trim().split('\n');
  return { status: run.status, lines, last: lines.at(-1) };
}

test('a variable without description is reported with its file and name', async () => {
  const report = await runChecks(path.join(fixtures, 'bad'), { fmt: false });
  assertProblem(report, 'variables typed and described in modules/widget', 'variables.tf: variable "colour_name" has no description');
});

test('an output without description is reported', async () => {
  const report = await runChecks(path.join(fixtures, 'bad'), { fmt: false });
  assertProblem(report, 'outputs described in modules/widget', 'output "widget_id" has no description');
});

test('literal secrets are reported: credential attributes, secret defaults, key shapes', async () => {
  const report = await runChecks(path.join(fixtures, 'bad'), { fmt: false });
  const name = 'no secret literals in modules/widget';
  assertProblem(report, name, 'keepers.password is assigned a string literal');
  assertProblem(report, name, 'variable "admin_password" has a literal default');
  assertProblem(report, name, 'main.tf:10: AWS access key id');
  assertProblem(report, 'variables typed and described in modules/widget', '"admin_password" looks like a secret but is not sensitive');
});

test('module calls: unknown input, missing required input, missing source', async () => {
  const report = await runChecks(path.join(fixtures, 'bad'), { fmt: false });
  const name = 'module calls match their modules in environments/demo';
  assertProblem(report, name, 'module "widget" passes "colour", which ../../modules/widget does not declare');
  assertProblem(report, name, 'module "widget" does not pass the required variable "size"');
  assertProblem(report, name, 'module "ghost": source ../../modules/ghost does not exist');
});

test('versions.tf must pin providers and declare required_providers', async () => {
  const report = await runChecks(path.join(fixtures, 'bad'), { fmt: false });
  assertProblem(report, 'versions pinned in modules/widget', 'provider random has no version constraint');
  assertProblem(report, 'versions pinned in environments/demo', 'versions.tf has no required_providers block');
});

test('a module README must name every input and output', async () => {
  const report = await runChecks(path.join(fixtures, 'bad'), { fmt: false });
  assertProblem(report, 'module layout and README of modules/widget', 'does not document input `colour_name`');
  assertProblem(report, 'module layout and README of modules/widget', 'does not document output `widget_id`');
});

test('a parse error fails the run and names the file', async () => {
  const report = await runChecks(path.join(fixtures, 'unparsable'), { fmt: false });
  assertProblem(report, 'parse broken.tf', 'broken.tf:3');
});

test('the command line ends with the counts and exits 1 on failures', () => {
  const { status, last } = runCli(path.join(fixtures, 'bad'));
  assert.equal(status, 1);
  assert.match(last, /^\d+ passed, [1-9]\d* failed$/);
});

test('a clean tree passes with "N passed, 0 failed" and exit code 0', () => {
  const { status, lines, last } = runCli(path.join(fixtures, 'good'));
  assert.equal(status, 0, lines.join('\n'));
  assert.match(last, /^[1-9]\d* passed, 0 failed$/);
});

test('the real run never scans the fixtures', async () => {
  const report = await runChecks(path.join(here, '..'), { fmt: false });
  assert.ok(report.results.length > 0);
  const leaked = report.results.filter((entry) => entry.name.includes('fixtures'));
  assert.deepEqual(leaked.map((entry) => entry.name), []);
});
