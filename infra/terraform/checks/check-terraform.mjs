#!/usr/bin/env node
// Offline checks for the civic-points Terraform (no terraform binary, providers or network needed):
// every HCL file parses (HashiCorp's parser, via @cdktf/hcl2json); variables and outputs are
// documented; module calls match the called module; versions are pinned; no secret is written as a
// literal; `terraform fmt -check` when a terraform binary is on PATH.
//
// Usage: node checks/check-terraform.mjs [root]   (root defaults to infra/terraform)
// Prints one line per check and ends with "N passed, M failed"; exit code 1 when M > 0.

import { readdir, readFile, stat } from 'node:fs/promises';
import { accessSync, constants as fsConstants } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { parse } = require('@cdktf/hcl2json');

/** Folders never scanned: dependencies, provider caches, and the checker's own fixtures. */
const SKIPPED_DIRS = new Set(['node_modules', '.terraform', '.git', 'checks', 'target']);

/** Files parsed as HCL; only .tf files make a folder a Terraform module. */
const HCL_FILE = /\.(tf|tfvars|hcl)(\.example)?$/;
const TF_FILE = /\.tf$/;
const TFVARS_FILE = /\.tfvars(\.example)?$/;

/** Module block arguments that are meta-arguments, not inputs of the called module. */
const MODULE_META_ARGS = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);

/** Attribute names that hold a credential: a string literal assigned to one is a leaked secret. */
const SECRET_ATTRIBUTE =
  /^(?:.*_)?(password|passwd|pass|secret|client_secret|token|access_token|refresh_token|api_key|apikey|private_key|secret_key|access_key|signing_key|master_key|auth_key|credentials)$/i;

/** Variable names that must be marked sensitive (names of secret ids, files and paths excepted). */
const SECRET_VARIABLE = /(password|passwd|secret|token|private_key|api_key|secret_key|access_key|signing_key|credentials)/i;
const NOT_A_SECRET_VARIABLE = /_(id|ids|name|names|file|path|arn|ref|length)$/i;

/** Literals that are secrets wherever they appear. */
const SECRET_PATTERNS = [
  { name: 'PEM private key', regex: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/ },
  { name: 'AWS access key id', regex: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'Google API key', regex: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'GitHub token', regex: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { name: 'Slack token', regex: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { name: 'service-account key JSON', regex: /"type"\s*:\s*"service_account"/ },
  // user:password@ in a URL; template placeholders (${...}, %s) are not credentials.
  { name: 'credentials in a connection URL', regex: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/"'$%{}]+:[^\s@/"'$%{}]+@/i },
];

/** A provider version constraint counts as pinned when it is exact or pessimistic (~>). */
const PINNED_VERSION = /^\s*(?:=\s*)?\d+\.\d+\.\d+\s*$|^\s*~>\s*\d+\.\d+(?:\.\d+)?\s*$/;

function looksLikeSecretVariable(name, body) {
  const type = typeof body.type === 'string' ? body.type.replace(/^\$\{|\}$/g, '') : '';
  return SECRET_VARIABLE.test(name) && !NOT_A_SECRET_VARIABLE.test(name) && type !== 'bool' && type !== 'number';
}

function isLiteral(value) {
  return typeof value === 'string' && !value.includes('${') && !value.includes('%{');
}

/** The first error line of terraform's stderr, without its box drawing and CLI-config warnings. */
function terraformError(stderr) {
  const lines = stderr
    .split('\n')
    .map((line) => line.replace(/^[\s\u2502\u2577\u2575]+/, '').trim())
    .filter(Boolean);
  return lines.find((line) => line.startsWith('Error:')) ?? lines.at(-1) ?? 'no message';
}

function rel(root, file) {
  return path.relative(root, file) || '.';
}

async function walk(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...(await walk(full)));
    } else if (HCL_FILE.test(entry.name)) {
      files.push(full);
    }
  }
  return files;
}

function terraformOnPath() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'terraform');
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not in this PATH entry
    }
  }
  return null;
}

