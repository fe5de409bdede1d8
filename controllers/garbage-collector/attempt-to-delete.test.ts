// Objects whose owners are missing: an owner that never existed, a namesake
// with another uid, an owner in another namespace, a namespaced owner named
// by a cluster-scoped object: all dangling, the object is deleted. An object
// with two owners lives until both are gone. Owners are read from the
// registry, not trusted to the cache; kinds Skiff does not serve are left
// alone.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { OwnerGraph } from './graph.ts';
import { syncObject } from './sync.ts';
import { CONFIGMAPS, Fixture, configMap, NODES, ownerRef, PODS, pod, SECRETS, settle, until } from './test-fixture.ts';

let f: Fixture;

beforeEach(async () => {
  f = await Fixture.open();
});

afterEach(async () => {
  await f.close();
});

const ref = (apiVersion: string, kind: string, name: string, uid = randomUUID()) => ({ apiVersion, kind, name, uid });

describe('attemptToDelete', () => {
  it('deletes an object whose owner never existed, or is a namesake with another uid', async () => {
    await f.gc.start();
    const namesake = await f.registry.create(CONFIGMAPS, 'team', configMap('owner'));
    await f.registry.create(PODS, 'team', pod('never', { owners: [ref('v1', 'ConfigMap', 'nobody')] }));
    await f.registry.create(PODS, 'team', pod('wrong-uid', { owners: [ref('v1', 'ConfigMap', 'owner')] }));
    await f.gone(PODS, 'team', 'never');
    await f.gone(PODS, 'team', 'wrong-uid');
    assert.deepEqual(await f.registry.get(CONFIGMAPS, 'team', 'owner'), namesake);
  });

  it('looks for namespaced owners in the dependent’s namespace only', async () => {
    const elsewhere = await f.registry.create(CONFIGMAPS, 'default', configMap('owner'));
    await f.registry.create(PODS, 'team', pod('cross', { owners: [ownerRef(CONFIGMAPS, elsewhere)] }));
    await f.gc.start();
    await f.gone(PODS, 'team', 'cross');
    assert.equal(await f.exists(CONFIGMAPS, 'default', 'owner'), true);
  });

  it('a cluster-scoped owner owns namespaced objects; a namespaced owner cannot own a cluster-scoped one', async () => {
    const node = await f.registry.create(NODES, undefined, { metadata: { name: 'n1' } });
    const cm = await f.registry.create(CONFIGMAPS, 'team', configMap('cm'));
    await f.registry.create(PODS, 'team', pod('on-node', { owners: [ownerRef(NODES, node)] }));
    await f.registry.create(NODES, undefined, { metadata: { name: 'owned-by-cm', ownerReferences: [ownerRef(CONFIGMAPS, cm)] } });
    await f.gc.start();
    await f.gone(NODES, undefined, 'owned-by-cm');
    await settle(f.gc);
    assert.equal(await f.exists(PODS, 'team', 'on-node'), true);
    await f.registry.delete(NODES, undefined, 'n1');
    await f.gone(PODS, 'team', 'on-node');
  });

  it('an object with two owners survives until both are gone', async () => {
    await f.gc.start();
    const a = await f.registry.create(CONFIGMAPS, 'team', configMap('a'));
    const b = await f.registry.create(SECRETS, 'team', { metadata: { name: 'b' } });
    await f.registry.create(PODS, 'team', pod('shared', { owners: [ownerRef(CONFIGMAPS, a), ownerRef(SECRETS, b, { block: true })] }));
    await f.registry.delete(CONFIGMAPS, 'team', 'a');
    await until('the reference to a to go', async () => (await f.registry.get(PODS, 'team', 'shared')).metadata.ownerReferences?.length === 1);
    assert.deepEqual((await f.registry.get(PODS, 'team', 'shared')).metadata.ownerReferences, [ownerRef(SECRETS, b, { block: true })]);
    await f.registry.delete(SECRETS, 'team', 'b');
    await f.gone(PODS, 'team', 'shared');
  });

  it('leaves objects whose owners are of kinds (or versions) Skiff does not serve', async () => {
    const cm = await f.registry.create(CONFIGMAPS, 'team', configMap('cm'));
    await f.registry.create(PODS, 'team', pod('widget', { owners: [ref('example.com/v1', 'Widget', 'w')] }));
    await f.registry.create(PODS, 'team', pod('old-version', { owners: [{ ...ownerRef(CONFIGMAPS, cm), apiVersion: 'v2' }] }));
    await f.gc.start();
    await settle(f.gc);
    assert.equal(await f.exists(PODS, 'team', 'widget'), true);
    assert.equal(await f.exists(PODS, 'team', 'old-version'), true);
  });

  it('reads the owner from the registry: an owner the cache has not seen yet is not missing', async () => {
    const owner = await f.registry.create(CONFIGMAPS, 'team', configMap('owner'));
    const dependent = await f.registry.create(PODS, 'team', pod('dep', { owners: [ownerRef(CONFIGMAPS, owner)] }));
    const graph = new OwnerGraph();
    graph.upsert(PODS, dependent); // the owner's watch has not delivered it
    assert.equal(graph.needsAttention(graph.get(dependent.metadata.uid!)!), true);
    const ctx = { registry: f.registry, graph, enqueue: () => {} };
    await syncObject(ctx, dependent.metadata.uid!);
    assert.equal(await f.exists(PODS, 'team', 'dep'), true);

    // Once the owner really is gone, the same pass deletes it.
    await f.registry.delete(CONFIGMAPS, 'team', 'owner');
    await syncObject(ctx, dependent.metadata.uid!);
    assert.equal(await f.exists(PODS, 'team', 'dep'), false);
  });

  it('leaves a namesake created after the dependent it replaced was queued', async () => {
    const dependent = await f.registry.create(PODS, 'team', pod('p', { owners: [ref('v1', 'ConfigMap', 'nobody')] }));
    const graph = new OwnerGraph();
    graph.upsert(PODS, dependent);
    await f.registry.delete(PODS, 'team', 'p');
    await f.registry.create(PODS, 'team', pod('p', { owners: [ref('v1', 'ConfigMap', 'nobody')] }));
    await syncObject({ registry: f.registry, graph, enqueue: () => {} }, dependent.metadata.uid!);
    assert.equal(await f.exists(PODS, 'team', 'p'), true, 'another object: its own sync decides');
  });
});
