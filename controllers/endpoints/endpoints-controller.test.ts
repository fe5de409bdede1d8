// The Endpoints controller over a real registry: ready and not-ready
// addresses, terminating pods left out (kept with publishNotReadyAddresses),
// named target ports per pod, hostname, nodeName, targetRef, labels, the
// trigger-time annotation, no write when nothing changed, Services without
// selector left alone, and deletion with the Service.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTempRegistry } from '../../apiserver/registry/test-registry.ts';
import { R } from '../../client/resources.ts';
import { withEnv, type Env } from '../replicaset/test-fixture.ts';
import { EndpointsController } from './endpoints-controller.ts';
import { runPod, setPodStatus, webService } from './test-fixture.ts';

const fx = useTempRegistry('endpoints');

type Obj = Record<string, any>;

async function start(env: Env): Promise<EndpointsController> {
  const c = env.track(new EndpointsController(env.client, env.informers, { log: env.log, recorder: env.recorder }));
  await c.start();
  return c;
}

const getEp = async (env: Env, name: string): Promise<Obj | undefined> => {
  try {
    return (await env.client.get(R.endpoints, 'default', name)) as Obj;
  } catch {
    return undefined;
  }
};

const ref = (name: string, uid: string) => ({ kind: 'Pod', namespace: 'default', name, uid });

describe('EndpointsController', () => {
  it('lists ready and not-ready pods per resolved port set, without terminating pods', async () => {
    await withEnv(fx, async (env) => {
      const c = await start(env);
      await env.client.create(R.services, 'default', webService());
      const a = await runPod(env, 'a', { ip: '10.42.0.2', ports: [{ name: 'http', containerPort: 8080 }], hostname: 'a', subdomain: 'web' });
      const b = await runPod(env, 'b', { ip: '10.42.0.3', ports: [{ name: 'http', containerPort: 8080 }], ready: false });
      const d = await runPod(env, 'd', { ip: '10.42.0.5' });
      await runPod(env, 'gone', { ip: '10.42.0.6', ports: [{ name: 'http', containerPort: 8080 }] });
      await env.client.delete(R.pods, 'default', 'gone');
      await env.settle();

      const ep = (await getEp(env, 'web'))!;
      assert.deepEqual(ep.metadata.labels, { tier: 'front' });
      // The named port resolves on a and b only; 9000 is offered by d too: two subsets (RepackSubsets).
      const addrA = { ip: '10.42.0.2', hostname: 'a', nodeName: 'node-1', targetRef: ref('a', a.metadata.uid!) };
      const addrB = { ip: '10.42.0.3', nodeName: 'node-1', targetRef: ref('b', b.metadata.uid!) };
      const addrD = { ip: '10.42.0.5', nodeName: 'node-1', targetRef: ref('d', d.metadata.uid!) };
      assert.deepEqual(ep.subsets, [
        { addresses: [addrA], notReadyAddresses: [addrB], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
        { addresses: [addrA, addrD], notReadyAddresses: [addrB], ports: [{ name: 'raw', port: 9000, protocol: 'TCP' }] },
      ]);
      const rv = ep.metadata.resourceVersion;
      c.resync();
      await env.settle();
      assert.equal((await getEp(env, 'web'))!.metadata.resourceVersion, rv, 'nothing changed, nothing written');

      env.advance(30_000);
      await setPodStatus(env, b, { ready: true });
      await env.settle();
      const after = (await getEp(env, 'web'))!;
      assert.deepEqual(after.subsets.map((s: Obj) => [s.addresses.map((x: Obj) => x.ip), s.notReadyAddresses]), [
        [['10.42.0.2', '10.42.0.3'], undefined],
        [['10.42.0.2', '10.42.0.3', '10.42.0.5'], undefined],
      ]);
      assert.equal(after.metadata.annotations['endpoints.kubernetes.io/last-change-trigger-time'], '2024-05-01T10:00:30Z');
    });
  });

  it('keeps terminating and not-ready pods as ready with publishNotReadyAddresses; headless gets the label', async () => {
    await withEnv(fx, async (env) => {
      await start(env);
      await env.client.create(R.services, 'default', webService({ clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ port: 80 }] }));
      await runPod(env, 'a', { ip: '10.42.0.2', ready: false });
      await runPod(env, 'b', { ip: '10.42.0.3' });
      await env.client.delete(R.pods, 'default', 'b');
      await env.settle();
      const ep = (await getEp(env, 'web'))!;
      assert.deepEqual(ep.metadata.labels, { tier: 'front', 'service.kubernetes.io/headless': '' });
      assert.deepEqual(ep.subsets.map((s: Obj) => [s.addresses.map((x: Obj) => x.ip), s.notReadyAddresses, s.ports]), [[['10.42.0.2', '10.42.0.3'], undefined, [{ port: 80, protocol: 'TCP' }]]]);
    });
  });

  it('leaves Services without selector alone and deletes Endpoints with their Service', async () => {
    await withEnv(fx, async (env) => {
      await start(env);
      await env.client.create(R.services, 'default', { metadata: { name: 'db' }, spec: { ports: [{ port: 5432 }] } });
      await env.client.create(R.endpoints, 'default', { metadata: { name: 'db' }, subsets: [{ addresses: [{ ip: '192.168.1.9' }], ports: [{ port: 5432 }] }] });
      await env.client.create(R.services, 'default', webService());
      await env.settle();
      assert.deepEqual((await getEp(env, 'db'))!.subsets[0].addresses, [{ ip: '192.168.1.9' }]);
      assert.ok(await getEp(env, 'web'), 'an Endpoints object even without pods');
      assert.equal((await getEp(env, 'web'))!.subsets, undefined);
      await env.client.delete(R.services, 'default', 'web');
      await env.settle();
      assert.equal(await getEp(env, 'web'), undefined);
    });
  });
});