/** Blocks of one kind across the parsed files of a folder: [{ name, body, file }]. */
function blocks(parsedFiles, kind) {
  const found = [];
  for (const { file, json } of parsedFiles) {
    for (const [name, bodies] of Object.entries(json[kind] ?? {})) {
      for (const body of bodies) found.push({ name, body, file });
    }
  }
  return found;
}

function variablesOf(parsedFiles) {
  const variables = new Map();
  for (const { name, body } of blocks(parsedFiles, 'variable')) {
    variables.set(name, { required: !Object.hasOwn(body, 'default'), body });
  }
  return variables;
}

function findSecretAttributes(node, trail, problems) {
  if (Array.isArray(node)) {
    node.forEach((item) => findSecretAttributes(item, trail, problems));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (SECRET_ATTRIBUTE.test(key) && isLiteral(value) && value !== '') {
      problems.push(`${[...trail, key].join('.')} is assigned a string literal; pass it from a sensitive variable, a generated value or a secret manager`);
    }
    findSecretAttributes(value, [...trail, key], problems);
  }
}

class Report {
  constructor(root) {
    this.root = root;
    this.results = [];
  }

  add(name, problems) {
    this.results.push({ name, ok: problems.length === 0, problems });
  }

  get passed() {
    return this.results.filter((result) => result.ok).length;
  }

  get failed() {
    return this.results.length - this.passed;
  }

  lines() {
    const lines = [];
    for (const result of this.results) {
      lines.push(`${result.ok ? 'ok  ' : 'FAIL'} ${result.name}`);
      for (const problem of result.problems) lines.push(`       - ${problem}`);
    }
    lines.push(`${this.passed} passed, ${this.failed} failed`);
    return lines;
  }
}

/**
 * Runs every check under root. Options: fmt (default true) runs `terraform fmt -check` per folder
 * when a terraform binary is on PATH.
 */
