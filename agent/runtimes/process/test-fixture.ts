// The process runtime's test fixture, shared by its test files: the shim
// compiled into a temp dir (exactly as `npm run build` compiles it into
// dist/), and a runtime over fresh state, with or without a pod network,
// whose cleanup removes whatever a test left.

import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { RuntimeFixture } from '../conformance.ts';
import { PodNetwork } from '../../../network/pod/pod-network.ts';
import type { PodNetworkOptions } from '../../../network/pod/pod-network.ts';
import { ProcessRuntime } from './process-runtime.ts';
import { compileShim } from './shim/compile.mjs';
import { killMentioning, removeCgroupDir } from './test-cleanup.ts';

let compiled: string | undefined;

/** The shim, compiled once per test process (removed when it exits). */
export function testShim(): string {
  if (compiled) return compiled;
  const shimDir = mkdtempSync(join(tmpdir(), 'skiff-shim-'));
  compiled = join(shimDir, 'skiff-shim');
  compileShim(compiled);
  process.once('exit', () => rmSync(shimDir, { recursive: true, force: true }));
  return compiled;
}

export interface ProcessFixture extends RuntimeFixture {
  runtime: ProcessRuntime;
  stateDir: string;
  make(): ProcessRuntime;
  network?: PodNetwork;
}

/**
 * A fresh state dir and cgroup parent; cleanup goes through a new runtime
 * instance, then kills and removes whatever is left. With `network`, pods
 * get a PodNetwork (the test must run in a network namespace of its own).
 */
export async function processFixture(opts: { network?: Omit<PodNetworkOptions, 'stateDir'> } = {}): Promise<ProcessFixture> {
  const shimPath = testShim();
  const dir = await mkdtemp(join(tmpdir(), 'skiff-process-rt-'));
  const stateDir = join(dir, 'state');
  const network = opts.network ? new PodNetwork({ ...opts.network, stateDir: join(dir, 'network') }) : undefined;
  const make = () => new ProcessRuntime({ stateDir, shimPath, cgroupParent: `skiff-test-${basename(dir)}`, pollIntervalMs: 500, network });
  return {
    runtime: make(),
    reopen: async () => make(),
    dir,
    stateDir,
    make,
    network,
    image: 'process',
    requiresCommand: true,
    echoServer: (port: number) => [process.execPath, '-e', `require('net').createServer((s) => s.pipe(s)).listen(${port})`],
    async cleanup() {
      const rt = make();
      try {
        for (const sb of await rt.listPodSandboxes()) await rt.removePodSandbox(sb.id);
        for (const c of await rt.listContainers()) await rt.removeContainer(c.id);
      } finally {
        killMentioning(stateDir);
        await network?.teardown();
        for (const parent of rt.cgroupParents()) await removeCgroupDir(parent);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
