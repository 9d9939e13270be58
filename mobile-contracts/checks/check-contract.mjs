// What the mobile team relies on in every operation of the contract, beyond what the OpenAPI
// linter checks: a summary, a security requirement (public operations say `security: []`),
// examples for request and response bodies, error responses that are RFC 9457 problems whose
// example `code` is in the error table, and a README whose error table matches the contract's.
//
// Usage: node checks/check-contract.mjs [openapi.yaml] [README.md]; exits 1 and lists every
// violation when there is one.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PROBLEM_MEDIA_TYPE = 'application/problem+json';
const PROBLEM_SCHEMA_REF = '#/components/schemas/Problem';

/**
 * Error responses that are deliberately not problems, keyed by "operationId status", each with
 * the reason. Orchestrators read the readiness body, so a 503 there is a Health document.
 */
export const NOT_A_PROBLEM = new Map([
  ['getReadiness 503', 'readiness probes read the Health document (which dependency is down)'],
]);

/** Follows local `$ref`s ("#/components/...") until a non-reference object is reached. */
export function deref(doc, node, seen = new Set()) {
  if (!node || typeof node !== 'object' || typeof node.$ref !== 'string') return node;
  const ref = node.$ref;
  if (!ref.startsWith('#/')) throw new Error(`only local references are supported: ${ref}`);
  if (seen.has(ref)) throw new Error(`reference cycle at ${ref}`);
  seen.add(ref);
  let target = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    target = target?.[key];
  }
  if (target === undefined) throw new Error(`unresolved reference ${ref}`);
  return deref(doc, target, seen);
}

/** Media types whose examples a person can read; binary downloads (xlsx) need none. */
export function isTextual(mediaType) {
  const type = mediaType.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json') || type.startsWith('text/')
    || type === 'application/x-www-form-urlencoded' || type === 'application/yaml';
}

function hasExamples(media) {
  if (media.example !== undefined) return true;
  return media.examples != null && typeof media.examples === 'object' && Object.keys(media.examples).length > 0;
}

/** The example values of a media object (`example` or every `examples` entry). */
export function exampleValues(doc, media) {
  const values = [];
  if (media.example !== undefined) values.push(['example', media.example]);
  for (const [name, ex] of Object.entries(media.examples ?? {})) {
    const resolved = deref(doc, ex);
    if (resolved && resolved.value !== undefined) values.push([name, resolved.value]);
  }
  return values;
}

function isProblemSchema(doc, schema) {
  if (!schema) return false;
  if (schema.$ref === PROBLEM_SCHEMA_REF) return true;
  return Array.isArray(schema.allOf) && schema.allOf.some((part) => part?.$ref === PROBLEM_SCHEMA_REF);
}

/**
 * The error table of `info.description` (or of any markdown text): rows "| CODE | status | meaning |".
 * Returns Map code → status (a number).
 */
export function errorTable(markdown) {
  const table = new Map();
  for (const line of String(markdown ?? '').split('\n')) {
    const match = /^\s*\|\s*`?([A-Z][A-Z0-9_]+)`?\s*\|\s*(\d{3})\s*\|/.exec(line);
    if (match) table.set(match[1], Number(match[2]));
  }
  return table;
}

function operations(doc) {
  const ops = [];
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = deref(doc, rawItem);
    for (const method of METHODS) {
      if (item?.[method]) ops.push({ path, method, op: item[method] });
    }
  }
  return ops;
}

