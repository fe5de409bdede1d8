// Taints and tolerations as Kubernetes matches them, and the taints a node
// carries for scheduling: its spec.taints, plus the not-ready/unreachable
// NoSchedule taint that Kubernetes' node lifecycle controller puts on a node
// whose Ready condition is not True (added here if the node lacks it, so a
// pod that tolerates it, as DaemonSet pods do, may still go there).

import type { KObject } from '../client/types.ts';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** Upstream's Toleration.ToleratesTaint: an empty key with Exists tolerates every taint (of its effect, or all effects). */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function podTolerations(pod: KObject): Toleration[] {
  return ((pod.spec as { tolerations?: Toleration[] } | undefined)?.tolerations ?? []) as Toleration[];
}

export function tolerated(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => toleratesTaint(t, taint));
}

/** The node's taints for scheduling (see the top of this file). */
export function nodeTaints(node: KObject): Taint[] {
  const taints = [...(((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []) as Taint[])];
  const conditions = (node.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') {
    const key = ready?.status === 'False' ? TAINT_NOT_READY : TAINT_UNREACHABLE;
    if (!taints.some((t) => t.key === key)) taints.push({ key, effect: 'NoSchedule' });
  }
  return taints;
}
