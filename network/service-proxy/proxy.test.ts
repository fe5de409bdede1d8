// The service proxy end to end on loopback: a real registry, the real
// EndpointSlice controller and endpoint view, pods whose IPs (10.42.0.x)
// map to loopback backends (127.B.0.x), and ClusterIPs mapped to loopback
// addresses by bindHost. Round robin over ready endpoints, a refusing
// endpoint skipped without a client error, ClientIP affinity, NodePort and
// LoadBalancer, UDP, established connections surviving endpoint removal,
// rejection without endpoints, and listeners closed with their Service.

import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { useTempRegistry } from '../../apiserver/registry/test-registry.ts';
import { InformerFactory } from '../../client/informer.ts';
import { LocalClient } from '../../client/local.ts';
import { R } from '../../client/resources.ts';
import type { KObject } from '../../client/types.ts';
import { EndpointSliceController } from '../../controllers/endpointslice/endpointslice-controller.ts';
import { InformerEndpointView } from '../endpoints/view.ts';
import { startServiceProxy, type ServiceProxy } from './proxy.ts';

const fx = useTempRegistry('service-proxy');

// Loopback networks of this run: ClusterIPs under 127.S, pod IPs under 127.B.
const S = 20 + Math.floor(Math.random() * 100);
const B = S + 100;
const PORT = 20000 + Math.floor(Math.random() * 10000);
const bindHost = (ip: string): string => `127.${S}.${ip.split('.').slice(2).join('.')}`;
const dialHost = (ip: string): string => `127.${B}.${ip.split('.').slice(2).join('.')}`;

async function until(cond: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`${what} not reached`);
}

interface World {
  client: LocalClient;
  view: InformerEndpointView;
  proxy: ServiceProxy;
  now: { ms: number };
  closers: (() => unknown)[];
}

let w: World;

beforeEach(async () => {
  const client = new LocalClient(fx.registry, 'test');
  const informers = new InformerFactory(client);
  const view = new InformerEndpointView(informers);
  const slices = new EndpointSliceController(client, informers);
  await slices.start();
  await informers.start();
  await client.create(R.nodes, undefined, { metadata: { name: 'node-1' } });
  const node = await client.get(R.nodes, undefined, 'node-1');
  await client.updateStatus(R.nodes, { ...node, status: { addresses: [{ type: 'InternalIP', address: `127.${S}.250.1` }] } });
  const now = { ms: Date.parse('2024-05-01T10:00:00Z') };
  const proxy = await startServiceProxy({ view, client, nodeName: 'node-1', bindHost, dialHost, nodePortHost: `127.${S}.251.1`, now: () => now.ms, udpIdleTimeoutMs: 2000 });
  w = { client, view, proxy, now, closers: [() => proxy.close(), () => slices.stop(), () => informers.stop()] };
});

afterEach(async () => {
  for (const c of w.closers) await c();
});

/** A TCP backend at a pod IP: greets with its name, then echoes. */
async function backend(podIp: string): Promise<void> {
  const conns = new Set<net.Socket>();
  const server = net.createServer((s) => {
    conns.add(s);
    s.on('close', () => conns.delete(s));
    s.on('error', () => {});
    s.write(`${podIp}\n`);
    s.pipe(s);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(PORT, dialHost(podIp), resolve));
  w.closers.unshift(() => {
    for (const c of conns) c.destroy();
    return new Promise((r) => server.close(r));
  });
}

async function udpBackend(podIp: string): Promise<void> {
  const sock = dgram.createSocket('udp4');
  sock.on('message', (m, r) => sock.send(Buffer.concat([Buffer.from(`${podIp}:`), m]), r.port, r.address));
  await new Promise<void>((resolve) => sock.bind(PORT, dialHost(podIp), resolve));
  w.closers.unshift(() => new Promise((r) => sock.close(() => r(undefined))));
}

async function pod(name: string, ip: string, ready = true): Promise<void> {
  const p = await w.client.create(R.pods, 'default', { metadata: { name, labels: { app: 'web' } }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'x' }] } });
  await setReady(p, ip, ready);
}

async function setReady(p: KObject, ip: string, ready: boolean): Promise<void> {
  const cur = await w.client.get(R.pods, 'default', p.metadata.name!);
  await w.client.updateStatus(R.pods, { ...cur, status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
}

async function service(spec: Record<string, unknown> = {}, name = 'web'): Promise<KObject> {
  return w.client.create(R.services, 'default', { metadata: { name }, spec: { selector: { app: 'web' }, ports: [{ name: 'p', port: 80, targetPort: PORT }], ...spec } });
}

const readyCount = (n: number) => () => w.view.endpoints('default', 'web', { number: 80 }).filter((e) => e.ready).length === n;

/** Connects, reads the greeting line (the backend's pod IP); keeps the socket open if asked. */
function hello(host: string, port: number, localAddress?: string, keep = false): Promise<{ who: string; sock: net.Socket }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port, localAddress });
    let buf = '';
    sock.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      sock.removeAllListeners('data');
      if (!keep) sock.end();
      resolve({ who: buf.slice(0, nl), sock });
    });
    sock.on('error', reject);
    sock.on('close', () => reject(new Error('closed before a greeting')));
  });
}

async function clusterHost(name = 'web'): Promise<string> {
  const svc = await w.client.get(R.services, 'default', name);
  return bindHost((svc.spec as { clusterIP: string }).clusterIP);
}

