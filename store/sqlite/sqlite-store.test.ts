import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runStoreConformance } from '../conformance.ts';
import { CompactedError } from '../errors.ts';
import type { WatchEvent } from '../types.ts';
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

  it('keeps every acknowledged write when the writer is killed with SIGKILL', async () => {
    path = join(dir, 'crash.db');
    const repo = fileURLToPath(new URL('../../', import.meta.url));
    const script = fileURLToPath(new URL('./testdata/crash-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, path], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
    const acknowledged = new Map<number, number>();
    const exited = new Promise((resolve) => child.on('exit', resolve));
    for await (const line of createInterface({ input: child.stdout })) {
      const [index, revision] = line.split(' ').map(Number);
      acknowledged.set(index!, revision!);
      if (acknowledged.size === 1000) {
        child.kill('SIGKILL');
        break;
      }
    }
    assert.equal(await exited, null, 'the writer was killed, not finished');
    assert.equal(acknowledged.size, 1000);

    const store = await openStore();
    for (const [index, revision] of acknowledged) {
      const kv = await store.get(`/crash/${index}`);
      assert.equal(kv?.value, `value ${index}`);
      assert.equal(kv.modRevision, revision);
    }
    assert.ok((await store.count('/crash/')) >= 1000);
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
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    await assert.rejects(SqliteStore.open(path), /schema version 99/);
  });
});
