// Fails the build when src/api.js names an operation the contract lacks, or names it with
// another method or path than the contract gives it.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** The mismatches between the client's operation table and the contract's paths. */
export function mismatches(operations, contract) {
  const known = new Map();
  for (const [path, item] of Object.entries(contract.paths || {})) {
    for (const method of METHODS) {
      if (item[method]?.operationId) known.set(item[method].operationId, [method.toUpperCase(), path]);
    }
  }
  return Object.entries(operations).flatMap(([operationId, [method, path]]) => {
    const expected = known.get(operationId);
    if (!expected) return [`${operationId} is not in the contract`];
    if (expected[0] !== method || expected[1] !== path) {
      return [`${operationId} is ${expected.join(' ')} in the contract, not ${method} ${path}`];
    }
    return [];
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  // src/api.js is browser code without browser globals at load time, so node can import it.
  const { operations } = await import('../src/api.js');
  const contract = parse(readFileSync(process.argv[2], 'utf8'));
  const found = mismatches(operations, contract);
  found.forEach((line) => console.error(`client: ${line}`));
  console.log(`client: ${Object.keys(operations).length} operations checked, ${found.length} mismatches`);
  process.exit(found.length ? 1 : 0);
}
