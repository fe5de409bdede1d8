// Cgroups for the process runtime: one cgroup per container in each
// hierarchy it uses, under `<the agent's own cgroup>/<parent>` there, for
// memory and CPU limits, OOM detection and finding every process of a
// container. Works with cgroup v2 (memory.max, cpu.max, memory.events) and
// v1 (memory.limit_in_bytes, cpu.cfs_quota_us, memory.oom_control), and with
// hosts that mix them (v1 controllers plus a v2 mount used only to track
// processes), picking each controller where it is available.
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { signal } from './proc.ts';

export type Controller = 'memory' | 'cpu';

/** A container's cgroup in one hierarchy; kept in its state so a later agent finds it again. */
export interface CgroupRef {
  dir: string;
  version: 1 | 2;
  controllers: Controller[];
}

interface Hierarchy {
  version: 1 | 2;
  /** `<mount point><the agent's cgroup>/<parent>`: where container cgroups go. */
  base: string;
  /** The agent's own cgroup directory (v2: controllers must be enabled in its subtree). */
  own: string;
  controllers: Controller[];
}

/** CFS period for CPU limits, as the kubelet uses (100ms); a millicore is 100µs of quota per period. */
const CPU_PERIOD_US = 100_000;
const MIN_CPU_QUOTA_US = 1000;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `key value` lines (memory.events, memory.oom_control) as a map. */
function keyValues(text: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of (text ?? '').split('\n')) {
    const [k, v] = line.split(' ');
    if (k && v !== undefined) out.set(k, Number(v));
  }
  return out;
}

export class Cgroups {
  private prepared = false;

  private constructor(private readonly hierarchies: Hierarchy[]) {}

  /**
   * Finds the hierarchies on this machine. Returns the cgroups to use (none
   * without privilege) and notes on what cannot be enforced.
   */
  static detect(parent: string): { cgroups?: Cgroups; limits: boolean; notes: string[] } {
    if (process.getuid?.() !== 0) {
      return { limits: false, notes: ['memory and CPU limits are not enforced: the process runtime needs root to manage cgroups'] };
    }
    const own = new Map<string, string>(); // controller list ('' for v2) -> path
    for (const line of (read('/proc/self/cgroup') ?? '').split('\n')) {
      const m = /^\d+:([^:]*):(.*)$/.exec(line);
      if (m) own.set(m[1], m[2]);
    }
    const v1 = new Map<Controller, Hierarchy>();
    let v2: Hierarchy | undefined;
    for (const line of (read('/proc/self/mountinfo') ?? '').split('\n')) {
      const [left, right] = line.split(' - ');
      if (!left || !right) continue;
      const fields = left.split(' ');
      const root = fields[3];
      const mountPoint = fields[4];
      const [fstype, , superOpts = ''] = right.split(' ');
      const dirOf = (path: string | undefined) => {
        if (path === undefined) return undefined;
        const rel = root !== '/' && path.startsWith(root) ? path.slice(root.length) : path;
        return join(mountPoint, rel);
      };
      // An absolute parent is taken from the hierarchy's root (like the kubelet's /kubepods), a relative one from the agent's cgroup.
      const from = (path: string | undefined) => dirOf(parent.startsWith('/') ? root : path);
      if (fstype === 'cgroup2' && !v2) {
        const dir = from(own.get(''));
        if (!dir) continue;
        const available = (read(join(dir, 'cgroup.controllers')) ?? '').trim().split(/\s+/);
        const controllers = (['memory', 'cpu'] as Controller[]).filter((c) => available.includes(c));
        v2 = { version: 2, base: join(dir, parent), own: dir, controllers };
      } else if (fstype === 'cgroup') {
        const opts = superOpts.split(',');
        for (const c of ['memory', 'cpu'] as Controller[]) {
          if (!opts.includes(c) || v1.has(c)) continue;
          const key = [...own.keys()].find((k) => k.split(',').includes(c));
          const dir = from(key === undefined ? undefined : own.get(key));
          if (dir) v1.set(c, { version: 1, base: join(dir, parent), own: dir, controllers: [c] });
        }
      }
    }
    const hierarchies: Hierarchy[] = [];
    if (v2) hierarchies.push(v2);
    const missing: Controller[] = [];
    for (const c of ['memory', 'cpu'] as Controller[]) {
      if (v2?.controllers.includes(c)) continue;
      const h = v1.get(c);
      if (h) hierarchies.push(h);
      else missing.push(c);
    }
    const notes = missing.map((c) => `${c} limits are not enforced: no ${c} cgroup controller is available to the agent`);
    if (hierarchies.length === 0) return { limits: false, notes: ['memory and CPU limits are not enforced: no cgroup hierarchy is mounted'] };
    return { cgroups: new Cgroups(hierarchies), limits: missing.length === 0, notes };
  }

