// End-to-end harness: starts the real `bin/skiff server` in a temp data dir
// on a port chosen at run time and runs the real kubectl against it. Each
// server gets its own HOME so kubectl's discovery and version caches never
// leak between tests.
//
// Pod networking. By default the server runs in the machine's own network
// namespace with SKIFF_POD_NETWORK=off: pods stay on the host network (each
// with its own 127.64.0.0/10 address) and the test never adds a bridge or a
// route to the machine. For tests of pod IPs, Services, DNS or Ingress, pass
// `netns: true`:
//
//   const s = await startServer({ netns: true });
//   try {
//     await s.k(['apply', '-f', '-'], { input: manifest });  // kubectl runs inside the namespace
//     const r = await s.run('curl', ['-s', 'http://10.96.0.1/']); // so does any command given to s.run
//     const res = await s.api('/api/v1/pods');                    // in-process HTTPS, relayed in
//   } finally {
//     await s.cleanup();
//   }
//
// The harness creates a fresh network namespace `skt-<random>` (lo up) and
// runs the server in it with `nsenter --net` (only the network namespace
// changes, so the pods' namespaces under /run/netns stay visible to every
// process; `ip netns exec` would hide them in a private mount namespace). The
// server makes its bridge (skiff0, 10.42.0.1/24), the Service route
// (10.96.0.0/16 to lo) and one namespace per pod there; the API is on
// 127.0.0.1 inside it. s.kubectl/s.k/s.run run inside it; s.api and
// s.hostPort() reach the API through a relay (a Unix socket in the data dir).
// s.cleanup(), also when the test failed: kills the server, runs `skiff
// killall` inside the namespace, deletes the pod namespaces the data dir
// records, then the test's namespace (with it the bridge, veths and routes).
// To restart on the same state pass `{ dataDir, home, netns: s.netns }`: a
// namespace passed by name is used, not created, and not deleted by cleanup.

import { spawn, execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpsRequest } from './https-request.ts';
import { recordedNetns } from '../network/pod/pod-network.ts';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SKIFF = join(REPO, 'bin', 'skiff');

/** Directory of the real kubectl binaries (kubectl.1.27 ... kubectl.1.33 beside the dispatcher). */
export function kubectlDir(): string {
  const path = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
  return dirname(realpathSync(path));
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** A versioned binary such as "1.27"; default: the dispatcher, which picks from /version. */
  version?: string;
}

export interface TestServer {
  dataDir: string;
  home: string;
  port: number;
  kubeconfig: string;
  token: string;
  ca: string;
  proc: ChildProcess;
  /** The network namespace the server runs in (netns option), else undefined. */
  netns?: string;
  /** Runs a command where the server runs (inside its network namespace with the netns option). */
  run(cmd: string, args: string[], opts?: RunOptions & { cwd?: string }): Promise<RunResult>;
  /** A port on the test's own 127.0.0.1 that reaches the API server (the server's port, or a relay into its namespace). */
  hostPort(): Promise<number>;
  kubectl(args: string[], opts?: RunOptions): Promise<RunResult>;
  /** Runs kubectl and fails the test with its output when it exits non-zero. */
  k(args: string[], opts?: RunOptions): Promise<string>;
  /** fetch against the API server with the admin token. */
  api(path: string, init?: { method?: string; body?: string | Buffer; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; text: string; json(): any }>;
  stop(): Promise<void>;
  kill9(): Promise<void>;
  cleanup(): Promise<void>;
}

export function run(cmd: string, args: string[], opts: RunOptions & { cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolveRun) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...opts.env }, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code: code ?? -1, stdout, stderr });
    });
    // A command that exits without reading its input must not fail the test with EPIPE.
    p.stdin.on('error', () => {});
    p.stdin.end(opts.input ?? '');
  });
}

/** Servers still running when the test process exits (a failed hook, an abort) are killed with it. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

export interface StartOptions {
  dataDir?: string;
  home?: string;
  port?: number;
  /** Run in a fresh network namespace (true), or in this existing one (its name), with the pod network on. */
  netns?: boolean | string;
}

/** The command line that runs cmd inside netns (only the network namespace changes). */
function inNetns(netns: string | undefined, cmd: string, args: string[]): [string, string[]] {
  return netns ? ['nsenter', [`--net=/run/netns/${netns}`, '--', cmd, ...args]] : [cmd, args];
}

/** Deletes the pod namespaces a data dir records (what killall could not, e.g. after a crash), then the test's namespace. */
function removeNetworks(dataDir: string, netns: string | undefined, ownNetns: boolean): void {
  for (const ns of recordedNetns(join(dataDir, 'agent', 'network'))) spawnSync('ip', ['netns', 'del', ns]);
  if (netns && ownNetns) spawnSync('ip', ['netns', 'del', netns]);
}

