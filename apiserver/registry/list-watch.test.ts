// Lists and watches over a real SQLite store: paging at one revision, exact
// old revisions, compaction, and the ADDED/MODIFIED/DELETED stream a
// reflector builds its cache from.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { findResource } from '../../api/kinds.ts';
import { SqliteStore } from '../../store/index.ts';
import { ApiError } from '../errors.ts';
import { listObjects, watchObjects, type Predicate, type WatchEventType, type WatchSink } from './list-watch.ts';
import type { KObject } from './object.ts';
import { Registry } from './registry.ts';
import { useTempRegistry } from './test-registry.ts';

const NAMESPACES = findResource('', 'v1', 'namespaces')!;
const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;

const fixture = useTempRegistry('list-watch');
let store: SqliteStore;
let registry: Registry;
beforeEach(() => {
  ({ store, registry } = fixture);
});

const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): KObject => ({ metadata: { name, labels }, data });
const create = (name: string, labels: Record<string, string> = {}, ns = 'default') => registry.create(CONFIGMAPS, ns, cm(name, labels));
const relabel = async (name: string, labels: Record<string, string>) => {
  const cur = await registry.get(CONFIGMAPS, 'default', name);
  return registry.update(CONFIGMAPS, 'default', name, { ...cur, metadata: { ...cur.metadata, labels } });
};
const names = (items: KObject[]) => items.map((o) => o.metadata.name);
const appIs = (app: string): Predicate => (o) => o.metadata.labels?.app === app;

async function rejectsWith(p: Promise<unknown>, code: number, reason: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (e) => {
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.code, code, e.message);
    assert.equal(e.reason, reason, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

describe('listObjects', () => {
  it('pages with limit and continue, all at the first page\'s revision; remainingItemCount counts what follows', async () => {
    for (const n of ['a', 'b', 'c', 'd', 'e']) await create(n);
    const first = await listObjects(store, CONFIGMAPS, { namespace: 'default', limit: 2 });
    assert.deepEqual(names(first.items), ['a', 'b']);
    assert.equal(first.remainingItemCount, 3);
    assert.ok(first.continue);
    assert.equal(first.resourceVersion, String(await store.currentRevision()));

    // Changes between pages are not seen: the pages are one snapshot.
    await registry.delete(CONFIGMAPS, 'default', 'c');
    await create('bb');
    const second = await listObjects(store, CONFIGMAPS, { namespace: 'default', limit: 2, continue: first.continue });
    assert.deepEqual(names(second.items), ['c', 'd']);
    assert.equal(second.remainingItemCount, 1);
    assert.equal(second.resourceVersion, first.resourceVersion);
    const last = await listObjects(store, CONFIGMAPS, { namespace: 'default', limit: 2, continue: second.continue });
    assert.deepEqual(names(last.items), ['e']);
    assert.equal(last.continue, undefined);
    assert.equal(last.remainingItemCount, undefined);

    const exact = await listObjects(store, CONFIGMAPS, { namespace: 'default', limit: 5 });
    assert.deepEqual(names(exact.items), ['a', 'b', 'bb', 'd', 'e']);
    assert.equal(exact.continue, undefined, 'no continue when the page ends with the last item');
  });

  it('with a selector, fills each page with matches across store pages and gives no remainingItemCount', async () => {
    // More objects than one scan page (500), with matches on both sides of the boundary.
    const matching = new Set([3, 510, 515]);
    for (let i = 0; i < 520; i++) {
      const name = `cm-${String(i).padStart(4, '0')}`;
      const labels = matching.has(i) ? { app: 'x' } : { app: 'y' };
      await store.create(`/registry/core/configmaps/default/${name}`, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels } }));
    }
    const first = await listObjects(store, CONFIGMAPS, { namespace: 'default', limit: 2, predicate: appIs('x') });
    assert.deepEqual(names(first.items), ['cm-0003', 'cm-0510']);
    assert.equal(first.remainingItemCount, undefined);
    assert.ok(first.continue);
    const second = await listObjects(store, CONFIGMAPS, { namespace: 'default', limit: 2, predicate: appIs('x'), continue: first.continue });
    assert.deepEqual(names(second.items), ['cm-0515']);
    assert.equal(second.continue, undefined);
    const all = await listObjects(store, CONFIGMAPS, { namespace: 'default', predicate: appIs('x') });
    assert.deepEqual(names(all.items), ['cm-0003', 'cm-0510', 'cm-0515']);
  });

  it("a namespace's list does not reach into a namespace whose name extends it", async () => {
    await registry.create(NAMESPACES, undefined, { metadata: { name: 'a' } });
    await registry.create(NAMESPACES, undefined, { metadata: { name: 'ab' } });
    await create('in-a', {}, 'a');
    await create('in-ab', {}, 'ab');
    assert.deepEqual(names((await listObjects(store, CONFIGMAPS, { namespace: 'a' })).items), ['in-a']);
    assert.deepEqual(names((await listObjects(store, CONFIGMAPS, {})).items), ['in-a', 'in-ab']);
  });

  it('resourceVersionMatch=Exact lists the state at an old revision', async () => {
    await create('a', { v: '1' });
    const b = await create('b');
    const then = b.metadata.resourceVersion!;
    await relabel('a', { v: '2' });
    await registry.delete(CONFIGMAPS, 'default', 'b');
    await create('c');
    const old = await listObjects(store, CONFIGMAPS, { namespace: 'default', resourceVersion: then, resourceVersionMatch: 'Exact' });
    assert.equal(old.resourceVersion, then);
    assert.deepEqual(names(old.items), ['a', 'b']);
    assert.deepEqual(old.items[0]!.metadata.labels, { v: '1' });
    const now = await listObjects(store, CONFIGMAPS, { namespace: 'default', resourceVersion: then });
    assert.deepEqual(names(now.items), ['a', 'c'], 'without Exact a resourceVersion is a lower bound');
  });

  it('is 410 Expired once the revision was compacted, for Exact and for a continue token', async () => {
    for (const n of ['a', 'b', 'c']) await create(n);
    const page = await listObjects(store, CONFIGMAPS, { namespace: 'default', limit: 1 });
    const old = page.resourceVersion;
    await relabel('a', { v: '2' });
    const current = await store.currentRevision();
    await store.compact(current);
    await rejectsWith(
      listObjects(store, CONFIGMAPS, { namespace: 'default', resourceVersion: old, resourceVersionMatch: 'Exact' }),
      410,
      'Expired',
      `too old resource version: ${old} (${current})`,
    );
    await rejectsWith(listObjects(store, CONFIGMAPS, { namespace: 'default', limit: 1, continue: page.continue }), 410, 'Expired', /^The provided continue parameter is too old/);
    assert.equal((await listObjects(store, CONFIGMAPS, { namespace: 'default', resourceVersion: String(current), resourceVersionMatch: 'Exact' })).items.length, 3);
  });

  it('is 400 for a malformed resourceVersion or continue token', async () => {
    await rejectsWith(listObjects(store, CONFIGMAPS, { resourceVersion: 'abc' }), 400, 'BadRequest', 'invalid resource version: abc');
    await rejectsWith(listObjects(store, CONFIGMAPS, { resourceVersion: '-1', resourceVersionMatch: 'Exact' }), 400, 'BadRequest');
    await rejectsWith(listObjects(store, CONFIGMAPS, { continue: 'not-a-token' }), 400, 'BadRequest', /^continue key is not valid/);
  });
});

