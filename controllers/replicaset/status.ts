// ReplicaSet status as Kubernetes' calculateStatus computes it from the pods
// the ReplicaSet owns: replicas, fullyLabeledReplicas (pods carrying every
// template label), readyReplicas, availableReplicas (ready for
// minReadySeconds), and a ReplicaFailure condition while creating or deleting
// pods fails. Zero counts are omitted, as Go's omitempty does.

import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { KObject } from '../../client/types.ts';
import { isPodAvailable, isPodReady } from '../pods.ts';
import { rfc3339 } from '../../api/time.ts';

export const REPLICA_FAILURE = 'ReplicaFailure';

export function timestamp(d: Date): string {
  return rfc3339(d);
}

export function calculateStatus(rs: ReplicaSet, pods: KObject[], manageError: Error | undefined, now: Date): ReplicaSetStatus {
  const templateLabels = Object.entries(rs.spec?.template?.metadata?.labels ?? {});
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    const labels = pod.metadata.labels ?? {};
    if (templateLabels.every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
    }
  }
  let conditions: ReplicaSetCondition[] = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === REPLICA_FAILURE);
  if (manageError && !failure) {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    conditions.push({ type: REPLICA_FAILURE, status: 'True', lastTransitionTime: timestamp(now), reason, message: manageError.message });
  } else if (!manageError && failure) {
    conditions = conditions.filter((c) => c.type !== REPLICA_FAILURE);
  }
  const status: ReplicaSetStatus = { replicas: pods.length };
  if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (rs.status?.observedGeneration) status.observedGeneration = rs.status.observedGeneration;
  if (conditions.length) status.conditions = conditions;
  return status;
}

/** True when nothing a status write would carry has changed (observedGeneration included). */
export function statusUpToDate(rs: ReplicaSet, next: ReplicaSetStatus): boolean {
  const cur: ReplicaSetStatus = rs.status ?? { replicas: 0 };
  return (
    (cur.replicas ?? 0) === (next.replicas ?? 0) &&
    (cur.fullyLabeledReplicas ?? 0) === (next.fullyLabeledReplicas ?? 0) &&
    (cur.readyReplicas ?? 0) === (next.readyReplicas ?? 0) &&
    (cur.availableReplicas ?? 0) === (next.availableReplicas ?? 0) &&
    (rs.metadata?.generation ?? 0) === (cur.observedGeneration ?? 0) &&
    JSON.stringify(cur.conditions ?? []) === JSON.stringify(next.conditions ?? [])
  );
}

/**
 * How long until the next ready pod becomes available (ready for
 * minReadySeconds), or undefined when no pod is waiting for that.
 */
export function nextAvailableIn(pods: KObject[], minReadySeconds: number, now: Date): number | undefined {
  if (!minReadySeconds) return undefined;
  let next: number | undefined;
  for (const pod of pods) {
    if (!isPodReady(pod) || isPodAvailable(pod, minReadySeconds, now)) continue;
    const conds = (pod.status as { conditions?: { type: string; lastTransitionTime?: string }[] }).conditions ?? [];
    const since = Date.parse(conds.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '');
    const wait = Number.isFinite(since) ? since + minReadySeconds * 1000 - now.getTime() : minReadySeconds * 1000;
    next = Math.min(next ?? Infinity, Math.max(wait, 0));
  }
  return next;
}
