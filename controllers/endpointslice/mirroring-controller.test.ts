// The mirroring controller over a real registry: a user's Endpoints of a
// Service without selector mirrored into slices (ready and not-ready,
// per subset ports, owner and labels), followed when it changes, removed
// with skip-mirror, and never for a Service with a selector.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTempRegistry } from '../../apiserver/registry/test-registry.ts';
import { R } from '../../client/resources.ts';
import { withEnv, type Env } from '../replicaset/test-fixture.ts';
import { EndpointSliceMirroringController } from './mirroring-controller.ts';

const fx = useTempRegistry('endpointslice-mirroring');

type Obj = Record<string, any>;

async function slicesOf(env: Env, svc: string): Promise<Obj[]> {
  const { items } = await env.client.list(R.endpointslices, { namespace: 'default' });
  return items.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc) as Obj[];
}

describe('EndpointSliceMirroringController', () => {
  it('mirrors a user Endpoints of a Service without selector, follows it, and honours skip-mirror', async () => {
    await withEnv(fx, async (env) => {
      const c = env.track(new EndpointSliceMirroringController(env.client, env.informers, { log: env.log }));
      await c.start();
      await env.client.create(R.services, 'default', { metadata: { name: 'db' }, spec: { ports: [{ name: 'pg', port: 5432 }] } });
      await env.client.create(R.services, 'default', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
      const ep = await env.client.create(R.endpoints, 'default', {
        metadata: { name: 'db', labels: { team: 'data' }, annotations: { note: 'primary' } },
        subsets: [{ addresses: [{ ip: '192.168.1.9', hostname: 'pg0' }], notReadyAddresses: [{ ip: '192.168.1.10' }], ports: [{ name: 'pg', port: 5432 }] }],
      });
      await env.client.create(R.endpoints, 'default', { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '192.168.1.20' }], ports: [{ port: 80 }] }] });
      await env.settle();

      const [slice, ...more] = await slicesOf(env, 'db');
      assert.equal(more.length, 0);
      assert.match(slice!.metadata.name, /^db-[a-z0-9]{5}$/);
      assert.deepEqual(slice!.metadata.labels, { team: 'data', 'kubernetes.io/service-name': 'db', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' });
      assert.deepEqual(slice!.metadata.annotations, { note: 'primary' });
      assert.deepEqual(slice!.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Endpoints', name: 'db', uid: ep.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      assert.deepEqual(slice!.ports, [{ name: 'pg', port: 5432, protocol: 'TCP' }]);
      assert.deepEqual(slice!.endpoints, [
        { addresses: ['192.168.1.10'], conditions: { ready: false } },
        { addresses: ['192.168.1.9'], conditions: { ready: true }, hostname: 'pg0' },
      ]);
      assert.deepEqual(await slicesOf(env, 'web'), [], 'a Service with a selector is not mirrored');

      const rv = slice!.metadata.resourceVersion;
      c.resync();
      await env.settle();
      assert.equal((await slicesOf(env, 'db'))[0]!.metadata.resourceVersion, rv, 'nothing changed, nothing written');

      const cur = await env.client.get(R.endpoints, 'default', 'db');
      await env.client.update(R.endpoints, { ...cur, subsets: [{ addresses: [{ ip: '192.168.1.11' }], ports: [{ name: 'pg', port: 5432 }] }] } as never);
      await env.settle();
      assert.deepEqual((await slicesOf(env, 'db'))[0]!.endpoints, [{ addresses: ['192.168.1.11'], conditions: { ready: true } }]);

      const now = await env.client.get(R.endpoints, 'default', 'db');
      await env.client.update(R.endpoints, { ...now, metadata: { ...now.metadata, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } } });
      await env.settle();
      assert.deepEqual(await slicesOf(env, 'db'), []);
    });
  });
});