  /** The parent directories this runtime creates container cgroups in. */
  bases(): string[] {
    return this.hierarchies.map((h) => h.base);
  }

  /** Creates the parent cgroups (enabling v2 controllers for them). Returns notes on what failed. */
  prepare(): string[] {
    const notes: string[] = [];
    if (this.prepared) return notes;
    this.prepared = true;
    for (const h of this.hierarchies) {
      try {
        mkdirSync(h.base, { recursive: true });
        if (h.version === 2 && h.controllers.length > 0) {
          // v2 hands a controller down one level at a time: enable it from the starting cgroup down to the parent.
          const enable = h.controllers.map((c) => `+${c}`).join(' ');
          let dir = h.own;
          writeFileSync(join(dir, 'cgroup.subtree_control'), enable);
          for (const part of relative(h.own, h.base).split('/')) {
            dir = join(dir, part);
            writeFileSync(join(dir, 'cgroup.subtree_control'), enable);
          }
        }
      } catch (err) {
        notes.push(`limits (${h.controllers.join(', ') || 'process tracking'}) are not enforced: cannot prepare cgroup ${h.base}: ${(err as Error).message}`);
        h.controllers = [];
      }
    }
    return notes;
  }

  /**
   * A container's cgroups with its limits (memory in bytes, CPU in millicores):
   * created here where a limit is written, else left for the shim to make.
   */
  create(name: string, limits: { memoryBytes?: number; cpuMillis?: number }): CgroupRef[] {
    const refs: CgroupRef[] = [];
    if (!this.prepared) throw new Error('cgroups are not prepared: start() the runtime first');
    try {
      for (const h of this.hierarchies) {
        const dir = join(h.base, name);
        const memory = h.controllers.includes('memory') && limits.memoryBytes !== undefined;
        const cpu = h.controllers.includes('cpu') && limits.cpuMillis !== undefined;
        // Without a limit to write into it, the shim makes the cgroup before it joins it (off the event loop).
        if (memory || cpu) mkdirSync(dir);
        refs.push({ dir, version: h.version, controllers: h.controllers });
        if (memory) {
          const bytes = String(limits.memoryBytes);
          if (h.version === 2) {
            writeFileSync(join(dir, 'memory.max'), bytes);
            tryWrite(join(dir, 'memory.swap.max'), '0');
          } else {
            writeFileSync(join(dir, 'memory.limit_in_bytes'), bytes);
            // Memory plus swap capped at the same value: no swapping past the limit (as the kubelet sets it).
            tryWrite(join(dir, 'memory.memsw.limit_in_bytes'), bytes);
          }
        }
        if (cpu) {
          // 250m -> 25000µs of every 100000µs period.
          const quota = Math.max(MIN_CPU_QUOTA_US, Math.round((limits.cpuMillis! * CPU_PERIOD_US) / 1000));
          if (h.version === 2) writeFileSync(join(dir, 'cpu.max'), `${quota} ${CPU_PERIOD_US}`);
          else {
            writeFileSync(join(dir, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
            writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quota));
          }
        }
      }
    } catch (err) {
      for (const ref of refs) tryRmdir(ref.dir);
      throw err;
    }
    return refs;
  }
}

function tryWrite(path: string, value: string): void {
  try {
    writeFileSync(path, value);
  } catch {
    // Optional knob (swap accounting off): the limit itself is set.
  }
}

function tryRmdir(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** Whether the kernel OOM-killed a process in these cgroups. */
export function oomKilled(refs: CgroupRef[]): boolean {
  for (const ref of refs) {
    if (!ref.controllers.includes('memory')) continue;
    if (ref.version === 2) {
      if ((keyValues(read(join(ref.dir, 'memory.events'))).get('oom_kill') ?? 0) > 0) return true;
    } else {
      const control = keyValues(read(join(ref.dir, 'memory.oom_control')));
      const kills = control.get('oom_kill');
      if (kills !== undefined ? kills > 0 : Number(read(join(ref.dir, 'memory.failcnt')) ?? 0) > 0) return true;
    }
  }
  return false;
}

/** Every process in these cgroups. */
export function cgroupProcs(refs: CgroupRef[]): number[] {
  const pids = new Set<number>();
  for (const ref of refs) {
    for (const line of (read(join(ref.dir, 'cgroup.procs')) ?? '').split('\n')) if (line) pids.add(Number(line));
  }
  return [...pids];
}

/** Removes a container's cgroups, killing whatever is still in them. */
export async function removeCgroups(refs: CgroupRef[]): Promise<void> {
  for (const ref of refs) {
    for (let attempt = 0; !tryRmdir(ref.dir); attempt++) {
      if (attempt === 100) throw new Error(`cannot remove cgroup ${ref.dir}: processes remain in it`);
      for (const pid of cgroupProcs([ref])) signal(pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
