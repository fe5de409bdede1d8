// The process runtime's state directory: what a later agent needs to find
// its sandboxes and containers again, and where the shim reports to.
//
//   sandboxes/<id>/sandbox.json     the sandbox (pod) record
//   sandboxes/<id>/logs             log paths of its containers, one a line (removed with it)
//   sandboxes/<id>/hosts            the pod's /etc/hosts (mounted into its containers)
//   sandboxes/<id>/resolv.conf      the pod's /etc/resolv.conf (likewise)
//   containers/<id>/container.json  the container as started (config, env, cgroups, mounts)
//   containers/<id>/shim.json       written by the shim once the process runs (PIDs, start times)
//   containers/<id>/shim.log        the shim's own errors
//   containers/<id>/final.json      the exit as reported (with OOMKilled), fixed once seen
//   exits/<id>.json                 written by the shim when the process ended (watched)
//
// Files are small and written atomically (temp file, rename), and read
// synchronously, so that one turn of the event loop sees one state. They are
// not fsynced: they describe processes, which a crash of the machine ends
// too, while a crash of the agent leaves them in the page cache. An fsync
// cost ~5 ms of the event loop per container start (half of a pod's start-up
// work in bench/workloads.ts). A file cut short by a power loss reads as
// absent (its processes are gone with the machine).
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerConfig, PodSandboxConfig } from '../types.ts';
import type { CgroupRef } from './cgroups.ts';
import type { BindMount } from './mounts.ts';

export interface ContainerRecord {
  id: string;
  config: ContainerConfig;
  /** The environment as the process gets it (NAME=value). */
  env: string[];
  cwd: string;
  createdAt: string;
  cgroups: CgroupRef[];
  mounts: BindMount[];
  /** The pod's network namespace (a file the shim joins), when it has one. */
  netns?: string;
  /** The container's UTS host name, when it gets its own. */
  hostname?: string;
  /** Mount points this container created (outermost first); removed with it. */
  createdPaths: string[];
  logMaxBytes: number;
}

/** shim.json */
export interface ShimInfo {
  shimPid: number;
  shimStart: number;
  pid: number;
  pidStart: number;
  startedAt: string;
}

/** exits/<id>.json */
export interface ExitInfo {
  exitCode: number;
  signal: string | null;
  finishedAt: string;
}

/** final.json */
export interface FinalInfo {
  exitCode: number;
  signal?: string;
  finishedAt: string;
  reason: string;
  message?: string;
}

export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  ip: string;
  /** The pod's network namespace (/run/netns/NAME) on the pod network; absent on the host network. */
  netns?: string;
  createdAt: string;
}

export class StateDir {
  readonly containers: string;
  readonly sandboxes: string;
  readonly exits: string;

  constructor(readonly root: string) {
    this.containers = join(root, 'containers');
    this.sandboxes = join(root, 'sandboxes');
    this.exits = join(root, 'exits');
  }

  create(): void {
    for (const dir of [this.containers, this.sandboxes, this.exits]) mkdirSync(dir, { recursive: true });
  }

  containerDir(id: string): string {
    return join(this.containers, id);
  }
  record(id: string): string {
    return join(this.containers, id, 'container.json');
  }
  info(id: string): string {
    return join(this.containers, id, 'shim.json');
  }
  shimLog(id: string): string {
    return join(this.containers, id, 'shim.log');
  }
  final(id: string): string {
    return join(this.containers, id, 'final.json');
  }
  exit(id: string): string {
    return join(this.exits, `${id}.json`);
  }
  sandboxDir(id: string): string {
    return join(this.sandboxes, id);
  }
  sandbox(id: string): string {
    return join(this.sandboxes, id, 'sandbox.json');
  }
  sandboxLogs(id: string): string {
    return join(this.sandboxes, id, 'logs');
  }
  sandboxHosts(id: string): string {
    return join(this.sandboxes, id, 'hosts');
  }
  sandboxResolvConf(id: string): string {
    return join(this.sandboxes, id, 'resolv.conf');
  }
}

export function readJson<T>(path: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

export function writeJson(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, JSON.stringify(value));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
