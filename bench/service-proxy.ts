// Service proxy overhead (issue 4 figure), one command:
//   node --import tsx bench/service-proxy.ts
// wrk against a Node HTTP backend (its own process) directly, then through
// the service proxy (the real registry, EndpointSlice controller, endpoint
// view and proxy in this process, the ClusterIP mapped to a loopback
// address), alternating, three rounds each; medians of requests/s and p99.
// Two loads: keep-alive connections (the proxy relays bytes) and
// `Connection: close` (every request is a new connection the proxy
// accepts, balances and dials). The machine is shared: compare the ratio.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findResource } from '../api/kinds.ts';
import { Registry } from '../apiserver/registry/registry.ts';
import { InformerFactory } from '../client/informer.ts';
import { LocalClient } from '../client/local.ts';
import { R } from '../client/resources.ts';
import { EndpointSliceController } from '../controllers/endpointslice/endpointslice-controller.ts';
import { InformerEndpointView } from '../network/endpoints/view.ts';
import { startServiceProxy } from '../network/service-proxy/proxy.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';

const ROUNDS = 3;
const DURATION = '8s';
const CONNECTIONS = 32;
const S = 200 + Math.floor(Math.random() * 50);
const PORT = 20000 + Math.floor(Math.random() * 10000);
const BACKEND = `127.${S}.1.2`;

interface Result {
  rps: number;
  p99ms: number;
  errors: number;
}

/** Runs wrk without blocking this process's event loop (the proxy runs in it). */
async function wrk(url: string, close: boolean): Promise<Result> {
  const args = ['-t2', `-c${CONNECTIONS}`, `-d${DURATION}`, '--latency', ...(close ? ['-H', 'Connection: close'] : []), url];
  const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((r) => child.once('close', r));
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const m = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const p99ms = m ? Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1) : NaN;
  const e = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const errors = (e ? Number(e[1]) + Number(e[2]) + Number(e[3]) + Number(e[4]) : 0) + non2xx;
  return { rps, p99ms, errors };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-proxy-'));
  const backend = spawn(process.execPath, [
    '-e',
    `require('node:http').createServer((q, s) => s.end('hello from the backend\\n')).listen(${PORT}, '${BACKEND}', () => console.log('up'))`,
  ], { stdio: ['ignore', 'pipe', 'inherit'] });
  const store = await SqliteStore.open(join(dir, 'state.db'));
  const registry = new Registry(store);
  const client = new LocalClient(registry, 'bench');
  const informers = new InformerFactory(client);
  const view = new InformerEndpointView(informers);
  const slices = new EndpointSliceController(client, informers);
  let proxy: Awaited<ReturnType<typeof startServiceProxy>> | undefined;
  try {
    await new Promise((r) => backend.stdout!.once('data', r));
    await registry.create(findResource('', 'v1', 'namespaces')!, undefined, { metadata: { name: 'default' } });
    await slices.start();
    await informers.start();
    const pod = await client.create(R.pods, 'default', { metadata: { name: 'backend', labels: { app: 'b' } }, spec: { nodeName: 'n', containers: [{ name: 'c', image: 'x' }] } });
    await client.updateStatus(R.pods, { ...pod, status: { phase: 'Running', podIP: '10.42.1.2', podIPs: [{ ip: '10.42.1.2' }], conditions: [{ type: 'Ready', status: 'True' }] } });
    const svc = await client.create(R.services, 'default', { metadata: { name: 'b' }, spec: { selector: { app: 'b' }, ports: [{ port: 80, targetPort: PORT }] } });
    const map = (ip: string) => `127.${S}.${ip.split('.').slice(2).join('.')}`;
    proxy = await startServiceProxy({ view, client, nodeName: 'n', bindHost: map, dialHost: map });
    for (let i = 0; i < 500 && view.endpoints('default', 'b', { number: 80 }).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 200));
    const direct = `http://${BACKEND}:${PORT}/`;
    const proxied = `http://${map((svc.spec as { clusterIP: string }).clusterIP)}/`;
    for (const close of [false, true]) {
      const d: Result[] = [];
      const p: Result[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        d.push(await wrk(direct, close));
        p.push(await wrk(proxied, close));
      }
      const dr = median(d.map((x) => x.rps));
      const pr = median(p.map((x) => x.rps));
      const d99 = median(d.map((x) => x.p99ms));
      const p99 = median(p.map((x) => x.p99ms));
      const errs = p.reduce((n, x) => n + x.errors, 0);
      console.log(
        `${close ? 'Connection: close' : 'keep-alive      '} direct ${dr.toFixed(0)} req/s p99 ${d99.toFixed(2)} ms | proxied ${pr.toFixed(0)} req/s p99 ${p99.toFixed(2)} ms | ratio ${(pr / dr).toFixed(2)}x req/s, ${(p99 / d99).toFixed(2)}x p99 | proxied errors ${errs}`,
      );
    }
  } finally {
    await proxy?.close();
    slices.stop();
    informers.stop();
    backend.kill();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
