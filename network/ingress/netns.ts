// Runs an ingress test file (or the bench) inside a network namespace of its
// own. EndpointSlices may not list loopback addresses (Kubernetes validation,
// which the registry enforces), so backends need pod-like addresses: in a
// fresh namespace (`unshare --net`, gone with the process, even on a crash)
// 10.42.0.0/24 is made local on `lo`, and the registry, the ingress, the
// backends and the clients all run there; the host's network is not touched.

import { execFileSync, spawn } from 'node:child_process';

const ENV = 'SKIFF_INGRESS_NETNS';

/** The range the tests' backends listen on inside the namespace. */
export const BACKEND_NET = '10.42.0';

export const inOwnNetns = (): boolean => process.env[ENV] === '1';

/** Inside the namespace: brings up lo and makes the backend range local. */
export function prepareNetns(): void {
  execFileSync('ip', ['link', 'set', 'lo', 'up']);
  execFileSync('ip', ['route', 'add', 'local', `${BACKEND_NET}.0/24`, 'dev', 'lo']);
}

/** Runs `node --import tsx args...` in a new network namespace; resolves with its exit code and (when captured) output. */
export function runInNetns(args: string[], capture: boolean): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['--net', process.execPath, '--import', 'tsx', ...args], {
      // Without NODE_TEST_CONTEXT: a `node --test` started from inside a test would not run its tests.
      env: { ...process.env, NODE_TEST_CONTEXT: undefined, [ENV]: '1' },
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
