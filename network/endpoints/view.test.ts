import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useTempRegistry } from '../../apiserver/registry/test-registry.ts';
import { InformerFactory } from '../../client/informer.ts';
import { LocalClient } from '../../client/local.ts';
import { R } from '../../client/resources.ts';
import { InformerEndpointView } from './view.ts';

const fx = useTempRegistry('endpoint-view');

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), 'condition not reached');
}

const service = (name: string) => ({
  metadata: { name },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }] },
});

const slice = (name: string, svc: string, endpoints: { ip: string; ready?: boolean; terminating?: boolean }[]) => ({
  metadata: { name, labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  endpoints: endpoints.map((e) => ({
    addresses: [e.ip],
    conditions: { ready: e.ready ?? true, serving: e.ready ?? true, terminating: e.terminating ?? false },
    targetRef: { kind: 'Pod', namespace: 'default', name: `pod-${e.ip}`, uid: `uid-${e.ip}` },
  })),
});

test('endpoints of a Service port by number and by name, from all its slices, in address order', async () => {
  const client = new LocalClient(fx.registry, 'test');
  const informers = new InformerFactory(client);
  const view = new InformerEndpointView(informers);
  await informers.start();
  const changes: string[] = [];
  view.onChange((ns, name) => changes.push(`${ns}/${name}`));
  try {
    await client.create(R.services, 'default', service('api'));
    await client.create(R.endpointslices, 'default', slice('api-b', 'api', [{ ip: '10.42.0.9' }]));
    await client.create(R.endpointslices, 'default', slice('api-a', 'api', [{ ip: '10.42.0.3' }, { ip: '10.42.0.4', ready: false }]));
    await until(() => view.endpoints('default', 'api', { number: 80 }).length === 3);
    const eps = view.endpoints('default', 'api', { name: 'http' });
    assert.deepEqual(eps.map((e) => [e.ip, e.port, e.ready]), [
      ['10.42.0.3', 8080, true],
      ['10.42.0.4', 8080, false],
      ['10.42.0.9', 8080, true],
    ]);
    assert.deepEqual(eps[0]!.pod, { namespace: 'default', name: 'pod-10.42.0.3', uid: 'uid-10.42.0.3' });
    assert.deepEqual(view.endpoints('default', 'api', { name: 'metrics' }), [], 'no slice port for metrics');
    assert.deepEqual(view.endpoints('default', 'api', { number: 81 }), []);
    assert.equal(view.service('default', 'api')?.ports[0]?.name, 'http');
    assert.ok(changes.includes('default/api'));

    await client.delete(R.services, 'default', 'api');
    await until(() => view.endpoints('default', 'api', { number: 80 }).length === 0);
    assert.equal(view.service('default', 'api'), undefined);
  } finally {
    informers.stop();
  }
});

test('waitOutOfRotation resolves when no Service lists the pod as ready, or false at its timeout', async () => {
  const client = new LocalClient(fx.registry, 'test');
  const informers = new InformerFactory(client);
  const view = new InformerEndpointView(informers);
  await informers.start();
  try {
    assert.equal(await view.waitOutOfRotation('uid-10.42.0.50', 1000), true, 'a pod in no Service is out at once');
    await client.create(R.services, 'default', service('web'));
    await client.create(R.endpointslices, 'default', slice('web-a', 'web', [{ ip: '10.42.0.50' }, { ip: '10.42.0.51' }]));
    await until(() => view.endpoints('default', 'web', { number: 80 }).length === 2);

    assert.equal(await view.waitOutOfRotation('uid-10.42.0.50', 20), false, 'still ready: times out');
    const out = view.waitOutOfRotation('uid-10.42.0.50', 5000);
    const next = slice('web-a', 'web', [{ ip: '10.42.0.50', ready: false, terminating: true }, { ip: '10.42.0.51' }]);
    await client.update(R.endpointslices, { ...next, metadata: { ...next.metadata, namespace: 'default' } });
    assert.equal(await out, true);
    const [terminating] = view.endpoints('default', 'web', { number: 80 });
    assert.deepEqual([terminating!.ready, terminating!.terminating], [false, true]);
  } finally {
    informers.stop();
  }
});
