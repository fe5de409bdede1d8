// Workload benchmark (issue 3 figures), one command: `npm run bench:workloads`.
//   - apply -> Ready for a 50-replica Deployment: p50 and p99 per pod, timed
//     from the apply and from each pod's creation (goal p99 <= 250 ms)
//   - RSS of the server process (control plane + agent) idle, and with the
//     50 pods running, pods excluded (goal idle <= 50 MB); the pods' own
//     processes (shim + container) are reported apart
// Machines are shared and noisy: figures are medians over ROUNDS runs.
// BENCH_TRACE=1 prints each round's stages per pod as the watch saw them
// (created, bound, first status from the agent, Ready); BENCH_KV=1 runs the
// apply with kubectl -v=6 (its requests and their times).

import { request } from 'node:https';
import { readFileSync, readdirSync } from 'node:fs';
import { startServer, type TestServer } from '../test/harness.ts';

const REPLICAS = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
const median = (xs: number[]) => percentile(xs, 50);

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Every descendant of pid (the pods' processes when the server is the agent). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** Processes of the pods: their shims carry the data dir on their command line. */
function podProcesses(dataDir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(dataDir)) out.push(Number(name), ...descendants(Number(name)));
    } catch {
      // gone
    }
  }
  return [...new Set(out)];
}

/** Watches pods in `default`, calling back with each event and the time it arrived. */
function watchPods(s: TestServer, onEvent: (type: string, pod: any, at: number) => void): () => void {
  const req = request(
    `https://127.0.0.1:${s.port}/api/v1/namespaces/default/pods?watch=1`,
    { ca: s.ca, headers: { authorization: `Bearer ${s.token}` } },
    (res) => {
      let buf = '';
      res.on('data', (c: Buffer) => {
        const at = performance.now();
        buf += c.toString();
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line.trim()) {
            const ev = JSON.parse(line);
            onEvent(ev.type, ev.object, at);
          }
        }
      });
    },
  );
  req.on('error', () => {});
  req.end();
  return () => req.destroy();
}

const manifest = (name: string) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] },
      },
    },
  });

interface Round {
  fromApply: number[];
  fromCreate: number[];
  idleRss: number;
  loadedRss: number;
  podsRss: number;
}

async function round(i: number): Promise<Round> {
  const s = await startServer();
  try {
    await sleep(20_000); // settled, as bench/run.ts measures idle: after V8's idle GC (about 10 s after start)
    const idleRss = rssMb(s.proc.pid!);
    const name = `bench-${i}`;
    const created = new Map<string, number>();
    const ready = new Map<string, number>();
    const trace = new Map<string, Record<string, number>>();
    const stop = watchPods(s, (type, pod, at) => {
      const n = pod?.metadata?.name;
      if (!n?.startsWith(name)) return;
      if (type === 'ADDED' && !created.has(n)) created.set(n, at);
      const tr = trace.get(n) ?? trace.set(n, {}).get(n)!;
      if (pod.spec?.nodeName && tr.bound === undefined) tr.bound = at;
      if (pod.status?.conditions?.some((c: any) => c.type === 'PodScheduled') && tr.sched === undefined) tr.sched = at;
      if (pod.status?.conditions?.some((c: any) => c.type === 'Initialized') && tr.first === undefined) tr.first = at;
      if (!ready.has(n) && pod.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')) ready.set(n, at);
    });
    await sleep(300);
    const t0 = performance.now();
    if (process.env.BENCH_KV) {
      const r = await s.kubectl(['apply', '-f', '-', '-v=6'], { input: manifest(name) });
      console.log(r.stderr);
    } else await s.k(['apply', '-f', '-'], { input: manifest(name) });
    const tApplied = performance.now() - t0;
    for (let w = 0; w < 600 && ready.size < REPLICAS; w++) await sleep(100);
    stop();
    if (ready.size < REPLICAS) throw new Error(`only ${ready.size}/${REPLICAS} pods became Ready`);
    const fromApply = [...ready.values()].map((t) => t - t0);
    if (process.env.BENCH_TRACE) {
      const st = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(0)} p99 ${percentile(xs, 99).toFixed(0)} min ${Math.min(...xs).toFixed(0)}`;
      console.log(`kubectl apply returned after ${tApplied.toFixed(0)} ms; first pod created at ${(Math.min(...created.values()) - t0).toFixed(0)} ms`);
      const rows = [...trace.entries()].map(([n, tr]) => ({ c: created.get(n)! - t0, ...Object.fromEntries(Object.entries(tr).map(([k, v]) => [k, v - t0])), r: ready.get(n)! - t0 }));
      console.log('created', st(rows.map((r) => r.c)));
      console.log('create->bound', st(rows.map((r: any) => r.bound - r.c)));
      console.log('bound->sched-cond', st(rows.map((r: any) => r.sched - r.bound)));
      console.log('bound->first-agent-status', st(rows.map((r: any) => r.first - r.bound)));
      console.log('first-status->ready', st(rows.map((r: any) => r.r - r.first)));
      for (const r of rows.sort((a, b) => a.c - b.c)) console.log(JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v as number)]))));
    }
    const fromCreate = [...ready.entries()].map(([n, t]) => t - (created.get(n) ?? t0));
    await sleep(5000);
    const loadedRss = rssMb(s.proc.pid!);
    const podsRss = podProcesses(s.dataDir).reduce((sum, pid) => sum + rssMb(pid), 0);
    await s.k(['delete', 'deploy', name, '--wait=false']);
    for (let w = 0; w < 300 && podProcesses(s.dataDir).length > 0; w++) await sleep(100);
    return { fromApply, fromCreate, idleRss, loadedRss, podsRss };
  } finally {
    await s.stop().catch(() => {});
    await s.cleanup();
  }
}

const rounds: Round[] = [];
for (let i = 0; i < ROUNDS; i++) rounds.push(await round(i));
const f = (x: number) => x.toFixed(1);
const p50a = median(rounds.map((r) => percentile(r.fromApply, 50)));
const p99a = median(rounds.map((r) => percentile(r.fromApply, 99)));
const p50c = median(rounds.map((r) => percentile(r.fromCreate, 50)));
const p99c = median(rounds.map((r) => percentile(r.fromCreate, 99)));
console.log(`apply -> Ready, ${REPLICAS} replicas, median of ${ROUNDS} rounds:`);
console.log(`  from the apply:           p50 ${f(p50a)} ms   p99 ${f(p99a)} ms   (goal p99 <= 250 ms)`);
console.log(`  from each pod's creation: p50 ${f(p50c)} ms   p99 ${f(p99c)} ms`);
console.log(`server RSS (control plane + agent): idle ${f(median(rounds.map((r) => r.idleRss)))} MB (goal <= 50 MB), with ${REPLICAS} pods ${f(median(rounds.map((r) => r.loadedRss)))} MB`);
console.log(`the pods' own processes (shims + containers): ${f(median(rounds.map((r) => r.podsRss)))} MB in all`);
