import { test } from 'node:test';
import assert from 'node:assert/strict';
import { semanticEqual } from './equality.ts';

test('absent, null, empty lists and maps are all equal', () => {
  assert.equal(semanticEqual(undefined, []), true);
  assert.equal(semanticEqual({ a: {} }, {}), true);
  assert.equal(semanticEqual({ a: null }, { a: [] }), true);
  assert.equal(semanticEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2, c: undefined }] }), true);
});

test('values, order and zero values still matter', () => {
  assert.equal(semanticEqual([1, 2], [2, 1]), false);
  assert.equal(semanticEqual({ a: 0 }, {}), false);
  assert.equal(semanticEqual({ a: '' }, { a: 'x' }), false);
  assert.equal(semanticEqual({ a: { b: 1 } }, { a: { b: 2 } }), false);
});
