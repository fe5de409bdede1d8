// End-to-end harness: starts the real `bin/skiff server` in a temp data dir
// on a port chosen at run time and runs the real kubectl against it. Each
// server gets its own HOME so kubectl's discovery and version caches never
// leak between tests.

import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpsRequest } from './https-request.ts';

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
    p.stdin.end(opts.input ?? '');
  });
}

/** Servers still running when the test process exits (a failed hook, an abort) are killed with it. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

/** Starts `bin/skiff server`; pass dataDir to restart on existing state. */
export async function startServer(opts: { dataDir?: string; home?: string; port?: number } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'skiff-e2e-'));
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'skiff-home-'));
  const proc = spawn(SKIFF, ['server', '--data-dir', dataDir, '--api-port', String(opts.port ?? 0)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: home },
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
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (!opts.home) rmSync(home, { recursive: true, force: true });
    throw e;
  }
  const kubeconfig = join(dataDir, 'kubeconfig');
  const token = readFileSync(join(dataDir, 'admin.token'), 'utf8').trim();
  const ca = readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8');
  const env = { HOME: home, KUBECONFIG: kubeconfig };
  const kdir = kubectlDir();

  const kubectl = (args: string[], o: RunOptions = {}) =>
    run(o.version ? join(kdir, `kubectl.${o.version}`) : 'kubectl', args, { ...o, env: { ...env, ...o.env } });
  const k = async (args: string[], o: RunOptions = {}) => {
    const r = await kubectl(args, o);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  };
  const api: TestServer['api'] = (path, init = {}) => httpsRequest(`https://127.0.0.1:${port}${path}`, { ...init, ca, token });
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
      // Pods outlive the server (the next start adopts them): end them, their cgroups and mounts too.
      await run(SKIFF, ['killall', '--data-dir', dataDir]);
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (!opts.home) rmSync(home, { recursive: true, force: true });
    },
  };
  return server;
}
