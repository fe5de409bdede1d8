// Bad input never crashes the server: 10,000 generated bodies (random bytes,
// broken JSON/YAML/protobuf, wrong types, missing and unknown fields,
// invalid names, unknown kinds, odd patches) all get a 4xx Status or are
// accepted as valid; the server still answers /readyz and loses nothing.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:https';
import { request } from 'node:https';
import { startServer, type TestServer } from './harness.ts';

const BODIES = 10_000;
const CONCURRENCY = 16;

/** mulberry32: a small seeded PRNG so a failing run can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALID: Record<string, () => any> = {
  '/api/v1/namespaces/default/configmaps': () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f' }, data: { a: 'b' } }),
  '/api/v1/namespaces/default/secrets': () => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'f' }, type: 'Opaque', data: { a: 'Yg==' } }),
  '/api/v1/namespaces/default/pods': () => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'f', labels: { app: 'f' } },
    spec: { containers: [{ name: 'c', image: 'i:1', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: 'b' }], resources: { limits: { cpu: '1', memory: '1Gi' } } }] },
  }),
  '/api/v1/namespaces/default/services': () => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'f' },
    spec: { selector: { app: 'f' }, ports: [{ port: 80, targetPort: 'http' }] },
  }),
  '/apis/apps/v1/namespaces/default/deployments': () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'f' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'f' } },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: { metadata: { labels: { app: 'f' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } },
    },
  }),
  '/apis/batch/v1/namespaces/default/cronjobs': () => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'f' },
    spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } } } } },
  }),
  '/apis/networking.k8s.io/v1/namespaces/default/ingresses': () => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'f' },
    spec: { rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }] },
  }),
  '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers': () => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'f' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'f' }, minReplicas: 1, maxReplicas: 3 },
  }),
};

const WEIRD_VALUES = [null, 0, -1, 1.5, 2 ** 53, '', 'x'.repeat(300), 'Ünïcode ✓', true, [], {}, [null], { $patch: 'delete' }, '../../etc', '\u0000', -0, 1e308];

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

/** Replaces, deletes or adds a random node of obj. */
function mutate(rnd: () => number, obj: any, depth = 0): any {
  if (obj === null || typeof obj !== 'object' || depth > 8 || rnd() < 0.25) {
    return rnd() < 0.5 ? pick(rnd, WEIRD_VALUES) : obj;
  }
  const copy: any = Array.isArray(obj) ? [...obj] : { ...obj };
  const keys = Object.keys(copy);
  const r = rnd();
  if (keys.length && r < 0.15) delete copy[pick(rnd, keys)];
  else if (r < 0.3) copy[pick(rnd, ['foo', 'spec', 'status', 'metadata', '$patch', 'apiVersion', 'kind', 'x-y'])] = pick(rnd, WEIRD_VALUES);
  else if (keys.length) {
    const k = pick(rnd, keys);
    copy[k] = mutate(rnd, copy[k], depth + 1);
  }
  return copy;
}

interface Case {
  method: string;
  path: string;
  contentType: string;
  body: Buffer;
}

