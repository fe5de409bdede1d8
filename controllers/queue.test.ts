// The work queue's promises to controllers: duplicates collapse, one key is
// never synced by two workers at once, a key added while it syncs runs again
// afterwards, and failures come back with an exponential back-off. Syncs are
// controlled by hand and timers are mocked, so nothing here sleeps.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkQueue } from './queue.ts';

/** A sync whose calls wait until the test settles them. */
function controlledSync() {
  const calls: { key: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  let active = 0;
  let maxActive = 0;
  const activeKeys = new Map<string, number>();
  let overlap = false;
  const sync = (key: string) =>
    new Promise<void>((resolve, reject) => {
      active++;
      maxActive = Math.max(maxActive, active);
      const n = (activeKeys.get(key) ?? 0) + 1;
      if (n > 1) overlap = true;
      activeKeys.set(key, n);
      const done = () => {
        active--;
        activeKeys.set(key, activeKeys.get(key)! - 1);
      };
      calls.push({
        key,
        resolve: () => {
          done();
          resolve();
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
    });
  return {
    sync,
    calls,
    keys: () => calls.map((c) => c.key),
    maxActive: () => maxActive,
    overlapped: () => overlap,
  };
}

/** Lets settled syncs finish and the queue move on (microtasks and a macrotask turn). */
const settle = () => new Promise((r) => setImmediate(r));

describe('WorkQueue', () => {
  it('collapses duplicate adds of a waiting key', async () => {
    const s = controlledSync();
    const q = new WorkQueue(s.sync);
    q.add('busy');
    q.add('a');
    q.add('a');
    q.add('b');
    q.add('a');
    assert.deepEqual(s.keys(), ['busy']);
    s.calls[0]!.resolve();
    await settle();
    assert.deepEqual(s.keys(), ['busy', 'a']);
    s.calls[1]!.resolve();
    await settle();
    s.calls[2]!.resolve();
    await settle();
    assert.deepEqual(s.keys(), ['busy', 'a', 'b'], 'first come, first served, once each');
    q.stop();
  });

  it('never syncs one key on two workers; an add while it syncs runs it once more afterwards', async () => {
    const s = controlledSync();
    const q = new WorkQueue(s.sync, { workers: 4 });
    q.add('a');
    q.add('a');
    q.add('a');
    assert.deepEqual(s.keys(), ['a'], 'added while in flight: not started again yet');
    q.add('b');
    assert.deepEqual(s.keys(), ['a', 'b'], 'other keys use the free workers');
    s.calls[0]!.resolve();
    await settle();
    assert.deepEqual(s.keys(), ['a', 'b', 'a'], 'one more run for the adds made while it ran');
    assert.equal(s.overlapped(), false);
    s.calls[2]!.resolve();
    await settle();
    assert.deepEqual(s.keys(), ['a', 'b', 'a'], 'and no more');
    s.calls[1]!.resolve();
    await q.idle();
    q.stop();
  });

  it('runs at most `workers` syncs at a time', async () => {
    const s = controlledSync();
    const q = new WorkQueue(s.sync, { workers: 2 });
    for (const k of ['a', 'b', 'c', 'd']) q.add(k);
    assert.deepEqual(s.keys(), ['a', 'b']);
    s.calls[1]!.resolve();
    await settle();
    assert.deepEqual(s.keys(), ['a', 'b', 'c']);
    s.calls[0]!.resolve();
    s.calls[2]!.resolve();
    await settle();
    s.calls[3]?.resolve();
    await q.idle();
    assert.deepEqual(s.keys(), ['a', 'b', 'c', 'd']);
    assert.equal(s.maxActive(), 2);
    q.stop();
  });

  it('retries a failing key with an exponential back-off, capped, and starts over after a success', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const s = controlledSync();
    const errors: string[] = [];
    const q = new WorkQueue(s.sync, { baseDelayMs: 10, maxDelayMs: 50, onError: (k, e) => errors.push(`${k}: ${(e as Error).message}`) });
    const fail = async (i: number) => {
      s.calls[i]!.reject(new Error(`boom ${i}`));
      await settle();
    };
    /** Advances the clock to just before `ms`, then to it, checking the retry runs exactly then. */
    const retriesAfter = (ms: number, calls: number) => {
      t.mock.timers.tick(ms - 1);
      assert.equal(s.calls.length, calls - 1, `not before ${ms} ms`);
      t.mock.timers.tick(1);
      assert.equal(s.calls.length, calls, `after ${ms} ms`);
    };
    q.add('a');
    await fail(0);
    retriesAfter(10, 2);
    await fail(1);
    retriesAfter(20, 3);
    await fail(2);
    retriesAfter(40, 4);
    await fail(3);
    retriesAfter(50, 5);
    await fail(4);
    retriesAfter(50, 6);
    assert.deepEqual(errors, ['a: boom 0', 'a: boom 1', 'a: boom 2', 'a: boom 3', 'a: boom 4']);
    s.calls[5]!.resolve();
    await settle();
    q.add('a');
    await fail(6);
    retriesAfter(10, 8);
    s.calls[7]!.resolve();
    await settle();
    q.stop();
  });

  it('a key added while its retry waits runs at once', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const s = controlledSync();
    const q = new WorkQueue(s.sync, { baseDelayMs: 1000 });
    q.add('a');
    s.calls[0]!.reject(new Error('x'));
    await settle();
    q.add('a');
    assert.equal(s.calls.length, 2);
    s.calls[1]!.resolve();
    await settle();
    q.stop();
  });

  it('addAfter adds the key once the delay has passed', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const s = controlledSync();
    const q = new WorkQueue(s.sync);
    q.addAfter('a', 100);
    t.mock.timers.tick(99);
    assert.equal(s.calls.length, 0);
    t.mock.timers.tick(1);
    assert.deepEqual(s.keys(), ['a']);
    s.calls[0]!.resolve();
    await settle();
    q.stop();
  });

  it(
    'addAfter with a shorter delay than one already waiting runs the key at the earlier time',
    async (t) => {
      t.mock.timers.enable({ apis: ['setTimeout'] });
      const s = controlledSync();
      const q = new WorkQueue(s.sync);
      q.addAfter('a', 60_000);
      q.addAfter('a', 10);
      t.mock.timers.tick(10);
      try {
        assert.deepEqual(s.keys(), ['a']);
      } finally {
        q.stop();
      }
    },
  );

  it('stop drops waiting keys and pending retries, and accepts no more', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const s = controlledSync();
    const q = new WorkQueue(s.sync, { baseDelayMs: 10 });
    q.add('a');
    q.add('b');
    q.addAfter('c', 5);
    s.calls[0]!.reject(new Error('x'));
    await settle();
    assert.deepEqual(s.keys(), ['a', 'b']);
    q.stop();
    s.calls[1]!.resolve();
    await settle();
    q.add('d');
    t.mock.timers.tick(1000);
    await settle();
    assert.deepEqual(s.keys(), ['a', 'b']);
  });
});
