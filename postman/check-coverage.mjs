// Fails when an operation of the contract has no request in the Postman collection, when a
// request of the collection matches no operation of the contract, or when a request reaches the
// server through anything but {{baseUrl}}.
//
// A request matches an operation by HTTP method and path template: a `{param}` segment of the
// template matches a `{{variable}}` segment or any literal value, a literal template segment only
// itself; when several templates match, the one with the most literal segments wins
// (`/v1/leaderboards/me` before `/v1/leaderboards/{id}`).
//
// Usage: node check-coverage.mjs [collection.json] [openapi.yaml]
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const BASE_URL = '{{baseUrl}}';

/** [{operationId, method, path, segments}] of the contract. */
export function contractOperations(doc) {
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (op) ops.push({ operationId: op.operationId ?? `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, segments: splitPath(path) });
    }
  }
  return ops;
}

function splitPath(path) {
  return path.split('/').filter((segment) => segment.length > 0);
}

/** The raw URL of a Postman request (string or url object). */
export function rawUrl(request) {
  const url = request?.url;
  if (typeof url === 'string') return url;
  if (url && typeof url.raw === 'string') return url.raw;
  if (url && Array.isArray(url.path)) {
    const host = Array.isArray(url.host) ? url.host.join('.') : (url.host ?? '');
    return `${host}/${url.path.join('/')}`;
  }
  return '';
}

/** Every request of a collection, folders flattened: [{name, folder, method, url}]. */
export function collectionRequests(collection) {
  const requests = [];
  const walk = (items, folder) => {
    for (const item of items ?? []) {
      if (Array.isArray(item.item)) walk(item.item, folder ? `${folder} / ${item.name}` : item.name);
      else if (item.request) {
        const request = typeof item.request === 'string' ? { url: item.request, method: 'GET' } : item.request;
        requests.push({ name: item.name, folder, method: String(request.method ?? 'GET').toUpperCase(), url: rawUrl(request) });
      }
    }
  };
  walk(collection.item, '');
  return requests;
}

/** The path segments of a request URL after {{baseUrl}}, without query or fragment. */
export function requestSegments(url) {
  let path = url.startsWith(BASE_URL) ? url.slice(BASE_URL.length) : url.replace(/^[a-z]+:\/\/[^/]+/i, '');
  path = path.split('#')[0].split('?')[0];
  return splitPath(path);
}

const isTemplateParam = (segment) => /^\{[^{}]+\}$/.test(segment);
const isVariable = (segment) => /^\{\{[^{}]+\}\}$/.test(segment);

/** The operation a request exercises, or undefined. */
export function matchOperation(ops, method, segments) {
  let best;
  let bestLiterals = -1;
  for (const op of ops) {
    if (op.method !== method || op.segments.length !== segments.length) continue;
    let literals = 0;
    const matches = op.segments.every((templateSegment, i) => {
      if (isTemplateParam(templateSegment)) return true;
      literals += 1;
      return !isVariable(segments[i]) && decodeURIComponent(segments[i]) === templateSegment;
    });
    if (matches && literals > bestLiterals) {
      best = op;
      bestLiterals = literals;
    }
  }
  return best;
}

/** {covered: Map operationId → [request names], missing: [op], unmatched: [request], offBase: [request]} */
export function coverage(doc, collection) {
  const ops = contractOperations(doc);
  const covered = new Map();
  const unmatched = [];
  const offBase = [];
  for (const request of collectionRequests(collection)) {
    if (!request.url.startsWith(BASE_URL)) offBase.push(request);
    const op = matchOperation(ops, request.method, requestSegments(request.url));
    if (!op) {
      unmatched.push(request);
      continue;
    }
    if (!covered.has(op.operationId)) covered.set(op.operationId, []);
    covered.get(op.operationId).push(request.name);
  }
  const missing = ops.filter((op) => !covered.has(op.operationId));
  return { ops, covered, missing, unmatched, offBase };
}

function main(argv) {
  const here = dirname(fileURLToPath(import.meta.url));
  const collectionPath = resolve(argv[0] ?? join(here, 'civic-points.postman_collection.json'));
  const contractPath = resolve(argv[1] ?? join(here, '..', 'mobile-contracts', 'openapi.yaml'));
  const result = coverage(parse(readFileSync(contractPath, 'utf8')), JSON.parse(readFileSync(collectionPath, 'utf8')));
  const problems = [
    ...result.missing.map((op) => `operation ${op.operationId} (${op.method} ${op.path}) has no request in the collection`),
    ...result.unmatched.map((r) => `request "${r.folder} / ${r.name}" (${r.method} ${r.url}) matches no operation of the contract`),
    ...result.offBase.map((r) => `request "${r.folder} / ${r.name}" does not start with ${BASE_URL}: ${r.url}`),
  ];
  if (problems.length > 0) {
    console.error(`postman coverage: ${problems.length} problem(s):`);
    for (const line of problems) console.error(`  - ${line}`);
    process.exit(1);
  }
  console.log(`postman coverage: all ${result.ops.length} operations of ${contractPath} have requests in the collection`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
