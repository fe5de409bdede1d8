import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runStoreConformance } from '../conformance.ts';
import Database from 'better-sqlite3';
import { CompactedError, ConflictError, KeyExistsError, KeyNotFoundError } from '../errors.ts';
import type { KeyValue, WatchEvent } from '../types.ts';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'skiff-store-'));
}

runStoreConformance('sqlite', async () => {
  const dir = await tempDir();
  const path = join(dir, 'state.db');
  return {
    store: await SqliteStore.open(path),
    reopen: () => SqliteStore.open(path),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

/** Resolves when `done` holds, checking every few milliseconds; fails after five seconds. */
async function eventually(what: string, done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await done())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('SqliteStore', () => {
  let dir: string;
  let path: string;
  const open: SqliteStore[] = [];
  const openStore = async (opts?: SqliteStoreOptions) => {
    const store = await SqliteStore.open(path, opts);
    open.push(store);
    return store;
  };

  before(async () => {
    dir = await tempDir();
  });
  after(async () => {
    await Promise.all(open.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs the crash writer with `concurrency` writes in flight, kills it with SIGKILL after `acks` acknowledgements, and checks them all. */
  async function crashTest(name: string, concurrency: number, acks: number): Promise<void> {
    path = join(dir, name);
    const repo = fileURLToPath(new URL('../../', import.meta.url));
    const script = fileURLToPath(new URL('./testdata/crash-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, path, String(concurrency)], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acknowledged = new Map<number, number>();
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    for await (const line of createInterface({ input: child.stdout })) {
      const [index, revision] = line.split(' ').map(Number);
      acknowledged.set(index!, revision!);
      if (acknowledged.size === acks) {
        child.kill('SIGKILL');
        break;
      }
    }
    assert.equal(await exited, 'SIGKILL', 'the writer was killed, not finished');
    assert.equal(acknowledged.size, acks);

    const store = await openStore();
    for (const [index, revision] of acknowledged) {
      const kv = await store.get(`/crash/${index}`);
      assert.equal(kv?.value, `value ${index}`, `acknowledged /crash/${index} is there`);
      assert.equal(kv.modRevision, revision);
    }
    assert.ok((await store.count('/crash/')) >= acks);
    // Revisions were given out in submission order: a key created later never has a lower one.
    const { items } = await store.list('/crash/');
    const byIndex = items.map((kv) => [Number(kv.key.slice('/crash/'.length)), kv.modRevision] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < byIndex.length; i++) assert.ok(byIndex[i]![1] > byIndex[i - 1]![1]);
  }

  it('keeps every acknowledged write when the writer is killed with SIGKILL', () => crashTest('crash.db', 1, 1000));

  it('keeps every acknowledged write when a writer with 32 in flight is killed with SIGKILL', () =>
    crashTest('crash-32.db', 32, 5000));

  describe('group commit', () => {
    /** Runs `sql` on the store's file through a connection of its own (triggers to make statements fail). */
    const onFile = (sql: string) => {
      const db = new Database(path);
      db.exec(sql);
      db.close();
    };
    const transactionsOf = async (store: SqliteStore, body: () => Promise<void>) => {
      const before = { ...store.writeStats };
      await body();
      return { transactions: store.writeStats.transactions - before.transactions, fallbacks: store.writeStats.fallbacks - before.fallbacks };
    };

    it('commits 100 concurrent creates in one transaction, each with its own revision, in submission order', async () => {
      path = join(dir, 'group.db');
      const store = await openStore();
      const start = (await store.create('/g/start', 'x')).modRevision;
      const seen: WatchEvent[] = [];
      const watcher = store.watch('/g/', start, { onEvents: (events) => seen.push(...events), onError: assert.fail });
      let created: KeyValue[] = [];
      const { transactions } = await transactionsOf(store, async () => {
        created = await Promise.all(Array.from({ length: 100 }, (_, i) => store.create(`/g/${i}`, `v${i}`)));
      });
      assert.equal(transactions, 1);
      assert.deepEqual(
        created.map((kv) => kv.modRevision),
        Array.from({ length: 100 }, (_, i) => start + 1 + i),
      );
      for (const [i, kv] of created.entries()) assert.deepEqual(await store.get(`/g/${i}`), kv);
      // Watchers have every event, in revision order, by the time the writers resume.
      assert.deepEqual(
        seen.map((e) => e.revision),
        created.map((kv) => kv.modRevision),
      );
      watcher.close();
      assert.equal(await store.currentRevision(), start + 100);
    });

    it('settles each write of a batch on its own: successes, conflicts, missing keys, existing keys', async () => {
      path = join(dir, 'mixed.db');
      const store = await openStore();
      const a = await store.create('/m/a', 'a');
      const b = await store.create('/m/b', 'b');
      const c = await store.create('/m/c', 'c');
      const seen: WatchEvent[] = [];
      const watcher = store.watch('/m/', c.modRevision, { onEvents: (events) => seen.push(...events), onError: assert.fail });
      let results: PromiseSettledResult<unknown>[] = [];
      const { transactions } = await transactionsOf(store, async () => {
        results = await Promise.allSettled([
          store.create('/m/new', '1'), //               0: appended
          store.create('/m/a', 'again'), //             1: KeyExists
          store.update('/m/b', 'b2', b.modRevision), // 2: appended
          store.update('/m/b', 'b3', b.modRevision), // 3: Conflict with the write just before it
          store.update('/m/missing', 'x', 1), //        4: KeyNotFound
          store.delete('/m/c', a.modRevision), //       5: Conflict
          store.delete('/m/c', c.modRevision), //       6: appended
          store.create('/m/c', 'c again'), //           7: appended, after the delete in the same batch
          store.create('/m/new', '2'), //               8: KeyExists, created earlier in the batch
          store.delete('/m/gone'), //                   9: KeyNotFound
        ]);
      });
      assert.equal(transactions, 1);
      const value = (i: number) => (results[i] as PromiseFulfilledResult<unknown>).value;
      const reason = (i: number) => (results[i] as PromiseRejectedResult).reason as Error;
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled', 'fulfilled', 'rejected', 'rejected'],
      );
      const base = c.modRevision;
      assert.deepEqual(value(0), { key: '/m/new', value: '1', createRevision: base + 1, modRevision: base + 1 });
      assert.ok(reason(1) instanceof KeyExistsError);
      assert.deepEqual(value(2), { key: '/m/b', value: 'b2', createRevision: b.modRevision, modRevision: base + 2 });
      assert.ok(reason(3) instanceof ConflictError);
      assert.equal((reason(3) as ConflictError).actual, base + 2);
      assert.ok(reason(4) instanceof KeyNotFoundError);
      assert.ok(reason(5) instanceof ConflictError);
      assert.equal((reason(5) as ConflictError).actual, c.modRevision);
      assert.deepEqual(value(6), { prev: c, revision: base + 3 });
      assert.deepEqual(value(7), { key: '/m/c', value: 'c again', createRevision: base + 4, modRevision: base + 4 });
      assert.ok(reason(8) instanceof KeyExistsError);
      assert.ok(reason(9) instanceof KeyNotFoundError);

      assert.deepEqual(
        seen.map((e) => [e.type, e.kv.key, e.revision]),
        [
          ['create', '/m/new', base + 1],
          ['update', '/m/b', base + 2],
          ['delete', '/m/c', base + 3],
          ['create', '/m/c', base + 4],
        ],
      );
      watcher.close();
      assert.deepEqual((await store.list('/m/')).items.map((kv) => [kv.key, kv.value]), [
        ['/m/a', 'a'],
        ['/m/b', 'b2'],
        ['/m/c', 'c again'],
        ['/m/new', '1'],
      ]);
    });

    it('fails only the write whose statement fails, keeping the rest of its batch', async () => {
      path = join(dir, 'abort.db');
      const store = await openStore();
      onFile(`CREATE TRIGGER boom BEFORE INSERT ON log WHEN NEW.name = '/boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`);
      let results: PromiseSettledResult<KeyValue>[] = [];
      const counts = await transactionsOf(store, async () => {
        results = await Promise.allSettled(['/x/1', '/boom', '/x/2'].map((key) => store.create(key, 'v')));
      });
      assert.deepEqual(counts, { transactions: 1, fallbacks: 0 });
      assert.equal(results[0]!.status, 'fulfilled');
      assert.match(String((results[1] as PromiseRejectedResult).reason), /boom/);
      assert.equal(results[2]!.status, 'fulfilled');
      const [one, two] = [results[0], results[2]].map((r) => (r as PromiseFulfilledResult<KeyValue>).value);
      assert.equal(two!.modRevision, one!.modRevision + 1);
      assert.equal(await store.get('/boom'), undefined);
      assert.deepEqual(await store.get('/x/2'), two);
    });

    it('runs a batch whose transaction SQLite rolled back again, one write per transaction', async () => {
      path = join(dir, 'rollback.db');
      const store = await openStore();
      const before = await store.create('/r/0', 'v');
      const seen: WatchEvent[] = [];
      const watcher = store.watch('/r/', before.modRevision, { onEvents: (events) => seen.push(...events), onError: assert.fail });
      onFile(`CREATE TRIGGER undo BEFORE INSERT ON log WHEN NEW.name = '/r/undo' BEGIN SELECT RAISE(ROLLBACK, 'undone'); END`);
      let results: PromiseSettledResult<KeyValue>[] = [];
      const counts = await transactionsOf(store, async () => {
        results = await Promise.allSettled(['/r/1', '/r/undo', '/r/2', '/r/0'].map((key) => store.create(key, 'v')));
      });
      assert.deepEqual(counts, { transactions: 5, fallbacks: 1 });
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled', 'rejected'],
      );
      assert.match(String((results[1] as PromiseRejectedResult).reason), /undone/);
      assert.ok((results[3] as PromiseRejectedResult).reason instanceof KeyExistsError);
      const revisions = [results[0], results[2]].map((r) => (r as PromiseFulfilledResult<KeyValue>).value.modRevision);
      // The rolled-back attempt left nothing behind, not even used revisions.
      assert.deepEqual(revisions, [before.modRevision + 1, before.modRevision + 2]);
      assert.deepEqual(
        seen.map((e) => e.revision),
        revisions,
      );
      watcher.close();
      assert.equal(await store.currentRevision(), before.modRevision + 2);
    });

    it('runs a batch whose COMMIT failed again, one write per transaction', async () => {
      path = join(dir, 'commit.db');
      const store = await openStore();
      // A deferred foreign key is checked at COMMIT: inserting /c/bad makes the COMMIT fail.
      onFile(`
        CREATE TABLE parent (id INTEGER PRIMARY KEY);
        CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
        CREATE TRIGGER dangling AFTER INSERT ON log WHEN NEW.name = '/c/bad' BEGIN INSERT INTO child VALUES (1); END`);
      (store as unknown as { db: Database.Database }).db.pragma('foreign_keys = ON');
      let results: PromiseSettledResult<KeyValue>[] = [];
      const counts = await transactionsOf(store, async () => {
        results = await Promise.allSettled(['/c/1', '/c/bad', '/c/2'].map((key) => store.create(key, 'v')));
      });
      assert.deepEqual(counts, { transactions: 4, fallbacks: 1 });
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      assert.match(String((results[1] as PromiseRejectedResult).reason), /FOREIGN KEY/);
      assert.deepEqual((await store.list('/c/')).items.map((kv) => kv.key), ['/c/1', '/c/2']);
    });

    it('splits a backlog into batches of maxBatch, keeping submission order', async () => {
      path = join(dir, 'backlog.db');
      const store = await openStore({ maxBatch: 10 });
      let created: KeyValue[] = [];
      const { transactions } = await transactionsOf(store, async () => {
        created = await Promise.all(Array.from({ length: 35 }, (_, i) => store.create(`/b/${i}`, 'v')));
      });
      assert.equal(transactions, 4);
      for (let i = 1; i < created.length; i++) assert.equal(created[i]!.modRevision, created[i - 1]!.modRevision + 1);
    });

    for (const flushOn of ['immediate', 'microtask'] as const) {
      it(`reads see a write once its promise resolved (flushOn: ${flushOn})`, async () => {
        path = join(dir, `ryw-${flushOn}.db`);
        const store = await openStore({ flushOn });
        const writes = Array.from({ length: 10 }, (_, i) => store.create(`/ryw/${i}`, 'v'));
        // Issued while the writes are queued: the store is read as it was (documented; not a guarantee).
        const during = await store.list('/ryw/');
        const done = await Promise.all(writes);
        assert.equal(during.items.length, 0);
        for (const kv of done) assert.deepEqual(await store.get(kv.key), kv);
        assert.equal((await store.list('/ryw/')).items.length, 10);
        assert.equal(await store.currentRevision(), done.at(-1)!.modRevision);
        const updated = await store.update('/ryw/0', 'w', done[0]!.modRevision);
        assert.deepEqual(await store.get('/ryw/0'), updated);
      });
    }

    it('commits writes still queued when the store closes', async () => {
      path = join(dir, 'close.db');
      const store = await openStore();
      const pending = Array.from({ length: 5 }, (_, i) => store.create(`/q/${i}`, 'v'));
      await store.close();
      const done = await Promise.all(pending);
      await assert.rejects(store.create('/q/late', 'v'), { code: 'Closed' });
      const again = await openStore();
      assert.deepEqual((await again.list('/q/')).items, done);
    });
  });

  it('a second store on the same file sees the first one\'s writes through its poll', async () => {
    path = join(dir, 'shared.db');
    const writer = await openStore();
    const reader = await openStore({ pollIntervalMs: 10 });
    const seen: WatchEvent[] = [];
    const watcher = reader.watch('/s/', 0, { onEvents: (events) => seen.push(...events), onError: assert.fail });

    const a = await writer.create('/s/a', '1');
    const a2 = await writer.update('/s/a', '2', a.modRevision);
    await writer.delete('/s/a');
    await eventually('three events', () => seen.length === 3);
    assert.deepEqual(
      seen.map((e) => [e.type, e.revision]),
      [
        ['create', a.modRevision],
        ['update', a2.modRevision],
        ['delete', a2.modRevision + 1],
      ],
    );
    assert.deepEqual(seen[1]!.prev, a);

    // A local write after the other store's ones is delivered after them.
    const b = await writer.create('/s/b', '1');
    const c = await reader.create('/s/c', '1');
    await eventually('five events', () => seen.length === 5);
    assert.deepEqual(
      seen.slice(3).map((e) => e.revision),
      [b.modRevision, c.modRevision],
    );
    assert.equal(await reader.currentRevision(), c.modRevision);
    watcher.close();
  });

  it('compare-and-set holds between two stores on one file', async () => {
    path = join(dir, 'cas.db');
    const one = await openStore();
    const two = await openStore();
    const kv = await one.create('/k', '0');
    await two.update('/k', 'two', kv.modRevision);
    await assert.rejects(one.update('/k', 'one', kv.modRevision), { code: 'Conflict' });
    await assert.rejects(one.create('/k', 'again'), { code: 'KeyExists' });
    assert.equal((await one.get('/k'))?.value, 'two');
  });

  it('ends a watcher when another store compacts away rows it has not seen', async () => {
    path = join(dir, 'overtaken.db');
    const lagging = await openStore({ pollIntervalMs: 3_600_000 });
    const other = await openStore();
    const errors: Error[] = [];
    const seen: WatchEvent[] = [];
    lagging.watch('/o/', 0, { onEvents: (e) => seen.push(...e), onError: (err) => errors.push(err) });
    let kv = await other.create('/o/a', '0');
    for (let i = 1; i < 5; i++) kv = await other.update('/o/a', `${i}`, kv.modRevision);
    await other.compact(kv.modRevision);
    // The local write makes the lagging store read the log, and notice the gap.
    await lagging.create('/o/b', 'x');
    await eventually('an error', () => errors.length > 0);
    assert.ok(errors[0] instanceof CompactedError);
    assert.deepEqual(seen, []);
  });

  it('compacts automatically, keeping the configured window of history', async () => {
    path = join(dir, 'auto.db');
    const store = await openStore({ compactWindow: 3, compactIntervalMs: 5 });
    let kv = await store.create('/a', '0');
    for (let i = 1; i < 10; i++) kv = await store.update('/a', `${i}`, kv.modRevision);
    await eventually('compaction', async () => (await store.compactedRevision()) === kv.modRevision - 3);
    await assert.rejects(store.list('/', { revision: kv.modRevision - 4 }), CompactedError);
    assert.deepEqual(await store.get('/a'), kv);
  });

  it('ends a watch whose handler throws, reporting the error', async () => {
    path = join(dir, 'throws.db');
    const store = await openStore();
    const errors: Error[] = [];
    let calls = 0;
    const boom = new Error('boom');
    store.watch('/', 0, {
      onEvents: () => {
        calls++;
        throw boom;
      },
      onError: (err) => errors.push(err),
    });
    await store.create('/a', '1');
    await eventually('the error', () => errors.length === 1);
    await store.create('/b', '1');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(calls, 1);
    assert.deepEqual(errors, [boom]);
  });

  it('refuses a database written by a newer schema', async () => {
    path = join(dir, 'future.db');
    const store = await SqliteStore.open(path);
    await store.close();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    await assert.rejects(SqliteStore.open(path), /schema version 99/);
  });
});
