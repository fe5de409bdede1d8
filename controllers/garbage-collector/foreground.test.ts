// Foreground deletion: the owner stays (marked, with the foregroundDeletion
// finalizer) until its blocking dependents are gone, deleting them in the
// foreground in turn; dependents that do not block go too but are not waited
// for; a dependent with another owner only loses its reference; a cycle of
// blocking references does not deadlock.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CONFIGMAPS, DEPLOYMENTS, deploymentTree, Fixture, configMap, ownerRef, PODS, pod, REPLICASETS, settle, until } from './test-fixture.ts';

let f: Fixture;

beforeEach(async () => {
  f = await Fixture.open();
  await f.gc.start();
});

afterEach(async () => {
  await f.close();
});

describe('foreground deletion', () => {
  it('keeps the owner until its dependents are gone, then it disappears', async () => {
    // One pod of web-a is held by another controller's finalizer.
    const { pods } = await deploymentTree(f, 'web', (rs, i) => (rs === 'web-a' && i === 0 ? { finalizers: ['example.com/hold'] } : {}));
    const { object, deleted } = await f.registry.delete(DEPLOYMENTS, 'team', 'web', { propagationPolicy: 'Foreground' });
    assert.equal(deleted, false);
    assert.deepEqual(object.metadata.finalizers, ['foregroundDeletion']);

    await f.gone(REPLICASETS, 'team', 'web-b');
    await until('the held pod to be marked', async () => !!(await f.tryGet(PODS, 'team', 'web-a-0'))?.metadata.deletionTimestamp);
    await f.gone(PODS, 'team', 'web-a-1');
    await settle(f.gc);
    const deploy = await f.registry.get(DEPLOYMENTS, 'team', 'web');
    assert.ok(deploy.metadata.deletionTimestamp, 'the owner is still there, marked');
    assert.deepEqual(deploy.metadata.finalizers, ['foregroundDeletion']);
    const rs = await f.registry.get(REPLICASETS, 'team', 'web-a');
    assert.deepEqual(rs.metadata.finalizers, ['foregroundDeletion'], 'the replica set is deleted in the foreground too');

    await f.release(PODS, 'team', 'web-a-0');
    await f.gone(DEPLOYMENTS, 'team', 'web');
    assert.equal(await f.exists(REPLICASETS, 'team', 'web-a'), false, 'the dependents went first');
    for (const p of pods) assert.equal(await f.exists(PODS, 'team', p.metadata.name!), false);
    assert.deepEqual(f.logged, []);
  });

  it('deletes dependents that do not block, without waiting for them', async () => {
    const owner = await f.registry.create(CONFIGMAPS, 'team', configMap('owner'));
    await f.registry.create(CONFIGMAPS, 'team', configMap('loose', { owners: [ownerRef(CONFIGMAPS, owner, { block: false })], finalizers: ['example.com/hold'] }));
    await f.registry.delete(CONFIGMAPS, 'team', 'owner', { propagationPolicy: 'Foreground' });
    await f.gone(CONFIGMAPS, 'team', 'owner');
    await until('the dependent to be marked', async () => !!(await f.tryGet(CONFIGMAPS, 'team', 'loose'))?.metadata.deletionTimestamp);
    await f.release(CONFIGMAPS, 'team', 'loose');
    await f.gone(CONFIGMAPS, 'team', 'loose');
  });

  it('a dependent with another owner only loses its reference to the owner being deleted', async () => {
    const a = await f.registry.create(CONFIGMAPS, 'team', configMap('a'));
    const b = await f.registry.create(CONFIGMAPS, 'team', configMap('b'));
    await f.registry.create(PODS, 'team', pod('shared', { owners: [ownerRef(CONFIGMAPS, a, { block: true }), ownerRef(CONFIGMAPS, b, { block: true })] }));
    await f.registry.delete(CONFIGMAPS, 'team', 'a', { propagationPolicy: 'Foreground' });
    await f.gone(CONFIGMAPS, 'team', 'a');
    await settle(f.gc);
    const shared = await f.registry.get(PODS, 'team', 'shared');
    assert.deepEqual(shared.metadata.ownerReferences, [ownerRef(CONFIGMAPS, b, { block: true })]);
    assert.equal(shared.metadata.deletionTimestamp, undefined);
  });

  it('does not deadlock on a cycle of blocking references', async () => {
    const a = await f.registry.create(CONFIGMAPS, 'team', configMap('a'));
    const b = await f.registry.create(CONFIGMAPS, 'team', configMap('b', { owners: [ownerRef(CONFIGMAPS, a, { block: true })] }));
    await f.registry.update(CONFIGMAPS, 'team', 'a', { ...a, metadata: { ...a.metadata, resourceVersion: undefined, ownerReferences: [ownerRef(CONFIGMAPS, b, { block: true })] } });
    await f.registry.delete(CONFIGMAPS, 'team', 'a', { propagationPolicy: 'Foreground' });
    await f.gone(CONFIGMAPS, 'team', 'a');
    await f.gone(CONFIGMAPS, 'team', 'b');
    assert.deepEqual(f.logged, []);
  });

  it('finishes a foreground deletion that was under way before the collector started', async () => {
    f.gc.stop();
    await deploymentTree(f, 'web');
    await f.registry.delete(DEPLOYMENTS, 'team', 'web', { propagationPolicy: 'Foreground' });
    await f.newCollector().start();
    await f.gone(DEPLOYMENTS, 'team', 'web');
    assert.deepEqual((await f.store.list('/registry/core/pods/team/')).items, []);
    assert.deepEqual((await f.store.list('/registry/apps/replicasets/team/')).items, []);
  });
});
