// Address allocation for the node's pod range, kept on disk as one file per
// address taken (DIR/<ip>, created with O_EXCL, holding the pod's uid and the
// names of its namespace and veth), as CNI's host-local plugin does. An
// agent restart reads the directory back; the next search starts after the
// last address given out (DIR/last), so a released address is not handed to
// a new pod at once while proxies may still hold it.

import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { hostRange, intToIp, ipToInt } from './cidr.ts';
import type { Subnet } from './cidr.ts';

export interface Allocation {
  ip: string;
  podUid: string;
  netns: string;
  hostVeth: string;
}

const LAST = 'last';

/** The allocations recorded in an address directory (none when it does not exist); a file written only partly is removed. */
export function readAllocations(dir: string): Map<string, Allocation> {
  const m = new Map<string, Allocation>();
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    // Nothing allocated yet.
  }
  for (const name of names) {
    if (name === LAST || !/^\d+\.\d+\.\d+\.\d+$/.test(name)) continue;
    try {
      m.set(name, { ip: name, ...(JSON.parse(readFileSync(join(dir, name), 'utf8')) as Omit<Allocation, 'ip'>) });
    } catch {
      // A crash while allocating: nobody got it, so it is free again.
      rmSync(join(dir, name), { force: true });
    }
  }
  return m;
}

export class Ipam {
  /** The directory's content, read once (this process is the only writer while it runs). */
  private cache: Map<string, Allocation> | undefined;

  constructor(
    private readonly dir: string,
    private readonly subnet: Subnet,
  ) {}

  private load(): Map<string, Allocation> {
    this.cache ??= readAllocations(this.dir);
    return this.cache;
  }

  list(): Allocation[] {
    return [...this.load().values()];
  }

  byPod(podUid: string): Allocation | undefined {
    for (const a of this.load().values()) if (a.podUid === podUid) return a;
    return undefined;
  }

  /** Takes the next free address after the last one given out; undefined when the range is full. */
  allocate(owner: Omit<Allocation, 'ip'>): Allocation | undefined {
    const taken = this.load();
    mkdirSync(this.dir, { recursive: true });
    const { first, last } = hostRange(this.subnet);
    let start = first;
    try {
      const prev = ipToInt(readFileSync(join(this.dir, LAST), 'utf8').trim());
      if (prev >= first && prev < last) start = prev + 1;
    } catch {
      // First allocation.
    }
    const size = last - first + 1;
    for (let i = 0; i < size; i++) {
      const ip = intToIp(first + ((start - first + i) % size));
      if (taken.has(ip)) continue;
      let fd: number;
      try {
        fd = openSync(join(this.dir, ip), 'wx', 0o644);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw err;
      }
      try {
        writeSync(fd, JSON.stringify(owner));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      writeFileSync(join(this.dir, LAST), ip);
      const alloc = { ip, ...owner };
      taken.set(ip, alloc);
      return alloc;
    }
    return undefined;
  }

  release(ip: string): void {
    rmSync(join(this.dir, ip), { force: true });
    this.load().delete(ip);
  }
}