interface Seen {
  type: WatchEventType;
  name?: string;
  rv?: string;
  labels?: Record<string, string>;
}

function collector(): WatchSink & { events: Seen[]; ended: (Error | undefined)[] } {
  const events: Seen[] = [];
  const ended: (Error | undefined)[] = [];
  return {
    events,
    ended,
    event: (type, object) => {
      const o = object as KObject;
      events.push({ type, name: o.metadata?.name, rv: o.metadata?.resourceVersion, labels: o.metadata?.labels });
    },
    end: (err) => ended.push(err),
  };
}

/** Lets the store's watch replay (which yields between pages) and delivery run. */
async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(done(), `timed out waiting for ${what}`);
}

describe('watchObjects', () => {
  it('from "0" sends ADDED for what exists, then every change', async () => {
    const a = await create('a');
    const sink = collector();
    const w = await watchObjects(store, CONFIGMAPS, { namespace: 'default', resourceVersion: '0' }, sink);
    assert.deepEqual(sink.events, [{ type: 'ADDED', name: 'a', rv: a.metadata.resourceVersion, labels: {} }]);
    assert.equal(w.progress(), await store.currentRevision());
    const b = await create('b');
    const a2 = await relabel('a', { v: '2' });
    await until('two events', () => sink.events.length === 3);
    assert.deepEqual(sink.events.slice(1), [
      { type: 'ADDED', name: 'b', rv: b.metadata.resourceVersion, labels: {} },
      { type: 'MODIFIED', name: 'a', rv: a2.metadata.resourceVersion, labels: { v: '2' } },
    ]);
    assert.equal(w.progress(), Number(a2.metadata.resourceVersion));
    w.close();
    await create('c');
    await new Promise((r) => setImmediate(r));
    assert.equal(sink.events.length, 3, 'nothing after close');
  });

  it('from a revision replays every later change in order, and nothing before it', async () => {
    const a = await create('a');
    const from = a.metadata.resourceVersion!;
    const b = await create('b');
    const a2 = await relabel('a', { v: '2' });
    const del = await registry.delete(CONFIGMAPS, 'default', 'b');
    const sink = collector();
    const w = await watchObjects(store, CONFIGMAPS, { namespace: 'default', resourceVersion: from }, sink);
    await until('replay', () => sink.events.length === 3);
    assert.deepEqual(sink.events, [
      { type: 'ADDED', name: 'b', rv: b.metadata.resourceVersion, labels: {} },
      { type: 'MODIFIED', name: 'a', rv: a2.metadata.resourceVersion, labels: { v: '2' } },
      { type: 'DELETED', name: 'b', rv: del.object.metadata.resourceVersion, labels: {} },
    ]);
    w.close();
  });

  it('DELETED carries the delete revision and the last state of the object', async () => {
    await create('a', { app: 'x' });
    const sink = collector();
    const w = await watchObjects(store, CONFIGMAPS, { namespace: 'default', resourceVersion: String(await store.currentRevision()) }, sink);
    const { object } = await registry.delete(CONFIGMAPS, 'default', 'a');
    await until('delete', () => sink.events.length === 1);
    assert.equal(object.metadata.resourceVersion, String(await store.currentRevision()));
    assert.deepEqual(sink.events, [{ type: 'DELETED', name: 'a', rv: object.metadata.resourceVersion, labels: { app: 'x' } }]);
    w.close();
  });

  it('with a selector: starting to match is ADDED, stopping is DELETED, changes outside it are not sent', async () => {
    await create('in', { app: 'x' });
    await create('out', { app: 'y' });
    const sink = collector();
    const w = await watchObjects(store, CONFIGMAPS, { namespace: 'default', predicate: appIs('x') }, sink);
    assert.deepEqual(sink.events.map((e) => [e.type, e.name]), [['ADDED', 'in']]);
    await relabel('out', { app: 'y', v: '2' });
    const joined = await relabel('out', { app: 'x' });
    const left = await relabel('in', { app: 'z' });
    await registry.delete(CONFIGMAPS, 'default', 'in');
    const deleted = await registry.delete(CONFIGMAPS, 'default', 'out');
    await until('events', () => sink.events.length === 4);
    assert.deepEqual(
      sink.events.slice(1).map((e) => [e.type, e.name, e.rv]),
      [
        ['ADDED', 'out', joined.metadata.resourceVersion],
        ['DELETED', 'in', left.metadata.resourceVersion],
        ['DELETED', 'out', deleted.object.metadata.resourceVersion],
      ],
    );
    w.close();
  });

  it(
    'an object that stops matching is DELETED with its last matching state, at the revision of the change',
    async () => {
      await create('a', { app: 'x', keep: 'me' });
      const sink = collector();
      const w = await watchObjects(store, CONFIGMAPS, { namespace: 'default', predicate: appIs('x') }, sink);
      const left = await relabel('a', { app: 'z' });
      await until('exit', () => sink.events.length === 2);
      assert.deepEqual(sink.events[1], { type: 'DELETED', name: 'a', rv: left.metadata.resourceVersion, labels: { app: 'x', keep: 'me' } });
      w.close();
    },
  );

  it('a namespace watch does not see a namespace whose name extends it', async () => {
    await registry.create(NAMESPACES, undefined, { metadata: { name: 'a' } });
    await registry.create(NAMESPACES, undefined, { metadata: { name: 'ab' } });
    const sink = collector();
    const w = await watchObjects(store, CONFIGMAPS, { namespace: 'a' }, sink);
    await create('x', {}, 'ab');
    await create('y', {}, 'a');
    await until('event', () => sink.events.length === 1);
    assert.deepEqual(sink.events.map((e) => e.name), ['y']);
    w.close();
  });

  it('is 410 Expired from a compacted revision and 400 for a malformed one', async () => {
    const a = await create('a');
    await relabel('a', { v: '2' });
    const current = await store.currentRevision();
    await store.compact(current);
    await rejectsWith(
      watchObjects(store, CONFIGMAPS, { resourceVersion: a.metadata.resourceVersion }, collector()),
      410,
      'Expired',
      `too old resource version: ${a.metadata.resourceVersion} (${current})`,
    );
    await rejectsWith(watchObjects(store, CONFIGMAPS, { resourceVersion: 'x1' }, collector()), 400, 'BadRequest');
    const ok = await watchObjects(store, CONFIGMAPS, { resourceVersion: String(current) }, collector());
    ok.close();
  });

  it('ends the sink with an error when the store closes under it', async () => {
    const own = await SqliteStore.open(join(fixture.dir, 'other.db'));
    const sink = collector();
    await watchObjects(own, CONFIGMAPS, {}, sink);
    await own.close();
    await until('end', () => sink.ended.length === 1);
    assert.ok(sink.ended[0] instanceof Error);
  });
});
