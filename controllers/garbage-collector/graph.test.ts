// The owner graph on its own: the reverse index follows owner references as
// they change, removals and foreground transitions hand back the right uids,
// needsAttention flags exactly the owners the graph cannot vouch for, and the
// cost of a change does not grow with the number of objects.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { storageInfo, type ResourceInfo } from '../../api/kinds.ts';
import type { KObject } from '../../apiserver/registry/object.ts';
import { OwnerGraph } from './graph.ts';
import { CONFIGMAPS, HPA_V1, NODES, ownerRef, PODS, REPLICASETS } from './test-fixture.ts';

type Ref = ReturnType<typeof ownerRef>;

/** ns null: cluster-scoped. */
function obj(name: string, opts: { ns?: string | null; owners?: Ref[]; deleting?: boolean; finalizers?: string[]; uid?: string } = {}): KObject {
  return {
    metadata: {
      name,
      uid: opts.uid ?? randomUUID(),
      ...(opts.ns !== null ? { namespace: opts.ns ?? 'team' } : {}),
      ...(opts.owners ? { ownerReferences: opts.owners } : {}),
      ...(opts.deleting ? { deletionTimestamp: '2024-05-01T10:00:00Z' } : {}),
      ...(opts.finalizers ? { finalizers: opts.finalizers } : {}),
    },
  };
}

const uid = (o: KObject) => o.metadata.uid!;
const sorted = (xs: string[]) => [...new Set(xs)].sort();