function generate(rnd: () => number, i: number): Case {
  const path = pick(rnd, Object.keys(VALID));
  const valid = VALID[path]!();
  valid.metadata.name = `fz-${i}`;
  const kind = rnd();
  if (kind < 0.08) return { method: 'POST', path, contentType: 'application/json', body: Buffer.from(Array.from({ length: Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256))) };
  if (kind < 0.16) {
    const text = JSON.stringify(valid);
    return { method: 'POST', path, contentType: 'application/json', body: Buffer.from(text.slice(0, Math.floor(rnd() * text.length))) };
  }
  if (kind < 0.22) return { method: 'POST', path, contentType: 'application/yaml', body: Buffer.from(pick(rnd, ['a: [', 'kind: ConfigMap\n  bad: indent', '&a [*a]', '- - -', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: y-' + i + '}\n'])) };
  if (kind < 0.28) {
    const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
    const junk = Buffer.from(Array.from({ length: Math.floor(rnd() * 100) }, () => Math.floor(rnd() * 256)));
    return { method: 'POST', path, contentType: 'application/vnd.kubernetes.protobuf', body: rnd() < 0.5 ? Buffer.concat([magic, junk]) : junk };
  }
  if (kind < 0.34) return { method: 'POST', path, contentType: 'application/json', body: Buffer.from(JSON.stringify(pick(rnd, [[], 42, 'str', null, { kind: 'Nope', apiVersion: 'v9' }, { ...valid, kind: 'Pod' }, { ...valid, apiVersion: 'apps/v2' }]))) };
  if (kind < 0.42) {
    const patchType = pick(rnd, ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml', 'text/plain']);
    const body =
      patchType === 'application/json-patch+json'
        ? [{ op: pick(rnd, ['add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus']), path: pick(rnd, ['/spec', '/metadata/name', '/data/x', '/spec/containers/-', '', '/a/b/c']), value: pick(rnd, WEIRD_VALUES), from: '/metadata' }]
        : mutate(rnd, { metadata: { labels: { a: 'b' } }, spec: { replicas: 3, template: { spec: { containers: [{ name: 'c', image: 'x' }] } } }, data: { k: 'v' } });
    return { method: 'PATCH', path: `${path}/sentinel`, contentType: patchType, body: Buffer.from(JSON.stringify(body)) };
  }
  if (kind < 0.5) {
    const obj = mutate(rnd, { ...valid, metadata: { ...valid.metadata, name: 'sentinel' } });
    return { method: 'PUT', path: `${path}/sentinel`, contentType: 'application/json', body: Buffer.from(JSON.stringify(obj)) };
  }
  if (kind < 0.55) {
    valid.metadata.name = pick(rnd, ['UPPER', '-lead', 'a'.repeat(300), 'has space', 'dots..x', '', 'ok-name-' + i]);
    valid.metadata.labels = { [pick(rnd, ['ok', 'bad key', 'a/b/c', 'x'.repeat(70)])]: pick(rnd, ['v', 'bad value!', 'y'.repeat(70)]) };
    return { method: 'POST', path, contentType: 'application/json', body: Buffer.from(JSON.stringify(valid)) };
  }
  let obj = valid;
  const rounds = 1 + Math.floor(rnd() * 4);
  for (let r = 0; r < rounds; r++) obj = mutate(rnd, obj);
  return { method: 'POST', path, contentType: 'application/json', body: Buffer.from(JSON.stringify(obj)) };
}

describe('fuzz', { timeout: 600_000 }, () => {
  let s: TestServer;
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  before(async () => {
    s = await startServer();
  });
  after(async () => {
    agent.destroy();
    await s?.cleanup();
  });

  const send = (c: Case) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `https://127.0.0.1:${s.port}${c.path}`,
        { method: c.method, agent, ca: s.ca, headers: { authorization: `Bearer ${s.token}`, 'content-type': c.contentType } },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(c.body);
    });

  it(`answers ${BODIES} generated bodies with 2xx or a 4xx Status and keeps everything`, async () => {
    const seed = Number(process.env.SKIFF_FUZZ_SEED ?? Date.now() % 100000);
    for (const [path, make] of Object.entries(VALID)) {
      const body = make();
      body.metadata.name = 'sentinel';
      const r = await send({ method: 'POST', path, contentType: 'application/json', body: Buffer.from(JSON.stringify(body)) });
      assert.equal(r.status, 201, `${path}: ${r.text}`);
    }
    const rnd = prng(seed);
    const cases = Array.from({ length: BODIES }, (_, i) => generate(rnd, i));
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const i = next++;
        const c = cases[i]!;
        const r = await send(c);
        const ok = (r.status >= 200 && r.status < 300) || (r.status >= 400 && r.status < 500 && JSON.parse(r.text).kind === 'Status');
        if (!ok && failures.length < 10) failures.push(`#${i} ${c.method} ${c.path} ${c.contentType} -> ${r.status} ${r.text.slice(0, 300)} body=${c.body.toString('base64').slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    assert.deepEqual(failures, [], `seed ${seed}`);
    const ready = await s.api('/readyz');
    assert.equal(ready.status, 200);
    for (const path of Object.keys(VALID)) {
      const r = await s.api(`${path}/sentinel`);
      assert.equal(r.status, 200, `sentinel at ${path} is gone: ${r.text}`);
    }
  });
});
