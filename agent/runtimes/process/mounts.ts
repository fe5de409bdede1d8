// Mounts for the process runtime: where each volume comes from (hostPath,
// or a subPath inside it that must not escape it), and the mount points the
// shim binds onto. The shim mounts in the container's private mount
// namespace, but a mount point must exist in the shared filesystem: a
// missing one is created and remembered, so it can be removed again with the
// container.
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, realpathSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { dirname, isAbsolute, join, sep } from 'node:path';
import type { Mount } from '../types.ts';
import { RuntimeError } from '../types.ts';

export interface BindMount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** The directory or file a Mount binds: hostPath, or subPath inside it (created as a directory when missing, as the kubelet does). */
export function mountSource(m: Mount): string {
  if (!isAbsolute(m.containerPath)) {
    throw new RuntimeError('CreateContainerConfigError', `mount path "${m.containerPath}" must be absolute`);
  }
  if (!existsSync(m.hostPath)) throw new RuntimeError('CreateContainerError', `mount source "${m.hostPath}" does not exist`);
  if (!m.subPath) return m.hostPath;
  if (isAbsolute(m.subPath) || m.subPath.split('/').includes('..')) {
    throw new RuntimeError('CreateContainerConfigError', `subPath "${m.subPath}" must be a relative path without ".."`);
  }
  const base = realpathSync(m.hostPath);
  const wanted = join(base, m.subPath);
  if (!existsSync(wanted)) mkdirSync(wanted, { recursive: true, mode: 0o750 });
  const real = realpathSync(wanted);
  if (real !== base && !real.startsWith(base + sep)) {
    throw new RuntimeError('CreateContainerConfigError', `subPath "${m.subPath}" resolves outside the volume (${real})`);
  }
  return real;
}

/**
 * Makes sure `target` exists (a directory, or an empty file when the source
 * is a file). Returns the paths it created, outermost first.
 */
export function ensureMountPoint(target: string, sourceIsDir: boolean): string[] {
  if (existsSync(target)) return [];
  const missing: string[] = [];
  for (let p = target; !existsSync(p); p = dirname(p)) missing.unshift(p);
  for (const p of missing) {
    if (p === target && !sourceIsDir) closeSync(openSync(p, 'wx', 0o644));
    else mkdirSync(p, { mode: 0o755 });
  }
  return missing;
}

export function isDirectory(path: string): boolean {
  return statSync(path).isDirectory();
}

/** Removes created mount points, innermost first, only while they are empty (never user data). */
export function removeMountPoints(created: string[]): void {
  for (const p of [...created].reverse()) {
    try {
      const st = lstatSync(p);
      if (st.isDirectory()) rmdirSync(p);
      else if (st.isFile() && st.size === 0) unlinkSync(p);
    } catch {
      // Gone already, or no longer empty: leave it.
    }
  }
}
