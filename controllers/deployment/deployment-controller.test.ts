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
import { computeHash } from './hash.ts';

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

describe('DeploymentController rollouts', () => {
  const scenarios = [
    // 5 replicas, 25%/25%: maxSurge ceil(1.25) = 2, maxUnavailable floor(1.25) = 1.
    { replicas: 5, surge: '25%', unavailable: '25%', maxPods: 7, minAvailable: 4 },
    // No surge: old pods go first, one at a time.
    { replicas: 4, surge: 0, unavailable: 1, maxPods: 4, minAvailable: 3 },
    // No unavailability: a new pod must be ready before an old one goes. 10% of 3 rounds to 0 unavailable.
    { replicas: 3, surge: 1, unavailable: '10%', maxPods: 4, minAvailable: 3 },
  ];
  for (const sc of scenarios) {
    it(`rolls out ${sc.replicas} replicas with maxSurge ${sc.surge} and maxUnavailable ${sc.unavailable}: at most ${sc.maxPods} pods and ${sc.minAvailable} available at every step`, async () => {
      await withEnv(fx, async (env) => {
        await start(env);
        const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: sc.surge, maxUnavailable: sc.unavailable } };
        await env.client.create(R.deployments, 'default', deployment('web', sc.replicas, { strategy }));
        await env.settle();
        await readyAll(env);
        const [oldRS] = await replicaSets(env);

        // Sample every pod change the informer sees, not only the quiet points.
        const violations: string[] = [];
        const podInformer = env.informers.for(R.pods);
        const check = (when: string) => {
          const pods = podInformer.list('default').filter((p) => !p.metadata.deletionTimestamp);
          const ready = pods.filter(isPodReady).length;
          if (pods.length > sc.maxPods) violations.push(`${when}: ${pods.length} pods`);
          if (ready < sc.minAvailable) violations.push(`${when}: ${ready} available`);
        };
        podInformer.addHandler({ add: () => check('add'), update: () => check('update'), delete: () => check('delete') });

        await updateSpec(env, 'web', setImage('nginx:1.26'));
        await env.settle();
        let steps = 0;
        for (;;) {
          const st = await statusOf(env);
          const total = (await env.pods()).length;
          assert.ok(total <= sc.maxPods, `step ${steps}: ${total} pods`);
          assert.ok((st.availableReplicas ?? 0) >= sc.minAvailable, `step ${steps}: ${st.availableReplicas} available`);
          if (st.updatedReplicas === sc.replicas && st.replicas === sc.replicas && st.availableReplicas === sc.replicas) break;
          // The kubelet brings up one pod at a time.
          const next = (await env.pods()).find((p) => !isPodReady(p));
          assert.ok(next, `step ${steps}: stuck with no pod to start (${JSON.stringify(st)})`);
          await env.setReady(next);
          await env.settle();
          assert.ok(++steps < 20, 'rollout did not finish');
        }
        assert.deepEqual(violations, []);
        assert.ok(steps >= 2, 'the rollout took several steps');
        const sets = await replicaSets(env);
        assert.equal(sets.length, 2);
        const newRS = sets.find((rs) => rs.metadata.uid !== oldRS!.metadata.uid)!;
        assert.equal((newRS.spec as { replicas: number }).replicas, sc.replicas);
        assert.equal((sets.find((rs) => rs.metadata.uid === oldRS!.metadata.uid)!.spec as { replicas: number }).replicas, 0);
        assert.equal(rev(newRS), '2');
        assert.equal(rev(await getD(env)), '2');
        assert.equal(cond(await statusOf(env), 'Progressing')?.reason, 'NewReplicaSetAvailable');
        const events = await env.events('ScalingReplicaSet');
        assert.ok(events.some((e) => e.startsWith(`ScalingReplicaSet Scaled up replica set ${newRS.metadata.name} to `)), events.join('\n'));
        assert.ok(events.some((e) => e.startsWith(`ScalingReplicaSet Scaled down replica set ${oldRS!.metadata.name} to `)), events.join('\n'));
        if (sc.replicas === 5) assert.ok(events.includes(`ScalingReplicaSet Scaled up replica set ${newRS.metadata.name} to 2 from 0`), events.join('\n'));
      });
    });
  }

  it('Recreate scales the old ReplicaSet to zero and creates the new one only when its pods are gone', async () => {
    await withEnv(fx, async (env) => {
      await start(env);
      await env.client.create(R.deployments, 'default', deployment('web', 2, { strategy: { type: 'Recreate' } }));
      await env.settle();
      await readyAll(env);
      const [oldRS] = await replicaSets(env);
      // Bind the old pods to a node: their deletion is then graceful and waits for the "kubelet".
      for (const p of await env.pods()) await env.client.update(R.pods, { ...p, spec: { ...(p.spec as object), nodeName: 'n1' } });
      await env.settle();
      await updateSpec(env, 'web', setImage('nginx:1.26'));
      await env.settle();
      let sets = await replicaSets(env);
      assert.equal(sets.length, 1, 'no new ReplicaSet while old pods are terminating');
      assert.equal((sets[0]!.spec as { replicas: number }).replicas, 0);
      const terminating = (await env.client.list(R.pods, { namespace: 'default' })).items;
      assert.equal(terminating.length, 2);
      assert.ok(terminating.every((p) => p.metadata.deletionTimestamp));
      // The kubelet confirms the containers stopped.
      for (const p of terminating) await env.client.delete(R.pods, 'default', p.metadata.name!, { gracePeriodSeconds: 0 });
      await env.settle();
      sets = await replicaSets(env);
      assert.equal(sets.length, 2);
      const newRS = sets.find((rs) => rs.metadata.uid !== oldRS!.metadata.uid)!;
      assert.equal((newRS.spec as { replicas: number }).replicas, 2);
      assert.equal((await env.pods(newRS.metadata.uid)).length, 2);
    });
  });

  it('rollback by template change (kubectl rollout undo) reuses the old ReplicaSet, whose revision moves to the top', async () => {
    await withEnv(fx, async (env) => {
      await start(env);
      await env.client.create(R.deployments, 'default', deployment('web', 2));
      await env.settle();
      await readyAll(env);
      await updateSpec(env, 'web', setImage('nginx:1.26'));
      await env.settle();
      await readyAll(env);
      await readyAll(env);
      let sets = await replicaSets(env);
      assert.equal(sets.length, 2);
      const first = sets.find((rs) => rev(rs) === '1')!;
      // What kubectl rollout undo sends: a JSON patch with the old RS template, hash label removed, Go zero values in.
      const oldTemplate = structuredClone(first.spec as { template: { metadata: Record<string, unknown>; spec: { containers: Record<string, unknown>[] } } }).template;
      delete (oldTemplate.metadata.labels as Record<string, string>)['pod-template-hash'];
      oldTemplate.metadata.creationTimestamp = null;
      oldTemplate.spec.containers[0]!.resources = {};
      const d = await getD(env);
      await env.client.patch(R.deployments, 'default', 'web', 'json', [
        { op: 'replace', path: '/spec/template', value: oldTemplate },
        { op: 'replace', path: '/metadata/annotations', value: { ...(d.metadata.annotations ?? {}) } },
      ]);
      await env.settle();
      await readyAll(env);
      await readyAll(env);
      sets = await replicaSets(env);
      assert.equal(sets.length, 2, 'no third ReplicaSet');
      const reused = sets.find((rs) => rs.metadata.uid === first.metadata.uid)!;
      assert.equal(rev(reused), '3');
      assert.equal(reused.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1');
      assert.equal((reused.spec as { replicas: number }).replicas, 2);
      assert.equal(rev(await getD(env)), '3');
      assert.equal(cond(await statusOf(env), 'Progressing')?.reason, 'NewReplicaSetAvailable');
    });
  });

  it('kubectl rollout restart (restartedAt template annotation) rolls out a new ReplicaSet', async () => {
    await withEnv(fx, async (env) => {
      await start(env);
      await env.client.create(R.deployments, 'default', deployment('web', 1));
      await env.settle();
      await readyAll(env);
      await env.client.patch(R.deployments, 'default', 'web', 'strategic', { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-05-01T10:05:00Z' } } } } });
      await env.settle();
      await readyAll(env);
      await readyAll(env);
      const sets = await replicaSets(env);
      assert.equal(sets.length, 2);
      const newRS = sets.find((rs) => rev(rs) === '2')!;
      const pods = await env.pods();
      assert.equal(pods.length, 1);
      assert.equal(controllerOf(pods[0]!)?.uid, newRS.metadata.uid);
      assert.equal(pods[0]!.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'], '2024-05-01T10:05:00Z');
    });
  });
});

describe('DeploymentController: pause, deadline, history, scaling', () => {
  it('does not roll out while paused (Progressing Unknown DeploymentPaused), and rolls out on resume', async () => {
    await withEnv(fx, async (env) => {
      await start(env);
      await env.client.create(R.deployments, 'default', deployment('web', 2));
      await env.settle();
      await readyAll(env);
      await updateSpec(env, 'web', (spec) => {
        spec.paused = true;
      });
      await env.settle();
      let st = await statusOf(env);
      assert.deepEqual([cond(st, 'Progressing')?.status, cond(st, 'Progressing')?.reason, cond(st, 'Progressing')?.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);
      await updateSpec(env, 'web', setImage('nginx:1.26'));
      await env.settle();
      assert.equal((await replicaSets(env)).length, 1, 'no new ReplicaSet while paused');
      st = await statusOf(env);
      assert.equal(st.observedGeneration, (await getD(env)).metadata.generation, 'the change is observed though');
      // Scaling still works while paused.
      await updateSpec(env, 'web', (spec) => {
        spec.replicas = 3;
      });
      await env.settle();
      assert.equal((await env.pods()).length, 3);

      await updateSpec(env, 'web', (spec) => {
        spec.paused = false;
      });
      await env.settle();
      assert.equal((await replicaSets(env)).length, 2);
      await readyAll(env);
      await readyAll(env);
      await readyAll(env);
      st = await statusOf(env);
      assert.equal(st.updatedReplicas, 3);
      assert.equal(cond(st, 'Progressing')?.reason, 'NewReplicaSetAvailable');
    });
  });

  it('reports ProgressDeadlineExceeded when no pod moves for progressDeadlineSeconds', async () => {
    await withEnv(fx, async (env) => {
      await start(env);
      await env.client.create(R.deployments, 'default', deployment('web', 1, { progressDeadlineSeconds: 60 }));
      await env.settle();
      await readyAll(env);
      await updateSpec(env, 'web', setImage('nginx:broken'));
      await env.settle();
      const [newRS] = (await replicaSets(env)).filter((rs) => rev(rs) === '2');
      await env.tick(30_000);
      assert.equal(cond(await statusOf(env), 'Progressing')?.reason, 'ReplicaSetUpdated');
      await env.tick(31_000);
      const c = cond(await statusOf(env), 'Progressing')!;
      assert.deepEqual([c.status, c.reason, c.message], ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${newRS!.metadata.name}" has timed out progressing.`]);
      // The old pod is still serving: the deployment stays available.
      assert.equal(cond(await statusOf(env), 'Available')?.status, 'True');
    });
  });

  it('keeps revisionHistoryLimit old ReplicaSets, deleting the oldest revisions', async () => {
    await withEnv(fx, async (env) => {
      await start(env);
      await env.client.create(R.deployments, 'default', deployment('web', 1, { revisionHistoryLimit: 1 }));
      await env.settle();
      await readyAll(env);
      for (const tag of ['1.26', '1.27', '1.28']) {
        await updateSpec(env, 'web', setImage(`nginx:${tag}`));
        await env.settle();
        await readyAll(env);
        await readyAll(env);
      }
      const sets = await replicaSets(env);
      assert.deepEqual(sets.map(rev).sort(), ['3', '4']);
    });
  });

  it('scales proportionally when replicas change during a rollout', async () => {
    await withEnv(fx, async (env) => {
      await start(env);
      const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } };
      await env.client.create(R.deployments, 'default', deployment('web', 10, { strategy }));
      await env.settle();
      await readyAll(env);
      await updateSpec(env, 'web', setImage('nginx:broken'));
      await env.settle();
      // New pods never become ready: old 8 (10 - maxUnavailable 2), new 5 (13 - 8).
      const sizes = async () => {
        const sets = await replicaSets(env);
        const size = (r: string) => (sets.find((rs) => rev(rs) === r)!.spec as { replicas: number }).replicas;
        return [size('1'), size('2')];
      };
      assert.deepEqual(await sizes(), [8, 5]);
      await updateSpec(env, 'web', (spec) => {
        spec.replicas = 15;
      });
      await env.settle();
      // 18 allowed, 13 now: 5 to add, in proportion 8:5 → old +3, new +2.
      assert.deepEqual(await sizes(), [11, 7]);
      const events = await env.events('ScalingReplicaSet');
      assert.ok(events.some((e) => / to 11 from 8$/.test(e)), events.join('\n'));
    });
  });

  it('counts pods available only after minReadySeconds, moving the rollout on when they are', async () => {
    await withEnv(fx, async (env) => {
      await start(env);
      await env.client.create(R.deployments, 'default', deployment('web', 1, { minReadySeconds: 10 }));
      await env.settle();
      await readyAll(env);
      let st = await statusOf(env);
      assert.equal(st.readyReplicas, 1);
      assert.equal(st.availableReplicas, undefined);
      assert.equal(cond(st, 'Available')?.status, 'False');
      await env.tick(11_000);
      st = await statusOf(env);
      assert.equal(st.availableReplicas, 1);
      assert.equal(cond(st, 'Progressing')?.reason, 'NewReplicaSetAvailable');
    });
  });

  it('adopts an orphan ReplicaSet matching its selector and its template', async () => {
    await withEnv(fx, async (env) => {
      const d = deployment('web', 2);
      const tpl = structuredClone((d.spec as { template: { metadata: { labels: Record<string, string> } } }).template);
      tpl.metadata.labels['pod-template-hash'] = 'abc';
      await env.client.create(R.replicasets, 'default', {
        metadata: { name: 'web-abc', labels: { app: 'web', 'pod-template-hash': 'abc' } },
        spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': 'abc' } }, template: tpl },
      });
      await start(env);
      const created = await env.client.create(R.deployments, 'default', d);
      await env.settle();
      const sets = await replicaSets(env);
      assert.deepEqual(sets.map((rs) => rs.metadata.name), ['web-abc']);
      assert.equal(controllerOf(sets[0]!)?.uid, created.metadata.uid);
      assert.equal((await env.pods()).length, 2);
    });
  });
});

describe('DeploymentController: deprecated rollback annotation', () => {
  it('rolls back to the previous revision on deprecated.deployment.rollback.to: "0" and clears the request', async () => {
    await withEnv(fx, async (env) => {
      await start(env);
      await env.client.create(R.deployments, 'default', deployment('web', 1));
      await env.settle();
      await readyAll(env);
      await updateSpec(env, 'web', setImage('nginx:1.26'));
      await env.settle();
      await readyAll(env);
      await readyAll(env);
      await env.client.patch(R.deployments, 'default', 'web', 'merge', { metadata: { annotations: { 'deprecated.deployment.rollback.to': '0' } } });
      await env.settle();
      await readyAll(env);
      await readyAll(env);
      const d = await getD(env);
      assert.equal(d.metadata.annotations?.['deprecated.deployment.rollback.to'], undefined);
      assert.equal((d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image, 'nginx:1.25');
      assert.equal(rev(d), '3');
      assert.equal((await replicaSets(env)).length, 2);
      assert.deepEqual(await env.events('DeploymentRollback'), ['DeploymentRollback Rolled back deployment "web" to revision 1']);
    });
  });
});

describe('DeploymentController: hash collision', () => {
  it('bumps status.collisionCount when a foreign ReplicaSet holds the name, and hashes again', async () => {
    await withEnv(fx, async (env) => {
      const created = await env.client.create(R.deployments, 'default', deployment('web', 1));
      const hash = computeHash((created.spec as { template: never }).template);
      const foreign = template({ app: 'other' });
      await env.client.create(R.replicasets, 'default', {
        metadata: { name: `web-${hash}`, labels: { app: 'other' } },
        spec: { replicas: 0, selector: { matchLabels: { app: 'other' } }, template: foreign },
      });
      await start(env);
      await env.settle();
      const st = (await getD(env)).status as { collisionCount?: number };
      assert.equal(st.collisionCount, 1);
      const [rs, ...more] = await replicaSets(env);
      assert.equal(more.length, 0);
      assert.equal(rs!.metadata.name, `web-${computeHash((created.spec as { template: never }).template, 1)}`);
      assert.equal((await env.pods(rs!.metadata.uid)).length, 1);
    });
  });
});
