// Cleanup for tests that start real containers (the runtime's own tests and
// the agent's fixture): whatever a failed test left (shims, container
// processes, cgroups) is killed and removed.

import { readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { processesMentioning, signal } from './proc.ts';

/** SIGKILLs every live process whose command line mentions `needle` (shims carry their state dir). */
export function killMentioning(needle: string): void {
  for (const pid of processesMentioning(needle)) signal(pid, 'SIGKILL');
}

/** Removes a cgroup directory and its children, killing what is still in them. */
export async function removeCgroupDir(dir: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      for (const child of readdirSync(dir, { withFileTypes: true })) if (child.isDirectory()) await removeCgroupDir(join(dir, child.name));
      rmdirSync(dir);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      try {
        for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) signal(Number(pid), 'SIGKILL');
      } catch {
        // Gone already.
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  throw new Error(`cannot remove cgroup ${dir}`);
}
