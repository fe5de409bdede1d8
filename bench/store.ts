// Figures for the SQLite store at the API server's target size: 10,000
// objects of ~800 bytes and 100 open watches; then 10,000 creates with 16 and
// 64 in flight, called directly and through HTTP (each on a fresh store).
// Over HTTP each request is its own I/O callback, as in the API server, which
// is what tells the flush modes apart (see ../README.md, Group commit); the
// client runs in a worker thread.
// Run: npm run bench:store -- [dir] [--flush-on immediate|microtask]
// (dir defaults to the OS temp dir; put it on the disk the server will use,
// since a commit costs one fsync).
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { SqliteStore, type SqliteStoreOptions } from '../store/sqlite/sqlite-store.ts';

const OBJECTS = 10_000;

function podJson(i: number, generation: number): string {
  const labels = Object.fromEntries(Array.from({ length: 5 }, (_, l) => [`label-${l}`, `value-${i % 7}-${l}`]));
  const containers = [{ name: 'app', image: 'registry.example.com/app:1.2.3', env: Array.from({ length: 15 }, (_, e) => ({ name: `ENV_${e}`, value: `v${e}-${generation}` })) }];
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}`, namespace: 'default', labels }, spec: { containers }, status: { phase: 'Running' } });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function timed(label: string, runs: number, op: (i: number) => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await op(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const total = times.reduce((a, b) => a + b, 0);
  console.log(
    `${label.padEnd(44)} ${(runs / (total / 1000)).toFixed(0).padStart(7)}/s  p50 ${percentile(times, 50).toFixed(2)} ms  p99 ${percentile(times, 99).toFixed(2)} ms`,
  );
}

function report(label: string, total: number, elapsedMs: number, sortedTimes: number[], store: SqliteStore): void {
  // writeStats: absent when this file is run against a store without group commit.
  const stats = (store as Partial<SqliteStore>).writeStats;
  const perCommit = stats ? `  ${(stats.writes / stats.transactions).toFixed(1)} writes/commit` : '';
  console.log(
    `${label.padEnd(44)} ${(total / (elapsedMs / 1000)).toFixed(0).padStart(7)}/s  p50 ${percentile(sortedTimes, 50).toFixed(2)} ms  p99 ${percentile(sortedTimes, 99).toFixed(2)} ms${perCommit}`,
  );
}

/** `total` operations, `inFlight` of them outstanding at any time; latency is per operation. */
async function concurrent(store: SqliteStore, label: string, total: number, inFlight: number, op: (i: number) => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t = performance.now();
      await op(i);
      times.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsed = performance.now() - start;
  times.sort((a, b) => a - b);
  report(label, total, elapsed, times, store);
}

// The HTTP client: `total` POSTs of an ~800-byte body, `inFlight` at a time on keep-alive connections.
const CLIENT = `
const { parentPort, workerData: { port, total, inFlight, body } } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
const times = [];
let next = 0;
const post = () => new Promise((resolve, reject) => {
  const start = performance.now();
  const req = http.request({ host: '127.0.0.1', port, method: 'POST', agent }, (res) => {
    res.resume();
    res.on('end', () => (res.statusCode === 201 ? resolve(times.push(performance.now() - start)) : reject(new Error('HTTP ' + res.statusCode))));
  });
  req.on('error', reject);
  req.end(body);
});
const start = performance.now();
Promise.all(Array.from({ length: inFlight }, async () => { while (next++ < total) await post(); })).then(() => {
  agent.destroy();
  parentPort.postMessage({ elapsed: performance.now() - start, times });
});`;

/** `total` creates through an HTTP server that reads the body and creates the key, `inFlight` requests at a time. */
async function overHttp(store: SqliteStore, label: string, total: number, inFlight: number, key: (i: number) => string): Promise<void> {
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      store.create(key(n++), Buffer.concat(chunks).toString()).then(
        (kv) => res.writeHead(201).end(String(kv.modRevision)),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const { elapsed, times } = await new Promise<{ elapsed: number; times: number[] }>((resolve, reject) => {
    const worker = new Worker(CLIENT, { eval: true, workerData: { port, total, inFlight, body: podJson(0, 0) } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  server.close();
  times.sort((a, b) => a - b);
  report(label, total, elapsed, times, store);
}

const { values: flags, positionals } = parseArgs({ allowPositionals: true, options: { 'flush-on': { type: 'string' } } });
const storeOptions: SqliteStoreOptions = { flushOn: flags['flush-on'] as SqliteStoreOptions['flushOn'] };

const dir = await mkdtemp(join(positionals[0] ?? tmpdir(), 'skiff-bench-'));
try {
  const store = await SqliteStore.open(join(dir, 'state.db'), storeOptions);
  const key = (i: number) => `/registry/pods/default/pod-${String(i).padStart(5, '0')}`;
  console.log(`value size ${podJson(0, 0).length} bytes, ${OBJECTS} objects`);
  await timed('create (sequential, synchronous=FULL)', OBJECTS, (i) => store.create(key(i), podJson(i, 0)));
  for (let i = 0; i < 1000; i++) await store.create(`/registry/configmaps/default/cm-${i}`, '{}');

  await timed('get', 10_000, (i) => store.get(key(i)));
  await timed('list 10k under a prefix', 20, () => store.list('/registry/pods/'));
  await timed('list page of 500 (with remaining)', 20, (i) =>
    store.list('/registry/pods/', { limit: 500, after: key((i * 500) % OBJECTS) }),
  );
  await timed('count 10k', 20, () => store.count('/registry/pods/'));

  // From the current revision: a watch from 0 would first replay 11,000 rows each, in setImmediate
  // steps, which would land inside or after the timed loop depending on whether writes yield.
  const now = await store.currentRevision();
  const watchers = Array.from({ length: 100 }, (_, w) =>
    store.watch(w < 50 ? '/registry/pods/' : `/registry/other-${w}/`, now, { onEvents: () => {}, onError: () => {} }),
  );
  await timed('update (get + update), 100 watches open', 2000, async (i) => {
    const kv = (await store.get(key(i)))!;
    await store.update(kv.key, podJson(i, 1), kv.modRevision);
  });
  await timed('list 10k after 2,000 updates (history)', 20, () => store.list('/registry/pods/'));
  for (const w of watchers) w.close();
  await timed('compact (2,000 superseded rows)', 1, async () => store.compact(await store.currentRevision()));
  await store.close();

  for (const inFlight of [16, 64]) {
    const fresh = await SqliteStore.open(join(dir, `concurrent-${inFlight}.db`), storeOptions);
    await concurrent(fresh, `create, ${inFlight} in flight`, OBJECTS, inFlight, (i) => fresh.create(key(i), podJson(i, 0)));
    await fresh.close();
  }
  for (const inFlight of [1, 16, 64]) {
    const fresh = await SqliteStore.open(join(dir, `http-${inFlight}.db`), storeOptions);
    await overHttp(fresh, `create over HTTP, ${inFlight} in flight`, inFlight === 1 ? 2000 : OBJECTS, inFlight, key);
    await fresh.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
