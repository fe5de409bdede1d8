// The collector over a real registry and store: background deletion
// cascades through every level, a restart (at any point) converges from what
// is stored, a watch the store ends is re-listed, and a stopped collector
// does nothing.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import {
  CONFIGMAPS,
  DEPLOYMENTS,
  deploymentTree,
  Fixture,
  configMap,
  ownerRef,
  PODS,
  pod,
  REPLICASETS,
  settle,
  until,
} from './test-fixture.ts';

let f: Fixture;

beforeEach(async () => {
  f = await Fixture.open();
});

afterEach(async () => {
  await f.close();
});

const names = async (info: typeof PODS, ns: string) => (await f.store.list(`/registry/${info.group || 'core'}/${info.resource}/${ns}/`)).items.map((kv) => kv.key.split('/').pop());

describe('GarbageCollector', () => {
  it('background: deleting a Deployment removes its ReplicaSets and their Pods, and nothing else', async () => {
    await deploymentTree(f, 'web');
    const other = await deploymentTree(f, 'api');
    const loose = await f.registry.create(PODS, 'team', pod('loose'));
    await f.gc.start();

    const { deleted } = await f.registry.delete(DEPLOYMENTS, 'team', 'web', { propagationPolicy: 'Background' });
    assert.equal(deleted, true, 'the owner goes at once');
    await until('the pods of web to go', async () => (await names(PODS, 'team')).every((n) => !n!.startsWith('web-')));
    await settle(f.gc);

    assert.deepEqual(await names(REPLICASETS, 'team'), ['api-a', 'api-b']);
    assert.deepEqual((await names(PODS, 'team')).sort(), [...other.pods.map((p) => p.metadata.name), loose.metadata.name].sort());
    assert.equal(await f.exists(DEPLOYMENTS, 'team', 'api'), true);
    assert.deepEqual(f.logged, []);
  });

  it('deletes without a propagation policy as in the background', async () => {
    const { replicaSets } = await deploymentTree(f, 'web');
    await f.gc.start();
    await f.registry.delete(DEPLOYMENTS, 'team', 'web');
    await f.gone(REPLICASETS, 'team', replicaSets[1]!.metadata.name!);
    await until('the pods to go', async () => (await names(PODS, 'team')).length === 0);
  });

  it('dependents without blockOwnerDeletion go as well, and an owner of another kind works the same', async () => {
    const owner = await f.registry.create(CONFIGMAPS, 'team', configMap('owner'));
    await f.registry.create(PODS, 'team', pod('p', { owners: [ownerRef(CONFIGMAPS, owner)] }));
    await f.registry.create(CONFIGMAPS, 'team', configMap('c', { owners: [ownerRef(CONFIGMAPS, owner, { block: false })] }));
    await f.gc.start();
    await f.registry.delete(CONFIGMAPS, 'team', 'owner');
    await f.gone(PODS, 'team', 'p');
    await f.gone(CONFIGMAPS, 'team', 'c');
  });

  it('cleans up after deletions that happened while it was not running', async () => {
    const { pods } = await deploymentTree(f, 'web');
    await f.registry.delete(DEPLOYMENTS, 'team', 'web');
    await f.gc.start();
    for (const p of pods) await f.gone(PODS, 'team', p.metadata.name!);
    assert.deepEqual(await names(REPLICASETS, 'team'), []);
  });

  it('a restart mid-way converges: a new collector finishes what the stopped one started', async () => {
    // Each pod of web is held by another controller's finalizer, so its foreground cascade stops half-way.
    const web = await deploymentTree(f, 'web', () => ({ finalizers: ['example.com/hold'] }));
    const api = await deploymentTree(f, 'api');
    await f.gc.start();
    await f.registry.delete(DEPLOYMENTS, 'team', 'web', { propagationPolicy: 'Foreground' });
    await until('every pod of web to be marked', async () => {
      for (const p of web.pods) if (!(await f.tryGet(PODS, 'team', p.metadata.name!))?.metadata.deletionTimestamp) return false;
      return true;
    });
    f.gc.stop();

    // While no collector runs: the holds are released (those pods go), and api is deleted.
    for (const p of web.pods) await f.release(PODS, 'team', p.metadata.name!);
    await f.registry.delete(DEPLOYMENTS, 'team', 'api');
    await settle(f.gc);
    assert.equal(await f.exists(DEPLOYMENTS, 'team', 'web'), true, 'nothing finishes the foreground deletion without a collector');
    assert.equal((await names(REPLICASETS, 'team')).length, 4);
    assert.equal((await names(PODS, 'team')).length, api.pods.length);

    await f.newCollector().start();
    await f.gone(DEPLOYMENTS, 'team', 'web');
    await until('every replica set to go', async () => (await names(REPLICASETS, 'team')).length === 0);
    await until('every pod to go', async () => (await names(PODS, 'team')).length === 0);
    assert.deepEqual(f.logged, []);
  });

  it('re-lists after the store ends its watch, and sees deletions made in between', async () => {
    const owner = await f.registry.create(CONFIGMAPS, 'team', configMap('owner'));
    await f.registry.create(CONFIGMAPS, 'team', configMap('dep', { owners: [ownerRef(CONFIGMAPS, owner)] }));
    await f.gc.start();
    // Another server sharing the file deletes the owner and compacts history
    // before this one polls: its watches fall behind the compaction and end.
    const other = await SqliteStore.open(f.path);
    const { revision } = await other.delete('/registry/core/configmaps/team/owner');
    await other.compact(revision);
    await other.close();
    await f.gone(CONFIGMAPS, 'team', 'dep');
    assert.deepEqual(f.logged, []);
  });

  it('does nothing once stopped', async () => {
    const { pods } = await deploymentTree(f, 'web');
    await f.gc.start();
    f.gc.stop();
    await f.registry.delete(DEPLOYMENTS, 'team', 'web');
    await settle(f.gc);
    for (const p of pods) assert.equal(await f.exists(PODS, 'team', p.metadata.name!), true);
  });
});
