// exec for the process runtime: the shim's `exec` mode joins the running
// container's cgroups and mount namespace, changes to its working directory
// and runs the command with the container's environment. With a tty the shim
// gives the command a pseudo-terminal (Node has no pty) and takes resizes on
// an extra pipe.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import type { ExecOptions, ExecSession } from '../types.ts';
import { signal } from './proc.ts';
import type { ContainerRecord, ShimInfo } from './state.ts';

/** How long the streams may stay open after the command ended (a background process holding them). */
const CLOSE_GRACE_MS = 1000;

export function envObject(env: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of env) {
    const i = kv.indexOf('=');
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

export function startExec(shimPath: string, rec: ContainerRecord, info: ShimInfo, opts: ExecOptions): ExecSession {
  const args = ['exec', '--pid', String(info.pid), '--pid-start', String(info.pidStart), '--cwd', rec.cwd];
  for (const cg of rec.cgroups) args.push('--cgroup', cg.dir);
  if (opts.tty) args.push('--tty');
  args.push('--', ...opts.command);
  const child = spawn(shimPath, args, {
    env: envObject(rec.env),
    stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', opts.tty ? 'ignore' : 'pipe', ...(opts.tty ? (['pipe'] as const) : [])],
    // Its own process group, so kill() reaches what the command started.
    detached: true,
  });
  const control = opts.tty ? (child.stdio[3] as Writable) : undefined;
  control?.on('error', () => {});
  child.stdin?.on('error', () => {});

  const exit = new Promise<{ exitCode: number; signal?: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, sig) => {
      control?.destroy();
      const result = sig ? { exitCode: 128 + (constants.signals[sig] ?? 0), signal: sig } : { exitCode: code ?? 0 };
      const timer = setTimeout(() => resolve(result), CLOSE_GRACE_MS);
      child.once('close', () => {
        clearTimeout(timer);
        resolve(result);
      });
    });
  });

  return {
    stdin: child.stdin ?? undefined,
    stdout: child.stdout!,
    stderr: child.stderr ?? undefined,
    exit,
    resize(cols: number, rows: number) {
      if (control && !control.destroyed) control.write(`${Math.floor(cols)} ${Math.floor(rows)}\n`);
    },
    kill() {
      if (child.pid && child.exitCode === null && child.signalCode === null) signal(-child.pid, 'SIGKILL');
    },
  };
}