/** Every violation of the contract's rules, as readable lines. An empty list means it passes. */
export function checkContract(doc, { readme } = {}) {
  const violations = [];
  const table = errorTable(doc.info?.description);
  const schemes = doc.components?.securitySchemes ?? {};
  if (table.size === 0) violations.push('info.description: no error table ("| CODE | status | meaning |" rows)');

  const enumCodes = deref(doc, doc.components?.schemas?.Problem)?.properties?.code?.enum;
  if (!Array.isArray(enumCodes)) {
    violations.push('components.schemas.Problem: `code` has no enum');
  } else {
    for (const code of enumCodes) {
      if (!table.has(code)) violations.push(`Problem.code enum value ${code} is missing from the error table in info.description`);
    }
    for (const code of table.keys()) {
      if (!enumCodes.includes(code)) violations.push(`error table code ${code} is not in the Problem.code enum`);
    }
  }

  if (readme !== undefined) {
    const readmeTable = errorTable(readme);
    for (const [code, status] of table) {
      if (!readmeTable.has(code)) violations.push(`README.md: error code ${code} is missing from the error table`);
      else if (readmeTable.get(code) !== status) violations.push(`README.md: error code ${code} has status ${readmeTable.get(code)}, the contract says ${status}`);
    }
    for (const code of readmeTable.keys()) {
      if (!table.has(code)) violations.push(`README.md: error code ${code} is not in the contract's error table`);
    }
  }

  for (const { path, method, op } of operations(doc)) {
    const name = op.operationId ?? `${method.toUpperCase()} ${path}`;
    const where = `${name} (${method.toUpperCase()} ${path})`;
    if (!op.operationId) violations.push(`${where}: no operationId`);
    if (typeof op.summary !== 'string' || op.summary.trim() === '') violations.push(`${where}: no summary`);

    const security = op.security ?? doc.security;
    if (!Array.isArray(security)) {
      violations.push(`${where}: no security requirement (say \`security: []\` for a public operation)`);
    } else if (security.length === 0 && op.security === undefined) {
      violations.push(`${where}: public only by inheritance; say \`security: []\` on the operation`);
    } else {
      for (const requirement of security) {
        for (const scheme of Object.keys(requirement ?? {})) {
          if (!schemes[scheme]) violations.push(`${where}: security scheme ${scheme} is not in components.securitySchemes`);
        }
      }
    }
    const authenticated = Array.isArray(security) && security.length > 0
      && !security.some((requirement) => Object.keys(requirement ?? {}).length === 0);

    if (op.requestBody) {
      const body = deref(doc, op.requestBody);
      const content = body?.content ?? {};
      if (Object.keys(content).length === 0) violations.push(`${where}: request body has no content`);
      for (const [mediaType, media] of Object.entries(content)) {
        if (!hasExamples(media)) violations.push(`${where}: request body ${mediaType} has no example`);
      }
    }

    const responses = op.responses ?? {};
    if (!Object.keys(responses).some((status) => /^[23]/.test(status))) {
      violations.push(`${where}: no success response`);
    }
    if (authenticated && !responses['401']) violations.push(`${where}: needs a token but documents no 401 response`);

    for (const [status, rawResponse] of Object.entries(responses)) {
      const response = deref(doc, rawResponse);
      const content = response?.content ?? {};
      const isError = status === 'default' || /^[45]/.test(status);
      for (const [mediaType, media] of Object.entries(content)) {
        if (isTextual(mediaType) && !hasExamples(media)) {
          violations.push(`${where}: response ${status} ${mediaType} has no example`);
        }
      }
      if (!isError) continue;
      if (NOT_A_PROBLEM.has(`${name} ${status}`)) continue;
      const problem = content[PROBLEM_MEDIA_TYPE];
      if (!problem) {
        violations.push(`${where}: error response ${status} is not ${PROBLEM_MEDIA_TYPE}`);
        continue;
      }
      if (!isProblemSchema(doc, problem.schema)) {
        violations.push(`${where}: error response ${status} does not use the Problem schema (${PROBLEM_SCHEMA_REF})`);
      }
      for (const [exampleName, value] of exampleValues(doc, problem)) {
        const code = value?.code;
        if (!table.has(code)) {
          violations.push(`${where}: error response ${status} example ${exampleName} has code ${code}, which is not in the error table`);
          continue;
        }
        if (status !== 'default' && Number(status) !== table.get(code)) {
          violations.push(`${where}: error response ${status} example ${exampleName} has code ${code}, whose status is ${table.get(code)}`);
        }
        if (status !== 'default' && value.status !== Number(status)) {
          violations.push(`${where}: error response ${status} example ${exampleName} says status ${value.status}`);
        }
      }
    }
  }
  return violations;
}

function main(argv) {
  const here = dirname(fileURLToPath(import.meta.url));
  const contractPath = resolve(argv[0] ?? resolve(here, '..', 'openapi.yaml'));
  const readmePath = resolve(argv[1] ?? resolve(here, '..', 'README.md'));
  const doc = parse(readFileSync(contractPath, 'utf8'));
  const readme = readFileSync(readmePath, 'utf8');
  const violations = checkContract(doc, { readme });
  const count = operations(doc).length;
  if (violations.length > 0) {
    console.error(`contract check: ${violations.length} violation(s) in ${count} operations of ${contractPath}:`);
    for (const line of violations) console.error(`  - ${line}`);
    process.exit(1);
  }
  console.log(`contract check: ${count} operations of ${contractPath} have summaries, security, examples and problem errors; README error table matches`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
