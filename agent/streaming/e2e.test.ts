// End to end: the real kubectl → the real API server (in process, SQLite
// store) → its node proxy → this streaming server → real processes and CRI
// log files. Exec and port-forward run with the newest kubectl (WebSocket,
// SPDY tunnelled in WebSocket) and with kubectl 1.28 (SPDY).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { R } from '../../client/resources.ts';
import { startApiServer, type ApiServer } from '../../apiserver/server.ts';
import { loadOrCreatePki } from '../../apiserver/tls/pki.ts';
import { kubeconfigYaml } from '../../cli/kubeconfig.ts';
import { SqliteStore } from '../../store/index.ts';
import { httpsRequest } from '../../test/https-request.ts';
import { kubectlDir, run, type RunResult } from '../../test/harness.ts';
import { startStreamingServer, type StreamingServer } from './server.ts';
import { ProcessBackend } from './testing/process-backend.ts';

const OLD = 'kubectl.1.28';
/** Larger than SPDY's initial 64 KiB window, in both directions. */
const BIG = 3 * 1024 * 1024;

function httpCall(port: number, path: string, body?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('kubectl logs, exec, attach and port-forward through the API server to the node agent', () => {
  let dir: string;
  let store: SqliteStore;
  let api: ApiServer;
  let agent: StreamingServer;
  let backend: ProcessBackend;
  let web: Server;
  let webPort: number;
  let ca: string;
  const adminToken = randomBytes(16).toString('hex');
  const env: Record<string, string> = {};
  const children = new Set<ChildProcess>();
  const now = Date.now();

  const kubectl = (args: string[], opts: { input?: string; binary?: string } = {}): Promise<RunResult> =>
    run(opts.binary ? join(kubectlDir(), opts.binary) : 'kubectl', args, { env, input: opts.input, timeoutMs: 60_000 });

  /** Starts a long-running kubectl; resolves once its stdout contains `text`. */
  const kubectlUntil = (args: string[], text: string | RegExp, binary?: string) => {
    const p = spawn(binary ? join(kubectlDir(), binary) : 'kubectl', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(p);
    let out = '';
    let err = '';
    const exited = new Promise<number>((resolve) =>
      p.on('close', (code) => {
        children.delete(p);
        resolve(code ?? -1);
      }),
    );
    const seen = new Promise<RegExpMatchArray | string[]>((resolve, reject) => {
      const check = () => {
        const m = typeof text === 'string' ? (out.includes(text) ? [text] : null) : out.match(text);
        if (m) resolve(m);
      };
      p.stdout!.on('data', (d) => {
        out += d;
        check();
      });
      p.stderr!.on('data', (d) => (err += d));
      void exited.then((code) => reject(new Error(`kubectl ${args.join(' ')} exited ${code} before printing ${text}\nstdout: ${out}\nstderr: ${err}`)));
    });
    return { proc: p, seen, exited, output: () => out, errors: () => err };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-streaming-'));
    const pki = loadOrCreatePki(join(dir, 'pki'));
    ca = pki.caCert;
    store = await SqliteStore.open(join(dir, 'state.db'));
    const agentToken = randomBytes(16).toString('hex');
    const quiet = () => {};
    api = await startApiServer({
      store,
      port: 0,
      tls: { cert: pki.serverCert, key: pki.serverKey },
      tokens: new Map([[adminToken, 'admin']]),
      nodeProxy: { token: agentToken, ca: pki.caCert },
      log: quiet,
    });
    api.setReady(true);
    backend = new ProcessBackend(join(dir, 'logs'));
    // The serving certificate names 127.0.0.1, the node's InternalIP here.
    agent = await startStreamingServer({ port: 0, tls: { cert: pki.serverCert, key: pki.serverKey }, token: agentToken, backend, log: quiet, logPollMs: 100 });
    web = createServer((req, res) => {
      if (req.url === '/big') return void res.end(Buffer.alloc(BIG, 'x'));
      if (req.method === 'POST') {
        let n = 0;
        req.on('data', (d: Buffer) => (n += d.length));
        return void req.on('end', () => res.end(`received ${n}\n`));
      }
      res.end(`hello from the pod: ${req.url}\n`);
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    webPort = (web.address() as AddressInfo).port;

    const reg = api.registry;
    await reg.create(R.namespaces, undefined, { metadata: { name: 'default' } });
    const node = { metadata: { name: 'node-1' }, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: agent.port } } } };
    const created = await reg.create(R.nodes, undefined, node);
    await reg.update(R.nodes, undefined, 'node-1', { ...created, status: node.status }, { subresource: 'status' });
    const pod = async (name: string, containers: string[], nodeName?: string) => {
      const p = await reg.create(R.pods, 'default', {
        metadata: { name },
        spec: { ...(nodeName ? { nodeName } : {}), containers: containers.map((c) => ({ name: c, image: 'busybox', stdin: true })) },
      });
      await reg.update(R.pods, 'default', name, { ...p, status: { phase: 'Running' } }, { subresource: 'status' });
    };
    await pod('app', ['main'], 'node-1');
    await pod('logs', ['c'], 'node-1');
    await pod('two', ['a', 'b'], 'node-1');
    await pod('echo', ['main'], 'node-1');
    await pod('echo-old', ['main'], 'node-1');
    await pod('unscheduled', ['main']);
    await pod('ghost', ['main'], 'node-1'); // on the node in the API, unknown to the node
    for (const p of ['app', 'logs', 'two', 'echo', 'echo-old']) backend.addPod('default', p);

    // pod "logs": a previous instance, and a current one with lines from two hours ago and from now.
    const old = new Date(now - 2 * 3600_000);
    backend.addExited('default', 'logs', 'c', [[old, 'stdout', 'previous instance']]);
    backend.addExited('default', 'logs', 'c', [
      [old, 'stdout', 'old one'],
      [old, 'stderr', 'old two'],
      [new Date(now - 1000), 'stdout', 'recent ', true],
      [new Date(now - 1000), 'stdout', 'three'],
      ['2099-01-01T00:00:00.123456789Z', 'stdout', 'four'],
    ]);
    backend.addExited('default', 'two', 'a', [[new Date(now), 'stdout', 'from a']]);
    backend.addExited('default', 'two', 'b', [[new Date(now), 'stdout', 'from b']]);
    for (const p of ['echo', 'echo-old']) backend.start('default', p, 'main', 'while read l; do echo "echo: $l"; done');

    const home = join(dir, 'home');
    mkdirSync(home);
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml({ server: `https://127.0.0.1:${api.port}`, caCert: pki.caCert, token: adminToken }));
    Object.assign(env, { HOME: home, KUBECONFIG: kubeconfig });
  });

  after(async () => {
    for (const c of children) c.kill('SIGKILL');
    backend?.stop();
    await agent?.close();
    await api?.close();
    await store?.close();
    await new Promise<void>((r) => (web ? web.close(() => r()) : r()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('logs: whole log with partial lines joined, --tail, --timestamps, --since, --previous, -c', async () => {
    let r = await kubectl(['logs', 'logs']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'old one\nold two\nrecent three\nfour\n');
    assert.equal((await kubectl(['logs', 'logs', '--tail=2'])).stdout, 'recent three\nfour\n');
    assert.equal((await kubectl(['logs', 'logs', '--tail=1', '--timestamps'])).stdout, '2099-01-01T00:00:00.123456789Z four\n');
    assert.equal((await kubectl(['logs', 'logs', '--since=1h'])).stdout, 'recent three\nfour\n');
    assert.equal((await kubectl(['logs', 'logs', '--previous'])).stdout, 'previous instance\n');
    assert.equal((await kubectl(['logs', 'logs', '--limit-bytes=5'])).stdout, 'old o');
    assert.equal((await kubectl(['logs', 'two', '-c', 'b'])).stdout, 'from b\n');
    r = await kubectl(['logs', 'two', '-c', 'nope']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /container nope is not valid for pod two/);
    r = await kubectl(['logs', 'app', '--previous']);
    assert.match(r.stderr, /waiting to start: ContainerCreating/);
  });

  test('logs: the API validates options as Kubernetes does', async () => {
    const get = (q: string) => httpsRequest(`https://127.0.0.1:${api.port}/api/v1/namespaces/default/pods/logs/log?${q}`, { ca, token: adminToken });
    let r = await get('tailLines=-1');
    assert.equal(r.status, 422);
    assert.equal(r.json().message, 'PodLogOptions "logs" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0');
    r = await get('sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z');
    assert.equal(r.status, 422);
    r = await httpsRequest(`https://127.0.0.1:${api.port}/api/v1/namespaces/default/pods/two/log`, { ca, token: adminToken });
    assert.equal(r.status, 400);
    assert.equal(r.json().message, 'a container name must be specified for pod two, choose one of: [a b]');
    r = await httpsRequest(`https://127.0.0.1:${api.port}/api/v1/namespaces/default/pods/nope/log`, { ca, token: adminToken });
    assert.equal(r.status, 404);
    r = await httpsRequest(`https://127.0.0.1:${api.port}/api/v1/namespaces/default/pods/unscheduled/log`, { ca, token: adminToken });
    assert.equal(r.status, 200);
    assert.equal(r.text, '');
  });

  test('logs -f streams as the container writes and ends when it exits', async () => {
    const proc = backend.start('default', 'app', 'main', 'echo started; read x; echo "got $x"; echo bye >&2');
    const follow = kubectlUntil(['logs', '-f', 'app'], 'started\n');
    await follow.seen;
    proc.stdin!.end('go\n');
    assert.equal(await follow.exited, 0, follow.errors());
    assert.equal(follow.output(), 'started\ngot go\nbye\n');
  });

  for (const binary of [undefined, OLD]) {
    const which = binary ?? 'newest kubectl';
    test(`exec (${which}): stdout, stderr, exit codes, stdin`, async () => {
      let r = await kubectl(['exec', 'app', '--', 'sh', '-c', 'echo out; echo err >&2'], { binary });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'out\n');
      assert.equal(r.stderr, 'err\n');
      r = await kubectl(['exec', 'app', '--', 'sh', '-c', 'exit 3'], { binary });
      assert.equal(r.code, 3);
      assert.match(r.stderr, /command terminated with exit code 3/);
      r = await kubectl(['exec', '-i', 'app', '--', 'cat'], { binary, input: 'hi\nthere\n' });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'hi\nthere\n');
      r = await kubectl(['exec', 'app', '--', 'sh', '-c', `head -c ${BIG} /dev/zero | tr '\\0' x`], { binary });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'x'.repeat(BIG));
      r = await kubectl(['exec', 'two', '-c', 'nope', '--', 'true'], { binary });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /container nope is not valid for pod two/);
      r = await kubectl(['exec', 'ghost', '--', 'true'], { binary });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /NotFound.*pods "ghost" not found/);
      r = await kubectl(['exec', 'unscheduled', '--', 'true'], { binary });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /pod unscheduled does not have a host assigned/);
    });

    test(`cp (${which}) into and out of a container (tar over exec stdin and stdout)`, async () => {
      const sub = join(dir, `cp-${binary ?? 'new'}`);
      mkdirSync(join(sub, 'in'), { recursive: true });
      const payload = randomBytes(200_000);
      writeFileSync(join(sub, 'src.bin'), payload);
      let r = await kubectl(['cp', join(sub, 'src.bin'), `app:${join(sub, 'in', 'copied.bin')}`], { binary });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(readFileSync(join(sub, 'in', 'copied.bin')), payload);
      r = await kubectl(['cp', `app:${join(sub, 'in', 'copied.bin')}`, join(sub, 'back.bin')], { binary });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(readFileSync(join(sub, 'back.bin')), payload);
    });

    test(`exec -it (${which}) through a terminal`, async () => {
      const k = binary ? join(kubectlDir(), binary) : 'kubectl';
      const cmd = `${k} exec -it app -- sh -c 'test -t 0 && echo is-a-tty; exit 4'`;
      const r = await run('script', ['-qfec', cmd, '/dev/null'], { env, timeoutMs: 60_000 });
      assert.equal(r.code, 4, r.stdout + r.stderr);
      assert.match(r.stdout, /is-a-tty/);
    });

    test(`port-forward (${which}) to an HTTP server in the pod`, async () => {
      const pf = kubectlUntil(['port-forward', 'pod/app', `:${webPort}`], /Forwarding from 127\.0\.0\.1:(\d+)/, binary);
      const m = await pf.seen;
      const local = Number(m[1]);
      for (const path of ['/one', '/two']) assert.equal(await httpCall(local, path), `hello from the pod: ${path}\n`);
      assert.equal((await httpCall(local, '/big')).length, BIG);
      assert.equal(await httpCall(local, '/upload', Buffer.alloc(BIG, 'y')), `received ${BIG}\n`);
      pf.proc.kill('SIGTERM');
      await pf.exited;
    });

    test(`port-forward (${which}) reports a port nobody listens on`, async () => {
      const closed = await new Promise<number>((resolve) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as AddressInfo).port;
          s.close(() => resolve(p));
        });
      });
      const pf = kubectlUntil(['port-forward', 'pod/app', `:${closed}`], /Forwarding from 127\.0\.0\.1:(\d+)/, binary);
      const local = Number((await pf.seen)[1]);
      await httpCall(local, '/').catch(() => '');
      for (let i = 0; i < 400 && !/error forwarding port \d+ to pod app/.test(pf.errors()); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(pf.errors(), /error forwarding port \d+ to pod app, uid : connect ECONNREFUSED/);
      pf.proc.kill('SIGTERM');
      await pf.exited;
    });
  }

  for (const [pod, binary] of [['echo', undefined], ['echo-old', OLD]] as const) {
    test(`attach -i (${binary ?? 'newest kubectl'}) to a running container`, async () => {
      const r = await kubectl(['attach', '-i', pod, '-c', 'main'], { input: 'hello\n', binary });
      assert.match(r.stdout, /echo: hello/, r.stderr);
    });
  }
});
