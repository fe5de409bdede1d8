// The ReplicaSet controller over a real registry: scale up and down, adoption
// and release by selector, deletion order, expectations, status with
// minReadySeconds, and ReplicaFailure when creates fail.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTempRegistry } from '../../apiserver/registry/test-registry.ts';
import { R } from '../../client/resources.ts';
import type { KObject } from '../../client/types.ts';
import { controllerOf } from '../pods.ts';
import { ReplicaSetController, slowStartBatch } from './replicaset-controller.ts';
import { calculateStatus } from './status.ts';
import { template, withEnv, type Env } from './test-fixture.ts';

const fx = useTempRegistry('rs-controller');

function replicaSet(name: string, replicas: number, extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: template({ app: name }), ...extra },
  };
}

async function startRS(env: Env): Promise<ReplicaSetController> {
  const rsc = env.track(new ReplicaSetController(env.client, env.informers, { clock: env.clock, log: env.log, recorder: env.recorder }));
  await rsc.start();
  return rsc;
}

const getRS = (env: Env, name: string) => env.client.get(R.replicasets, 'default', name);

describe('ReplicaSetController', () => {
  it('creates pods up to spec.replicas, owned and named after the ReplicaSet, and reports status', async () => {
    await withEnv(fx, async (env) => {
      await startRS(env);
      const rs = await env.client.create(R.replicasets, 'default', replicaSet('web', 3));
      await env.settle();
      const pods = await env.pods(rs.metadata.uid);
      assert.equal(pods.length, 3);
      for (const p of pods) {
        assert.match(p.metadata.name!, /^web-[a-z0-9]{5}$/);
        assert.deepEqual(controllerOf(p), { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true });
        assert.deepEqual(p.metadata.labels, { app: 'web' });
      }
      const st = (await getRS(env, 'web')).status as Record<string, unknown>;
      assert.deepEqual(st, { replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
      assert.equal((await env.events('SuccessfulCreate')).length, 3);

      for (const p of pods) await env.setReady(p);
      await env.settle();
      assert.deepEqual((await getRS(env, 'web')).status, { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    });
  });

  it('scales down, deleting unscheduled, pending, not-ready and newer pods first', async () => {
    await withEnv(fx, async (env) => {
      await startRS(env);
      const rs = await env.client.create(R.replicasets, 'default', replicaSet('web', 4));
      await env.settle();
      const pods = await env.pods(rs.metadata.uid);
      // Two pods scheduled and running; one of them ready long ago, one ready just now.
      const bind = async (p: KObject) => {
        const cur = await env.client.get(R.pods, 'default', p.metadata.name!);
        return env.client.update(R.pods, { ...cur, spec: { ...(cur.spec as object), nodeName: 'n1' } });
      };
      const [oldReady, newReady, notReady, unscheduled] = pods;
      for (const p of [oldReady!, newReady!, notReady!]) await bind(p);
      await env.setReady(oldReady!);
      env.advance(3600_000);
      await env.setReady(newReady!);
      await env.setReady(notReady!, false);
      await env.settle();

      const scale = async (n: number) => {
        const cur = await getRS(env, 'web');
        await env.client.update(R.replicasets, { ...cur, spec: { ...(cur.spec as object), replicas: n } });
        await env.settle();
        return (await env.pods(rs.metadata.uid)).map((p) => p.metadata.name).sort();
      };
      const names = (...ps: KObject[]) => ps.map((p) => p.metadata.name).sort();
      assert.deepEqual(await scale(3), names(oldReady!, newReady!, notReady!), 'unscheduled first');
      assert.deepEqual(await scale(2), names(oldReady!, newReady!), 'not ready next');
      assert.deepEqual(await scale(1), names(oldReady!), 'the most recently ready next');
      assert.equal((await env.events('SuccessfulDelete')).length, 3);
      assert.ok((await env.events('SuccessfulDelete')).includes(`SuccessfulDelete Deleted pod: ${unscheduled!.metadata.name}`));
    });
  });

  it('adopts matching orphans, releases pods whose labels stop matching, and ignores pods of other controllers', async () => {
    await withEnv(fx, async (env) => {
      const orphan = await env.client.create(R.pods, 'default', { metadata: { name: 'orphan', labels: { app: 'web' } }, spec: template({}).spec });
      const foreign = await env.client.create(R.pods, 'default', {
        metadata: { name: 'foreign', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'x', uid: 'other-uid', controller: true }] },
        spec: template({}).spec,
      });
      await startRS(env);
      const rs = await env.client.create(R.replicasets, 'default', replicaSet('web', 2));
      await env.settle();
      const owned = await env.pods(rs.metadata.uid);
      assert.equal(owned.length, 2);
      assert.ok(owned.some((p) => p.metadata.name === 'orphan'), 'the orphan was adopted');
      assert.equal(controllerOf(await env.client.get(R.pods, 'default', 'foreign'))?.uid, 'other-uid');
      assert.equal((await env.pods()).length, 3, 'one created, the orphan adopted, nothing done to the foreign pod');

      // Relabel the adopted pod: it is released (ownerReference removed) and replaced.
      const cur = await env.client.get(R.pods, 'default', 'orphan');
      await env.client.update(R.pods, { ...cur, metadata: { ...cur.metadata, labels: { app: 'debug' } } });
      await env.settle();
      const released = await env.client.get(R.pods, 'default', 'orphan');
      assert.equal(released.metadata.ownerReferences?.length ?? 0, 0);
      assert.equal((await env.pods(rs.metadata.uid)).length, 2);
      void orphan;
      void foreign;
    });
  });

  it('does not double-create while its creates are in flight, and replaces deleted pods', async () => {
    await withEnv(fx, async (env) => {
      const rsc = await startRS(env);
      const rs = await env.client.create(R.replicasets, 'default', replicaSet('web', 5));
      // Hammer the queue while the first batch is in flight.
      for (let i = 0; i < 20; i++) {
        rsc.resync();
        await new Promise((r) => setImmediate(r));
      }
      await env.settle();
      assert.equal((await env.pods(rs.metadata.uid)).length, 5);
      const [victim] = await env.pods(rs.metadata.uid);
      await env.client.delete(R.pods, 'default', victim!.metadata.name!);
      await env.settle();
      const pods = await env.pods(rs.metadata.uid);
      assert.equal(pods.length, 5);
      assert.ok(!pods.some((p) => p.metadata.name === victim!.metadata.name));
      assert.deepEqual(rsc.expectations.pending('default/web'), { add: 0, del: 0 });
    });
  });

  it('counts a pod available only minReadySeconds after it became ready', async () => {
    await withEnv(fx, async (env) => {
      await startRS(env);
      await env.client.create(R.replicasets, 'default', replicaSet('web', 1, { minReadySeconds: 30 }));
      await env.settle();
      const [pod] = await env.pods();
      await env.setReady(pod!);
      await env.settle();
      let st = (await getRS(env, 'web')).status as Record<string, number>;
      assert.equal(st.readyReplicas, 1);
      assert.equal(st.availableReplicas, undefined);
      await env.tick(29_000);
      assert.equal(((await getRS(env, 'web')).status as Record<string, number>).availableReplicas, undefined);
      await env.tick(2_000);
      st = (await getRS(env, 'web')).status as Record<string, number>;
      assert.equal(st.availableReplicas, 1);
    });
  });

  it('creates in slow-start batches of 1, 2, 4, ... and stops after the first batch with a failure', async () => {
    let calls = 0;
    const batches: number[] = [];
    let inFlight = 0;
    const res = await slowStartBatch(20, 1, async () => {
      calls++;
      inFlight++;
      if (inFlight === 1) batches.push(0);
      batches[batches.length - 1]!++;
      await new Promise((r) => setImmediate(r));
      inFlight--;
      if (calls > 7) throw new Error('quota exceeded');
    });
    assert.deepEqual(batches, [1, 2, 4, 8]);
    assert.equal(res.successes, 7);
    assert.equal((res.error as Error).message, 'quota exceeded');
  });
});

describe('ReplicaSet status', () => {
  const rs = (status: Record<string, unknown> = {}) => ({ metadata: { name: 'web', generation: 2 }, spec: { replicas: 3, selector: {}, template: template({ app: 'web' }) }, status }) as never;
  const now = new Date('2024-05-01T10:00:00Z');
  it('sets ReplicaFailure (FailedCreate) while pods cannot be created and removes it once they can', () => {
    const st = calculateStatus(rs({ replicas: 1 }), [], new Error('pods "web-x" is forbidden: exceeded quota'), now);
    assert.deepEqual(st.conditions, [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'FailedCreate', message: 'pods "web-x" is forbidden: exceeded quota' }]);
    assert.equal(st.replicas, 0);
    const cleared = calculateStatus(rs({ replicas: 0, conditions: st.conditions }), [], undefined, now);
    assert.equal(cleared.conditions, undefined);
  });
  it('counts fully labeled pods by the template labels', () => {
    const pods: KObject[] = [{ metadata: { labels: { app: 'web' } } }, { metadata: { labels: { app: 'web', extra: 'x' } } }, { metadata: { labels: {} } }];
    assert.equal(calculateStatus(rs(), pods, undefined, now).fullyLabeledReplicas, 2);
  });
});
