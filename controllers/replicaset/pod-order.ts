// Which pods a ReplicaSet deletes first when it scales down, as Kubernetes'
// ActivePodsWithRanks orders them (LogarithmicScaleDown and PodDeletionCost
// on, their defaults): unscheduled before scheduled, Pending before Unknown
// before Running, not ready before ready, lower pod-deletion-cost first, pods
// doubled up on a node with their siblings first, then the most recently
// ready, then the most restarted, then the newest. Times are compared in
// powers-of-two buckets of their age, so that pods of similar age are not
// ordered by a few seconds' difference (ties broken by uid).

import type { KObject } from '../../client/types.ts';
import { isPodReady } from '../pods.ts';

export const DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

interface Ranked {
  pod: KObject;
  /** Active pods of the same owner family on this pod's node. */
  rank: number;
}

function nodeName(pod: KObject): string {
  return ((pod.spec as { nodeName?: string } | undefined)?.nodeName) ?? '';
}

function phase(pod: KObject): string {
  return ((pod.status as { phase?: string } | undefined)?.phase) ?? '';
}

function deletionCost(pod: KObject): number {
  const v = pod.metadata.annotations?.[DELETION_COST_ANNOTATION];
  if (v === undefined) return 0;
  const n = Number(v);
  return Number.isInteger(n) ? n : 0;
}

/** When the pod last became ready (0 when not ready or unknown). */
function readyTime(pod: KObject): number {
  const conds = (pod.status as { conditions?: { type: string; status: string; lastTransitionTime?: string }[] } | undefined)?.conditions;
  const c = conds?.find((x) => x.type === 'Ready' && x.status === 'True');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) || 0 : 0;
}

function createdAt(pod: KObject): number {
  return pod.metadata.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) || 0 : 0;
}

/** Restarts of regular containers and of restartable init containers (sidecars), the highest of each. */
function maxRestarts(pod: KObject): [number, number] {
  const status = (pod.status ?? {}) as { containerStatuses?: { restartCount?: number }[]; initContainerStatuses?: { name: string; restartCount?: number }[] };
  const spec = (pod.spec ?? {}) as { initContainers?: { name: string; restartPolicy?: string }[] };
  let regular = 0;
  for (const c of status.containerStatuses ?? []) regular = Math.max(regular, c.restartCount ?? 0);
  const sidecars = new Set((spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  let sidecar = 0;
  for (const c of status.initContainerStatuses ?? []) if (sidecars.has(c.name)) sidecar = Math.max(sidecar, c.restartCount ?? 0);
  return [regular, sidecar];
}

/** Later first; a zero (unknown) time before any known one. */
function afterOrZero(t1: number, t2: number): boolean {
  if (t1 === 0 || t2 === 0) return t1 === 0;
  return t1 > t2;
}

/** Difference of floor(log2(age in nanoseconds)) of two times; an age of zero or less ranks -1. */
function logRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number): number => {
    const ns = (now - t) * 1e6;
    return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
  };
  return rank(t1) - rank(t2);
}

function compareTimes(t1: number, t2: number, now: number, a: KObject, b: KObject): boolean {
  if (t1 === 0 || t2 === 0) return afterOrZero(t1, t2);
  const d = logRankDiff(t1, t2, now);
  if (d === 0) return (a.metadata.uid ?? '') < (b.metadata.uid ?? '');
  return d < 0;
}

/** ActivePodsWithRanks.Less: true when `a` should be deleted before `b`. */
export function deleteBefore(a: Ranked, b: Ranked, now: number): boolean {
  const ni = nodeName(a.pod);
  const nj = nodeName(b.pod);
  if (ni !== nj && (ni === '' || nj === '')) return ni === '';
  const pi = PHASE_ORDINAL[phase(a.pod)] ?? 0;
  const pj = PHASE_ORDINAL[phase(b.pod)] ?? 0;
  if (pi !== pj) return pi < pj;
  const ri = isPodReady(a.pod);
  const rj = isPodReady(b.pod);
  if (ri !== rj) return !ri;
  const ci = deletionCost(a.pod);
  const cj = deletionCost(b.pod);
  if (ci !== cj) return ci < cj;
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (ri && rj) {
    const ti = readyTime(a.pod);
    const tj = readyTime(b.pod);
    if (ti !== tj) return compareTimes(ti, tj, now, a.pod, b.pod);
  }
  const [ra, sa] = maxRestarts(a.pod);
  const [rb, sb] = maxRestarts(b.pod);
  if (ra !== rb) return ra > rb;
  if (sa !== sb) return sa > sb;
  const ca = createdAt(a.pod);
  const cb = createdAt(b.pod);
  if (ca !== cb) return compareTimes(ca, cb, now, a.pod, b.pod);
  return false;
}

/**
 * The `n` pods to delete out of `pods`, ranked against `related` (the active
 * pods of the whole owner family, which says who is doubled up on a node).
 */
export function podsToDelete(pods: KObject[], related: KObject[], n: number, now: Date): KObject[] {
  if (n >= pods.length) return pods.slice(0, n);
  const onNode = new Map<string, number>();
  for (const p of related) onNode.set(nodeName(p), (onNode.get(nodeName(p)) ?? 0) + 1);
  const ranked: Ranked[] = pods.map((pod) => ({ pod, rank: onNode.get(nodeName(pod)) ?? 0 }));
  const t = now.getTime();
  ranked.sort((a, b) => (deleteBefore(a, b, t) ? -1 : deleteBefore(b, a, t) ? 1 : 0));
  return ranked.slice(0, n).map((r) => r.pod);
}
