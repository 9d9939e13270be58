// Self-test of the contract check: a small valid contract passes, and each rule, broken on its
// own, is reported. Run: node --test checks/check-contract.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkContract, errorTable, deref, isTextual } from './check-contract.mjs';

const TABLE = `
| code | status | meaning |
|---|---|---|
| VALIDATION_FAILED | 400 | bad request |
| INVALID_TOKEN | 401 | bad token |
| INTERNAL_ERROR | 500 | our fault |
`;

function problemResponse(code, status) {
  return {
    description: code,
    content: {
      'application/problem+json': {
        schema: { $ref: '#/components/schemas/Problem' },
        examples: { one: { value: { type: 'urn:x', title: 't', status, detail: 'd', code, traceId: '0'.repeat(32) } } },
      },
    },
  };
}

function validContract() {
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1', description: `Errors:\n${TABLE}` },
    security: [{ bearerAuth: [] }],
    paths: {
      '/v1/things': {
        get: {
          operationId: 'listThings',
          summary: 'Things',
          responses: {
            200: { description: 'ok', content: { 'application/json': { schema: { type: 'object' }, examples: { a: { value: {} } } } } },
            401: { $ref: '#/components/responses/Unauthorized' },
            default: { $ref: '#/components/responses/Error' },
          },
        },
        post: {
          operationId: 'createThing',
          summary: 'Create a thing',
          requestBody: { content: { 'application/json': { schema: { type: 'object' }, example: { name: 'x' } } } },
          responses: {
            201: { description: 'created', content: { 'application/json': { schema: { type: 'object' }, example: { id: 1 } } } },
            400: problemResponse('VALIDATION_FAILED', 400),
            401: { $ref: '#/components/responses/Unauthorized' },
            default: { $ref: '#/components/responses/Error' },
          },
        },
      },
      '/v1/things/export': {
        get: {
          operationId: 'exportThings',
          summary: 'Export',
          responses: {
            200: {
              description: 'a workbook',
              content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } },
            },
            401: { $ref: '#/components/responses/Unauthorized' },
          },
        },
      },
      '/health/live': {
        get: {
          operationId: 'getLiveness',
          summary: 'Alive',
          security: [],
          responses: { 200: { description: 'ok', content: { 'application/json': { example: { status: 'UP' } } } } },
        },
      },
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      responses: {
        Unauthorized: problemResponse('INVALID_TOKEN', 401),
        Error: problemResponse('INTERNAL_ERROR', 500),
      },
      schemas: {
        Problem: { type: 'object', properties: { code: { type: 'string', enum: ['VALIDATION_FAILED', 'INVALID_TOKEN', 'INTERNAL_ERROR'] } } },
      },
    },
  };
}

function violationsAfter(mutate, options) {
  const doc = validContract();
  mutate(doc);
  return checkContract(doc, options);
}

function assertReported(violations, fragment) {
  assert.ok(violations.some((v) => v.includes(fragment)), `expected a violation containing "${fragment}", got:\n${violations.join('\n')}`);
}

test('a complete contract passes', () => {
  assert.deepEqual(checkContract(validContract()), []);
  assert.deepEqual(checkContract(validContract(), { readme: TABLE }), []);
});

test('a missing summary is reported', () => {
  assertReported(violationsAfter((d) => { d.paths['/v1/things'].get.summary = ' '; }), 'listThings (GET /v1/things): no summary');
});

test('a public operation must say security: [] itself', () => {
  const v = violationsAfter((d) => { d.security = []; });
  assertReported(v, 'listThings (GET /v1/things): public only by inheritance');
  const none = violationsAfter((d) => { delete d.security; });
  assertReported(none, 'listThings (GET /v1/things): no security requirement');
});

test('an unknown security scheme is reported', () => {
  assertReported(violationsAfter((d) => { d.paths['/v1/things'].get.security = [{ apiKey: [] }]; }),
    'security scheme apiKey is not in components.securitySchemes');
});

test('an authenticated operation must document 401', () => {
  assertReported(violationsAfter((d) => { delete d.paths['/v1/things'].get.responses[401]; }),
    'listThings (GET /v1/things): needs a token but documents no 401 response');
});

