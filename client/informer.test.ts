import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useTempRegistry } from '../apiserver/registry/test-registry.ts';
import { EventRecorder } from './events.ts';
import { Informer } from './informer.ts';
import { LocalClient } from './local.ts';
import { R } from './resources.ts';
import type { KObject } from './types.ts';

const fx = useTempRegistry('informer');

function cm(name: string, data: Record<string, string> = {}): KObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), 'condition not reached');
}

test('informer lists, then follows adds, updates and deletes', async () => {
  const client = new LocalClient(fx.registry, 'test');
  await client.create(R.configmaps, 'default', cm('a'));
  const inf = new Informer(client, R.configmaps);
  const seen: string[] = [];
  inf.addHandler({
    add: (o) => seen.push(`add ${o.metadata.name}`),
    update: (_old, o) => seen.push(`update ${o.metadata.name}`),
    delete: (o) => seen.push(`delete ${o.metadata.name}`),
  });
  await inf.start();
  assert.deepEqual(seen, ['add a']);
  await client.create(R.configmaps, 'default', cm('b'));
  const a = await client.get(R.configmaps, 'default', 'a');
  await client.update(R.configmaps, { ...a, data: { k: 'v' } });
  await client.delete(R.configmaps, 'default', 'b');
  await until(() => seen.length === 4);
  assert.deepEqual(seen, ['add a', 'add b', 'update a', 'delete b']);
  assert.deepEqual(inf.list('default').map((o) => o.metadata.name), ['a']);
  assert.deepEqual(inf.get('default', 'a')?.data, { k: 'v' });
  inf.stop();
});

test('patch through the client keeps semantics (strategic merge, status)', async () => {
  const client = new LocalClient(fx.registry, 'test');
  await client.create(R.configmaps, 'default', cm('p', { a: '1' }));
  const patched = await client.patch(R.configmaps, 'default', 'p', 'strategic', { data: { b: '2' } });
  assert.deepEqual(patched.data, { a: '1', b: '2' });
});

test('event recorder aggregates repeats into count', async () => {
  const client = new LocalClient(fx.registry, 'test');
  const obj = await client.create(R.configmaps, 'default', cm('e'));
  const rec = new EventRecorder(client, { component: 'test' });
  rec.event(obj, 'Normal', 'Poked', 'poked once');
  rec.event(obj, 'Normal', 'Poked', 'poked once');
  rec.event(obj, 'Warning', 'Other', 'something else');
  await rec.flush();
  const { items } = await client.list(R.events, { namespace: 'default' });
  const poked = items.find((e) => e.reason === 'Poked')!;
  assert.equal(poked.count, 2);
  assert.equal((poked.involvedObject as { uid: string }).uid, obj.metadata.uid);
  assert.equal(items.length, 2);
});
