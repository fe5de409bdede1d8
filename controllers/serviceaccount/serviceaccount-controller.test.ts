import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useTempRegistry } from '../../apiserver/registry/test-registry.ts';
import { InformerFactory } from '../../client/informer.ts';
import { LocalClient } from '../../client/local.ts';
import { R } from '../../client/resources.ts';
import { ServiceAccountController } from './serviceaccount-controller.ts';

const fx = useTempRegistry('sa-controller');

async function until(cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail('condition not reached');
}

const exists = (client: LocalClient, ns: string) => () =>
  client.get(R.serviceaccounts, ns, 'default').then(
    () => true,
    () => false,
  );

test('every namespace gets a default ServiceAccount, recreated after deletion', async () => {
  const client = new LocalClient(fx.registry, 'test');
  const informers = new InformerFactory(client);
  const c = new ServiceAccountController(client, informers);
  await informers.start();
  try {
    await until(exists(client, 'default'));
    await client.create(R.namespaces, undefined, { metadata: { name: 'team-a' } });
    await until(exists(client, 'team-a'));
    await client.delete(R.serviceaccounts, 'team-a', 'default');
    await until(exists(client, 'team-a'));
  } finally {
    c.stop();
    informers.stop();
  }
});

test('pods run as the default ServiceAccount unless they name one', async () => {
  const client = new LocalClient(fx.registry, 'test');
  const pod = await client.create(R.pods, 'default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
  assert.equal((pod.spec as { serviceAccountName: string }).serviceAccountName, 'default');
  assert.equal((pod.spec as { serviceAccount: string }).serviceAccount, 'default');
  const named = await client.create(R.pods, 'default', { metadata: { name: 'q' }, spec: { serviceAccountName: 'builder', containers: [{ name: 'c', image: 'x' }] } });
  assert.equal((named.spec as { serviceAccountName: string }).serviceAccountName, 'builder');
});
