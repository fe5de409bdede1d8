// Test fixture for the ingress tests: a real registry (per test), informers,
// the real endpoint view and the ingress on loopback ports; backends are node
// HTTP servers on 10.42.0.x (inside the test's network namespace) that answer with who they are and what they got.
// Services and EndpointSlices are written directly, one slice per backend (so
// each can have its own port), as the EndpointSlice controller would.

import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { basename } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { useTempRegistry } from '../../apiserver/registry/test-registry.ts';
import { InformerFactory } from '../../client/informer.ts';
import { LocalClient } from '../../client/local.ts';
import { R } from '../../client/resources.ts';
import type { KObject } from '../../client/types.ts';
import { InformerEndpointView } from '../endpoints/view.ts';
import { startIngress, type IngressOptions, type RunningIngress } from './index.ts';
import { BACKEND_NET, inOwnNetns, prepareNetns, runInNetns } from './netns.ts';

/**
 * Defines a file's tests so that they run in a network namespace of their
 * own (see netns.ts): outside it, one test re-runs the file there and fails
 * with its output if any of its tests failed.
 */
export function inNetns(moduleUrl: string, define: () => void): void {
  if (inOwnNetns()) {
    prepareNetns();
    define();
    return;
  }
  const file = fileURLToPath(moduleUrl);
  test(`${basename(file)} (in a network namespace of its own)`, async (t) => {
    const r = await runInNetns(['--test', '--test-reporter=spec', file], true);
    for (const line of r.output.split('\n')) if (/^\s*[✔✖]/.test(line)) t.diagnostic(line.trim());
    assert.equal(r.code, 0, r.output);
  });
}

export async function until(cond: () => boolean | Promise<boolean>, what = 'condition', tries = 500): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`${what} not reached`);
}

export interface Backend {
  name: string;
  ip: string;
  port: number;
  server: Server;
  /** Requests this backend answered. */
  hits: number;
  /** Open connections to it. */
  sockets: Set<Socket>;
  /** Takes over a request (after its body was read) when it returns true. */
  onRequest?: (req: IncomingMessage, res: ServerResponse) => boolean;
  close(): Promise<void>;
}

/** An HTTP backend answering `{name, url, headers, remotePort}` as JSON. */
export async function startBackend(name: string, ip: string): Promise<Backend> {
  const sockets = new Set<Socket>();
  const b = { name, ip, sockets, hits: 0 } as Backend;
  const server = createServer((req, res) => {
    b.hits++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (b.onRequest?.(req, res)) return;
      const body = JSON.stringify({ name, url: req.url, method: req.method, headers: req.headers, remotePort: req.socket.remotePort, body: Buffer.concat(chunks).toString() });
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Backend': name, 'Keep-Alive': 'timeout=30' });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, ip, () => r()));
  b.server = server;
  b.port = (server.address() as AddressInfo).port;
  b.close = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return b;
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json: () => any;
}

/** One request to the ingress with its own connection unless an agent is given. */
export function get(port: number, host: string, path: string, opts: { agent?: any; method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', agent: opts.agent ?? false, headers: { Host: host, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode!, headers: res.headers, body, json: () => JSON.parse(body) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export interface Env {
  client: LocalClient;
  informers: InformerFactory;
  view: InformerEndpointView;
  ingress: RunningIngress;
  backends: Backend[];
  /** A Service `name` with port 80 ("http") whose endpoints are the given backends (one slice each). */
  service(name: string, backends: Backend[], opts?: { ready?: boolean }): Promise<void>;
  /** Replaces the endpoints of a Service (slices of other backends are deleted). */
  setEndpoints(name: string, backends: Backend[], ready?: boolean): Promise<void>;
  ingressObject(obj: Record<string, any>): Promise<KObject>;
  /** Waits until the route for host+path answers with this backend name (or status). */
  routed(host: string, path: string, expect: string | number): Promise<void>;
  close(): Promise<void>;
}

function slice(svc: string, b: Backend, ready: boolean): KObject {
  return {
    metadata: { name: `${svc}-${b.name}`, namespace: 'default', labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: b.port, protocol: 'TCP' }],
    endpoints: [{ addresses: [b.ip], conditions: { ready, serving: ready, terminating: !ready } }],
  } as KObject;
}

export function useIngressEnv(prefix: string): (timeouts?: { connectMs?: number; readMs?: number }) => Promise<Env> {
  const fx = useTempRegistry(prefix);
  return async (timeouts = {}) => {
    const client = new LocalClient(fx.registry, 'test');
    const informers = new InformerFactory(client);
    const view = new InformerEndpointView(informers);
    await informers.start();
    const opts: IngressOptions = {
      client,
      informers,
      view,
      http: { host: '127.0.0.1', port: 0 },
      https: { host: '127.0.0.1', port: 0 },
      timeouts: { connectMs: 2000, readMs: 10_000, ...timeouts },
    };
    const ingress = await startIngress(opts);
    const backends: Backend[] = [];
    const sliceNames = new Map<string, Set<string>>();
    const env: Env = {
      client,
      informers,
      view,
      ingress,
      backends,
      async service(name, bs, o = {}) {
        await client.create(R.services, 'default', { metadata: { name }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } } as KObject);
        await env.setEndpoints(name, bs, o.ready ?? true);
      },
      async setEndpoints(name, bs, ready = true) {
        const had = sliceNames.get(name) ?? new Set<string>();
        const now = new Set<string>();
        for (const b of bs) {
          const s = slice(name, b, ready);
          now.add(s.metadata.name!);
          if (had.has(s.metadata.name!)) {
            const cur = await client.get(R.endpointslices, 'default', s.metadata.name!);
            await client.update(R.endpointslices, { ...s, metadata: { ...s.metadata, resourceVersion: cur.metadata.resourceVersion } });
          } else await client.create(R.endpointslices, 'default', s);
        }
        for (const n of had) if (!now.has(n)) await client.delete(R.endpointslices, 'default', n);
        sliceNames.set(name, now);
        await until(() => {
          const eps = view.endpoints('default', name, { number: 80 });
          return eps.length === bs.length && eps.every((e) => e.ready === ready);
        }, `endpoints of ${name}`);
      },
      ingressObject(obj) {
        return client.create(R.ingresses, 'default', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', ...obj } as KObject);
      },
      async routed(host, path, expect) {
        await until(async () => {
          const r = await get(ingress.httpPort, host, path);
          return typeof expect === 'number' ? r.status === expect : r.status === 200 && r.json().name === expect;
        }, `${host}${path} → ${expect}`);
      },
      async close() {
        await ingress.close();
        informers.stop();
        await Promise.all(backends.map((b) => b.close()));
      },
    };
    return env;
  };
}

/** Starts backends on BACKEND_NET.firstHost, .firstHost+1, ... */
export async function backendsOn(env: Env, names: string[], firstHost = 10): Promise<Backend[]> {
  const out: Backend[] = [];
  for (let i = 0; i < names.length; i++) {
    const b = await startBackend(names[i]!, `${BACKEND_NET}.${firstHost + i}`);
    env.backends.push(b);
    out.push(b);
  }
  return out;
}
