// backoffLimitPerIndex of Indexed Jobs (upstream indexed_job_utils.go): each
// pod carries how often its index failed before it
// (batch.kubernetes.io/job-index-failure-count); an index whose pod fails
// with a count reaching backoffLimitPerIndex is failed for good
// (status.failedIndexes) and not run again. Replacement pods of an index wait
// out a back-off of their own (10s doubling, at most 10 minutes).
//
// Upstream keeps the last failed pod of each index (its finalizer) until the
// replacement exists, so the count survives pod garbage collection; here the
// count is read from the pods in the cache, which Skiff does not collect
// while their Job exists.

import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { MAX_POD_FAILURE_BACKOFF_MS, POD_FAILURE_BACKOFF_MS, podFinishedAt } from './backoff.ts';
import { completionIndex } from './indexes.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';
import { isPodFailed } from './sync-context.ts';

export const INDEX_FAILURE_COUNT_KEY = 'batch.kubernetes.io/job-index-failure-count';

export const hasBackoffLimitPerIndex = (job: Job): boolean => job.spec?.completionMode === 'Indexed' && typeof job.spec?.backoffLimitPerIndex === 'number';

function failureCount(pod: Pod): number {
  const v = pod.metadata?.annotations?.[INDEX_FAILURE_COUNT_KEY];
  const n = v === undefined ? 0 : Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** A failed pod that fails its index: a FailIndex rule matched, or its index used up backoffLimitPerIndex. */
export function isIndexFailed(job: Job, pod: Pod): boolean {
  if (!isPodFailed(pod, job)) return false;
  const match = matchPodFailurePolicy(job.spec?.podFailurePolicy, pod);
  if (match.action === 'FailIndex') return true;
  return match.countFailed && failureCount(pod) >= (job.spec?.backoffLimitPerIndex ?? 0);
}

export interface IndexFailures {
  /** Failures of the index so far: the failure count of the next pod. */
  count: number;
  lastFailureAt: number;
}

/** Per index, the failures its pods record (the latest failed pod's count plus one). */
export function indexFailures(job: Job, pods: Pod[]): Map<number, IndexFailures> {
  const out = new Map<number, IndexFailures>();
  for (const pod of pods) {
    const ix = completionIndex(pod);
    if (ix === undefined || !isPodFailed(pod, job) || !matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed) continue;
    const count = failureCount(pod) + 1;
    const at = podFinishedAt(pod);
    const prev = out.get(ix);
    out.set(ix, { count: Math.max(count, prev?.count ?? 0), lastFailureAt: Math.max(at, prev?.lastFailureAt ?? 0) });
  }
  return out;
}

/** Milliseconds before the index may run again. */
export function indexBackoffRemaining(f: IndexFailures | undefined, now: number): number {
  if (!f || f.count === 0) return 0;
  const delay = Math.min(POD_FAILURE_BACKOFF_MS * 2 ** (f.count - 1), MAX_POD_FAILURE_BACKOFF_MS);
  return Math.max(0, f.lastFailureAt + delay - now);
}
