// The official JavaScript client (@kubernetes/client-node) against the real
// server: typed CRUD, and an informer that survives a server restart and
// resumes from its resourceVersion instead of listing again.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startServer, type TestServer } from './harness.ts';

describe('@kubernetes/client-node', { timeout: 120_000 }, () => {
  const started: TestServer[] = [];
  let s: TestServer;
  before(async () => {
    s = await startServer();
    started.push(s);
  });
  after(async () => {
    for (const x of started.reverse()) await x.cleanup();
  });

  const client = () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(s.kubeconfig);
    return kc;
  };

  it('creates, reads, updates, patches, lists and deletes', async () => {
    const kc = client();
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cn' }, data: { a: '1' } } });
    assert.equal(created.metadata?.name, 'cn');
    const read = await core.readNamespacedConfigMap({ name: 'cn', namespace: 'default' });
    read.data = { a: '2' };
    const replaced = await core.replaceNamespacedConfigMap({ name: 'cn', namespace: 'default', body: read });
    assert.equal(replaced.data?.a, '2');
    const patched = await core.patchNamespacedConfigMap(
      { name: 'cn', namespace: 'default', body: { data: { b: '3' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.deepEqual(patched.data, { a: '2', b: '3' });
    const dep = await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'cdep' },
        spec: {
          selector: { matchLabels: { app: 'c' } },
          template: { metadata: { labels: { app: 'c' } }, spec: { containers: [{ name: 'c', image: 'example.com/c:1' }] } },
        },
      },
    });
    assert.equal(dep.spec?.replicas, 1);
    assert.equal(dep.spec?.strategy?.type, 'RollingUpdate');
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    assert.ok(list.items.some((i) => i.metadata?.name === 'cn'));
    await core.deleteNamespacedConfigMap({ name: 'cn', namespace: 'default' });
    await assert.rejects(core.readNamespacedConfigMap({ name: 'cn', namespace: 'default' }), (e: any) => e.code === 404);
  });

  it('keeps an informer going across a server restart, resuming from its resourceVersion', async () => {
    const kc = client();
    const core = kc.makeApiClient(k8s.CoreV1Api);
    let lists = 0;
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => {
      lists++;
      return core.listNamespacedConfigMap({ namespace: 'default' });
    });
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update ${o.metadata?.name}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
    let stopped = false;
    informer.on('error', () => {
      if (!stopped) setTimeout(() => void informer.start().catch(() => {}), 200);
    });
    const until = async (entry: string) => {
      for (let i = 0; i < 200 && !seen.includes(entry); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(seen.includes(entry), `informer never saw "${entry}": ${seen.join(', ')}`);
    };
    try {
      await informer.start();
      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'before' } } });
      await until('add before');
      await s.stop();
      s = await startServer({ dataDir: s.dataDir, home: s.home, port: s.port });
      started.push(s);
      const core2 = client().makeApiClient(k8s.CoreV1Api);
      await core2.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'after' } } });
      await until('add after');
      await core2.deleteNamespacedConfigMap({ name: 'before', namespace: 'default' });
      await until('delete before');
      assert.equal(lists, 1, 'the informer listed again instead of resuming its watch');
    } finally {
      stopped = true;
      await informer.stop();
    }
  });
});
