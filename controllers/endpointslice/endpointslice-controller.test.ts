// The EndpointSlice controller over a real registry: slices from pod
// readiness, grouped by resolved target ports, a terminating pod marked at
// once (and out of the endpoint view's rotation), a placeholder for a
// Service without endpoints, no write when nothing changed, and the
// 100-endpoint slice limit.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTempRegistry } from '../../apiserver/registry/test-registry.ts';
import { R } from '../../client/resources.ts';
import type { KObject } from '../../client/types.ts';
import { InformerEndpointView } from '../../network/endpoints/view.ts';
import { runPod, setPodStatus, webService } from '../endpoints/test-fixture.ts';
import { withEnv, type Env } from '../replicaset/test-fixture.ts';
import { EndpointSliceController } from './endpointslice-controller.ts';
import { planSlices } from './reconcile.ts';

const fx = useTempRegistry('endpointslice');

type Obj = Record<string, any>;

async function start(env: Env): Promise<EndpointSliceController> {
  const c = env.track(new EndpointSliceController(env.client, env.informers, { log: env.log, recorder: env.recorder }));
  await c.start();
  return c;
}

async function slicesOf(env: Env, svc: string): Promise<Obj[]> {
  const { items } = await env.client.list(R.endpointslices, { namespace: 'default' });
  return items.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc).sort((a, b) => ((a as Obj).ports?.[0]?.port ?? 0) - ((b as Obj).ports?.[0]?.port ?? 0)) as Obj[];
}

const httpPort = [{ name: 'http', containerPort: 8080 }];