export async function runChecks(root, { fmt = true } = {}) {
  root = path.resolve(root);
  const report = new Report(root);
  const files = await walk(root);
  if (files.length === 0) {
    report.add(`find Terraform files under ${root}`, ['no .tf file found']);
    return report;
  }

  // 1. Every HCL file parses.
  const parsed = new Map();
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    try {
      const json = await parse(rel(root, file), text);
      parsed.set(file, { file, text, json });
      report.add(`parse ${rel(root, file)}`, []);
    } catch (error) {
      const message = String(error?.message ?? error).replace(/\s+/g, ' ').trim();
      parsed.set(file, { file, text, json: null });
      report.add(`parse ${rel(root, file)}`, [message]);
    }
  }

  // Folders holding .tf files are Terraform modules (root modules and child modules alike).
  const folders = new Map();
  for (const file of files) {
    if (!TF_FILE.test(file)) continue;
    const dir = path.dirname(file);
    if (!folders.has(dir)) folders.set(dir, []);
  }
  for (const file of files) {
    const dir = path.dirname(file);
    if (folders.has(dir)) folders.get(dir).push(parsed.get(file));
  }

  const moduleVariables = new Map();
  for (const [dir, entries] of folders) {
    moduleVariables.set(dir, variablesOf(entries.filter((entry) => entry.json && TF_FILE.test(entry.file))));
  }

  const terraformBinary = fmt ? terraformOnPath() : null;

  for (const [dir, entries] of [...folders].sort(([a], [b]) => a.localeCompare(b))) {
    const where = rel(root, dir);
    const tfFiles = entries.filter((entry) => entry.json && TF_FILE.test(entry.file));
    const tfvarsFiles = entries.filter((entry) => entry.json && TFVARS_FILE.test(entry.file));
    const variables = moduleVariables.get(dir);

    // 2. versions.tf pins Terraform and every provider.
    {
      const problems = [];
      const versionsFile = path.join(dir, 'versions.tf');
      const versions = entries.find((entry) => entry.file === versionsFile);
      const declared = new Set();
      if (!versions) {
        problems.push('versions.tf is missing');
      } else if (versions.json) {
        const terraformBlocks = versions.json.terraform ?? [];
        if (terraformBlocks.length === 0) problems.push('versions.tf has no terraform block');
        if (!terraformBlocks.some((block) => Array.isArray(block.required_providers))) {
          problems.push('versions.tf has no required_providers block');
        }
        if (!terraformBlocks.some((block) => typeof block.required_version === 'string' && block.required_version.trim())) {
          problems.push('versions.tf does not set required_version');
        }
        for (const block of terraformBlocks) {
          for (const providers of block.required_providers ?? []) {
            for (const [local, requirement] of Object.entries(providers)) {
              declared.add(local);
              if (typeof requirement !== 'object' || requirement === null) {
                problems.push(`provider ${local}: use the object form with source and version`);
                continue;
              }
              if (!requirement.source) problems.push(`provider ${local} has no source`);
              if (!requirement.version) problems.push(`provider ${local} has no version constraint`);
              else if (!PINNED_VERSION.test(requirement.version)) {
                problems.push(`provider ${local} version "${requirement.version}" is neither exact nor ~>`);
              }
            }
          }
        }
      }
      // Every provider the folder uses is declared there.
      for (const kind of ['resource', 'data']) {
        for (const entry of tfFiles) {
          for (const [type, instances] of Object.entries(entry.json[kind] ?? {})) {
            for (const bodies of Object.values(instances)) {
              for (const body of bodies) {
                const explicit = typeof body.provider === 'string' ? body.provider.replace(/^\$\{|\}$/g, '').split('.')[0] : null;
                const local = explicit ?? type.split('_')[0];
                if (local !== 'terraform' && versions && !declared.has(local)) {
                  problems.push(`${kind} ${type} uses provider ${local}, which required_providers does not declare`);
                }
              }
            }
          }
        }
      }
      report.add(`versions pinned in ${where}`, [...new Set(problems)]);
    }

    // 3. Variables: type, description, sensitive when they hold a secret.
    {
      const problems = [];
      for (const { name, body, file } of blocks(tfFiles, 'variable')) {
        const at = `${rel(root, file)}: variable "${name}"`;
        if (!Object.hasOwn(body, 'type')) problems.push(`${at} has no type`);
        if (typeof body.description !== 'string' || !body.description.trim()) problems.push(`${at} has no description`);
        if (looksLikeSecretVariable(name, body) && body.sensitive !== true) {
          problems.push(`${at} looks like a secret but is not sensitive = true`);
        }
      }
      report.add(`variables typed and described in ${where}`, problems);
    }

    // 4. Outputs are described.
    {
      const problems = [];
      for (const { name, body, file } of blocks(tfFiles, 'output')) {
        if (typeof body.description !== 'string' || !body.description.trim()) {
          problems.push(`${rel(root, file)}: output "${name}" has no description`);
        }
      }
      report.add(`outputs described in ${where}`, problems);
    }

    // 5. Module calls: the source exists, inputs exist there, required inputs are passed.
    const calls = blocks(tfFiles, 'module');
    if (calls.length > 0) {
      const problems = [];
      for (const { name, body, file } of calls) {
        const at = `${rel(root, file)}: module "${name}"`;
        const source = body.source;
        if (typeof source !== 'string' || !source) {
          problems.push(`${at} has no source`);
          continue;
        }
        if (!source.startsWith('./') && !source.startsWith('../')) {
          if (!body.version) problems.push(`${at} uses the remote source ${source} without a version`);
          continue;
        }
        const target = path.resolve(dir, source);
        const targetVariables = moduleVariables.get(target);
        if (!targetVariables) {
          const exists = await stat(target).then((s) => s.isDirectory(), () => false);
          problems.push(`${at}: source ${source} ${exists ? 'holds no .tf file' : 'does not exist'}`);
          continue;
        }
        const passed = Object.keys(body).filter((key) => !MODULE_META_ARGS.has(key));
        for (const input of passed) {
          if (!targetVariables.has(input)) problems.push(`${at} passes "${input}", which ${source} does not declare`);
        }
        for (const [variable, { required }] of targetVariables) {
          if (required && !passed.includes(variable)) problems.push(`${at} does not pass the required variable "${variable}" of ${source}`);
        }
      }
      report.add(`module calls match their modules in ${where}`, problems);
    }

    // 6. tfvars examples set only declared variables and every required one.
    for (const entry of tfvarsFiles) {
      const problems = [];
      const keys = Object.keys(entry.json);
      for (const key of keys) {
        if (!variables.has(key)) problems.push(`sets "${key}", which ${where} does not declare`);
      }
      for (const [variable, { required }] of variables) {
        if (required && !keys.includes(variable)) problems.push(`does not set the required variable "${variable}"`);
      }
      report.add(`${rel(root, entry.file)} matches the variables of ${where}`, problems);
    }

    // 7. No secret literals: credential attributes, secret defaults, well-known secret shapes.
    {
      const problems = [];
      for (const entry of entries) {
        if (!entry.json) continue;
        const file = rel(root, entry.file);
        const attributeProblems = [];
        findSecretAttributes(entry.json, [], attributeProblems);
        problems.push(...attributeProblems.map((problem) => `${file}: ${problem}`));
        for (const { name, body } of blocks([entry], 'variable')) {
          if (looksLikeSecretVariable(name, body) && isLiteral(body.default) && body.default !== '') {
            problems.push(`${file}: variable "${name}" has a literal default`);
          }
        }
        entry.text.split('\n').forEach((line, index) => {
          for (const { name, regex } of SECRET_PATTERNS) {
            if (regex.test(line)) problems.push(`${file}:${index + 1}: ${name}`);
          }
        });
      }
      report.add(`no secret literals in ${where}`, problems);
    }

    // 8. Reusable modules ship their files and a README that names every input and output.
    if (path.basename(path.dirname(dir)) === 'modules') {
      const problems = [];
      for (const required of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'README.md']) {
        const exists = await stat(path.join(dir, required)).then(() => true, () => false);
        if (!exists) problems.push(`${required} is missing`);
      }
      const readme = await readFile(path.join(dir, 'README.md'), 'utf8').catch(() => '');
      if (readme) {
        for (const name of variables.keys()) {
          if (!readme.includes(`\`${name}\``)) problems.push(`README.md does not document input \`${name}\``);
        }
        for (const { name } of blocks(tfFiles, 'output')) {
          if (!readme.includes(`\`${name}\``)) problems.push(`README.md does not document output \`${name}\``);
        }
      }
      report.add(`module layout and README of ${where}`, problems);
    }

    // 9. terraform fmt, only where a terraform binary exists.
    if (terraformBinary) {
      const result = spawnSync(terraformBinary, ['fmt', '-check', '-list=true', '-no-color', dir], {
        encoding: 'utf8',
        env: { ...process.env, CHECKPOINT_DISABLE: '1' },
      });
      const problems = [];
      if (result.error) problems.push(`could not run terraform: ${result.error.message}`);
      else if (result.status !== 0) {
        const listed = result.stdout.split('\n').map((line) => line.trim()).filter(Boolean);
        if (listed.length) {
          problems.push(...listed.map((file) => `${rel(root, path.resolve(file))} is not formatted (terraform fmt)`));
        } else {
          problems.push(`terraform fmt exited ${result.status}: ${terraformError(result.stderr)}`);
        }
      }
      report.add(`terraform fmt -check ${where}`, problems);
    }
  }

  return report;
}

async function main() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = path.resolve(process.argv[2] ?? path.join(here, '..'));
  const report = await runChecks(root);
  if (!terraformOnPath()) console.log('note: no terraform binary on PATH, terraform fmt -check skipped');
  for (const line of report.lines()) console.log(line);
  process.exitCode = report.failed === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  });
}
