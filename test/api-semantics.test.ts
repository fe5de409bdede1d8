// API semantics checked over HTTPS against the real server: authentication,
// status codes and Status bodies, optimistic concurrency, durability across
// kill -9, watch resume, and bad input that must never crash the server.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from './harness.ts';
import { httpsRequest } from './https-request.ts';

const cm = (name: string, data: Record<string, string> = { a: 'b' }) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

describe('API semantics', { timeout: 300_000 }, () => {
  let s: TestServer;
  const started: TestServer[] = [];
  before(async () => {
    s = await startServer();
    started.push(s);
  });
  after(async () => {
    // Newest first: restarted servers share the first one's data dir, which its cleanup removes.
    for (const x of started.reverse()) await x.cleanup();
  });

  it('answers /readyz, /version and 401 without a token', async () => {
    const ready = await httpsRequest(`https://127.0.0.1:${s.port}/readyz`, { ca: s.ca });
    assert.equal(ready.status, 200);
    assert.equal(ready.text, 'ok');
    const noToken = await httpsRequest(`https://127.0.0.1:${s.port}/api/v1/namespaces`, { ca: s.ca });
    assert.equal(noToken.status, 401);
    assert.equal(noToken.json().reason, 'Unauthorized');
    const bad = await httpsRequest(`https://127.0.0.1:${s.port}/api/v1/namespaces`, { ca: s.ca, token: 'wrong' });
    assert.equal(bad.status, 401);
  });

  it('returns Kubernetes Status bodies: 404, 409, 422, 415, 413', async () => {
    const nf = await s.api('/apis/apps/v1/namespaces/default/deployments/nope');
    assert.equal(nf.status, 404);
    assert.deepEqual(nf.json().details, { name: 'nope', group: 'apps', kind: 'deployments' });
    assert.equal(nf.json().message, 'deployments.apps "nope" not found');
    assert.equal((await s.api('/api/v1/namespaces/default/configmaps', { method: 'POST', body: cm('dup') })).status, 201);
    const dup = await s.api('/api/v1/namespaces/default/configmaps', { method: 'POST', body: cm('dup') });
    assert.equal(dup.status, 409);
    assert.equal(dup.json().reason, 'AlreadyExists');
    const invalid = await s.api('/apis/apps/v1/namespaces/default/deployments', {
      method: 'POST',
      body: JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'Bad_Name' },
        spec: { replicas: -1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
      }),
    });
    assert.equal(invalid.status, 422);
    const fields = invalid.json().details.causes.map((c: any) => c.field);
    assert.ok(fields.includes('metadata.name'), fields.join());
    assert.ok(fields.includes('spec.replicas'), fields.join());
    const patch415 = await s.api('/api/v1/namespaces/default/configmaps/dup', { method: 'PATCH', body: '{}', headers: { 'content-type': 'text/plain' } });
    assert.equal(patch415.status, 415);
    const big = await s.api('/api/v1/namespaces/default/configmaps', { method: 'POST', body: cm('big', { x: 'y'.repeat(3 * 1024 * 1024 + 10) }) });
    assert.equal(big.status, 413);
    const missingNs = await s.api('/api/v1/namespaces/nowhere/configmaps', { method: 'POST', body: cm('x') });
    assert.equal(missingNs.status, 404);
    assert.equal(missingNs.json().message, 'namespaces "nowhere" not found');
  });

  it('lets exactly one of two updates from the same resourceVersion win', async () => {
    const created = (await s.api('/api/v1/namespaces/default/configmaps', { method: 'POST', body: cm('race', { v: '0' }) })).json();
    const put = (v: string) =>
      s.api('/api/v1/namespaces/default/configmaps/race', { method: 'PUT', body: JSON.stringify({ ...created, data: { v } }) });
    const results = await Promise.all([put('1'), put('2')]);
    const codes = results.map((r) => r.status).sort();
    assert.deepEqual(codes, [200, 409]);
    const loser = results.find((r) => r.status === 409)!.json();
    assert.equal(loser.reason, 'Conflict');
    assert.match(loser.message, /Operation cannot be fulfilled on configmaps "race": the object has been modified/);
  });

  it('bumps generation only on spec changes', async () => {
    // An HPA: generation-tracked, with a status subresource, and no controller here writing its status.
    const base = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';
    const body = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'gen' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3 },
    };
    const created = await s.api(base, { method: 'POST', body: JSON.stringify(body) });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json().metadata.generation, 1);
    const patch = (path: string, body: string) => s.api(`${base}/${path}`, { method: 'PATCH', body, headers: { 'content-type': 'application/merge-patch+json' } });
    const labelled = await patch('gen', '{"metadata":{"labels":{"x":"y"}}}');
    assert.equal(labelled.json().metadata.generation, 1);
    const status = await patch('gen/status', '{"status":{"currentReplicas":5,"desiredReplicas":5},"spec":{"maxReplicas":9}}');
    assert.equal(status.json().status.currentReplicas, 5);
    assert.equal(status.json().spec.maxReplicas, 3, 'status subresource must not change spec');
    const spec = await patch('gen', '{"spec":{"maxReplicas":4},"status":{"currentReplicas":0}}');
    assert.equal(spec.json().metadata.generation, 2);
    assert.equal(spec.json().status.currentReplicas, 5, 'main resource must not change status');
  });

  it('pages lists with limit and continue, and serves dry-run without storing', async () => {
    for (let i = 0; i < 7; i++) await s.api('/api/v1/namespaces/default/configmaps', { method: 'POST', body: cm(`page-${i}`) });
    const names: string[] = [];
    let cont = '';
    let pages = 0;
    do {
      const r = (await s.api(`/api/v1/namespaces/default/configmaps?labelSelector=&limit=3${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)).json();
      names.push(...r.items.map((i: any) => i.metadata.name));
      cont = r.metadata.continue ?? '';
      pages++;
    } while (cont);
    assert.ok(pages >= 3);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.filter((n) => n.startsWith('page-')).length === 7);
    const dry = await s.api('/api/v1/namespaces/default/configmaps?dryRun=All', { method: 'POST', body: cm('dry') });
    assert.equal(dry.status, 201);
    assert.equal((await s.api('/api/v1/namespaces/default/configmaps/dry')).status, 404);
  });

  it('keeps 1,000 acknowledged creates across kill -9', async () => {
    const N = 1000;
    let next = 0;
    const worker = async () => {
      while (next < N) {
        const i = next++;
        const r = await s.api('/api/v1/namespaces/default/configmaps', { method: 'POST', body: cm(`durable-${i}`, { i: String(i) }) });
        assert.equal(r.status, 201);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await s.kill9();
    s = await startServer({ dataDir: s.dataDir, home: s.home });
    started.push(s);
    const list = (await s.api('/api/v1/namespaces/default/configmaps')).json();
    const durable = list.items.filter((i: any) => i.metadata.name.startsWith('durable-'));
    assert.equal(durable.length, N);
  });

  it('resumes a watch from a resourceVersion after a restart', async () => {
    const first = (await s.api('/api/v1/namespaces/default/configmaps', { method: 'POST', body: cm('w1') })).json();
    await s.api('/api/v1/namespaces/default/configmaps', { method: 'POST', body: cm('w2') });
    await s.api('/api/v1/namespaces/default/configmaps/w1', { method: 'DELETE' });
    const r = await s.api(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${first.metadata.resourceVersion}&timeoutSeconds=1`);
    const events = r.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.object.metadata.name}`),
      ['ADDED w2', 'DELETED w1'],
    );
  });
});

describe('deletion propagation', { timeout: 120_000 }, () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(async () => {
    await s?.cleanup();
  });

  /** A Deployment and a ReplicaSet it owns, as the deployment controller would make them. */
  async function owned(name: string): Promise<void> {
    const d = (
      await s.api('/apis/apps/v1/namespaces/default/deployments', {
        method: 'POST',
        body: JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name },
          spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } } },
        }),
      })
    ).json();
    const rs = await s.api('/apis/apps/v1/namespaces/default/replicasets', {
      method: 'POST',
      body: JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        // Labelled as the selector asks: the deployment controller releases a ReplicaSet its selector does not match.
        metadata: { name: `${name}-rs`, labels: { app: name }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }] },
        spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } } },
      }),
    });
    assert.equal(rs.status, 201, rs.text);
  }

  const gone = async (path: string) => {
    for (let i = 0; i < 100 && (await s.api(path)).status !== 404; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await s.api(path)).status, 404, `${path} is still there`);
  };

  it('background: kubectl delete removes the owner at once and the garbage collector its dependents', async () => {
    await owned('bg');
    await s.k(['delete', 'deploy', 'bg']);
    await gone('/apis/apps/v1/namespaces/default/replicasets/bg-rs');
  });

  it('foreground: the owner waits for its dependents', async () => {
    await owned('fg');
    const out = await s.k(['delete', 'deploy', 'fg', '--cascade=foreground'], { timeoutMs: 60_000 });
    assert.match(out, /deployment\.apps "fg" deleted/);
    await gone('/apis/apps/v1/namespaces/default/replicasets/fg-rs');
    await gone('/apis/apps/v1/namespaces/default/deployments/fg');
  });

  it('orphan: dependents stay, without the owner reference', async () => {
    await owned('or');
    await s.k(['delete', 'deploy', 'or', '--cascade=orphan'], { timeoutMs: 60_000 });
    await gone('/apis/apps/v1/namespaces/default/deployments/or');
    const rs = (await s.api('/apis/apps/v1/namespaces/default/replicasets/or-rs')).json();
    assert.equal(rs.metadata.ownerReferences, undefined);
  });
});