describe('service proxy', () => {
  it('balances round robin over ready endpoints only and skips a refusing one without a client error', async () => {
    await backend('10.42.0.2');
    await backend('10.42.0.3');
    await backend('10.42.0.4');
    await pod('a', '10.42.0.2');
    await pod('b', '10.42.0.3');
    await pod('c', '10.42.0.4', false);
    await pod('dead', '10.42.0.5'); // Ready, but nothing listens there: refused.
    await service();
    await until(readyCount(3), 'three ready endpoints');
    const host = await clusterHost();
    await until(async () => (await hello(host, 80).catch(() => undefined)) !== undefined, 'the listener');
    const seen: Record<string, number> = {};
    for (let i = 0; i < 9; i++) {
      const { who } = await hello(host, 80);
      seen[who] = (seen[who] ?? 0) + 1;
    }
    assert.deepEqual(Object.keys(seen).sort(), ['10.42.0.2', '10.42.0.3'], 'never the not-ready pod, never a failure');
    assert.ok(seen['10.42.0.2']! >= 3 && seen['10.42.0.3']! >= 3, `spread: ${JSON.stringify(seen)}`);
  });

  it('keeps a client on one endpoint with ClientIP affinity until its timeout', async () => {
    await backend('10.42.0.2');
    await backend('10.42.0.3');
    await pod('a', '10.42.0.2');
    await pod('b', '10.42.0.3');
    await service({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } });
    await until(readyCount(2));
    const host = await clusterHost();
    await until(async () => (await hello(host, 80).catch(() => undefined)) !== undefined, 'the listener');
    const client1 = `127.${S}.252.1`;
    const first = (await hello(host, 80, client1)).who;
    for (let i = 0; i < 5; i++) assert.equal((await hello(host, 80, client1)).who, first);
    w.now.ms += 61_000;
    const after = new Set<string>();
    for (let i = 0; i < 4; i++) {
      after.add((await hello(host, 80, client1)).who);
      w.now.ms += 61_000;
    }
    assert.equal(after.size, 2, 'after the timeout the client is balanced again');
  });

  it('answers on the node port and on the load balancer address, and sets status.loadBalancer', async () => {
    await backend('10.42.0.2');
    await pod('a', '10.42.0.2');
    const svc = await service({ type: 'LoadBalancer' });
    const nodePort = (svc.spec as { ports: { nodePort: number }[] }).ports[0]!.nodePort;
    assert.ok(nodePort >= 30000);
    await until(readyCount(1));
    await until(async () => (await hello(`127.${S}.251.1`, nodePort).catch(() => undefined))?.who === '10.42.0.2', 'the node port');
    assert.equal((await hello(`127.${S}.250.1`, 80)).who, '10.42.0.2', 'the service port on the node address');
    await until(async () => JSON.stringify(((await w.client.get(R.services, 'default', 'web')).status as Record<string, unknown>)?.loadBalancer) === JSON.stringify({ ingress: [{ ip: `127.${S}.250.1` }] }), 'the load balancer status');
  });

  it('relays UDP per client flow and moves a flow whose endpoint left', async () => {
    await udpBackend('10.42.0.2');
    await udpBackend('10.42.0.3');
    await pod('a', '10.42.0.2');
    await pod('b', '10.42.0.3');
    await service({ ports: [{ name: 'dns', port: 80, targetPort: PORT, protocol: 'UDP' }] });
    await until(readyCount(2));
    const host = await clusterHost();
    const sock = dgram.createSocket('udp4');
    w.closers.unshift(() => new Promise((r) => sock.close(() => r(undefined))));
    const replies: string[] = [];
    sock.on('message', (m) => replies.push(String(m)));
    await until(() => {
      sock.send('ping', 80, host);
      return replies.length > 0;
    }, 'a UDP reply');
    const [first] = replies;
    assert.match(first!, /^10\.42\.0\.[23]:ping$/);
    const ip = first!.split(':')[0]!;
    sock.send('again', 80, host);
    await until(() => replies.length >= 2);
    assert.equal(replies.at(-1), `${ip}:again`, 'the same flow, the same endpoint');

    await setReady(await w.client.get(R.pods, 'default', ip === '10.42.0.2' ? 'a' : 'b'), ip, false);
    await until(readyCount(1));
    const other = ip === '10.42.0.2' ? '10.42.0.3' : '10.42.0.2';
    await until(() => {
      sock.send('moved', 80, host);
      return replies.at(-1) === `${other}:moved`;
    }, 'the flow moved to the ready endpoint');
  });

  it('keeps established connections when their endpoint leaves, rejects without endpoints, and closes listeners with the Service', async () => {
    await backend('10.42.0.2');
    await backend('10.42.0.3');
    await pod('a', '10.42.0.2');
    await service();
    await until(readyCount(1));
    const host = await clusterHost();
    await until(async () => (await hello(host, 80).catch(() => undefined)) !== undefined, 'the listener');
    const { who, sock } = await hello(host, 80, undefined, true);
    assert.equal(who, '10.42.0.2');

    await setReady(await w.client.get(R.pods, 'default', 'a'), '10.42.0.2', false);
    await until(readyCount(0));
    const echoed = new Promise<string>((r) => sock.once('data', (d) => r(String(d))));
    sock.write('still here');
    assert.equal(await echoed, 'still here', 'the established connection goes on');

    // No ready endpoint: the connection is rejected at once.
    await assert.rejects(hello(host, 80));

    await pod('b', '10.42.0.3');
    await until(readyCount(1));
    assert.equal((await hello(host, 80)).who, '10.42.0.3');
    sock.destroy();

    await w.client.delete(R.services, 'default', 'web');
    await until(async () => (await hello(host, 80).then(() => 'open', (e: NodeJS.ErrnoException) => e.code)) === 'ECONNREFUSED', 'the listener closed');
  });
});
