import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareKeys, prefixRange } from './key-range.ts';

describe('prefixRange', () => {
  it('bounds a prefix by its last code point plus one', () => {
    assert.deepEqual(prefixRange('/a/b/'), { from: '/a/b/', to: '/a/b0' });
    assert.deepEqual(prefixRange('/é'), { from: '/é', to: '/ê' });
    assert.deepEqual(prefixRange('/\u{1F600}'), { from: '/\u{1F600}', to: '/\u{1F601}' });
  });

  it('steps over the surrogate block and drops trailing U+10FFFF', () => {
    assert.deepEqual(prefixRange('/\uD7FF'), { from: '/\uD7FF', to: '/\uE000' });
    assert.deepEqual(prefixRange('/a\u{10FFFF}'), { from: '/a\u{10FFFF}', to: '/b' });
  });

  it('leaves the empty prefix unbounded', () => {
    assert.deepEqual(prefixRange(''), { from: '', to: undefined });
    assert.deepEqual(prefixRange('\u{10FFFF}'), { from: '\u{10FFFF}', to: undefined });
  });
});

describe('compareKeys', () => {
  it('orders by code point, as SQLite does, where UTF-16 order differs', () => {
    // U+FF61 sorts before U+1F600 by code point, after it by UTF-16 unit.
    assert.ok('\u{FF61}' > '\u{1F600}');
    assert.ok(compareKeys('\u{FF61}', '\u{1F600}') < 0);
    assert.equal(compareKeys('/a', '/a'), 0);
  });
});
