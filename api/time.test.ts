import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rfc3339 } from './time.ts';

test('rfc3339 matches toISOString at each precision', () => {
  for (const ms of [0, 1, 999, 1714557600123, Date.UTC(2030, 11, 31, 23, 59, 59, 5), Date.UTC(999, 0, 1)]) {
    const d = new Date(ms);
    const iso = d.toISOString();
    assert.equal(rfc3339(d, 3), iso);
    assert.equal(rfc3339(d), iso.replace(/\.\d{3}Z$/, 'Z'));
    assert.equal(rfc3339(d, 6), iso.replace(/Z$/, '000Z'));
  }
});