test('a request body without an example is reported', () => {
  assertReported(violationsAfter((d) => { delete d.paths['/v1/things'].post.requestBody.content['application/json'].example; }),
    'createThing (POST /v1/things): request body application/json has no example');
});

test('a JSON response without an example is reported, a binary one is not', () => {
  const v = violationsAfter((d) => { d.paths['/v1/things'].get.responses[200].content['application/json'].examples = {}; });
  assertReported(v, 'listThings (GET /v1/things): response 200 application/json has no example');
  assert.ok(!v.some((line) => line.includes('exportThings')));
  assert.equal(isTextual('text/csv; charset=utf-8'), true);
  assert.equal(isTextual('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'), false);
});

test('an error response that is not a problem is reported', () => {
  assertReported(violationsAfter((d) => {
    d.paths['/v1/things'].post.responses[400] = { description: 'bad', content: { 'application/json': { example: { error: 'x' } } } };
  }), 'createThing (POST /v1/things): error response 400 is not application/problem+json');
  assertReported(violationsAfter((d) => {
    d.paths['/v1/things'].post.responses[400].content['application/problem+json'].schema = { type: 'object' };
  }), 'error response 400 does not use the Problem schema');
  assertReported(violationsAfter((d) => {
    d.paths['/v1/things'].post.responses[404] = { description: 'gone' };
  }), 'createThing (POST /v1/things): error response 404 is not application/problem+json');
});

test('problem examples must use a code of the table, with its status', () => {
  assertReported(violationsAfter((d) => { d.paths['/v1/things'].post.responses[400] = problemResponse('NO_SUCH_CODE', 400); }),
    'example one has code NO_SUCH_CODE, which is not in the error table');
  assertReported(violationsAfter((d) => { d.paths['/v1/things'].post.responses[400] = problemResponse('INVALID_TOKEN', 401); }),
    'error response 400 example one has code INVALID_TOKEN, whose status is 401');
  assertReported(violationsAfter((d) => { d.paths['/v1/things'].post.responses[400] = problemResponse('VALIDATION_FAILED', 422); }),
    'error response 400 example one says status 422');
});

test('the Problem code enum and the error table must agree', () => {
  assertReported(violationsAfter((d) => { d.components.schemas.Problem.properties.code.enum.push('NEW_CODE'); }),
    'Problem.code enum value NEW_CODE is missing from the error table');
  assertReported(violationsAfter((d) => { d.components.schemas.Problem.properties.code.enum.pop(); }),
    'error table code INTERNAL_ERROR is not in the Problem.code enum');
});

test('the README error table must match the contract', () => {
  const missing = TABLE.replace('| INTERNAL_ERROR | 500 | our fault |\n', '');
  assertReported(checkContract(validContract(), { readme: missing }), 'README.md: error code INTERNAL_ERROR is missing');
  assertReported(checkContract(validContract(), { readme: TABLE.replace('| 401 |', '| 403 |') }),
    'README.md: error code INVALID_TOKEN has status 403, the contract says 401');
  assertReported(checkContract(validContract(), { readme: `${TABLE}| GONE | 410 | x |\n` }),
    'README.md: error code GONE is not in the contract');
});

test('an operation without a success response is reported', () => {
  assertReported(violationsAfter((d) => { delete d.paths['/health/live'].get.responses[200]; d.paths['/health/live'].get.responses.default = { $ref: '#/components/responses/Error' }; }),
    'getLiveness (GET /health/live): no success response');
});

test('errorTable reads code and status, with or without backticks', () => {
  assert.deepEqual([...errorTable('| `A_B` | 404 | x |\n| CC | 500 | y |\n| code | status | meaning |')], [['A_B', 404], ['CC', 500]]);
});

test('deref follows chains of local references and refuses cycles', () => {
  const doc = { components: { responses: { A: { $ref: '#/components/responses/B' }, B: { description: 'b' }, C: { $ref: '#/components/responses/C' } } } };
  assert.equal(deref(doc, { $ref: '#/components/responses/A' }).description, 'b');
  assert.throws(() => deref(doc, { $ref: '#/components/responses/C' }), /cycle/);
  assert.throws(() => deref(doc, { $ref: '#/components/responses/Z' }), /unresolved/);
});
