import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mismatches } from './check-client.mjs';
import { firstPageFiles } from './check-budget.mjs';

const contract = { paths: { '/v1/x/{id}': { post: { operationId: 'doX' } } } };

test('a client operation that matches the contract passes', () => {
  assert.deepEqual(mismatches({ doX: ['POST', '/v1/x/{id}'] }, contract), []);
});

test('an unknown operation, a wrong method and a wrong path are each named', () => {
  assert.equal(mismatches({ doY: ['POST', '/v1/y'] }, contract).length, 1);
  assert.match(mismatches({ doX: ['GET', '/v1/x/{id}'] }, contract)[0], /POST \/v1\/x\/\{id\}/);
  assert.match(mismatches({ doX: ['POST', '/v1/x'] }, contract)[0], /not POST \/v1\/x$/);
});

test('the first page is the entry, its static imports and css, and the sign-in view', () => {
  const manifest = {
    'index.html': { file: 'a.js', isEntry: true, imports: ['_b'], css: ['a.css'], dynamicImports: ['src/views/other.vue'] },
    _b: { file: 'b.js' },
    'src/views/signin/SignInView.vue': { file: 's.js', imports: ['_b'] },
    'src/views/other.vue': { file: 'o.js' },
  };
  assert.deepEqual(firstPageFiles(manifest).sort(), ['a.css', 'a.js', 'b.js', 's.js']);
});