/** Starts `bin/skiff server`; pass dataDir to restart on existing state. */
export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'skiff-e2e-'));
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'skiff-home-'));
  const ownNetns = opts.netns === true;
  const netns = opts.netns === true ? `skt-${Math.random().toString(36).slice(2, 10)}` : opts.netns || undefined;
  if (ownNetns) {
    execFileSync('ip', ['netns', 'add', netns!]);
    execFileSync('ip', ['-n', netns!, 'link', 'set', 'lo', 'up']);
  }
  const [cmd, argv] = inNetns(netns, SKIFF, ['server', '--data-dir', dataDir, '--api-port', String(opts.port ?? 0)]);
  const proc = spawn(cmd, argv, {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Outside a namespace of its own the server must not touch the machine's network.
    env: { ...process.env, HOME: home, ...(netns ? {} : { SKIFF_POD_NETWORK: 'off' }) },
  });
  running.add(proc);
  proc.on('exit', () => running.delete(proc));
  let log = '';
  proc.stdout!.on('data', (d) => (log += d));
  const started = new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30_000);
    proc.stderr!.on('data', (d) => {
      log += d;
      const m = /listening on https:\/\/[^:]+:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[1]));
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
  let port: number;
  try {
    port = await started;
  } catch (e) {
    // Nothing to hand back: stop what was started and remove what was made.
    proc.kill('SIGKILL');
    if (netns) {
      await new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r(undefined) : proc.once('exit', r)));
      await run(...inNetns(netns, SKIFF, ['killall', '--data-dir', dataDir]));
      removeNetworks(dataDir, netns, ownNetns);
    }
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (!opts.home) rmSync(home, { recursive: true, force: true });
    throw e;
  }
  const kubeconfig = join(dataDir, 'kubeconfig');
  const token = readFileSync(join(dataDir, 'admin.token'), 'utf8').trim();
  const ca = readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8');
  const env = { HOME: home, KUBECONFIG: kubeconfig };
  const kdir = kubectlDir();

  const runIn = (c: string, a: string[], o: RunOptions & { cwd?: string } = {}) => run(...inNetns(netns, c, a), o);
  const kubectl = (args: string[], o: RunOptions = {}) =>
    runIn(o.version ? join(kdir, `kubectl.${o.version}`) : 'kubectl', args, { ...o, env: { ...env, ...o.env } });
  const k = async (args: string[], o: RunOptions = {}) => {
    const r = await kubectl(args, o);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };
  // With a namespace: a relay inside it (Unix socket -> 127.0.0.1:port) and a TCP listener here that feeds it.
  let relay: { proc: ChildProcess; server: Server; port: number } | undefined;
  let relayStarting: Promise<number> | undefined;
  const hostPort = (): Promise<number> => {
    if (!netns) return Promise.resolve(port);
    relayStarting ??= (async () => {
      const sock = join(dataDir, 'api-relay.sock');
      const code = `const net = require('net'); require('fs').rmSync(${JSON.stringify(sock)}, { force: true });
        net.createServer((c) => { const u = net.connect(${port}, '127.0.0.1'); c.pipe(u).pipe(c); u.on('error', () => c.destroy()); c.on('error', () => u.destroy()); })
          .listen(${JSON.stringify(sock)}, () => console.log('ready'));`;
      const [c, a] = inNetns(netns, process.execPath, ['-e', code]);
      const rproc = spawn(c, a, { stdio: ['ignore', 'pipe', 'inherit'] });
      running.add(rproc);
      await new Promise((r, j) => {
        rproc.stdout!.once('data', r);
        rproc.once('exit', () => j(new Error('the API relay ended')));
      });
      const server = createServer((c) => {
        const u = connect(sock);
        c.pipe(u).pipe(c);
        u.on('error', () => c.destroy());
        c.on('error', () => u.destroy());
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      relay = { proc: rproc, server, port: (server.address() as { port: number }).port };
      return relay.port;
    })();
    return relayStarting;
  };
  const api: TestServer['api'] = async (path, init = {}) => httpsRequest(`https://127.0.0.1:${await hostPort()}${path}`, { ...init, ca, token });
  let exited = false;
  proc.on('exit', () => (exited = true));
  const waitExit = () => (exited ? Promise.resolve() : new Promise<void>((r) => proc.once('exit', () => r())));
  const server: TestServer = {
    dataDir,
    home,
    port,
    kubeconfig,
    token,
    ca,
    proc,
    netns,
    run: runIn,
    hostPort,
    kubectl,
    k,
    api,
    stop: async () => {
      if (!exited) proc.kill('SIGTERM');
      await waitExit();
    },
    kill9: async () => {
      if (!exited) proc.kill('SIGKILL');
      await waitExit();
    },
    cleanup: async () => {
      await server.kill9();
      if (relay) {
        relay.proc.kill('SIGKILL');
        relay.server.close();
      }
      // Pods outlive the server (the next start adopts them): end them, their cgroups, mounts and network too.
      await runIn(SKIFF, ['killall', '--data-dir', dataDir]);
      removeNetworks(dataDir, netns, ownNetns);
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (!opts.home) rmSync(home, { recursive: true, force: true });
    },
  };
  return server;
}
