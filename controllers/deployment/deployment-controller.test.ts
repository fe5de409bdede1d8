// The Deployment and ReplicaSet controllers together over a real registry,
// with the test playing the kubelet (it marks pods ready) and moving the
// clock: creation, rolling updates checked at every step against the
// maxSurge/maxUnavailable bounds, Recreate, rollback by template, pause and
// resume, the progress deadline, history cleanup, proportional scaling.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTempRegistry } from '../../apiserver/registry/test-registry.ts';
import { R } from '../../client/resources.ts';
import type { KObject } from '../../client/types.ts';
import { controllerOf, isPodReady } from '../pods.ts';
import { ReplicaSetController } from '../replicaset/replicaset-controller.ts';
import { template, withEnv, type Env } from '../replicaset/test-fixture.ts';
import { DeploymentController } from './deployment-controller.ts';

const fx = useTempRegistry('deployment-controller');

interface Cond {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}
interface DStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Cond[];
}

function deployment(name: string, replicas: number, spec: Record<string, unknown> = {}, image = 'nginx:1.25'): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: template({ app: name }, image), ...spec },
  };
}

async function start(env: Env): Promise<DeploymentController> {
  const opts = { clock: env.clock, log: env.log, recorder: env.recorder };
  const rsc = env.track(new ReplicaSetController(env.client, env.informers, opts));
  const dc = env.track(new DeploymentController(env.client, env.informers, opts));
  await Promise.all([rsc.start(), dc.start()]);
  return dc;
}

const getD = (env: Env, name = 'web') => env.client.get(R.deployments, 'default', name);
const statusOf = async (env: Env, name = 'web') => ((await getD(env, name)).status ?? {}) as DStatus;
const cond = (s: DStatus, type: string) => s.conditions?.find((c) => c.type === type);

async function replicaSets(env: Env, name = 'web'): Promise<KObject[]> {
  const d = await getD(env, name);
  const { items } = await env.client.list(R.replicasets, { namespace: 'default' });
  return items.filter((rs) => controllerOf(rs)?.uid === d.metadata.uid);
}

const rev = (o: KObject) => o.metadata.annotations?.['deployment.kubernetes.io/revision'];

async function updateSpec(env: Env, name: string, change: (spec: Record<string, unknown>) => void): Promise<void> {
  const d = await getD(env, name);
  const spec = structuredClone(d.spec) as Record<string, unknown>;
  change(spec);
  await env.client.update(R.deployments, { ...d, spec });
}

const setImage = (image: string) => (spec: Record<string, unknown>) => {
  ((spec.template as { spec: { containers: { image: string }[] } }).spec.containers[0]!).image = image;
};

/** Plays the kubelet: marks every not-ready pod ready. */
async function readyAll(env: Env): Promise<void> {
  for (const p of await env.pods()) if (!isPodReady(p)) await env.setReady(p);
  await env.settle();
}

describe('DeploymentController', () => {
  it('creates a ReplicaSet named by the pod-template-hash, with revision annotations, and completes once pods are available', async () => {
    await withEnv(fx, async (env) => {
      await start(env);
      await env.client.create(R.deployments, 'default', deployment('web', 3));
      await env.settle();
      const [rs, ...more] = await replicaSets(env);
      assert.equal(more.length, 0);
      const hash = rs!.metadata.labels!['pod-template-hash']!;
      assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
      assert.equal(rs!.metadata.name, `web-${hash}`);
      assert.deepEqual((rs!.spec as { selector: unknown }).selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
      assert.equal((rs!.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels['pod-template-hash'], hash);
      assert.equal(rev(rs!), '1');
      assert.equal(rs!.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '3');
      assert.equal(rs!.metadata.annotations!['deployment.kubernetes.io/max-replicas'], '4');
      assert.equal(rev(await getD(env)), '1');
      const pods = await env.pods();
      assert.equal(pods.length, 3);
      assert.ok(pods.every((p) => p.metadata.labels!['pod-template-hash'] === hash && p.metadata.name!.startsWith(`web-${hash}-`)));

      let st = await statusOf(env);
      assert.equal(st.observedGeneration, 1);
      assert.equal(st.updatedReplicas, 3);
      assert.equal(st.unavailableReplicas, 3);
      assert.equal(cond(st, 'Available')?.status, 'False');
      assert.equal(cond(st, 'Available')?.reason, 'MinimumReplicasUnavailable');
      assert.equal(cond(st, 'Progressing')?.reason, 'ReplicaSetUpdated');

      await readyAll(env);
      st = await statusOf(env);
      assert.deepEqual(
        { ...st, conditions: st.conditions?.map((c) => [c.type, c.status, c.reason, c.message]) },
        {
          observedGeneration: 1,
          replicas: 3,
          updatedReplicas: 3,
          readyReplicas: 3,
          availableReplicas: 3,
          conditions: [
            ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
            ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "web-${hash}" has successfully progressed.`],
          ],
        },
      );
      assert.deepEqual(await env.events('ScalingReplicaSet'), [`ScalingReplicaSet Scaled up replica set web-${hash} to 3 from 0`]);
    });
  });
});
