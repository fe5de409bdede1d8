// Orphan deletion: the owner's dependents lose their reference to it (and
// keep their other references and their own dependents), then the owner goes.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CONFIGMAPS, DEPLOYMENTS, deploymentTree, Fixture, configMap, ownerRef, PODS, REPLICASETS, settle } from './test-fixture.ts';

let f: Fixture;

beforeEach(async () => {
  f = await Fixture.open();
});

afterEach(async () => {
  await f.close();
});

describe('orphan deletion', () => {
  it('leaves the dependents without the owner reference, and the owner disappears', async () => {
    await f.gc.start();
    const other = await f.registry.create(CONFIGMAPS, 'team', configMap('other'));
    const { replicaSets, pods } = await deploymentTree(f, 'web');
    // web-a has a second owner, which it keeps.
    const rsA = replicaSets[0]!;
    await f.registry.update(REPLICASETS, 'team', 'web-a', {
      ...rsA,
      metadata: { ...rsA.metadata, resourceVersion: undefined, ownerReferences: [...rsA.metadata.ownerReferences!, ownerRef(CONFIGMAPS, other)] },
    });

    const { deleted } = await f.registry.delete(DEPLOYMENTS, 'team', 'web', { propagationPolicy: 'Orphan' });
    assert.equal(deleted, false);
    await f.gone(DEPLOYMENTS, 'team', 'web');
    await settle(f.gc);

    assert.deepEqual((await f.registry.get(REPLICASETS, 'team', 'web-a')).metadata.ownerReferences, [ownerRef(CONFIGMAPS, other)]);
    assert.equal((await f.registry.get(REPLICASETS, 'team', 'web-b')).metadata.ownerReferences, undefined);
    for (const p of pods) {
      const live = await f.registry.get(PODS, 'team', p.metadata.name!);
      assert.deepEqual(live.metadata.ownerReferences, p.metadata.ownerReferences, 'the pods still belong to their replica sets');
    }
    assert.deepEqual(f.logged, []);
  });

  it('honours an orphan finalizer the owner carried before a delete without a policy', async () => {
    await f.gc.start();
    const owner = await f.registry.create(CONFIGMAPS, 'team', configMap('owner', { finalizers: ['orphan'] }));
    await f.registry.create(CONFIGMAPS, 'team', configMap('dep', { owners: [ownerRef(CONFIGMAPS, owner, { block: true })] }));
    await f.registry.delete(CONFIGMAPS, 'team', 'owner');
    await f.gone(CONFIGMAPS, 'team', 'owner');
    await settle(f.gc);
    assert.equal((await f.registry.get(CONFIGMAPS, 'team', 'dep')).metadata.ownerReferences, undefined);
  });

  it('finishes an orphan deletion that was under way before the collector started', async () => {
    const { replicaSets } = await deploymentTree(f, 'web');
    await f.registry.delete(DEPLOYMENTS, 'team', 'web', { propagationPolicy: 'Orphan' });
    await f.gc.start();
    await f.gone(DEPLOYMENTS, 'team', 'web');
    await settle(f.gc);
    for (const rs of replicaSets) assert.equal((await f.registry.get(REPLICASETS, 'team', rs.metadata.name!)).metadata.ownerReferences, undefined);
  });
});
