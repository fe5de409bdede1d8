// Ingress benchmark (issue 4 figures), one command: `node --import tsx bench/ingress.ts`.
// N backend HTTP servers (one child process), Skiff's ingress in front of them
// (routing through a real registry, Ingress, Service and EndpointSlices) and
// Debian's nginx proxying the same backends with keepalive upstreams; wrk
// against each, alternating, in the same run. Prints requests/s and p99 of
// both and the ratios (goal: Skiff >= 0.8x nginx's requests/s, p99 <= 1.5x).
// Both proxies get one process (node is single-threaded; nginx
// worker_processes 1). EndpointSlices may not name loopback addresses, so the
// whole run happens in a network namespace of its own (network/ingress/netns.ts).
// Options: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (50), BENCH_BACKENDS (4), BENCH_ROUNDS (3).

import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findResource } from '../api/kinds.ts';
import { Registry } from '../apiserver/registry/registry.ts';
import { InformerFactory } from '../client/informer.ts';
import { LocalClient } from '../client/local.ts';
import { R } from '../client/resources.ts';
import type { KObject } from '../client/types.ts';
import { InformerEndpointView } from '../network/endpoints/view.ts';
import { startIngress } from '../network/ingress/index.ts';
import { BACKEND_NET, inOwnNetns, prepareNetns, runInNetns } from '../network/ingress/netns.ts';
import { SqliteStore } from '../store/index.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const BACKENDS = Number(process.env.BENCH_BACKENDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BACKEND_PORT = 8080;
const NGINX_PORT = 18080;
const HOST = 'bench.test';

const backendIps = Array.from({ length: BACKENDS }, (_, i) => `${BACKEND_NET}.${10 + i}`);

const BACKEND_SCRIPT = `
const http = require('node:http');
const body = Buffer.from('hello from the backend\\n');
let n = 0;
for (const ip of ${JSON.stringify(backendIps)}) {
  const s = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
    res.end(body);
  });
  s.keepAliveTimeout = 60000;
  s.listen(${BACKEND_PORT}, ip, () => { if (++n === ${BACKENDS}) console.log('ready'); });
}
`;

function nginxConfig(dir: string): string {
  return `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  upstream backends {
${backendIps.map((ip) => `    server ${ip}:${BACKEND_PORT};`).join('\n')}
    keepalive 320;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${NGINX_PORT};
    server_name ${HOST};
    location / {
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
      proxy_set_header X-Forwarded-Port $server_port;
      proxy_pass http://backends;
    }
  }
}
`;
}

interface Load {
  rps: number;
  p99Ms: number;
  errors: number;
}

function toMs(v: string, unit: string): number {
  const x = Number(v);
  return unit === 'us' ? x / 1000 : unit === 's' ? x * 1000 : x;
}

function wrk(target: string, seconds: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    const p = spawn('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-H', `Host: ${HOST}`, `http://${target}/`]);
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (out += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
      const p99 = /\s99%\s+([\d.]+)(us|ms|s)\b/.exec(out);
      if (code !== 0 || !rps || !p99) return reject(new Error(`wrk failed (${code}):\n${out}`));
      const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
      const sockErr = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const errors = Number(non2xx?.[1] ?? 0) + (sockErr ? sockErr.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
      resolve({ rps: Number(rps[1]), p99Ms: toMs(p99[1]!, p99[2]!), errors });
    });
  });
}

