// The filters a node must pass to take a pod, in the order of Kubernetes'
// default profile (NodeUnschedulable, TaintToleration, NodeAffinity,
// NodePorts, NodeResourcesFit), with their reasons word for word. A node
// stops at the first filter it fails. "Unresolvable" failures are those that
// evicting other pods could never fix (preemption skips those nodes).

import type { KObject } from '../client/types.ts';
import { requiredNodeAffinityMatches } from './node-affinity.ts';
import type { HostPort, NodeInfo } from './node-info.ts';
import { hostPorts } from './node-info.ts';
import { podRequests } from './resources.ts';
import { nodeTaints, podTolerations, TAINT_UNSCHEDULABLE, tolerated } from './taints.ts';

export interface FilterFailure {
  reasons: string[];
  unresolvable: boolean;
}

export type Filter = (pod: KObject, node: NodeInfo) => FilterFailure | undefined;

export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const REASON_HOST_PORTS = "node(s) didn't have free ports for the requested pod ports";
export const REASON_TOO_MANY_PODS = 'Too many pods';

/** spec.unschedulable (a cordoned node), unless the pod tolerates the unschedulable taint. */
export const nodeUnschedulable: Filter = (pod, { node }) => {
  const cordoned = (node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;
  if (!cordoned || tolerated(podTolerations(pod), { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' })) return undefined;
  return { reasons: [REASON_UNSCHEDULABLE], unresolvable: true };
};

/** The first NoSchedule or NoExecute taint the pod does not tolerate. */
export const taintToleration: Filter = (pod, { node }) => {
  const tolerations = podTolerations(pod);
  const taint = nodeTaints(node).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerated(tolerations, t));
  if (!taint) return undefined;
  return { reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], unresolvable: true };
};

export const nodeAffinity: Filter = (pod, { node }) =>
  requiredNodeAffinityMatches(pod, node) ? undefined : { reasons: [REASON_NODE_AFFINITY], unresolvable: true };

/** Two host ports clash on the same protocol and port when either binds every address or both bind the same one. */
function portsConflict(a: HostPort, b: HostPort): boolean {
  return a.protocol === b.protocol && a.port === b.port && (a.ip === '0.0.0.0' || b.ip === '0.0.0.0' || a.ip === b.ip);
}

export const nodePorts: Filter = (pod, info) => {
  const wanted = hostPorts(pod);
  if (!wanted.some((w) => info.ports.some((used) => portsConflict(w, used)))) return undefined;
  return { reasons: [REASON_HOST_PORTS], unresolvable: false };
};

/**
 * Room for the pod: one more pod than the node holds, and each resource the
 * pod requests (cpu, memory, ephemeral-storage, extended resources) within
 * allocatable minus what the node's pods already request. Every shortage is
 * a reason of its own ("Insufficient cpu", "Insufficient memory").
 */
export const nodeResourcesFit: Filter = (pod, info) => {
  const reasons: string[] = [];
  if (info.pods.length + 1 > (info.allocatable.get('pods') ?? 0)) reasons.push(REASON_TOO_MANY_PODS);
  const req = podRequests(pod);
  const names = ['cpu', 'memory', 'ephemeral-storage', ...[...req.keys()].filter((k) => !['cpu', 'memory', 'ephemeral-storage', 'pods'].includes(k)).sort()];
  for (const name of names) {
    const want = req.get(name) ?? 0;
    if (want > 0 && want > (info.allocatable.get(name) ?? 0) - (info.requested.get(name) ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return reasons.length ? { reasons, unresolvable: false } : undefined;
};

export const FILTERS: readonly Filter[] = [nodeUnschedulable, taintToleration, nodeAffinity, nodePorts, nodeResourcesFit];

/** The first failure of the node for the pod, or undefined when it fits. */
export function runFilters(pod: KObject, node: NodeInfo): FilterFailure | undefined {
  for (const f of FILTERS) {
    const failure = f(pod, node);
    if (failure) return failure;
  }
  return undefined;
}
