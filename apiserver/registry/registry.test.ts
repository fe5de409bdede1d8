// Registry semantics against a real SQLite store in a temp dir, with a fake
// clock: what Kubernetes clients rely on when they create, update and delete.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { findResource, type ResourceInfo } from '../../api/kinds.ts';
import { SqliteStore } from '../../store/index.ts';
import { ApiError } from '../errors.ts';
import type { KObject } from './object.ts';
import { Registry } from './registry.ts';

const resource = (group: string, version: string, plural: string): ResourceInfo => {
  const info = findResource(group, version, plural);
  assert.ok(info, `${group}/${version}/${plural}`);
  return info;
};
const NAMESPACES = resource('', 'v1', 'namespaces');
const CONFIGMAPS = resource('', 'v1', 'configmaps');
const PODS = resource('', 'v1', 'pods');
const EVENTS = resource('', 'v1', 'events');
const EVENTS_V1 = resource('events.k8s.io', 'v1', 'events');
const DEPLOYMENTS = resource('apps', 'v1', 'deployments');
const HPA_V2 = resource('autoscaling', 'v2', 'horizontalpodautoscalers');
const HPA_V1 = resource('autoscaling', 'v1', 'horizontalpodautoscalers');

const START = Date.parse('2024-05-01T10:00:00Z');

let dir: string;
let store: SqliteStore;
let registry: Registry;
let nowMs: number;
const advance = (seconds: number) => {
  nowMs += seconds * 1000;
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skiff-registry-'));
  store = await SqliteStore.open(join(dir, 'state.db'));
  nowMs = START;
  registry = new Registry(store, () => new Date(nowMs));
  await registry.create(NAMESPACES, undefined, { metadata: { name: 'default' } });
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const configMap = (name: string, data: Record<string, string> = { k: 'v' }, meta: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...meta },
  data,
});

/** A Deployment manifest as a user writes it: no defaulted fields. */
const deploymentManifest = (image = 'nginx:1.25'): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
  },
});

const pod = (name: string, spec: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
});

