// The console's pure helpers: CSV cells guarded against formulas, the contract's period syntax.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell } from '../src/csv.js';

test('a cell a spreadsheet would run as a formula gets a leading apostrophe', () => {
  for (const text of ['=1+1', '+86', '-3', '@SUM(A1)', '\tx', '\rx']) {
    assert.ok(csvCell(text).replace(/^"/, '').startsWith(`'${text[0]}`), text);
  }
  assert.equal(csvCell('王芳'), '王芳');
  assert.equal(csvCell('a,"b"'), '"a,""b"""');
  assert.equal(csvCell(undefined), '');
});

test('periods follow ISO weeks and the Beijing calendar day', async () => {
  const { period } = await import('../src/periods.js');
  assert.equal(period('week', new Date('2026-11-26T01:00:00Z')), 'week:2026-W48');
  assert.equal(period('week', new Date('2021-01-03T12:00:00Z')), 'week:2020-W53');
  assert.equal(period('week', new Date('2024-12-30T01:00:00Z')), 'week:2025-W01');
  // 17:00 UTC on 31 December is already 1 January in Beijing.
  assert.equal(period('month', new Date('2026-12-31T17:00:00Z')), 'month:2027-01');
  assert.equal(period('year', new Date('2026-12-31T17:00:00Z')), 'year:2027');
  assert.equal(period('all'), 'all');
});