describe('OwnerGraph', () => {
  it('indexes dependents by owner uid, following reference changes', () => {
    const g = new OwnerGraph();
    const a = obj('a');
    const b = obj('b');
    const d = obj('d', { owners: [ownerRef(CONFIGMAPS, a)] });
    g.upsert(PODS, d);
    assert.deepEqual(g.dependentsOf(uid(a)).map((n) => n.uid), [uid(d)], 'indexed before the owner is seen');
    g.upsert(CONFIGMAPS, a);
    g.upsert(CONFIGMAPS, b);
    g.upsert(PODS, { ...d, metadata: { ...d.metadata, ownerReferences: [ownerRef(CONFIGMAPS, b)] } });
    assert.deepEqual(g.dependentsOf(uid(a)), []);
    assert.deepEqual(g.dependentsOf(uid(b)).map((n) => n.uid), [uid(d)]);
    assert.equal(g.hasDependents(uid(a)), false);
    g.remove(uid(d));
    assert.equal(g.hasDependents(uid(b)), false);
    assert.equal(g.size, 2);
  });

  it('a removal hands back the dependents and the owners', () => {
    const g = new OwnerGraph();
    const owner = obj('owner');
    const mid = obj('mid', { owners: [ownerRef(CONFIGMAPS, owner)] });
    const leaves = [obj('l1', { owners: [ownerRef(CONFIGMAPS, mid)] }), obj('l2', { owners: [ownerRef(CONFIGMAPS, mid)] })];
    for (const o of [owner, mid]) g.upsert(CONFIGMAPS, o);
    for (const l of leaves) g.upsert(PODS, l);
    assert.deepEqual(sorted(g.remove(uid(mid))), sorted([uid(owner), ...leaves.map(uid)]));
    assert.deepEqual(g.remove(uid(mid)), [], 'twice is nothing');
    for (const l of leaves) assert.equal(g.needsAttention(g.get(uid(l))!), true, 'their owner is gone');
  });

  it('flags an object whose owner it has not seen under the referenced identity', () => {
    const g = new OwnerGraph();
    const owner = obj('owner');
    const node = obj('node', { ns: null });
    g.upsert(CONFIGMAPS, owner);
    g.upsert(NODES, node);
    const check = (owners: Ref[], ns = 'team', resource: ResourceInfo = PODS) => {
      const d = obj(`d-${randomUUID()}`, { owners, ns });
      g.upsert(resource, d);
      return g.needsAttention(g.get(uid(d))!);
    };
    assert.equal(check([ownerRef(CONFIGMAPS, owner)]), false, 'owner seen');
    assert.equal(check([ownerRef(CONFIGMAPS, { metadata: { name: 'owner', uid: randomUUID() } })]), true, 'another uid');
    assert.equal(check([{ ...ownerRef(CONFIGMAPS, owner), name: 'other' }]), true, 'another name');
    assert.equal(check([{ ...ownerRef(REPLICASETS, owner) }]), true, 'another kind');
    assert.equal(check([ownerRef(CONFIGMAPS, owner)], 'default'), true, 'another namespace');
    assert.equal(check([ownerRef(NODES, node)], 'default'), false, 'cluster-scoped owner');
    assert.equal(check([{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: randomUUID() }]), false, 'unknown kinds are not looked up');
    const deleting = obj('x', { owners: [ownerRef(CONFIGMAPS, { metadata: { name: 'gone', uid: randomUUID() } })], deleting: true, finalizers: ['example.com/f'] });
    g.upsert(PODS, deleting);
    assert.equal(g.needsAttention(g.get(uid(deleting))!), false, 'an object being deleted is left to its own finalizers');
  });

  it('ignores malformed owner references instead of failing the watch', () => {
    const g = new OwnerGraph();
    const bad = (ownerReferences: unknown, finalizers?: unknown) => ({ metadata: { name: 'x', namespace: 'team', uid: randomUUID(), ownerReferences, finalizers } }) as unknown as KObject;
    for (const o of [bad(5), bad([null, { uid: 1 }, 'x']), bad(undefined, 'orphan')]) {
      g.upsert(PODS, o);
      assert.equal(g.needsAttention(g.get(uid(o))!), false);
    }
  });

  it('two served versions of one resource are one storage', () => {
    const g = new OwnerGraph();
    const hpa = obj('hpa');
    g.upsert(storageInfo(HPA_V1), hpa);
    const d = obj('d', { owners: [ownerRef(HPA_V1, hpa)] });
    g.upsert(CONFIGMAPS, d);
    assert.equal(g.needsAttention(g.get(uid(d))!), false);
  });

  it('a foreground deletion hands back its dependents once, and counts only blocking ones as blocking', () => {
    const g = new OwnerGraph();
    const owner = obj('owner');
    const blocking = obj('b', { owners: [ownerRef(CONFIGMAPS, owner, { block: true })] });
    const loose = obj('l', { owners: [ownerRef(CONFIGMAPS, owner)] });
    g.upsert(CONFIGMAPS, owner);
    g.upsert(PODS, blocking);
    g.upsert(PODS, loose);
    const marked = { ...owner, metadata: { ...owner.metadata, deletionTimestamp: 'now', finalizers: ['foregroundDeletion'] } };
    assert.deepEqual(sorted(g.upsert(CONFIGMAPS, marked)), sorted([uid(owner), uid(blocking), uid(loose)]));
    assert.deepEqual(g.upsert(CONFIGMAPS, marked), [uid(owner)], 'only on the transition');
    assert.equal(g.needsAttention(g.get(uid(owner))!), true);
    assert.equal(g.needsAttention(g.get(uid(loose))!), true, 'its owner waits for dependents to go');
    assert.deepEqual(g.blockingDependentsOf(uid(owner)).map((n) => n.uid), [uid(blocking)]);

    // The blocking dependent stops blocking: the owner is handed back.
    assert.ok(g.upsert(PODS, { ...blocking, metadata: { ...blocking.metadata, ownerReferences: [ownerRef(CONFIGMAPS, owner, { block: false })] } }).includes(uid(owner)));
    assert.deepEqual(g.blockingDependentsOf(uid(owner)), []);
  });

  it('a change costs the same with 10,000 objects as with 10', () => {
    const timeChanges = (objects: number): number => {
      const g = new OwnerGraph();
      const owners = Array.from({ length: Math.max(1, objects / 100) }, (_, i) => obj(`rs-${i}`));
      for (const o of owners) g.upsert(REPLICASETS, o);
      const pods = Array.from({ length: objects }, (_, i) => obj(`p-${i}`, { owners: [ownerRef(REPLICASETS, owners[i % owners.length]!, { block: true })] }));
      for (const p of pods) g.upsert(PODS, p);
      const start = process.hrtime.bigint();
      for (let round = 0; round < 2000; round++) {
        const p = pods[round % pods.length]!;
        const touched = g.upsert(PODS, { ...p, metadata: { ...p.metadata, labels: { round: String(round) } } });
        assert.deepEqual(touched, [uid(p)]);
        g.needsAttention(g.get(uid(p))!);
      }
      return Number(process.hrtime.bigint() - start) / 2000;
    };
    timeChanges(10); // warm up
    const small = timeChanges(10);
    const large = timeChanges(10_000);
    assert.ok(large < small * 20 + 20_000, `a change took ${large.toFixed(0)} ns with 10,000 objects, ${small.toFixed(0)} ns with 10`);
  });
});