/** Asserts that p rejects with an ApiError of this code and reason (and message, if given). */
async function rejectsWith(p: Promise<unknown>, code: number, reason: string, message?: string | RegExp): Promise<ApiError> {
  let caught: unknown;
  await assert.rejects(p, (e) => {
    caught = e;
    return true;
  });
  assert.ok(caught instanceof ApiError, `expected an ApiError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.reason, reason, caught.message);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else if (message) assert.match(caught.message, message);
  return caught;
}

const ts = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('create', () => {
  it('sets uid, creationTimestamp and resourceVersion itself, ignoring what the client sent', async () => {
    const sent = configMap('c', { k: 'v' }, { uid: 'client-uid', creationTimestamp: '2001-01-01T00:00:00Z', resourceVersion: '999', generation: 7 });
    const created = await registry.create(CONFIGMAPS, 'default', sent);
    assert.match(created.metadata.uid!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(created.metadata.creationTimestamp, ts(START));
    assert.equal(created.metadata.resourceVersion, String(await store.currentRevision()));
    assert.equal(created.metadata.namespace, 'default');
    assert.equal(created.metadata.generation, undefined, 'ConfigMaps do not track generation');
    assert.deepEqual(await registry.get(CONFIGMAPS, 'default', 'c'), created);
    const other = await registry.create(CONFIGMAPS, 'default', configMap('d'));
    assert.notEqual(other.metadata.uid, created.metadata.uid);
  });

  it('starts generation-tracked kinds at generation 1, whatever the client sent', async () => {
    const manifest = deploymentManifest();
    manifest.metadata.generation = 5;
    const created = await registry.create(DEPLOYMENTS, 'default', manifest);
    assert.equal(created.metadata.generation, 1);
  });

  it('generateName: the prefix plus five characters from the Kubernetes alphabet, new each time; a given name wins', async () => {
    const a = await registry.create(CONFIGMAPS, 'default', { metadata: { generateName: 'job-' }, data: {} });
    const b = await registry.create(CONFIGMAPS, 'default', { metadata: { generateName: 'job-' }, data: {} });
    assert.match(a.metadata.name!, /^job-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.notEqual(a.metadata.name, b.metadata.name);
    assert.equal(a.metadata.generateName, 'job-');
    const named = await registry.create(CONFIGMAPS, 'default', { metadata: { name: 'fixed', generateName: 'job-' }, data: {} });
    assert.equal(named.metadata.name, 'fixed');
    const long = await registry.create(CONFIGMAPS, 'default', { metadata: { generateName: 'x'.repeat(80) }, data: {} });
    assert.equal(long.metadata.name!.length, 63);
  });

  it('needs the namespace to exist: 404 naming the namespace', async () => {
    await rejectsWith(registry.create(CONFIGMAPS, 'nowhere', configMap('c')), 404, 'NotFound', 'namespaces "nowhere" not found');
    assert.equal((await store.list('/registry/core/configmaps/')).items.length, 0);
  });

  it('refuses new content in a terminating namespace: 403 with a NamespaceTerminating cause', async () => {
    await registry.create(NAMESPACES, undefined, { metadata: { name: 'team' } });
    await registry.delete(NAMESPACES, undefined, 'team');
    const err = await rejectsWith(
      registry.create(CONFIGMAPS, 'team', configMap('c')),
      403,
      'Forbidden',
      'configmaps "c" is forbidden: unable to create new content in namespace team because it is being terminated',
    );
    assert.deepEqual(err.details?.causes, [{ reason: 'NamespaceTerminating', message: 'namespace team is being terminated', field: 'metadata.namespace' }]);
  });

  it('a second object of the same name is 409 AlreadyExists and leaves the first alone', async () => {
    const first = await registry.create(CONFIGMAPS, 'default', configMap('c', { k: '1' }));
    await rejectsWith(registry.create(CONFIGMAPS, 'default', configMap('c', { k: '2' })), 409, 'AlreadyExists', 'configmaps "c" already exists');
    assert.deepEqual(await registry.get(CONFIGMAPS, 'default', 'c'), first);
  });

  it('a body namespace that disagrees with the URL is 400; cluster-scoped objects lose metadata.namespace', async () => {
    await rejectsWith(registry.create(CONFIGMAPS, 'default', configMap('c', {}, { namespace: 'other' })), 400, 'BadRequest');
    const ns = await registry.create(NAMESPACES, undefined, { metadata: { name: 'team', namespace: 'default' } });
    assert.equal(ns.metadata.namespace, undefined);
  });

  it('dryRun validates and answers without storing anything', async () => {
    const before = await store.currentRevision();
    const dry = await registry.create(CONFIGMAPS, 'default', configMap('c'), { dryRun: true });
    assert.equal(dry.metadata.name, 'c');
    assert.equal(await store.currentRevision(), before);
    await rejectsWith(registry.get(CONFIGMAPS, 'default', 'c'), 404, 'NotFound');
    await rejectsWith(registry.create(CONFIGMAPS, 'default', configMap('Bad_Name'), { dryRun: true }), 422, 'Invalid');
  });
});

describe('update', () => {
  it('a stale resourceVersion is 409 Conflict; without one the write applies to what is stored', async () => {
    const v1 = await registry.create(CONFIGMAPS, 'default', configMap('c', { k: '1' }));
    const v2 = await registry.update(CONFIGMAPS, 'default', 'c', { ...v1, data: { k: '2' } });
    assert.ok(Number(v2.metadata.resourceVersion) > Number(v1.metadata.resourceVersion));
    await rejectsWith(
      registry.update(CONFIGMAPS, 'default', 'c', { ...v1, data: { k: 'stale' } }),
      409,
      'Conflict',
      'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again',
    );
    const { resourceVersion: _rv, ...meta } = v1.metadata;
    const v3 = await registry.update(CONFIGMAPS, 'default', 'c', { ...v1, metadata: meta, data: { k: '3' } });
    assert.deepEqual(v3.data, { k: '3' });
    assert.equal(v3.metadata.uid, v1.metadata.uid);
  });

  it('an update that changes nothing writes nothing: same resourceVersion, no new revision', async () => {
    const created = await registry.create(CONFIGMAPS, 'default', configMap('c'));
    const before = await store.currentRevision();
    const same = await registry.update(CONFIGMAPS, 'default', 'c', structuredClone(created));
    assert.equal(same.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal(await store.currentRevision(), before);
  });

  it('is 404 for a missing object and 400 when the body names another object', async () => {
    await rejectsWith(registry.update(CONFIGMAPS, 'default', 'nope', configMap('nope')), 404, 'NotFound', 'configmaps "nope" not found');
    await registry.create(CONFIGMAPS, 'default', configMap('c'));
    await rejectsWith(registry.update(CONFIGMAPS, 'default', 'c', configMap('d')), 400, 'BadRequest');
  });

  it('spec changes bump generation; label and status changes do not', async () => {
    const created = await registry.create(DEPLOYMENTS, 'default', deploymentManifest());
    assert.equal(created.metadata.generation, 1);
    const relabelled = await registry.update(DEPLOYMENTS, 'default', 'web', { ...created, metadata: { ...created.metadata, labels: { app: 'web', tier: 'front' } } });
    assert.equal(relabelled.metadata.generation, 1);
    assert.notEqual(relabelled.metadata.resourceVersion, created.metadata.resourceVersion);
    const status = await registry.update(DEPLOYMENTS, 'default', 'web', { ...relabelled, status: { replicas: 3, observedGeneration: 1 } }, { subresource: 'status' });
    assert.equal(status.metadata.generation, 1);
    const spec = structuredClone(status);
    (spec.spec as { replicas: number }).replicas = 4;
    const scaled = await registry.update(DEPLOYMENTS, 'default', 'web', spec);
    assert.equal(scaled.metadata.generation, 2);
    const again = structuredClone(scaled);
    (again.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image = 'nginx:1.26';
    assert.equal((await registry.update(DEPLOYMENTS, 'default', 'web', again)).metadata.generation, 3);
  });

  it(
    'replacing a Deployment with the manifest it was created from keeps its generation and resourceVersion',
    async () => {
      const created = await registry.create(DEPLOYMENTS, 'default', deploymentManifest());
      const manifest = deploymentManifest();
      manifest.metadata.resourceVersion = created.metadata.resourceVersion;
      const replaced = await registry.update(DEPLOYMENTS, 'default', 'web', manifest);
      assert.equal(replaced.metadata.generation, 1);
      assert.equal(replaced.metadata.resourceVersion, created.metadata.resourceVersion);
    },
  );

  it('the status subresource changes only status; a main update cannot change status', async () => {
    const created = await registry.create(DEPLOYMENTS, 'default', deploymentManifest());
    const viaStatus = structuredClone(created);
    (viaStatus.spec as { replicas: number }).replicas = 9;
    viaStatus.metadata.labels = { hacked: 'yes' };
    viaStatus.status = { replicas: 1, observedGeneration: 1 };
    const afterStatus = await registry.update(DEPLOYMENTS, 'default', 'web', viaStatus, { subresource: 'status' });
    assert.deepEqual(afterStatus.status, { replicas: 1, observedGeneration: 1 });
    assert.deepEqual(afterStatus.spec, created.spec);
    assert.deepEqual(afterStatus.metadata.labels, created.metadata.labels);

    const viaMain = structuredClone(afterStatus);
    viaMain.status = { replicas: 100 };
    const afterMain = await registry.update(DEPLOYMENTS, 'default', 'web', viaMain);
    assert.deepEqual(afterMain.status, { replicas: 1, observedGeneration: 1 });
    assert.equal(afterMain.metadata.resourceVersion, afterStatus.metadata.resourceVersion, 'a status-only change through the main resource is a no-op');
  });

  it('keeps server-owned metadata: creationTimestamp, deletionTimestamp, generateName', async () => {
    const created = await registry.create(CONFIGMAPS, 'default', { metadata: { generateName: 'g-', finalizers: ['example.com/hold'] }, data: {} });
    const name = created.metadata.name!;
    await registry.delete(CONFIGMAPS, 'default', name);
    const marked = await registry.get(CONFIGMAPS, 'default', name);
    advance(60);
    const body: KObject = { metadata: { name, creationTimestamp: '1999-01-01T00:00:00Z', finalizers: ['example.com/hold'] }, data: { x: 'y' } };
    const updated = await registry.update(CONFIGMAPS, 'default', name, body);
    assert.equal(updated.metadata.creationTimestamp, created.metadata.creationTimestamp);
    assert.equal(updated.metadata.deletionTimestamp, marked.metadata.deletionTimestamp);
    assert.equal(updated.metadata.generateName, 'g-');
    assert.deepEqual(updated.data, { x: 'y' });
  });

  it(
    'a body carrying the uid of another object is 409 Conflict (a uid precondition, as Kubernetes has it)',
    async () => {
      const created = await registry.create(CONFIGMAPS, 'default', configMap('c', { k: '1' }));
      await rejectsWith(
        registry.update(CONFIGMAPS, 'default', 'c', configMap('c', { k: '2' }, { uid: 'a1b2c3d4-0000-4000-8000-000000000000' })),
        409,
        'Conflict',
        /Precondition failed: UID in precondition: a1b2c3d4-0000-4000-8000-000000000000, UID in object meta: /,
      );
      assert.deepEqual((await registry.get(CONFIGMAPS, 'default', 'c')).data, created.data);
    },
  );

  it("a namespace's spec.finalizers change only through the finalize subresource", async () => {
    const ns = await registry.create(NAMESPACES, undefined, { metadata: { name: 'team' } });
    assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
    const main = await registry.update(NAMESPACES, undefined, 'team', { ...ns, spec: { finalizers: [] } });
    assert.deepEqual(main.spec, { finalizers: ['kubernetes'] });
    const finalized = await registry.update(NAMESPACES, undefined, 'team', { ...ns, spec: { finalizers: [] }, metadata: { ...ns.metadata, labels: { x: 'y' } } }, { subresource: 'finalize' });
    assert.deepEqual(finalized.spec, { finalizers: [] });
    assert.equal(finalized.metadata.labels?.x, undefined, 'finalize changes nothing but spec.finalizers');
  });
});

describe('delete', () => {
  it('removes an ordinary object at once and returns it with the delete revision', async () => {
    await registry.create(CONFIGMAPS, 'default', configMap('c'));
    const { object, deleted } = await registry.delete(CONFIGMAPS, 'default', 'c');
    assert.equal(deleted, true);
    assert.equal(object.metadata.resourceVersion, String(await store.currentRevision()));
    await rejectsWith(registry.get(CONFIGMAPS, 'default', 'c'), 404, 'NotFound');
    await rejectsWith(registry.delete(CONFIGMAPS, 'default', 'c'), 404, 'NotFound');
  });

  it('finalizers keep the object, marked for deletion, until an update removes the last one', async () => {
    await registry.create(CONFIGMAPS, 'default', configMap('c', {}, { finalizers: ['example.com/a', 'example.com/b'] }));
    advance(5);
    const { object, deleted } = await registry.delete(CONFIGMAPS, 'default', 'c');
    assert.equal(deleted, false);
    assert.equal(object.metadata.deletionTimestamp, ts(START + 5000));
    assert.equal(object.metadata.deletionGracePeriodSeconds, 0);
    const again = await registry.delete(CONFIGMAPS, 'default', 'c');
    assert.equal(again.deleted, false);
    assert.equal(again.object.metadata.resourceVersion, object.metadata.resourceVersion, 'a repeated delete writes nothing');

    const current = await registry.get(CONFIGMAPS, 'default', 'c');
    await rejectsWith(
      registry.update(CONFIGMAPS, 'default', 'c', { ...current, metadata: { ...current.metadata, finalizers: ['example.com/a', 'example.com/b', 'example.com/c'] } }),
      422,
      'Invalid',
      /no new finalizers can be added if the object is being deleted/,
    );
    const one = await registry.update(CONFIGMAPS, 'default', 'c', { ...current, metadata: { ...current.metadata, finalizers: ['example.com/b'] } });
    assert.deepEqual(one.metadata.finalizers, ['example.com/b']);
    assert.equal(one.metadata.deletionTimestamp, object.metadata.deletionTimestamp);
    const last = await registry.update(CONFIGMAPS, 'default', 'c', { ...one, metadata: { ...one.metadata, finalizers: [] } });
    assert.equal(last.metadata.resourceVersion, String(await store.currentRevision()));
    await rejectsWith(registry.get(CONFIGMAPS, 'default', 'c'), 404, 'NotFound');
  });

  it('propagationPolicy Foreground and Orphan add their finalizers; a later policy replaces the earlier one', async () => {
    await registry.create(CONFIGMAPS, 'default', configMap('f'));
    await registry.create(CONFIGMAPS, 'default', configMap('o'));
    const fg = await registry.delete(CONFIGMAPS, 'default', 'f', { propagationPolicy: 'Foreground' });
    assert.equal(fg.deleted, false);
    assert.deepEqual(fg.object.metadata.finalizers, ['foregroundDeletion']);
    assert.ok(fg.object.metadata.deletionTimestamp);
    const orphan = await registry.delete(CONFIGMAPS, 'default', 'o', { propagationPolicy: 'Orphan' });
    assert.deepEqual(orphan.object.metadata.finalizers, ['orphan']);
    const switched = await registry.delete(CONFIGMAPS, 'default', 'o', { propagationPolicy: 'Foreground' });
    assert.deepEqual(switched.object.metadata.finalizers, ['foregroundDeletion']);
    const background = await registry.delete(CONFIGMAPS, 'default', 'f', { propagationPolicy: 'Background' });
    assert.equal(background.deleted, true, 'nothing holds it once foregroundDeletion is dropped');
  });

  it(
    'a later Background delete drops the orphan finalizer an Orphan delete added',
    async () => {
      await registry.create(NAMESPACES, undefined, { metadata: { name: 'team' } });
      const orphaned = await registry.delete(NAMESPACES, undefined, 'team', { propagationPolicy: 'Orphan' });
      assert.deepEqual(orphaned.object.metadata.finalizers, ['orphan']);
      const background = await registry.delete(NAMESPACES, undefined, 'team', { propagationPolicy: 'Background' });
      assert.deepEqual(background.object.metadata.finalizers ?? [], []);
    },
  );

  it(
    'marking a generation-tracked object for deletion bumps its generation, once',
    async () => {
      await registry.create(DEPLOYMENTS, 'default', deploymentManifest());
      const marked = await registry.delete(DEPLOYMENTS, 'default', 'web', { propagationPolicy: 'Foreground' });
      assert.equal(marked.object.metadata.generation, 2);
      const again = await registry.delete(DEPLOYMENTS, 'default', 'web', { propagationPolicy: 'Foreground' });
      assert.equal(again.object.metadata.generation, 2);
    },
  );

  it('a pod bound to a node stops gracefully: deletionTimestamp = now + grace, gone after a delete with gracePeriodSeconds 0', async () => {
    await registry.create(PODS, 'default', pod('bound', { nodeName: 'node-1' }));
    const { object, deleted } = await registry.delete(PODS, 'default', 'bound');
    assert.equal(deleted, false);
    assert.equal(object.metadata.deletionGracePeriodSeconds, 30, 'the default terminationGracePeriodSeconds');
    assert.equal(object.metadata.deletionTimestamp, ts(START + 30_000));
    const status = await registry.update(PODS, 'default', 'bound', { ...object, status: { phase: 'Running' } }, { subresource: 'status' });
    assert.equal(status.metadata.deletionTimestamp, object.metadata.deletionTimestamp, 'status updates keep the pod');
    const gone = await registry.delete(PODS, 'default', 'bound', { gracePeriodSeconds: 0 });
    assert.equal(gone.deleted, true);
    await rejectsWith(registry.get(PODS, 'default', 'bound'), 404, 'NotFound');
  });

  it("a second delete may shorten a pod's grace period, never extend it", async () => {
    await registry.create(PODS, 'default', pod('p', { nodeName: 'node-1', terminationGracePeriodSeconds: 60 }));
    const first = await registry.delete(PODS, 'default', 'p');
    assert.equal(first.object.metadata.deletionGracePeriodSeconds, 60);
    advance(10);
    const longer = await registry.delete(PODS, 'default', 'p', { gracePeriodSeconds: 120 });
    assert.equal(longer.object.metadata.deletionTimestamp, ts(START + 60_000));
    assert.equal(longer.object.metadata.resourceVersion, first.object.metadata.resourceVersion);
    const shorter = await registry.delete(PODS, 'default', 'p', { gracePeriodSeconds: 5 });
    assert.equal(shorter.object.metadata.deletionGracePeriodSeconds, 5);
    assert.equal(shorter.object.metadata.deletionTimestamp, ts(START + 15_000));
  });

  it('unbound pods and pods that have finished go at once', async () => {
    await registry.create(PODS, 'default', pod('pending'));
    assert.equal((await registry.delete(PODS, 'default', 'pending')).deleted, true);
    const done = await registry.create(PODS, 'default', pod('done', { nodeName: 'node-1' }));
    await registry.update(PODS, 'default', 'done', { ...done, status: { phase: 'Succeeded' } }, { subresource: 'status' });
    assert.equal((await registry.delete(PODS, 'default', 'done')).deleted, true);
  });

  it('preconditions: a uid or resourceVersion that does not match is 409 and deletes nothing', async () => {
    const c = await registry.create(CONFIGMAPS, 'default', configMap('c'));
    await rejectsWith(
      registry.delete(CONFIGMAPS, 'default', 'c', { preconditions: { uid: 'other' } }),
      409,
      'Conflict',
      `Operation cannot be fulfilled on configmaps "c": Precondition failed: UID in precondition: other, UID in object meta: ${c.metadata.uid}`,
    );
    await rejectsWith(registry.delete(CONFIGMAPS, 'default', 'c', { preconditions: { resourceVersion: '1' } }), 409, 'Conflict', /Precondition failed: ResourceVersion in precondition: 1/);
    assert.deepEqual(await registry.get(CONFIGMAPS, 'default', 'c'), c);
    const ok = await registry.delete(CONFIGMAPS, 'default', 'c', { preconditions: { uid: c.metadata.uid, resourceVersion: c.metadata.resourceVersion } });
    assert.equal(ok.deleted, true);
  });

  it('dryRun deletes and marks nothing', async () => {
    await registry.create(CONFIGMAPS, 'default', configMap('c'));
    await registry.create(CONFIGMAPS, 'default', configMap('f', {}, { finalizers: ['example.com/a'] }));
    const before = await store.currentRevision();
    assert.equal((await registry.delete(CONFIGMAPS, 'default', 'c', { dryRun: true })).deleted, true);
    assert.ok((await registry.delete(CONFIGMAPS, 'default', 'f', { dryRun: true })).object.metadata.deletionTimestamp);
    assert.equal(await store.currentRevision(), before);
    assert.equal((await registry.get(CONFIGMAPS, 'default', 'f')).metadata.deletionTimestamp, undefined);
  });

  it('a namespace is marked Terminating, and deleting it again writes nothing', async () => {
    await registry.create(NAMESPACES, undefined, { metadata: { name: 'team' } });
    const { object, deleted } = await registry.delete(NAMESPACES, undefined, 'team');
    assert.equal(deleted, false);
    assert.deepEqual(object.status, { phase: 'Terminating' });
    assert.equal(object.metadata.deletionTimestamp, ts(START));
    const again = await registry.delete(NAMESPACES, undefined, 'team');
    assert.equal(again.object.metadata.resourceVersion, object.metadata.resourceVersion);
    const finalized = await registry.update(NAMESPACES, undefined, 'team', { ...object, spec: { finalizers: [] } }, { subresource: 'finalize' });
    assert.deepEqual(finalized.spec, { finalizers: [] });
    await rejectsWith(registry.get(NAMESPACES, undefined, 'team'), 404, 'NotFound');
  });

  it(
    'a namespace created with spec.finalizers [] still gets the kubernetes finalizer, so its contents are cleaned up',
    async () => {
      const ns = await registry.create(NAMESPACES, undefined, { metadata: { name: 'team' }, spec: { finalizers: [] } });
      assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
      await registry.create(CONFIGMAPS, 'team', configMap('c'));
      assert.equal((await registry.delete(NAMESPACES, undefined, 'team')).deleted, false);
    },
  );
});

describe('versions that share a storage', () => {
  it('an HPA written as autoscaling/v2 reads as v1, and a PUT of that v1 view changes nothing', async () => {
    const created = await registry.create(HPA_V2, 'default', {
      metadata: { name: 'h' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } },
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
      },
    });
    const v1 = await registry.get(HPA_V1, 'default', 'h');
    assert.equal(v1.apiVersion, 'autoscaling/v1');
    assert.equal((v1.spec as { targetCPUUtilizationPercentage: number }).targetCPUUtilizationPercentage, 50);
    const put = await registry.update(HPA_V1, 'default', 'h', v1);
    assert.equal(put.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.deepEqual(await registry.get(HPA_V2, 'default', 'h'), created);
  });

  it('a core/v1 Event reads as an events.k8s.io/v1 Event', async () => {
    await registry.create(EVENTS, 'default', {
      metadata: { name: 'web.1' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
      reason: 'Started',
      message: 'Started container web',
      type: 'Normal',
    });
    const ev = await registry.get(EVENTS_V1, 'default', 'web.1');
    assert.equal(ev.apiVersion, 'events.k8s.io/v1');
    assert.equal(ev.note, 'Started container web');
    assert.deepEqual(ev.regarding, { kind: 'Pod', name: 'web', namespace: 'default' });
  });

  it(
    'an events.k8s.io/v1 Event can be created and read back as core/v1',
    async () => {
      await registry.create(EVENTS_V1, 'default', {
        metadata: { name: 'web.2' },
        eventTime: '2024-05-01T10:00:00.000000Z',
        reportingController: 'skiff.dev/scheduler',
        reportingInstance: 'skiff-1',
        action: 'Binding',
        reason: 'Scheduled',
        type: 'Normal',
        note: 'assigned default/web to node-1',
        regarding: { kind: 'Pod', name: 'web', namespace: 'default' },
      });
      const core = await registry.get(EVENTS, 'default', 'web.2');
      assert.equal(core.reportingComponent, 'skiff.dev/scheduler');
      assert.equal(core.message, 'assigned default/web to node-1');
    },
  );

  it(
    'events.k8s.io/v1 Events get the strict checks: type must be Normal or Warning',
    async () => {
      const err = await rejectsWith(
        registry.create(EVENTS_V1, 'default', {
          metadata: { name: 'web.4' },
          eventTime: '2024-05-01T10:00:00.000000Z',
          reportingController: 'skiff.dev/scheduler',
          reportingInstance: 'skiff-1',
          action: 'Binding',
          reason: 'Scheduled',
          type: 'Info',
          regarding: { kind: 'Pod', name: 'web', namespace: 'default' },
        }),
        422,
        'Invalid',
      );
      assert.deepEqual(
        err.details?.causes?.map((c) => c.field),
        ['type'],
      );
    },
  );

  it(
    'a new-style core/v1 Event (eventTime, reportingComponent) can be created',
    async () => {
      const ev = await registry.create(EVENTS, 'default', {
        metadata: { name: 'web.3' },
        involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
        eventTime: '2024-05-01T10:00:00.000000Z',
        reportingComponent: 'skiff.dev/scheduler',
        reportingInstance: 'skiff-1',
        action: 'Binding',
        reason: 'Scheduled',
        type: 'Normal',
        message: 'assigned',
      });
      assert.equal(ev.reportingComponent, 'skiff.dev/scheduler');
    },
  );
});
