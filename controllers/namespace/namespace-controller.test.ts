// The namespace controller over a real registry and store: a namespace marked
// for deletion loses its contents, then its `kubernetes` finalizer, then
// itself; content that is slow to go (finalizers, pods on a node) is waited
// for. The recheck timer is mocked, so nothing here sleeps.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { findResource, type ResourceInfo } from '../../api/kinds.ts';
import { ApiError } from '../../apiserver/errors.ts';
import type { KObject } from '../../apiserver/registry/object.ts';
import { Registry } from '../../apiserver/registry/registry.ts';
import { SqliteStore } from '../../store/index.ts';
import { NamespaceController } from './namespace-controller.ts';

const r = (group: string, version: string, plural: string): ResourceInfo => findResource(group, version, plural)!;
const NAMESPACES = r('', 'v1', 'namespaces');
const CONFIGMAPS = r('', 'v1', 'configmaps');
const PODS = r('', 'v1', 'pods');
const SERVICES = r('', 'v1', 'services');
const EVENTS = r('', 'v1', 'events');
const DEPLOYMENTS = r('apps', 'v1', 'deployments');
const HPA_V1 = r('autoscaling', 'v1', 'horizontalpodautoscalers');

let dir: string;
let store: SqliteStore;
let registry: Registry;
let controller: NamespaceController;
const logged: string[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skiff-ns-controller-'));
  store = await SqliteStore.open(join(dir, 'state.db'));
  registry = new Registry(store, () => new Date('2024-05-01T10:00:00Z'));
  controller = new NamespaceController(registry, (msg, err) => logged.push(`${msg}: ${String(err)}`));
  logged.length = 0;
  for (const name of ['default', 'team']) await registry.create(NAMESPACES, undefined, { metadata: { name } });
});

afterEach(async () => {
  controller.stop();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const exists = async (info: ResourceInfo, ns: string | undefined, name: string): Promise<boolean> => {
  try {
    await registry.get(info, ns, name);
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.code === 404) return false;
    throw e;
  }
};

/** Polls (one event-loop turn at a time, no timers) until cond holds. */
async function until(what: string, cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await cond()) return;
    await new Promise((res) => setImmediate(res));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((res) => setImmediate(res));
};

const configMap = (name: string, meta: Partial<KObject['metadata']> = {}): KObject => ({ metadata: { name, ...meta }, data: { k: 'v' } });
const pod = (name: string, nodeName?: string): KObject => ({
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...(nodeName ? { nodeName } : {}) },
});

describe('NamespaceController', () => {
  it('deletes every kind of content, finalizes the namespace, and leaves other namespaces alone', async () => {
    await registry.create(CONFIGMAPS, 'team', configMap('cm'));
    await registry.create(PODS, 'team', pod('pending'));
    await registry.create(SERVICES, 'team', { metadata: { name: 'svc' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    await registry.create(EVENTS, 'team', { metadata: { name: 'ev' }, involvedObject: { kind: 'Pod', name: 'pending', namespace: 'team' }, reason: 'R', message: 'm' });
    await registry.create(DEPLOYMENTS, 'team', {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    });
    await registry.create(HPA_V1, 'team', { metadata: { name: 'hpa' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, maxReplicas: 3 } });
    const keep = await registry.create(CONFIGMAPS, 'default', configMap('keep'));

    await controller.start();
    await registry.delete(NAMESPACES, undefined, 'team');
    await controller.idle();

    assert.equal(await exists(NAMESPACES, undefined, 'team'), false);
    const left = await store.list('/registry/');
    const inTeam = left.items.filter((kv) => kv.key.includes('/team/') || kv.value.includes('"namespace":"team"'));
    assert.deepEqual(inTeam.map((kv) => kv.key), []);
    assert.deepEqual((await store.list('/registry/ranges/')).items, [], 'the Service allocations went with it');
    assert.deepEqual(await registry.get(CONFIGMAPS, 'default', 'keep'), keep);
    assert.equal(await exists(NAMESPACES, undefined, 'default'), true);
    assert.deepEqual(logged, []);
  });

  it('finishes a namespace that was already terminating when it started', async () => {
    await registry.create(CONFIGMAPS, 'team', configMap('cm'));
    await registry.delete(NAMESPACES, undefined, 'team');
    await controller.start();
    await until('the namespace to go', async () => !(await exists(NAMESPACES, undefined, 'team')));
    assert.equal(await exists(CONFIGMAPS, 'team', 'cm'), false);
  });

  it('waits for content held by finalizers or running on a node, rechecking until it is gone', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    await registry.create(CONFIGMAPS, 'team', configMap('held', { finalizers: ['example.com/hold'] }));
    await registry.create(PODS, 'team', pod('running', 'node-1'));
    await controller.start();
    await registry.delete(NAMESPACES, undefined, 'team');
    await until('the content to be marked', async () => !!(await registry.get(PODS, 'team', 'running')).metadata.deletionTimestamp);
    await until('the configmap to be marked', async () => !!(await registry.get(CONFIGMAPS, 'team', 'held')).metadata.deletionTimestamp);

    const ns = await registry.get(NAMESPACES, undefined, 'team');
    assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] }, 'not finalized while content remains');
    assert.deepEqual(ns.status, { phase: 'Terminating' });

    const held = await registry.get(CONFIGMAPS, 'team', 'held');
    await registry.update(CONFIGMAPS, 'team', 'held', { ...held, metadata: { ...held.metadata, finalizers: [] } });
    for (let i = 0; i < 5; i++) {
      t.mock.timers.tick(1000);
      await turns(5);
    }
    assert.equal(await exists(NAMESPACES, undefined, 'team'), true, 'the pod is still stopping');

    // The node agent confirms the containers stopped; no namespace event follows, a recheck finds it.
    await registry.delete(PODS, 'team', 'running', { gracePeriodSeconds: 0 });
    await until('the namespace to go', async () => {
      t.mock.timers.tick(1000);
      return !(await exists(NAMESPACES, undefined, 'team'));
    });
  });

  it('removes only its own finalizer: the namespace waits for the others', async () => {
    await registry.create(NAMESPACES, undefined, { metadata: { name: 'custom' }, spec: { finalizers: ['kubernetes', 'example.com/backup'] } });
    await registry.create(CONFIGMAPS, 'custom', configMap('cm'));
    await controller.start();
    await registry.delete(NAMESPACES, undefined, 'custom');
    await controller.idle();
    const ns = await registry.get(NAMESPACES, undefined, 'custom');
    assert.deepEqual(ns.spec, { finalizers: ['example.com/backup'] });
    assert.equal(await exists(CONFIGMAPS, 'custom', 'cm'), false);
    await registry.update(NAMESPACES, undefined, 'custom', { ...ns, spec: { finalizers: [] } }, { subresource: 'finalize' });
    assert.equal(await exists(NAMESPACES, undefined, 'custom'), false);
  });

  it('does nothing once stopped', async () => {
    await registry.create(CONFIGMAPS, 'team', configMap('cm'));
    await controller.start();
    controller.stop();
    await registry.delete(NAMESPACES, undefined, 'team');
    await controller.idle();
    await turns(5);
    assert.equal(await exists(CONFIGMAPS, 'team', 'cm'), true);
    assert.equal(await exists(NAMESPACES, undefined, 'team'), true);
  });
});