function waitLine(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes(line)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code} before "${line}"`)));
  });
}

function status(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { Host: HOST }, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function waitHttp(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await status(port)) === 200) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing answers 200 on port ${port}`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-ingress-'));
  const children: ChildProcess[] = [];
  // nginx's master stops its workers on SIGTERM (SIGKILL would orphan them).
  const cleanup = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  };
  process.on('exit', cleanup);
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  let store: SqliteStore | undefined;
  let stopIngress: (() => Promise<void>) | undefined;
  let informers: InformerFactory | undefined;
  try {
    const backends = spawn(process.execPath, ['-e', BACKEND_SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(backends);
    await waitLine(backends, 'ready');

    for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) execFileSync('mkdir', ['-p', join(dir, d)]);
    writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir));
    const nginx = spawn('/usr/sbin/nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
    children.push(nginx);

    store = await SqliteStore.open(join(dir, 'state.db'));
    const registry = new Registry(store, () => new Date());
    await registry.create(findResource('', 'v1', 'namespaces')!, undefined, { metadata: { name: 'default' } });
    const client = new LocalClient(registry, 'bench');
    informers = new InformerFactory(client);
    const view = new InformerEndpointView(informers);
    await informers.start();
    const ingress = await startIngress({ client, informers, view, http: { host: '127.0.0.1', port: 0 }, https: { host: '127.0.0.1', port: 0 } });
    stopIngress = () => ingress.close();
    await client.create(R.services, 'default', { metadata: { name: 'app' }, spec: { ports: [{ name: 'http', port: 80, targetPort: BACKEND_PORT }] } } as KObject);
    await client.create(R.endpointslices, 'default', {
      metadata: { name: 'app-1', labels: { 'kubernetes.io/service-name': 'app' } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: BACKEND_PORT, protocol: 'TCP' }],
      endpoints: backendIps.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    } as KObject);
    await client.create(R.ingresses, 'default', {
      metadata: { name: 'app' },
      spec: { rules: [{ host: HOST, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'app', port: { number: 80 } } } }] } }] },
    } as KObject);
    await waitHttp(ingress.httpPort);
    await waitHttp(NGINX_PORT);

    // direct: one backend without a proxy, for scale (what the backends can give at most).
    const targets = { nginx: `127.0.0.1:${NGINX_PORT}`, skiff: `127.0.0.1:${ingress.httpPort}`, direct: `${backendIps[0]}:${BACKEND_PORT}` };
    const results: Record<keyof typeof targets, Load[]> = { nginx: [], skiff: [], direct: [] };
    for (const target of Object.values(targets)) await wrk(target, 2); // warm-up (JIT, pools)
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of ['nginx', 'skiff', 'direct'] as const) {
        const r = await wrk(targets[name], SECONDS);
        results[name].push(r);
        console.log(`round ${round + 1} ${name.padEnd(6)} ${r.rps.toFixed(0).padStart(7)} req/s  p99 ${r.p99Ms.toFixed(2)} ms  errors ${r.errors}`);
      }
    }
    const rps = (n: keyof typeof targets) => median(results[n].map((r) => r.rps));
    const p99 = (n: keyof typeof targets) => median(results[n].map((r) => r.p99Ms));
    console.log(`\nwrk -t1 -c${CONNECTIONS} -d${SECONDS}s, ${BACKENDS} backends, ${ROUNDS} rounds (medians):`);
    console.log(`nginx ${nginxVersion()}: ${rps('nginx').toFixed(0)} req/s, p99 ${p99('nginx').toFixed(2)} ms`);
    console.log(`skiff ingress:        ${rps('skiff').toFixed(0)} req/s, p99 ${p99('skiff').toFixed(2)} ms`);
    console.log(`one backend, direct:  ${rps('direct').toFixed(0)} req/s, p99 ${p99('direct').toFixed(2)} ms`);
    console.log(`ratios: req/s ${(rps('skiff') / rps('nginx')).toFixed(2)}x (goal >= 0.8), p99 ${(p99('skiff') / p99('nginx')).toFixed(2)}x (goal <= 1.5)`);
  } finally {
    cleanup();
    await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    await stopIngress?.();
    informers?.stop();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function nginxVersion(): string {
  const r = spawnSync('/usr/sbin/nginx', ['-v'], { encoding: 'utf8' });
  return /nginx\/([\d.]+)/.exec(`${r.stdout}${r.stderr}`)?.[1] ?? '?';
}

if (inOwnNetns()) {
  prepareNetns();
  await main();
} else {
  const r = await runInNetns([fileURLToPath(import.meta.url)], false);
  process.exitCode = r.code;
}
