// A snapshot of the cluster as the scheduler judges it: each node with the
// pods assigned to it, what they request and which host ports they hold.
// Built afresh for every scheduling decision from the informers' caches plus
// the pods the scheduler has just bound and the informer has not shown yet.

import type { KObject } from '../client/types.ts';
import { allocatable, podRequests, sumInto, type ResourceList } from './resources.ts';

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export interface NodeInfo {
  node: KObject;
  name: string;
  allocatable: ResourceList;
  pods: KObject[];
  /** Sum of the pods' requests. */
  requested: ResourceList;
  /** The same with the scoring defaults for containers that request no cpu or memory. */
  nonZeroRequested: ResourceList;
  ports: HostPort[];
}

interface ContainerPort {
  hostPort?: number;
  hostIP?: string;
  protocol?: string;
}

/** The host ports a pod binds ("" hostIP means every address, "" protocol means TCP, as upstream defaults them). */
export function hostPorts(pod: KObject): HostPort[] {
  const spec = (pod.spec ?? {}) as { containers?: { ports?: ContainerPort[] }[]; initContainers?: { ports?: ContainerPort[]; restartPolicy?: string }[] };
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  const out: HostPort[] = [];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

/** Pods that finished hold nothing on their node; pods still terminating do. */
export function isTerminal(pod: KObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function nodeInfo(node: KObject): NodeInfo {
  return { node, name: node.metadata.name!, allocatable: allocatable(node), pods: [], requested: new Map(), nonZeroRequested: new Map(), ports: [] };
}

interface PodUsage {
  requests: ResourceList;
  nonZero: ResourceList;
  ports: HostPort[];
}

/**
 * What each pod object uses, computed once: informer objects are replaced,
 * never changed, on update, so a snapshot per decision re-reads only the
 * pods that changed instead of parsing every quantity again.
 */
const usage = new WeakMap<KObject, PodUsage>();

function usageOf(pod: KObject): PodUsage {
  let u = usage.get(pod);
  if (!u) usage.set(pod, (u = { requests: podRequests(pod), nonZero: podRequests(pod, true), ports: hostPorts(pod) }));
  return u;
}

export function addPod(info: NodeInfo, pod: KObject): void {
  const u = usageOf(pod);
  info.pods.push(pod);
  sumInto(info.requested, u.requests);
  sumInto(info.nonZeroRequested, u.nonZero);
  info.ports.push(...u.ports);
}

/** Node infos of `nodes`, with every assigned, unfinished pod of `pods` counted on its node. */
export function snapshot(nodes: readonly KObject[], pods: Iterable<KObject>): NodeInfo[] {
  const byName = new Map<string, NodeInfo>();
  for (const n of nodes) byName.set(n.metadata.name!, nodeInfo(n));
  for (const p of pods) {
    const nodeName = (p.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!nodeName || isTerminal(p)) continue;
    const info = byName.get(nodeName);
    if (info) addPod(info, p);
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
