// Control-plane benchmark (issue 2 figures), one command: `npm run bench`.
//   - idle RSS of `skiff server` (goal <= 50 MB)
//   - API p50/p99 of single-object create/get/update with 10,000 objects
//     stored and 100 open watches (goal p99 <= 10 ms)
//   - list of 10,000 objects (goal <= 300 ms)
//   - store writes/s (SQLite backend, in process)
// Machines are shared and noisy: every figure is a median over repeats.

import { spawn } from 'node:child_process';
import { Agent, request } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from '../test/harness.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';

const OBJECTS = 10_000;
const WATCHES = 100;
const SAMPLES = 1000;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const median = (xs: number[]) => percentile(xs, 50);

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Memory only this process holds (Private_Dirty) and its proportional share (Pss), from smaps_rollup. */
function privateMb(pid: number): { privateDirty: number; pss: number } {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { privateDirty: kb('Private_Dirty') / 1024, pss: kb('Pss') / 1024 };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function client(s: TestServer) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const call = (method: string, path: string, body?: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `https://127.0.0.1:${s.port}${path}`,
        { method, agent, ca: s.ca, headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  /** Opens a watch and keeps it open (the body is drained and dropped). */
  const watch = (path: string) =>
    new Promise<() => void>((resolve, reject) => {
      const req = request(`https://127.0.0.1:${s.port}${path}`, { agent: false, ca: s.ca, headers: { authorization: `Bearer ${s.token}` } }, (res) => {
        res.on('data', () => {});
        resolve(() => req.destroy());
      });
      req.on('error', (e) => (String(e).includes('socket hang up') ? undefined : reject(e)));
      req.end();
    });
  return { call, watch, close: () => agent.destroy() };
}

const cm = (name: string, v: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { bench: 'yes' } }, data: { v } });

async function timed(fn: () => Promise<{ status: number }>, expect: number): Promise<number> {
  const t = process.hrtime.bigint();
  const r = await fn();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== expect) throw new Error(`unexpected status ${r.status}`);
  return ms;
}

/** RSS of a bare `node` process that does nothing: the floor any Node.js server starts from. */
async function bareNodeRssMb(): Promise<number> {
  const p = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await sleep(2000);
  const mb = rssMb(p.pid!);
  p.kill();
  return mb;
}

async function main(): Promise<void> {
  const bare = await bareNodeRssMb();
  const s = await startServer();
  const c = client(s);
  try {
    // Idle RSS: after start-up settles, sampled over 5 s.
    await sleep(3000);
    const idle: number[] = [];
    const idlePrivate: number[] = [];
    const idlePss: number[] = [];
    for (let i = 0; i < 5; i++) {
      idle.push(rssMb(s.proc.pid!));
      const p = privateMb(s.proc.pid!);
      idlePrivate.push(p.privateDirty);
      idlePss.push(p.pss);
      await sleep(1000);
    }

    // Load 10,000 objects (16 in flight), then open 100 watches.
    const t0 = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < OBJECTS) {
          const i = next++;
          const r = await c.call('POST', '/api/v1/namespaces/default/configmaps', cm(`obj-${i}`, String(i)));
          if (r.status !== 201) throw new Error(r.text);
        }
      }),
    );
    const loadS = (Date.now() - t0) / 1000;
    const closers: (() => void)[] = [];
    for (let i = 0; i < WATCHES; i++) closers.push(await c.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${i % 2 ? '' : '1'}&labelSelector=w${i % 10}%3Dx`));

    const create: number[] = [];
    const get: number[] = [];
    const update: number[] = [];
    for (let i = 0; i < SAMPLES; i++) create.push(await timed(() => c.call('POST', '/api/v1/namespaces/default/configmaps', cm(`lat-${i}`, '0')), 201));
    for (let i = 0; i < SAMPLES; i++) get.push(await timed(() => c.call('GET', `/api/v1/namespaces/default/configmaps/obj-${(i * 7) % OBJECTS}`), 200));
    for (let i = 0; i < SAMPLES; i++) update.push(await timed(() => c.call('PUT', `/api/v1/namespaces/default/configmaps/lat-${i}`, cm(`lat-${i}`, '1')), 200));
    const timeList = async (path: string) => {
      const times: number[] = [];
      let n = 0;
      for (let i = 0; i < 5; i++) {
        const t = process.hrtime.bigint();
        const r = await c.call('GET', path);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
        n = JSON.parse(r.text).items.length;
      }
      return { ms: median(times), n };
    };
    const plainList = await timeList('/api/v1/namespaces/default/configmaps');
    const selectedList = await timeList('/api/v1/namespaces/default/configmaps?labelSelector=bench%3Dyes');
    const busyRss = rssMb(s.proc.pid!);
    closers.forEach((x) => x());

    // Store writes/s, in process, on a fresh file: sequential acknowledged creates.
    const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-store-'));
    const store = await SqliteStore.open(join(dir, 'state.db'));
    const writes = 5000;
    const tw = process.hrtime.bigint();
    for (let i = 0; i < writes; i++) await store.create(`/registry/core/configmaps/default/w-${i}`, cm(`w-${i}`, String(i)));
    const writesPerS = writes / (Number(process.hrtime.bigint() - tw) / 1e9);
    await store.close();
    rmSync(dir, { recursive: true, force: true });

    const f = (x: number) => x.toFixed(2);
    console.log('skiff control-plane benchmark (medians; shared machine)');
    console.log(`idle RSS of skiff server:            ${f(median(idle))} MB   (goal <= 50 MB)`);
    console.log(`  a bare node process idles at:      ${f(bare)} MB (same run)`);
    console.log(`  of which private (Private_Dirty):  ${f(median(idlePrivate))} MB; PSS ${f(median(idlePss))} MB (the rest is the node binary's shared, clean pages)`);
    console.log(`RSS with ${OBJECTS} objects, ${WATCHES} watches:  ${f(busyRss)} MB`);
    console.log(`load ${OBJECTS} objects over the API:     ${f(loadS)} s (${f(OBJECTS / loadS)} creates/s, 16 in flight)`);
    for (const [name, xs] of [['create', create], ['get', get], ['update', update]] as const) {
      console.log(`${name.padEnd(7)} p50 ${f(percentile(xs, 50))} ms  p99 ${f(percentile(xs, 99))} ms   (goal p99 <= 10 ms; ${xs.length} sequential requests)`);
    }
    console.log(`list of ${plainList.n} objects:             ${f(plainList.ms)} ms (median of 5)  (goal <= 300 ms)`);
    console.log(`  with a label selector (${selectedList.n} match):  ${f(selectedList.ms)} ms`);
    console.log(`store writes/s (SQLite, WAL, synchronous=FULL, sequential): ${writesPerS.toFixed(0)}`);
  } finally {
    c.close();
    await s.cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
