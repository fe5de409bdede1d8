// Server-side apply driven by the real kubectl against `bin/skiff server`:
// create and re-apply with pruning, conflicts with `kubectl scale` and
// another applier, --force-conflicts, managedFields as kubectl shows them,
// server dry run, and the move of an object from client-side apply.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from './harness.ts';

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  time?: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

function deployment(opts: { replicas: number; image: string; tier?: boolean; minReadySeconds?: number }): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web', ...(opts.tier ? { tier: 'front' } : {}) } },
    spec: {
      replicas: opts.replicas,
      ...(opts.minReadySeconds ? { minReadySeconds: opts.minReadySeconds } : {}),
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: opts.image, ports: [{ containerPort: 80 }] }] } },
    },
  });
}

describe('server-side apply with kubectl', { timeout: 300_000 }, () => {
  let s: TestServer;
  let work: string;

  before(async () => {
    s = await startServer();
    work = mkdtempSync(join(tmpdir(), 'skiff-ssa-'));
  });
  after(async () => {
    await s?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const file = (name: string, text: string) => {
    const path = join(work, name);
    writeFileSync(path, text);
    return path;
  };
  const json = async (args: string[]) => JSON.parse(await s.k([...args, '-o', 'json', '--show-managed-fields']));
  /** The users' managers: the deployment controller's own entries (status, revision annotation) are left out. */
  const managersOf = (obj: { metadata: { managedFields?: Entry[] } }) =>
    (obj.metadata.managedFields ?? []).filter((e) => !e.manager.endsWith('-controller')).map((e) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`);

  it('creates an object and records the applier', async () => {
    const out = await s.k(['apply', '--server-side', '-f', file('d1.json', deployment({ replicas: 2, image: 'nginx:1.25', tier: true, minReadySeconds: 5 }))]);
    assert.match(out, /^deployment\.apps\/web serverside-applied$/m);
    const d = await json(['get', 'deploy', 'web']);
    assert.deepEqual(managersOf(d), ['kubectl/Apply']);
    const entry: Entry = d.metadata.managedFields.find((e: Entry) => e.manager === 'kubectl' && e.operation === 'Apply');
    assert.equal(entry.apiVersion, 'apps/v1');
    assert.equal(entry.fieldsType, 'FieldsV1');
    assert.match(entry.time!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(entry.fieldsV1['f:metadata'], { 'f:labels': { 'f:app': {}, 'f:tier': {} } });
    assert.ok((entry.fieldsV1['f:spec'] as Record<string, unknown>)['f:minReadySeconds']);
    // Defaults are the server's, not the applier's.
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal((entry.fieldsV1['f:spec'] as Record<string, unknown>)['f:revisionHistoryLimit'], undefined);
  });

  it('re-applies a changed image and drops the fields no longer applied', async () => {
    const out = await s.k(['apply', '--server-side', '-f', file('d2.json', deployment({ replicas: 2, image: 'nginx:1.26' }))]);
    assert.match(out, /serverside-applied/);
    const d = await json(['get', 'deploy', 'web']);
    assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.26');
    assert.deepEqual(d.metadata.labels, { app: 'web' });
    assert.equal(d.spec.minReadySeconds ?? 0, 0);
    assert.equal(d.metadata.generation, 2);
    assert.equal(d.spec.template.spec.containers[0].ports[0].containerPort, 80);
  });

  it('conflicts with kubectl scale until --force-conflicts', async () => {
    assert.match(await s.k(['scale', 'deploy/web', '--replicas=5']), /scaled/);
    const scaled = await json(['get', 'deploy', 'web']);
    assert.deepEqual(managersOf(scaled), ['kubectl/Apply', 'kubectl/Update/scale']);
    const d3 = file('d3.json', deployment({ replicas: 3, image: 'nginx:1.26' }));
    const r = await s.kubectl(['apply', '--server-side', '-f', d3]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps\/v1: \.spec\.replicas/);
    assert.match(r.stderr, /--force-conflicts/);
    assert.equal((await json(['get', 'deploy', 'web'])).spec.replicas, 5);

    assert.match(await s.k(['apply', '--server-side', '--force-conflicts', '-f', d3]), /serverside-applied/);
    const d = await json(['get', 'deploy', 'web']);
    assert.equal(d.spec.replicas, 3);
    assert.deepEqual(managersOf(d), ['kubectl/Apply']);
  });

  it('conflicts between two appliers, and shares fields applied with the same value', async () => {
    const other = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 4 } });
    const r = await s.kubectl(['apply', '--server-side', '--field-manager=autoscaler', '-f', file('other.json', other)]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /conflict with "kubectl": \.spec\.replicas/);
    const same = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } });
    await s.k(['apply', '--server-side', '--field-manager=autoscaler', '-f', file('same.json', same)]);
    const d = await json(['get', 'deploy', 'web']);
    assert.deepEqual(managersOf(d).sort(), ['autoscaler/Apply', 'kubectl/Apply']);
  });

  it('shows the managers of other writes with --show-managed-fields', async () => {
    await s.k(['label', 'deploy', 'web', 'team=blue']);
    const yaml = await s.k(['get', 'deploy', 'web', '-o', 'yaml', '--show-managed-fields']);
    assert.match(yaml, /managedFields:/);
    assert.match(yaml, /manager: kubectl\n\s+operation: Apply/);
    assert.match(yaml, /manager: kubectl-label\n\s+operation: Update/);
    assert.match(yaml, /f:team: \{\}/);
    // Hidden by default, as kubectl does.
    assert.doesNotMatch(await s.k(['get', 'deploy', 'web', '-o', 'yaml']), /managedFields/);
  });

  it('stores nothing with --dry-run=server', async () => {
    const before = await json(['get', 'deploy', 'web']);
    const out = await s.k(['apply', '--server-side', '--dry-run=server', '-f', file('d4.json', deployment({ replicas: 3, image: 'nginx:1.27' }))]);
    assert.match(out, /serverside-applied \(server dry run\)/);
    const after = await json(['get', 'deploy', 'web']);
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal(after.spec.template.spec.containers[0].image, 'nginx:1.26');

    const cm = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ghost' }, data: { a: '1' } });
    assert.match(await s.k(['apply', '--server-side', '--dry-run=server', '-f', file('ghost.json', cm)]), /configmap\/ghost serverside-applied \(server dry run\)/);
    const r = await s.kubectl(['get', 'configmap', 'ghost']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /NotFound/);
  });

  it('moves an object from client-side apply', async () => {
    const cm = (a: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a, b: '2' } });
    assert.match(await s.k(['apply', '-f', file('cm1.json', cm('1'))]), /configmap\/cfg created/);
    assert.deepEqual(managersOf(await json(['get', 'cm', 'cfg'])), ['kubectl-client-side-apply/Update']);
    // A changed value: client-side apply owns it, but its last-applied annotation shows it as kubectl's.
    assert.match(await s.k(['apply', '--server-side', '-f', file('cm2.json', cm('9'))]), /configmap\/cfg serverside-applied/);
    const c = await json(['get', 'cm', 'cfg']);
    assert.deepEqual(c.data, { a: '9', b: '2' });
    // kubectl then saved the annotation under its own manager and folded client-side apply's fields into "kubectl".
    assert.deepEqual(managersOf(c).sort(), ['kubectl-last-applied/Apply', 'kubectl/Apply']);
    const last = JSON.parse(c.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    assert.equal(last.data.a, '9');
    // Further server-side applies prune as usual.
    await s.k(['apply', '--server-side', '-f', file('cm3.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '9' } }))]);
    assert.deepEqual((await json(['get', 'cm', 'cfg'])).data, { a: '9' });
  });

  it('requires a field manager on the raw API', async () => {
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raw' } });
    const headers = { 'content-type': 'application/apply-patch+yaml' };
    const missing = await s.api('/api/v1/namespaces/default/configmaps/raw', { method: 'PATCH', body, headers });
    assert.equal(missing.status, 422);
    assert.equal(missing.json().message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const created = await s.api('/api/v1/namespaces/default/configmaps/raw?fieldManager=curl', { method: 'PATCH', body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: raw\ndata:\n  k: v\n', headers });
    assert.equal(created.status, 201);
    assert.equal(created.json().metadata.managedFields[0].manager, 'curl');
    const again = await s.api('/api/v1/namespaces/default/configmaps/raw?fieldManager=curl', { method: 'PATCH', body, headers });
    assert.equal(again.status, 200);
    assert.equal(again.json().data, undefined);
  });
});
