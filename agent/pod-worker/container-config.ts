// The runtime's ContainerConfig for one instance of a pod's container:
// command and args $(VAR)-expanded, env, mounts, limits in bytes and
// millicores, and the instance's log file in the Kubernetes layout.

import { parseQuantity } from '../../api/validation/quantity.ts';
import type { KObject } from '../../client/types.ts';
import { expandCommand } from '../env/resolve.ts';
import type { Container, PodSpec } from '../pod-types.ts';
import type { ContainerConfig } from '../runtimes/types.ts';
import { containerMounts, type PreparedVolumes } from '../volumes/volumes.ts';
import { containerLogPath } from './log-paths.ts';

export function containerConfig(
  pod: KObject,
  c: Container,
  attempt: number,
  env: { name: string; value: string }[],
  prepared: PreparedVolumes,
  dataDir: string,
  sandboxId: string,
): ContainerConfig {
  const m = pod.metadata;
  const { command, args } = expandCommand(c, env);
  const limits = c.resources?.limits ?? {};
  const mem = limits.memory !== undefined ? parseQuantity(limits.memory) : undefined;
  const cpu = limits.cpu !== undefined ? parseQuantity(limits.cpu) : undefined;
  return {
    sandboxId,
    podUid: m.uid!,
    namespace: m.namespace!,
    podName: m.name!,
    name: c.name,
    attempt,
    image: c.image ?? '',
    command,
    args,
    env,
    ...(c.workingDir ? { workingDir: c.workingDir } : {}),
    mounts: containerMounts(c, prepared, pod.spec as PodSpec, env),
    limits: { ...(mem !== undefined ? { memoryBytes: Math.round(mem) } : {}), ...(cpu !== undefined ? { cpuMillis: Math.round(cpu * 1000) } : {}) },
    ...(c.stdin ? { stdin: true } : {}),
    ...(c.tty ? { tty: true } : {}),
    logPath: containerLogPath(dataDir, m.namespace!, m.name!, m.uid!, c.name, attempt),
  };
}
