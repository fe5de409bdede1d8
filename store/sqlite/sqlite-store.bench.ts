// Figures for the SQLite store at the API server's target size: 10,000
// objects of ~1.5 KB and 100 open watches.
// Run: node --import tsx store/sqlite/sqlite-store.bench.ts [dir]
// (dir defaults to the OS temp dir; put it on the disk the server will use,
// since a write costs one fsync).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from './sqlite-store.ts';

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

const dir = await mkdtemp(join(process.argv[2] ?? tmpdir(), 'skiff-bench-'));
try {
  const store = await SqliteStore.open(join(dir, 'state.db'));
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

  const watchers = Array.from({ length: 100 }, (_, w) =>
    store.watch(w < 50 ? '/registry/pods/' : `/registry/other-${w}/`, 0, { onEvents: () => {}, onError: () => {} }),
  );
  await timed('update (get + update), 100 watches open', 2000, async (i) => {
    const kv = (await store.get(key(i)))!;
    await store.update(kv.key, podJson(i, 1), kv.modRevision);
  });
  await timed('list 10k after 2,000 updates (history)', 20, () => store.list('/registry/pods/'));
  for (const w of watchers) w.close();
  await timed('compact (2,000 superseded rows)', 1, async () => store.compact(await store.currentRevision()));
  await store.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
