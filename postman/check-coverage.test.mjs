// Self-test of the coverage check. Run: node --test check-coverage.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coverage, matchOperation, contractOperations, requestSegments } from './check-coverage.mjs';

const contract = {
  paths: {
    '/v1/me': { get: { operationId: 'getMe' }, patch: { operationId: 'updateMe' } },
    '/v1/leaderboards/{boardId}': { get: { operationId: 'getBoard' } },
    '/v1/leaderboards/me': { get: { operationId: 'getMyStanding' } },
    '/v1/members/{memberId}/roles/{role}': { delete: { operationId: 'revokeRole' } },
  },
};

function request(name, method, url) {
  return { name, request: { method, url: { raw: url } } };
}

test('every operation covered, through variables and literal values', () => {
  const collection = {
    item: [{
      name: 'resident',
      item: [
        request('me', 'GET', '{{baseUrl}}/v1/me'),
        request('rename', 'PATCH', '{{baseUrl}}/v1/me?x=1'),
        request('board', 'GET', '{{baseUrl}}/v1/leaderboards/{{boardId}}'),
        request('my standing', 'GET', '{{baseUrl}}/v1/leaderboards/me?scope=city'),
      ],
    }, { name: 'admin', item: [request('revoke', 'DELETE', '{{baseUrl}}/v1/members/{{memberId}}/roles/STAFF')] }],
  };
  const result = coverage(contract, collection);
  assert.deepEqual(result.missing, []);
  assert.deepEqual(result.unmatched, []);
  assert.deepEqual(result.offBase, []);
  assert.deepEqual(result.covered.get('getMyStanding'), ['my standing']);
  assert.deepEqual(result.covered.get('getBoard'), ['board']);
});

test('an operation without a request is missing', () => {
  const result = coverage(contract, { item: [request('me', 'GET', '{{baseUrl}}/v1/me')] });
  assert.deepEqual(result.missing.map((op) => op.operationId).sort(), ['getBoard', 'getMyStanding', 'revokeRole', 'updateMe']);
});

test('the method must match too', () => {
  const result = coverage(contract, { item: [request('me', 'POST', '{{baseUrl}}/v1/me')] });
  assert.equal(result.unmatched.length, 1);
  assert.ok(result.missing.some((op) => op.operationId === 'getMe'));
});

test('a variable does not match a literal template segment, and lengths must agree', () => {
  const ops = contractOperations(contract);
  assert.equal(matchOperation(ops, 'GET', requestSegments('{{baseUrl}}/v1/{{me}}')), undefined);
  assert.equal(matchOperation(ops, 'GET', requestSegments('{{baseUrl}}/v1/me/extra')), undefined);
  assert.equal(matchOperation(ops, 'GET', requestSegments('{{baseUrl}}/v1/leaderboards/me')).operationId, 'getMyStanding');
});

test('a request that bypasses {{baseUrl}} is reported', () => {
  const result = coverage(contract, { item: [request('me', 'GET', 'http://localhost:8080/v1/me')] });
  assert.equal(result.offBase.length, 1);
  assert.ok(result.covered.has('getMe'));
});
