// Runs iproute2 in batch mode: one process for a list of commands, so that a
// pod's network costs two process spawns (host side, pod side), not ten.
// With `hostNetns` (tests) the batch runs under `nsenter --net`, which
// switches only the network namespace: `ip netns add` must stay in the
// host's mount namespace so that the namespace's bind mount under
// /run/netns is visible to every later process (`ip -n` and `ip netns exec`
// give `ip` a private mount namespace, where it would not be).

import { spawn } from 'node:child_process';

export interface IpResult {
  code: number;
  stderr: string;
}

export interface IpRunner {
  /** Runs the lines as one `ip -batch -` (with -force: every line runs, errors are collected). In `netns` when given. */
  batch(lines: string[], opts?: { netns?: string; force?: boolean }): Promise<IpResult>;
}

export function ipRunner(hostNetns?: string, ipPath = 'ip'): IpRunner {
  return {
    batch(lines, opts = {}) {
      const args = [...(opts.netns ? ['-n', opts.netns] : []), ...(opts.force ? ['-force'] : []), '-batch', '-'];
      const [cmd, argv] = hostNetns && !opts.netns ? ['nsenter', [`--net=/run/netns/${hostNetns}`, '--', ipPath, ...args]] : [ipPath, args];
      return new Promise((resolve, reject) => {
        const p = spawn(cmd, argv as string[], { stdio: ['pipe', 'ignore', 'pipe'] });
        let stderr = '';
        p.stderr.setEncoding('utf8');
        p.stderr.on('data', (d: string) => (stderr += d));
        p.once('error', reject);
        p.once('close', (code) => resolve({ code: code ?? -1, stderr }));
        p.stdin.on('error', () => {});
        p.stdin.end(lines.join('\n') + '\n');
      });
    },
  };
}

/** The error lines of a -force batch that are not in `tolerated` (e.g. "File exists" when making what exists). */
export function unexpectedErrors(stderr: string, tolerated: RegExp): string[] {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Command failed /.test(l) && !tolerated.test(l));
}
