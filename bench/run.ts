// Control-plane benchmark (issue 2 figures), one command: `npm run bench`.
//   - idle RSS of `skiff server` (goal <= 50 MB)
//   - API p50/p99 of single-object create/get/update with 10,000 objects
//     stored and 100 open watches (goal p99 <= 10 ms)
//   - list of 10,000 objects (goal <= 300 ms)
//   - store writes/s (SQLite backend, in process)
// `node --import tsx bench/run.ts --idle-only` stops after the memory figures.
// Machines are shared and noisy: every figure is a median over repeats.

import { spawn } from 'node:child_process';
import { Agent, request } from 'node:https';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from '../test/harness.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';

const OBJECTS = 10_000;
const WATCHES = 100;
const SAMPLES = 1000;
/**
 * Idle is measured once the process has settled: V8's memory reducer runs its
 * first memory-reducing GCs 8 s after start-up, or 8 s later if allocation
 * was still brisk (they shrink the young generation that start-up grew and
 * compact the old one). The RSS right after start-up is printed too.
 */
const SETTLE_MS = 20_000;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const median = (xs: number[]) => percentile(xs, 50);

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * Where a process's memory is, from /proc/PID/smaps (MB). rss = file + anon.
 * file: pages of mapped files, mostly the node binary's code and data, clean
 * and shared with every node process on the machine (pss counts a shared page
 * once across its sharers). anon: private memory: `brk` is glibc's main
 * malloc heap; `other` is mostly the V8 heap (256 KiB pages), plus thread
 * stacks and malloc arenas of other threads.
 */
interface Memory {
  rss: number;
  pss: number;
  privateDirty: number;
  file: number;
  nodeBinary: number;
  anon: number;
  brk: number;
  otherAnon: number;
}

function memoryOf(pid: number): Memory {
  const m: Memory = { rss: 0, pss: 0, privateDirty: 0, file: 0, nodeBinary: 0, anon: 0, brk: 0, otherAnon: 0 };
  const node = realpathSync(process.execPath);
  let name = '';
  let anonymous = false;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (head) {
      name = head[2]!;
      anonymous = head[1] === '0' && (name === '' || name.startsWith('['));
      continue;
    }
    const f = /^(\w+):\s+(\d+) kB/.exec(line);
    if (!f) continue;
    const mb = Number(f[2]) / 1024;
    if (f[1] === 'Pss') m.pss += mb;
    else if (f[1] === 'Private_Dirty') m.privateDirty += mb;
    else if (f[1] === 'Rss') {
      m.rss += mb;
      if (!anonymous) {
        m.file += mb;
        if (name === node) m.nodeBinary += mb;
      } else {
        m.anon += mb;
        if (name === '[heap]') m.brk += mb;
        else m.otherAnon += mb;
      }
    }
  }
  return m;
}

function medianMemory(samples: Memory[]): Memory {
  const keys = Object.keys(samples[0]!) as (keyof Memory)[];
  return Object.fromEntries(keys.map((k) => [k, median(samples.map((x) => x[k]))])) as unknown as Memory;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const f = (x: number) => x.toFixed(2);

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

async function main(): Promise<void> {
  // A bare `node` process that does nothing, measured alongside: the floor any Node.js server starts from.
  const bareProc = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const s = await startServer();
  const c = client(s);
  try {
    // Right after start-up, then idle once settled: sampled over 5 s.
    await sleep(1000);
    const startup = memoryOf(s.proc.pid!);
    await sleep(SETTLE_MS - 1000);
    const samples: Memory[] = [];
    for (let i = 0; i < 5; i++) {
      samples.push(memoryOf(s.proc.pid!));
      await sleep(1000);
    }
    const idle = medianMemory(samples);
    const bare = memoryOf(bareProc.pid!);
    bareProc.kill();
    console.log('skiff control-plane benchmark (medians; shared machine)');
    const mem = (m: Memory) =>
      `RSS ${f(m.rss)} = file ${f(m.file)} (node binary ${f(m.nodeBinary)}) + anon ${f(m.anon)} (malloc brk ${f(m.brk)}, other ${f(m.otherAnon)}); PSS ${f(m.pss)}, Private_Dirty ${f(m.privateDirty)}`;
    console.log(`idle RSS of skiff server:            ${f(idle.rss)} MB   (goal <= 50 MB; median over 5 s, ${SETTLE_MS / 1000} s after start-up)`);
    console.log(`  idle skiff server (MB):  ${mem(idle)}`);
    console.log(`  bare node, same run:     ${mem(bare)}`);
    console.log(`  skiff minus bare node:   RSS ${f(idle.rss - bare.rss)} MB, Private_Dirty ${f(idle.privateDirty - bare.privateDirty)} MB`);
    console.log(`  1 s after start-up:      RSS ${f(startup.rss)} MB (before V8's idle GC)`);
    if (process.argv.includes('--idle-only')) return;

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

    console.log(`RSS with ${OBJECTS} objects, ${WATCHES} watches:  ${f(busyRss)} MB`);
    console.log(`load ${OBJECTS} objects over the API:     ${f(loadS)} s (${f(OBJECTS / loadS)} creates/s, 16 in flight)`);
    for (const [name, xs] of [['create', create], ['get', get], ['update', update]] as const) {
      console.log(`${name.padEnd(7)} p50 ${f(percentile(xs, 50))} ms  p99 ${f(percentile(xs, 99))} ms   (goal p99 <= 10 ms; ${xs.length} sequential requests)`);
    }
    console.log(`list of ${plainList.n} objects:             ${f(plainList.ms)} ms (median of 5)  (goal <= 300 ms)`);
    console.log(`  with a label selector (${selectedList.n} match):  ${f(selectedList.ms)} ms`);
    console.log(`store writes/s (SQLite, WAL, synchronous=FULL, sequential): ${writesPerS.toFixed(0)}`);
  } finally {
    bareProc.kill();
    c.close();
    await s.cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
