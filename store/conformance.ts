// The behaviour every Store backend must show, as node:test cases written
// against the interface only. A backend's test file calls
// runStoreConformance with a factory that opens a fresh, empty store.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompactedError, ConflictError, KeyExistsError, KeyNotFoundError, StoreClosedError } from './errors.ts';
import type { KeyValue, Store, WatchEvent, WatchHandlers } from './types.ts';

export interface ConformanceFixture {
  store: Store;
  /** Opens the same data again. The suite closes `store` before calling it. */
  reopen?: () => Promise<Store>;
  /** Removes whatever the fixture made. The suite closes its stores before calling it. */
  cleanup: () => Promise<void>;
}

const WAIT_MS = 5000;

/** Collects what a watch delivers and lets a test wait for it. */
class Recorder implements WatchHandlers {
  readonly events: WatchEvent[] = [];
  readonly batches: WatchEvent[][] = [];
  readonly errors: Error[] = [];
  private wake: (() => void) | undefined;

  onEvents(events: WatchEvent[]): void {
    this.batches.push(events);
    this.events.push(...events);
    this.wake?.();
  }

  onError(err: Error): void {
    this.errors.push(err);
    this.wake?.();
  }

  async waitFor(what: string, done: () => boolean): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`timed out waiting for ${what}; got ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  waitForEvents(n: number): Promise<void> {
    return this.waitFor(`${n} events`, () => this.events.length >= n);
  }

  waitForError(): Promise<void> {
    return this.waitFor('an error', () => this.errors.length > 0);
  }
}

function revisions(events: WatchEvent[]): number[] {
  return events.map((e) => e.revision);
}

function keys(items: KeyValue[]): string[] {
  return items.map((kv) => kv.key);
}

export function runStoreConformance(name: string, open: () => Promise<ConformanceFixture>): void {
  /** One case on a fresh store, closed and cleaned up afterwards whatever happens. */
  const test = (title: string, body: (store: Store, fixture: ConformanceFixture) => Promise<void>) =>
    it(title, async () => {
      const fixture = await open();
      try {
        await body(fixture.store, fixture);
      } finally {
        await fixture.store.close();
        await fixture.cleanup();
      }
    });

  describe(`Store conformance: ${name}`, () => {
    describe('reads and writes', () => {
      test('an empty store is at revision 0', async (store) => {
        assert.equal(await store.currentRevision(), 0);
        assert.equal(await store.get('/a'), undefined);
        assert.deepEqual((await store.list('')).items, []);
      });

      test('create then get', async (store) => {
        const kv = await store.create('/a', 'one');
        assert.equal(kv.key, '/a');
        assert.equal(kv.value, 'one');
        assert.ok(kv.modRevision > 0);
        assert.equal(kv.createRevision, kv.modRevision);
        assert.deepEqual(await store.get('/a'), kv);
        assert.equal(await store.currentRevision(), kv.modRevision);
        assert.equal(await store.get('/b'), undefined);
      });

      test('create of an existing key fails with KeyExistsError', async (store) => {
        await store.create('/a', 'one');
        await assert.rejects(store.create('/a', 'two'), KeyExistsError);
        assert.equal((await store.get('/a'))?.value, 'one');
      });

      test('a deleted key can be created again, with a new createRevision', async (store) => {
        const first = await store.create('/a', 'one');
        await store.delete('/a');
        const second = await store.create('/a', 'two');
        assert.ok(second.createRevision > first.createRevision);
        assert.deepEqual(await store.get('/a'), second);
      });

      test('update with the current revision writes', async (store) => {
        const created = await store.create('/a', 'one');
        const updated = await store.update('/a', 'two', created.modRevision);
        assert.equal(updated.value, 'two');
        assert.equal(updated.createRevision, created.createRevision);
        assert.ok(updated.modRevision > created.modRevision);
        assert.deepEqual(await store.get('/a'), updated);
      });

      test('update with a stale revision fails with ConflictError', async (store) => {
        const created = await store.create('/a', 'one');
        const updated = await store.update('/a', 'two', created.modRevision);
        await assert.rejects(store.update('/a', 'three', created.modRevision), (err: unknown) => {
          assert.ok(err instanceof ConflictError);
          assert.equal(err.expected, created.modRevision);
          assert.equal(err.actual, updated.modRevision);
          return true;
        });
        assert.equal((await store.get('/a'))?.value, 'two');
      });

      test('of concurrent updates from the same revision exactly one wins', async (store) => {
        const created = await store.create('/a', 'zero');
        const attempts = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => store.update('/a', `v${i}`, created.modRevision)),
        );
        const won = attempts.filter((a) => a.status === 'fulfilled');
        assert.equal(won.length, 1);
        for (const a of attempts) if (a.status === 'rejected') assert.ok(a.reason instanceof ConflictError);
        assert.deepEqual(await store.get('/a'), won[0]!.value);
      });

      test('of concurrent creates of one key exactly one wins', async (store) => {
        const attempts = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store.create('/a', `v${i}`)));
        assert.equal(attempts.filter((a) => a.status === 'fulfilled').length, 1);
        for (const a of attempts) if (a.status === 'rejected') assert.ok(a.reason instanceof KeyExistsError);
      });

      test('update and delete of a missing key fail with KeyNotFoundError', async (store) => {
        await assert.rejects(store.update('/a', 'x', 1), KeyNotFoundError);
        await assert.rejects(store.delete('/a'), KeyNotFoundError);
        const kv = await store.create('/a', 'one');
        await store.delete('/a');
        await assert.rejects(store.update('/a', 'x', kv.modRevision), KeyNotFoundError);
        await assert.rejects(store.delete('/a'), KeyNotFoundError);
      });

      test('delete returns the deleted value and its own revision', async (store) => {
        const kv = await store.create('/a', 'one');
        const { prev, revision } = await store.delete('/a');
        assert.deepEqual(prev, kv);
        assert.ok(revision > kv.modRevision);
        assert.equal(await store.currentRevision(), revision);
        assert.equal(await store.get('/a'), undefined);
      });

      test('delete with a mismatched expectedRevision fails with ConflictError', async (store) => {
        const created = await store.create('/a', 'one');
        const updated = await store.update('/a', 'two', created.modRevision);
        await assert.rejects(store.delete('/a', created.modRevision), ConflictError);
        assert.deepEqual(await store.get('/a'), updated);
        await store.delete('/a', updated.modRevision);
        assert.equal(await store.get('/a'), undefined);
      });

      test('revisions strictly increase across keys and kinds of write', async (store) => {
        const seen: number[] = [];
        const a = await store.create('/a', '1');
        seen.push(a.modRevision);
        const b = await store.create('/b', '1');
        seen.push(b.modRevision);
        seen.push((await store.update('/a', '2', a.modRevision)).modRevision);
        seen.push((await store.delete('/b')).revision);
        seen.push((await store.create('/c', '1')).modRevision);
        for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! > seen[i - 1]!, `revisions ${seen.join(', ')}`);
        assert.equal(await store.currentRevision(), seen.at(-1));
      });
    });

    describe('list', () => {
      test('returns the keys under a prefix in key order, and only those', async (store) => {
        for (const key of ['/a/b/2', '/a/bc/1', '/a/b/1', '/a/b', '/a/a/1', '/b/1', '/a/b/é', '/a/b/Z', '/a/b/10']) {
          await store.create(key, key);
        }
        assert.deepEqual(keys((await store.list('/a/b/')).items), ['/a/b/1', '/a/b/10', '/a/b/2', '/a/b/Z', '/a/b/é']);
        assert.deepEqual(keys((await store.list('/a/b')).items), ['/a/b', '/a/b/1', '/a/b/10', '/a/b/2', '/a/b/Z', '/a/b/é', '/a/bc/1']);
        assert.deepEqual(keys((await store.list('/a/')).items), [
          '/a/a/1',
          '/a/b',
          '/a/b/1',
          '/a/b/10',
          '/a/b/2',
          '/a/b/Z',
          '/a/b/é',
          '/a/bc/1',
        ]);
        assert.equal((await store.list('')).items.length, 9);
        assert.deepEqual((await store.list('/c/')).items, []);
        const item = (await store.list('/b/')).items[0];
        assert.deepEqual(item, await store.get('/b/1'));
      });

      test('reports the revision it read at and leaves out deleted keys', async (store) => {
        await store.create('/a/1', 'x');
        await store.create('/a/2', 'x');
        const { revision } = await store.delete('/a/1');
        const list = await store.list('/a/');
        assert.equal(list.revision, revision);
        assert.deepEqual(keys(list.items), ['/a/2']);
      });

      test('at an older revision shows the state then, including keys deleted since', async (store) => {
        const a = await store.create('/a/1', 'a1');
        const b = await store.create('/a/2', 'b1');
        const then = await store.currentRevision();
        const a2 = await store.update('/a/1', 'a2', a.modRevision);
        await store.delete('/a/2');
        const c = await store.create('/a/3', 'c1');

        const old = await store.list('/a/', { revision: then });
        assert.equal(old.revision, then);
        assert.deepEqual(old.items, [a, b]);
        assert.deepEqual((await store.list('/a/')).items, [a2, c]);
        assert.deepEqual((await store.list('/a/', { revision: a.modRevision })).items, [a]);
      });

      test('pages with limit and after, reporting more and remaining', async (store) => {
        for (const n of [3, 1, 5, 2, 4]) await store.create(`/k/${n}`, `v${n}`);
        await store.create('/l/1', 'other');

        const first = await store.list('/k/', { limit: 2 });
        assert.deepEqual(keys(first.items), ['/k/1', '/k/2']);
        assert.equal(first.more, true);
        assert.equal(first.remaining, 3);

        // Later pages read at the first page's revision see the same snapshot.
        await store.delete('/k/4');
        await store.create('/k/0', 'late');
        const opts = { limit: 2, revision: first.revision };
        const second = await store.list('/k/', { ...opts, after: '/k/2' });
        assert.deepEqual(keys(second.items), ['/k/3', '/k/4']);
        assert.equal(second.more, true);
        assert.equal(second.remaining, 1);
        const third = await store.list('/k/', { ...opts, after: '/k/4' });
        assert.deepEqual(keys(third.items), ['/k/5']);
        assert.equal(third.more, false);
        assert.equal(third.remaining, 0);

        const exact = await store.list('/k/', { limit: 5 });
        assert.deepEqual(keys(exact.items), ['/k/0', '/k/1', '/k/2', '/k/3', '/k/5']);
        assert.equal(exact.more, false);
        assert.equal(exact.remaining, 0);
      });

      test('count tells how many keys live under a prefix', async (store) => {
        assert.equal(await store.count('/a/'), 0);
        for (const key of ['/a/1', '/a/2', '/a/3', '/ab/1', '/b/1']) await store.create(key, 'x');
        await store.delete('/a/2');
        assert.equal(await store.count('/a/'), 2);
        assert.equal(await store.count('/a'), 3);
        assert.equal(await store.count(''), 4);
      });
    });

    describe('watch', () => {
      test('delivers creates, updates and deletes in order, with prev', async (store) => {
        const start = await store.currentRevision();
        const rec = new Recorder();
        const watcher = store.watch('/a/', start, rec);
        const created = await store.create('/a/1', 'one');
        const updated = await store.update('/a/1', 'two', created.modRevision);
        const deleted = await store.delete('/a/1');
        await rec.waitForEvents(3);
        watcher.close();

        assert.deepEqual(rec.events, [
          { type: 'create', kv: created, revision: created.modRevision },
          { type: 'update', kv: updated, prev: created, revision: updated.modRevision },
          {
            type: 'delete',
            kv: { ...updated, modRevision: deleted.revision },
            prev: updated,
            revision: deleted.revision,
          },
        ]);
        assert.deepEqual(rec.errors, []);
      });

      test('from an older revision replays history first, then continues live', async (store) => {
        const a = await store.create('/a/1', 'one');
        const a2 = await store.update('/a/1', 'two', a.modRevision);
        const b = await store.create('/a/2', 'b');
        const rec = new Recorder();
        const watcher = store.watch('/a/', a.modRevision, rec);
        const c = await store.create('/a/3', 'c');
        await rec.waitForEvents(3);
        watcher.close();
        assert.deepEqual(revisions(rec.events), [a2.modRevision, b.modRevision, c.modRevision]);
        assert.deepEqual(rec.events[0], { type: 'update', kv: a2, prev: a, revision: a2.modRevision });
      });

      test('delivers every write exactly once, in strictly increasing order', async (store) => {
        const rec = new Recorder();
        const watcher = store.watch('/a/', 0, rec);
        const written: number[] = [];
        const early = await store.create('/a/early', 'x');
        written.push(early.modRevision);
        for (let i = 0; i < 50; i++) written.push((await store.create(`/a/${i}`, 'x')).modRevision);
        // Writes issued together, without waiting for each.
        const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => store.create(`/a/burst/${i}`, 'x')));
        written.push(...burst.map((kv) => kv.modRevision).sort((x, y) => x - y));
        await rec.waitForEvents(written.length);
        watcher.close();
        assert.deepEqual(revisions(rec.events), written);
        assert.ok(rec.batches.every((batch) => batch.length > 0));
      });

      test('only sees keys under its prefix', async (store) => {
        const rec = new Recorder();
        const watcher = store.watch('/a/b/', await store.currentRevision(), rec);
        await store.create('/a/b', 'x');
        await store.create('/a/bc/1', 'x');
        await store.create('/b/1', 'x');
        const inside = await store.create('/a/b/1', 'x');
        await rec.waitForEvents(1);
        watcher.close();
        assert.deepEqual(revisions(rec.events), [inside.modRevision]);
      });

      test('after close delivers nothing, and no error', async (store) => {
        const start = await store.currentRevision();
        const closed = new Recorder();
        const sentinel = new Recorder();
        const watcher = store.watch('/a/', start, closed);
        const open = store.watch('/a/', start, sentinel);
        watcher.close();
        watcher.close();
        await store.create('/a/1', 'x');
        // Both watch the same prefix: once the open one has the event, the closed one would have too.
        await sentinel.waitForEvents(1);
        open.close();
        assert.deepEqual(closed.events, []);
        assert.deepEqual(closed.errors, []);
      });

      test('closing the store ends open watchers with an error, not closed ones', async (store) => {
        const open = new Recorder();
        const closed = new Recorder();
        store.watch('/', 0, open);
        store.watch('/', 0, closed).close();
        await store.close();
        await open.waitForError();
        assert.ok(open.errors[0] instanceof StoreClosedError);
        assert.deepEqual(closed.errors, []);
        await assert.rejects(store.get('/a'), StoreClosedError);
      });
    });

    describe('compaction', () => {
      test('forgets history before the revision, keeping current data and newer history', async (store) => {
        const a = await store.create('/a/1', 'one');
        const b = await store.create('/a/2', 'b');
        const a2 = await store.update('/a/1', 'two', a.modRevision);
        await store.delete('/a/2');
        const c = await store.create('/a/3', 'c');
        const compactAt = c.modRevision;
        const a3 = await store.update('/a/1', 'three', a2.modRevision);
        const bAgain = await store.create('/a/2', 'b again');

        await store.compact(compactAt);
        assert.equal(await store.compactedRevision(), compactAt);
        assert.equal(await store.currentRevision(), bAgain.modRevision);

        await assert.rejects(store.list('/a/', { revision: compactAt - 1 }), CompactedError);
        assert.throws(() => store.watch('/a/', compactAt - 1, new Recorder()), CompactedError);
        assert.throws(() => store.watch('/a/', b.modRevision, new Recorder()), CompactedError);

        assert.deepEqual((await store.list('/a/', { revision: compactAt })).items, [a2, c]);
        assert.deepEqual((await store.list('/a/')).items, [a3, bAgain, c]);
        assert.deepEqual(await store.get('/a/1'), a3);

        const rec = new Recorder();
        const watcher = store.watch('/a/', compactAt, rec);
        await rec.waitForEvents(2);
        watcher.close();
        assert.deepEqual(rec.events, [
          { type: 'update', kv: a3, prev: a2, revision: a3.modRevision },
          { type: 'create', kv: bAgain, revision: bAgain.modRevision },
        ]);

        const after = await store.create('/a/4', 'x');
        assert.ok(after.modRevision > bAgain.modRevision);
        await store.compact(compactAt - 1);
        assert.equal(await store.compactedRevision(), compactAt);
      });

      test('compacting everything keeps the live keys and the revision counter', async (store) => {
        const a = await store.create('/a', '1');
        await store.create('/b', '1');
        const { revision } = await store.delete('/b');
        await store.compact(revision);
        assert.deepEqual((await store.list('')).items, [a]);
        assert.equal(await store.currentRevision(), revision);
        assert.equal(await store.count(''), 1);
        const b = await store.create('/b', '2');
        assert.ok(b.modRevision > revision);
      });
    });

    test('reopening keeps the data, the revision and the compaction point', async (store, fixture) => {
      if (!fixture.reopen) return;
      const a = await store.create('/a/1', 'one');
      const b = await store.create('/a/2', 'two');
      const a2 = await store.update('/a/1', 'uno', a.modRevision);
      await store.compact(b.modRevision);
      const { revision } = await store.delete('/a/2');
      await store.close();

      const again = await fixture.reopen();
      try {
        assert.equal(await again.currentRevision(), revision);
        assert.equal(await again.compactedRevision(), b.modRevision);
        assert.deepEqual((await again.list('/a/')).items, [a2]);
        assert.deepEqual((await again.list('/a/', { revision: b.modRevision })).items, [a, b]);
        const c = await again.create('/a/3', 'three');
        assert.ok(c.modRevision > revision);
      } finally {
        await again.close();
      }
    });
  });
}
