// The Node object the agent registers and keeps current, as the kubelet
// fills it: capacity and allocatable from the machine, the four conditions
// with the kubelet's reasons and messages, addresses, daemon endpoints and
// nodeInfo. Pure apart from reading the machine's facts (machineFacts).

import { readFileSync, statfsSync } from 'node:fs';
import { arch, cpus, freemem, release, totalmem, hostname } from 'node:os';
import { KUBERNETES_VERSION } from '../../apiserver/version.ts';
import { timestamp } from '../../apiserver/registry/object.ts';
import type { KObject } from '../../client/types.ts';

export const MAX_PODS = 110;
/** The kubelet's default hard eviction threshold memory.available<100Mi, reserved from allocatable. */
const EVICTION_MEMORY_BYTES = 100 * 1024 * 1024;
/** nodefs.available<10%. */
const EVICTION_DISK_FRACTION = 0.1;

export interface MachineFacts {
  cpus: number;
  memoryBytes: number;
  freeMemoryBytes: number;
  diskBytes: number;
  diskFreeBytes: number;
  kernelVersion: string;
  osImage: string;
  architecture: string;
  machineID: string;
  bootID: string;
  systemUUID: string;
  hostname: string;
}

function readTrim(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function osImage(): string {
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readTrim('/etc/os-release'));
  return m?.[1] ?? 'Unknown';
}

export function machineFacts(dataDir: string): MachineFacts {
  let diskBytes = 0;
  let diskFreeBytes = 0;
  try {
    const s = statfsSync(dataDir);
    diskBytes = s.blocks * s.bsize;
    diskFreeBytes = s.bavail * s.bsize;
  } catch {
    // Unknown: reported as 0.
  }
  const a = arch();
  return {
    cpus: cpus().length || 1,
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    diskBytes,
    diskFreeBytes,
    kernelVersion: release(),
    osImage: osImage(),
    architecture: a === 'x64' ? 'amd64' : a === 'ia32' ? '386' : a,
    machineID: readTrim('/etc/machine-id'),
    bootID: readTrim('/proc/sys/kernel/random/boot_id'),
    systemUUID: readTrim('/sys/class/dmi/id/product_uuid'),
    hostname: hostname(),
  };
}

const ki = (bytes: number): string => `${Math.floor(bytes / 1024)}Ki`;

export interface NodeStatusInput {
  nodeName: string;
  facts: MachineFacts;
  now: Date;
  skiffVersion: string;
  kubeletPort: number;
  /** The stored status, for lastTransitionTime. */
  old?: Record<string, unknown>;
}

interface NodeCondition {
  type: string;
  status: string;
  lastHeartbeatTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export function nodeLabels(nodeName: string, facts: MachineFacts): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': facts.architecture,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': facts.architecture,
    'kubernetes.io/hostname': nodeName,
    'kubernetes.io/os': 'linux',
  };
}

export function nodeStatus(input: NodeStatusInput): Record<string, unknown> {
  const { facts, now } = input;
  const ts = timestamp(now);
  const memPressure = facts.freeMemoryBytes < EVICTION_MEMORY_BYTES;
  const diskPressure = facts.diskBytes > 0 && facts.diskFreeBytes < facts.diskBytes * EVICTION_DISK_FRACTION;
  const fresh: Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'>[] = [
    memPressure
      ? { type: 'MemoryPressure', status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' }
      : { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    diskPressure
      ? { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' }
      : { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  ];
  const oldConds = ((input.old?.conditions as NodeCondition[] | undefined) ?? []);
  const conditions = fresh.map((c) => {
    const prev = oldConds.find((o) => o.type === c.type);
    return { ...c, lastHeartbeatTime: ts, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : ts };
  });
  const capacity = {
    cpu: String(facts.cpus),
    'ephemeral-storage': ki(facts.diskBytes),
    memory: ki(facts.memoryBytes),
    pods: String(MAX_PODS),
  };
  const allocatable = {
    cpu: String(facts.cpus),
    'ephemeral-storage': String(Math.floor(facts.diskBytes * (1 - EVICTION_DISK_FRACTION))),
    memory: ki(Math.max(0, facts.memoryBytes - EVICTION_MEMORY_BYTES)),
    pods: String(MAX_PODS),
  };
  const v = KUBERNETES_VERSION;
  return {
    capacity,
    allocatable,
    conditions,
    addresses: [
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'Hostname', address: input.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: input.kubeletPort } },
    nodeInfo: {
      machineID: facts.machineID,
      systemUUID: facts.systemUUID,
      bootID: facts.bootID,
      kernelVersion: facts.kernelVersion,
      osImage: facts.osImage,
      containerRuntimeVersion: `process://${input.skiffVersion}`,
      kubeletVersion: `v${v.major}.${v.minor}.${v.patch}`,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: facts.architecture,
    },
  };
}

/** Whether two statuses differ in more than heartbeat times (a write is due only then, or when a heartbeat is due). */
export function nodeStatusChanged(a: Record<string, unknown> | undefined, b: Record<string, unknown>): boolean {
  const strip = (s: Record<string, unknown> | undefined) =>
    JSON.stringify({ ...s, conditions: ((s?.conditions as NodeCondition[] | undefined) ?? []).map(({ lastHeartbeatTime: _h, ...c }) => c) });
  return strip(a) !== strip(b);
}

export function nodeObject(nodeName: string, facts: MachineFacts, podCIDR?: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: nodeName,
      labels: nodeLabels(nodeName, facts),
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {},
  };
}
