// Runs the number of pods a Job wants (upstream manageJob): deletes all when
// suspended, deletes the surplus (and duplicate or invalid indexes), creates
// what is missing after the failure back-off, in slow-start batches.
//
// How many pods a Job wants:
//   completions unset:  parallelism until one pod succeeds, then no new ones;
//   completions set:    min(parallelism, completions - succeeded), at least 0.
// Example: completions 3, parallelism 2, one succeeded -> min(2, 3-1) = 2;
// two succeeded -> min(2, 1) = 1, so a Job never runs more pods than it
// still needs.

import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodReady } from '../pods.ts';
import { backoffRemaining } from './backoff.ts';
import { completionIndex } from './indexes.ts';
import { hasBackoffLimitPerIndex, indexBackoffRemaining, indexFailures, INDEX_FAILURE_COUNT_KEY } from './per-index.ts';
import { asObject } from './job-util.ts';
import { podForJob } from './pod-control.ts';
import { isIndexed, isPodFailed, isSuspended, onlyReplaceFailedPods, type JobServices, type SyncState } from './sync-context.ts';

/** At most this many creates or deletes per sync (upstream MaxPodCreateDeletePerSync). */
const MAX_PER_SYNC = 500;
const SLOW_START_INITIAL_BATCH = 1;

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** Deletion order (controller.ActivePods): unscheduled, pending, not ready and younger pods go first. */
function removalOrder(a: Pod, b: Pod): number {
  const scheduled = (p: Pod) => (p.spec?.nodeName ? 1 : 0);
  if (scheduled(a) !== scheduled(b)) return scheduled(a) - scheduled(b);
  const phase = (p: Pod) => PHASE_RANK[p.status?.phase ?? 'Pending'] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (p: Pod) => (isPodReady(asObject(p)) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  return Date.parse(b.metadata?.creationTimestamp ?? '') - Date.parse(a.metadata?.creationTimestamp ?? '');
}

/** Active pods to delete: for Indexed Jobs every pod with an invalid or repeated index, then the first `atLeast` in removal order. */
export function activePodsForRemoval(job: Job, pods: Pod[], atLeast: number): Pod[] {
  const rm: Pod[] = [];
  let left = pods;
  if (isIndexed(job)) {
    const completions = job.spec?.completions ?? 0;
    const byIndex = new Map<number, Pod[]>();
    left = [];
    for (const p of pods) {
      const ix = completionIndex(p);
      if (ix === undefined || ix >= completions) rm.push(p);
      else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
    }
    for (const group of byIndex.values()) {
      group.sort(removalOrder);
      rm.push(...group.slice(0, -1));
      left.push(group[group.length - 1]);
    }
  }
  if (rm.length < atLeast) rm.push(...[...left].sort(removalOrder).slice(0, atLeast - rm.length));
  return rm;
}

/** Removes the tracking finalizer and deletes each pod: a pod removed this way is not counted as failed. */
async function deleteJobPods(svc: JobServices, st: SyncState, pods: Pod[]): Promise<void> {
  const results = await Promise.allSettled(
    pods.map(async (pod) => {
      svc.expectations.deleted(st.key, pod.metadata!.uid!, pod.metadata!.name!);
      await svc.podControl.removeFinalizer(pod);
      await svc.podControl.delete(st.job, pod);
      st.active--;
      st.terminating++;
      if (isPodReady(asObject(pod))) st.ready--;
    }),
  );
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
}

/** The lowest `count` indexes that have not succeeded or failed for good and have no active pod. */
function firstPendingIndexes(st: SyncState, count: number, completions: number): number[] {
  const taken = new Set([...(st.succeededIndexes ?? []), ...(st.failedIndexes ?? [])]);
  for (const p of st.activePods) {
    const ix = completionIndex(p);
    if (ix !== undefined) taken.add(ix);
  }
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!taken.has(i)) out.push(i);
  return out;
}

/** Brings the active pods to the wanted number; updates st.active, st.ready and st.terminating. */
export async function manageJob(svc: JobServices, st: SyncState): Promise<void> {
  const job = st.job;
  const active = st.activePods.length;
  if (isSuspended(job)) {
    await deleteJobPods(svc, st, activePodsForRemoval(job, st.activePods, active));
    return;
  }
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  let wantActive: number;
  if (completions === undefined || completions === null) wantActive = st.succeeded > 0 ? active : parallelism;
  else wantActive = Math.max(0, Math.min(completions - st.succeeded, parallelism));

  const toDelete = activePodsForRemoval(job, st.activePods, Math.max(0, active - wantActive)).slice(0, MAX_PER_SYNC);
  if (toDelete.length > 0) {
    // Deletions and creations never happen in the same sync; deletions first.
    await deleteJobPods(svc, st, toDelete);
    return;
  }

  const terminating = onlyReplaceFailedPods(job) ? st.terminating : 0;
  let diff = wantActive - terminating - active;
  if (diff <= 0) return;
  const now = svc.now().getTime();
  const succeededPods = st.pods.filter((p) => p.status?.phase === 'Succeeded');
  const failedPods = st.pods.filter((p) => isPodFailed(p, job));
  const perIndex = hasBackoffLimitPerIndex(job);
  // With backoffLimitPerIndex each index backs off on its own; otherwise the Job as a whole.
  const wait = perIndex ? 0 : backoffRemaining(succeededPods, failedPods, now);
  if (wait > 0) {
    svc.requeueAfter(st.key, wait);
    return;
  }
  diff = Math.min(diff, MAX_PER_SYNC);
  let indexes: (number | undefined)[] = Array.from({ length: diff }, () => undefined);
  if (isIndexed(job)) indexes = firstPendingIndexes(st, diff, completions ?? 0);
  const failures = perIndex ? indexFailures(job, st.pods) : undefined;
  if (failures) {
    const waits = indexes.map((ix) => indexBackoffRemaining(failures.get(ix!), now));
    const ready = indexes.filter((_, i) => waits[i] === 0);
    if (ready.length === 0 && indexes.length > 0) {
      svc.requeueAfter(st.key, Math.min(...waits));
      return;
    }
    indexes = ready;
  }

  // Slow start: batches of 1, 2, 4, ... so that a failing create (quota, admission) fails once, not many times.
  let batch = Math.min(indexes.length, SLOW_START_INITIAL_BATCH);
  while (indexes.length > 0) {
    const group = indexes.splice(0, batch);
    const results = await Promise.allSettled(
      group.map(async (ix) => {
        const pod = podForJob(job, ix);
        if (failures) pod.metadata.annotations = { ...pod.metadata.annotations, [INDEX_FAILURE_COUNT_KEY]: String(failures.get(ix!)?.count ?? 0) };
        const created = await svc.podControl.create(job, pod);
        svc.expectations.created(st.key, created.metadata!.uid!, created.metadata!.name!);
        st.active++;
      }),
    );
    const failure = results.find((r) => r.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
    batch = Math.min(2 * batch, indexes.length);
  }
}