describe('EndpointSliceController', () => {
  it('writes slices per resolved port set with conditions, hostname, node, targetRef, labels and owner', async () => {
    await withEnv(fx, async (env) => {
      await start(env);
      const svc = await env.client.create(R.services, 'default', webService());
      const a = await runPod(env, 'a', { ip: '10.42.0.2', ports: httpPort, hostname: 'a', subdomain: 'web' });
      await runPod(env, 'b', { ip: '10.42.0.3', ports: httpPort, ready: false });
      await runPod(env, 'c', { ip: '10.42.0.4', ports: [{ name: 'http', containerPort: 8081 }] });
      await runPod(env, 'noip', { ports: httpPort });
      await runPod(env, 'done', { ip: '10.42.0.9', ports: httpPort, phase: 'Succeeded' });
      await env.client.create(R.pods, 'default', { metadata: { name: 'other', labels: { app: 'db' } }, spec: { containers: [{ name: 'x', image: 'x' }] } });
      await env.settle();

      const slices = await slicesOf(env, 'web');
      assert.equal(slices.length, 2, 'one slice per distinct resolution of the named target port');
      const [s8080, s8081] = slices;
      assert.match(s8080.metadata.name, /^web-[a-z0-9]{5}$/);
      assert.deepEqual(s8080.metadata.labels, { tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
      assert.deepEqual(s8080.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      assert.equal(s8080.addressType, 'IPv4');
      assert.deepEqual(s8080.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'raw', port: 9000, protocol: 'TCP' }]);
      assert.deepEqual(s8080.endpoints, [
        { addresses: ['10.42.0.2'], conditions: { ready: true, serving: true, terminating: false }, hostname: 'a', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: a.metadata.uid }, nodeName: 'node-1' },
        { addresses: ['10.42.0.3'], conditions: { ready: false, serving: false, terminating: false }, targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: (await env.client.get(R.pods, 'default', 'b')).metadata.uid }, nodeName: 'node-1' },
      ]);
      assert.deepEqual(s8081.ports.map((p: Obj) => p.port), [8081, 9000]);
      assert.deepEqual(s8081.endpoints.map((e: Obj) => e.addresses[0]), ['10.42.0.4']);
    });
  });

  it('marks a pod being deleted ready:false, serving as its Ready condition, terminating:true, and the view takes it out of rotation', async () => {
    await withEnv(fx, async (env) => {
      const view = new InformerEndpointView(env.informers);
      await start(env);
      await env.client.create(R.services, 'default', webService());
      await runPod(env, 'a', { ip: '10.42.0.2', ports: httpPort });
      await runPod(env, 'b', { ip: '10.42.0.3', ports: httpPort });
      await env.settle();
      assert.equal(view.endpoints('default', 'web', { number: 80 }).filter((e) => e.ready).length, 2);

      const out = view.waitOutOfRotation('10.42.0.2', 5000);
      await env.client.delete(R.pods, 'default', 'a');
      assert.equal(await out, true, 'the terminating pod left the rotation');
      await env.settle();
      const [slice] = await slicesOf(env, 'web');
      assert.deepEqual(slice!.endpoints[0].conditions, { ready: false, serving: true, terminating: true });
      assert.deepEqual(slice!.endpoints[1].conditions, { ready: true, serving: true, terminating: false });
    });
  });

  it('keeps a placeholder slice without endpoints, writes nothing when nothing changed, and leaves Services without selector alone', async () => {
    await withEnv(fx, async (env) => {
      const c = await start(env);
      await env.client.create(R.services, 'default', webService());
      await env.client.create(R.services, 'default', { metadata: { name: 'external' }, spec: { ports: [{ port: 5432 }] } });
      await env.settle();
      let [placeholder, ...more] = await slicesOf(env, 'web');
      assert.equal(more.length, 0);
      assert.deepEqual([placeholder!.ports, placeholder!.endpoints], [[], []]);
      assert.deepEqual(await slicesOf(env, 'external'), []);

      await runPod(env, 'a', { ip: '10.42.0.2', ports: httpPort });
      await env.settle();
      const slices = await slicesOf(env, 'web');
      assert.equal(slices.length, 1);
      assert.equal(slices[0]!.endpoints.length, 1);
      const rv = slices[0]!.metadata.resourceVersion;

      c.resync();
      await env.settle();
      assert.equal((await slicesOf(env, 'web'))[0]!.metadata.resourceVersion, rv, 'a resync with nothing changed writes nothing');

      env.advance(60_000);
      await setPodStatus(env, await env.client.get(R.pods, 'default', 'a'), { ready: false });
      await env.settle();
      [placeholder] = await slicesOf(env, 'web');
      assert.equal(placeholder!.endpoints[0].conditions.ready, false);
      assert.equal(placeholder!.metadata.annotations['endpoints.kubernetes.io/last-change-trigger-time'], '2024-05-01T10:01:00Z', 'the time of the Ready transition');

      await env.client.delete(R.pods, 'default', 'a', { gracePeriodSeconds: 0 });
      await env.settle();
      const after = await slicesOf(env, 'web');
      assert.equal(after.length, 1);
      assert.deepEqual([after[0]!.ports, after[0]!.endpoints], [[], []], 'back to a placeholder');
    });
  });

  it('fills slices of at most 100 endpoints and keeps existing endpoints where they are', () => {
    const svc: KObject = { metadata: { name: 'big', namespace: 'default', uid: 'u' }, spec: { selector: { app: 'big' }, ports: [{ name: '', port: 80, targetPort: 80, protocol: 'TCP' }] } };
    const pod = (i: number): KObject => ({
      metadata: { name: `p${i}`, namespace: 'default', uid: `u${i}`, labels: { app: 'big' } },
      spec: { nodeName: 'n' },
      status: { phase: 'Running', podIP: `10.42.${i >> 8}.${i & 255}`, conditions: [{ type: 'Ready', status: 'True' }] },
    });
    const pods = Array.from({ length: 250 }, (_, i) => pod(i + 1));
    const first = planSlices(svc, pods, [], 0);
    assert.deepEqual(first.create.map((s) => (s as Obj).endpoints.length), [100, 100, 50]);
    const existing = first.create.map((s, i) => ({ ...s, metadata: { ...s.metadata, name: `big-${i}`, resourceVersion: '1' } }));
    assert.deepEqual(planSlices(svc, pods, existing, 0), { create: [], update: [], delete: [] }, 'nothing changed, nothing written');
    const grown = planSlices(svc, [...pods, pod(251), pod(252)], existing, 0);
    assert.equal(grown.create.length, 0);
    assert.deepEqual(grown.update.map((s) => [s.metadata.name, (s as Obj).endpoints.length]), [['big-2', 52]], 'new endpoints go to the slice with room');
  });
});
