// Where container output goes, in Kubernetes' layout:
// DATA/agent/pods/<namespace>_<name>_<uid>/<container>/<attempt>.log. The
// current instance's file and the previous one (kubectl logs --previous)
// are kept; older attempts are deleted when a container restarts.

import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export function podLogDir(dataDir: string, namespace: string, name: string, uid: string): string {
  return join(dataDir, 'agent', 'pods', `${namespace}_${name}_${uid}`);
}

export function containerLogPath(dataDir: string, namespace: string, name: string, uid: string, container: string, attempt: number): string {
  return join(podLogDir(dataDir, namespace, name, uid), container, `${attempt}.log`);
}

/** Deletes the log files of attempts older than keepFrom (the previous instance's attempt). */
export async function pruneLogs(containerDir: string, keepFrom: number): Promise<void> {
  let names: string[];
  try {
    names = await readdir(containerDir);
  } catch {
    return;
  }
  for (const n of names) {
    const m = /^(\d+)\.log(\.\d+)?$/.exec(n);
    if (m && Number(m[1]) < keepFrom) await rm(join(containerDir, n), { force: true });
  }
}
