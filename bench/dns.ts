// Cluster DNS figures: queries/s and latency percentiles over UDP from a
// loopback client (in a worker thread, so it does not share the server's
// event loop), for a ClusterIP Service name, a headless Service name with 10
// endpoints, and a name forwarded to an upstream on loopback (answered from
// the reply cache after the first query). The peer: a bare dns-packet server
// with a fixed answer, so the ratio shows what the lookup costs over
// answering a fixed record. The machine is shared: figures move between runs.
// Run: node --import tsx bench/dns.ts [queries]

import { createSocket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import dnsPacket from 'dns-packet';
import { Registry } from '../apiserver/registry/registry.ts';
import { InformerFactory } from '../client/informer.ts';
import { LocalClient } from '../client/local.ts';
import { R } from '../client/resources.ts';
import type { KObject } from '../client/types.ts';
import { startDnsServer } from '../network/dns/index.ts';
import { SqliteStore } from '../store/index.ts';

const QUERIES = Number(process.argv[2] ?? 30_000);
const IN_FLIGHT = 16;

const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const dgram = require('node:dgram');
const { port, query, total, inFlight } = workerData;
const sock = dgram.createSocket('udp4');
const sent = new Map();
const lat = [];
let next = 0, done = 0;
const start = performance.now();
function send() {
  if (next >= total) return;
  const id = next++ & 0xffff;
  const q = Buffer.from(query);
  q.writeUInt16BE(id, 0);
  sent.set(id, performance.now());
  sock.send(q, port, '127.0.0.1');
}
sock.on('message', (msg) => {
  const t = sent.get(msg.readUInt16BE(0));
  if (t === undefined) return;
  sent.delete(msg.readUInt16BE(0));
  lat.push(performance.now() - t);
  if (++done === total) {
    sock.close();
    parentPort.postMessage({ seconds: (performance.now() - start) / 1000, lat });
  } else send();
});
for (let i = 0; i < inFlight; i++) send();
`;

function run(port: number, name: string, total: number): Promise<{ qps: number; p50: number; p99: number }> {
  const query = dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] });
  return new Promise((resolve, reject) => {
    const w = new Worker(CLIENT, { eval: true, workerData: { port, query, total, inFlight: IN_FLIGHT } });
    w.once('error', reject);
    w.once('message', ({ seconds, lat }: { seconds: number; lat: number[] }) => {
      lat.sort((a, b) => a - b);
      const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((lat.length * p) / 100))]!;
      void w.terminate();
      resolve({ qps: total / seconds, p50: pct(50), p99: pct(99) });
    });
  });
}

async function startPeer(): Promise<{ port: number; close(): void }> {
  const sock = createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    const q = dnsPacket.decode(msg);
    const reply = dnsPacket.encode({
      type: 'response',
      id: q.id,
      flags: dnsPacket.RECURSION_AVAILABLE | dnsPacket.AUTHORITATIVE_ANSWER,
      questions: q.questions,
      answers: [{ type: 'A', name: q.questions![0]!.name, ttl: 5, data: '192.0.2.1' }],
    });
    sock.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((res) => sock.bind(0, '127.0.0.1', () => res()));
  return { port: sock.address().port, close: () => sock.close() };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-bench-dns-'));
  const store = await SqliteStore.open(join(dir, 'state.db'));
  const peer = await startPeer();
  const informers = new InformerFactory(new LocalClient(new Registry(store), 'bench'));
  try {
    const client = new LocalClient(new Registry(store), 'bench');
    await client.create(R.namespaces, undefined, { metadata: { name: 'default' } });
    for (let i = 0; i < 200; i++) {
      await client.create(R.services, 'default', { metadata: { name: `svc-${i}` }, spec: { selector: { app: `a${i}` }, ports: [{ name: 'http', port: 80 }] } } as KObject);
    }
    await client.create(R.services, 'default', { metadata: { name: 'headless' }, spec: { clusterIP: 'None', selector: { app: 'h' } } } as KObject);
    await client.create(R.endpointslices, 'default', {
      metadata: { name: 'headless-1', labels: { 'kubernetes.io/service-name': 'headless' } },
      addressType: 'IPv4',
      endpoints: Array.from({ length: 10 }, (_, i) => ({ addresses: [`10.42.0.${i + 2}`], conditions: { ready: true } })),
      ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    } as KObject);
    const server = await startDnsServer({ informers, listen: [{ host: '127.0.0.1', port: 0 }], upstreams: [`127.0.0.1:${peer.port}`] });
    const port = server.addresses[0]!.port;
    for (const name of ['svc-7.default.svc.cluster.local', 'headless.default.svc.cluster.local', 'example.test']) await run(port, name, 3000);
    const rows: [string, Awaited<ReturnType<typeof run>>][] = [];
    rows.push(['ClusterIP Service (A)', await run(port, 'svc-7.default.svc.cluster.local', QUERIES)]);
    rows.push(['headless, 10 endpoints (A)', await run(port, 'headless.default.svc.cluster.local', QUERIES)]);
    rows.push(['forwarded (from the cache)', await run(port, 'example.test', QUERIES)]);
    rows.push(['peer directly (fixed answer)', await run(peer.port, 'example.test', QUERIES)]);
    await server.close();
    const peerQps = rows[3]![1].qps;
    console.log(`cluster DNS over UDP, ${QUERIES} queries, ${IN_FLIGHT} in flight, client in a worker thread`);
    for (const [label, r] of rows) {
      console.log(`${label.padEnd(30)} ${r.qps.toFixed(0).padStart(7)} q/s (${(r.qps / peerQps).toFixed(2)}x peer)  p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms`);
    }
  } finally {
    informers.stop();
    peer.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
