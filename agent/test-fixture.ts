// Test fixture for the agent: a real Registry over SQLite (useTempRegistry),
// a LocalClient, the real process runtime with its shim compiled into a temp
// dir, a manual clock, and cleanup that leaves no process, cgroup or temp
// dir behind even when a test fails.

import { after, afterEach, beforeEach } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { useTempRegistry } from '../apiserver/registry/test-registry.ts';
import { LocalClient } from '../client/local.ts';
import { R } from '../client/resources.ts';
import type { KObject } from '../client/types.ts';
import { Agent, type AgentOptions } from './agent.ts';
import { ManualClock } from './clock.ts';
import { ProcessRuntime } from './runtimes/process/process-runtime.ts';
import { compileShim } from './runtimes/process/shim/compile.mjs';
import { killMentioning, removeCgroupDir } from './runtimes/process/test-cleanup.ts';

const shimDir = mkdtempSync(join(tmpdir(), 'skiff-agent-shim-'));
const shimPath = join(shimDir, 'skiff-shim');
compileShim(shimPath);
after(() => rmSync(shimDir, { recursive: true, force: true }));

export interface AgentFixture {
  client: LocalClient;
  clock: ManualClock;
  dataDir: string;
  runtime(): ProcessRuntime;
  /** A new Agent over the fixture's data dir and a new runtime instance (as after a restart). */
  agent(extra?: Partial<AgentOptions>): Agent;
  logs: string[];
}

export function useAgentFixture(prefix: string): AgentFixture {
  const reg = useTempRegistry(prefix);
  const agents: Agent[] = [];
  const f = { logs: [] as string[] } as AgentFixture & { stateDir: string; cgroup: string };
  beforeEach(async () => {
    f.dataDir = join(reg.dir, 'data');
    f.stateDir = join(f.dataDir, 'agent', 'runtime');
    f.cgroup = `skiff-test-${basename(reg.dir)}`;
    await mkdir(f.dataDir, { recursive: true });
    f.client = new LocalClient(reg.registry, 'skiff-agent');
    f.clock = new ManualClock(new Date());
    f.logs = [];
    await reg.registry.create(R.namespaces, undefined, { metadata: { name: 'kube-node-lease' } });
    f.runtime = () => new ProcessRuntime({ stateDir: f.stateDir, shimPath, cgroupParent: f.cgroup, pollIntervalMs: 200 });
    f.agent = (extra = {}) => {
      const a = new Agent(f.client, {
        nodeName: 'node-1',
        runtime: f.runtime(),
        dataDir: f.dataDir,
        clock: f.clock,
        log: (m, e) => f.logs.push(`${m}${e ? `: ${e instanceof Error ? e.stack : String(e)}` : ''}`),
        streaming: { port: 10250 },
        ...extra,
      });
      agents.push(a);
      return a;
    };
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop().catch(() => {});
    const rt = f.runtime();
    try {
      for (const sb of await rt.listPodSandboxes()) await rt.removePodSandbox(sb.id);
      for (const c of await rt.listContainers()) await rt.removeContainer(c.id);
    } finally {
      killMentioning(f.stateDir);
      for (const parent of rt.cgroupParents()) await removeCgroupDir(parent);
    }
  });
  return f;
}

/** Polls cond every 20 ms (advancing the manual clock by `advanceMs` each time, if given) until it holds; fails after 20 s. */
export async function until<T>(what: string, cond: () => Promise<T | undefined | false> | T | undefined | false, opts: { clock?: ManualClock; advanceMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    if (opts.clock && opts.advanceMs) opts.clock.advance(opts.advanceMs);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function pod(name: string, spec: Record<string, unknown>, meta: Record<string, unknown> = {}): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...meta }, spec: { nodeName: 'node-1', ...spec } };
}

/** A container that runs a shell script. */
export function sh(name: string, script: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, image: 'busybox', command: ['sh', '-c', script], ...extra };
}

export type PodStatusJson = {
  phase?: string;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  containerStatuses?: {
    name: string;
    ready: boolean;
    started: boolean;
    restartCount: number;
    containerID?: string;
    state: { running?: { startedAt: string }; waiting?: { reason: string; message?: string }; terminated?: { exitCode: number; reason: string } };
    lastState: { terminated?: { exitCode: number; reason: string } };
  }[];
  initContainerStatuses?: PodStatusJson['containerStatuses'];
  podIP?: string;
  hostIP?: string;
  qosClass?: string;
};

export async function podStatus(client: LocalClient, name: string): Promise<PodStatusJson> {
  return ((await client.get(R.pods, 'default', name)).status ?? {}) as PodStatusJson;
}

export async function eventsOf(client: LocalClient, name: string): Promise<{ reason: string; message: string; type: string }[]> {
  const { items } = await client.list(R.events, { namespace: 'default' });
  return items.filter((e) => (e.involvedObject as { name: string }).name === name).map((e) => ({ reason: e.reason as string, message: e.message as string, type: e.type as string }));
}
