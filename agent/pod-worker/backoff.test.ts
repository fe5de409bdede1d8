// Crash back-off: immediate first restart, doubling from 10 s to 5 min, reset after 10 min.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff, goDuration } from './backoff.ts';

describe('Backoff', () => {
  it('restarts at once the first time, then waits 10s, 20s, 40s ... capped at 5m', () => {
    let now = 0;
    const b = new Backoff(() => now);
    assert.equal(b.inBackOffSince('c', 0).wait, false);
    b.next('c', 0);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const finished = now + 1000;
      now = finished;
      const r = b.inBackOffSince('c', finished);
      assert.equal(r.wait, true);
      waits.push(r.untilMs - finished);
      now = r.untilMs;
      assert.equal(b.inBackOffSince('c', finished).wait, false);
      b.next('c', finished);
    }
    assert.deepEqual(waits, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });

  it('starts again at 10s after ten minutes without a restart', () => {
    let now = 0;
    const b = new Backoff(() => now);
    b.next('c', 0);
    now = 15_000;
    b.next('c', 15_000);
    assert.equal(b.get('c'), 20_000);
    now = 15_000 + 11 * 60_000;
    assert.equal(b.inBackOffSince('c', now).wait, false);
    b.next('c', now);
    assert.equal(b.get('c'), 10_000);
  });

  it('prints durations as Go does', () => {
    assert.deepEqual([10_000, 20_000, 80_000, 160_000, 300_000].map(goDuration), ['10s', '20s', '1m20s', '2m40s', '5m0s']);
  });
});
