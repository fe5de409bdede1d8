// Counting finished pods exactly once (upstream trackJobStatusAndRemoveFinalizers).
//
// Every pod a Job creates carries the batch.kubernetes.io/job-tracking
// finalizer, so it cannot disappear before it is counted. A finished pod is
// counted in three durable steps:
//   1. its uid is written to status.uncountedTerminatedPods (succeeded or failed);
//   2. its finalizer is removed;
//   3. uids in uncountedTerminatedPods whose pod no longer has the finalizer
//      move into status.succeeded / status.failed.
// A crash between any two steps is repaired by the next sync from what is
// stored: a pod with the finalizer is counted (again from step 1, the uid
// being a set member), a pod without it is never considered new. Indexed
// Jobs count succeeded indexes (status.completedIndexes) instead of uids.
//
// The final Complete or Failed condition is written only when nothing is
// uncounted and no pod is still terminating; until then the interim
// SuccessCriteriaMet or FailureTarget condition says where the Job is going
// (Kubernetes 1.31+).

import type { JobCondition } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { R } from '../../client/resources.ts';
import { completionIndex, formatIndexes } from './indexes.ts';
import { asJob, asObject, findCondition, hasTrackingFinalizer, newCondition } from './job-util.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';
import { isIndexed, isPodFailed, type JobServices, type SyncState } from './sync-context.ts';

/** Uncounted uids kept in status at most (upstream MaxUncountedPods), keeping the object small. */
const MAX_UNCOUNTED = 500;

/** Moves uids whose pod lost its finalizer from uncounted into the counters; true when anything moved. */
function countRemoved(st: SyncState, withFinalizer: Set<string>): boolean {
  const status = (st.job.status ??= {});
  const uncounted = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  const keep = (uids: string[] | undefined) => (uids ?? []).filter((u) => withFinalizer.has(u));
  const succeeded = keep(uncounted.succeeded);
  if (succeeded.length !== (uncounted.succeeded ?? []).length) {
    status.succeeded = (status.succeeded ?? 0) + (uncounted.succeeded ?? []).length - succeeded.length;
    changed = true;
  }
  const failed = keep(uncounted.failed);
  if (failed.length !== (uncounted.failed ?? []).length) {
    status.failed = (status.failed ?? 0) + (uncounted.failed ?? []).length - failed.length;
    changed = true;
  }
  status.uncountedTerminatedPods = {
    ...(succeeded.length ? { succeeded } : {}),
    ...(failed.length ? { failed } : {}),
  };
  return changed;
}

/** Whether the pod's finalizer may go now: the Job is ending, or the pod is done. */
function canRemoveFinalizer(st: SyncState, pod: Pod, failed: boolean): boolean {
  return !!st.job.metadata?.deletionTimestamp || st.finished !== undefined || pod.status?.phase === 'Succeeded' || failed;
}

async function writeStatus(svc: JobServices, st: SyncState): Promise<void> {
  st.job = asJob(await svc.client.updateStatus(R.jobs, asObject(st.job)));
}

/** Sets a condition of the type (replacing one with another status, reason or message); true when changed. */
export function ensureCondition(st: SyncState, type: string, status: string, reason: string, message: string, now: Date): boolean {
  const conditions = ((st.job.status ??= {}).conditions ??= []);
  const i = conditions.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = conditions[i];
    if (c.status === status && c.reason === reason && c.message === message) return false;
    conditions[i] = newCondition(type, status, reason, message, now);
    return true;
  }
  if (status === 'False') return false;
  conditions.push(newCondition(type, status, reason, message, now));
  return true;
}

export async function trackStatusAndRemoveFinalizers(svc: JobServices, st: SyncState, needsFlushIn: boolean): Promise<void> {
  let needsFlush = needsFlushIn;
  const job = st.job;
  const indexed = isIndexed(job);
  const completions = job.spec?.completions ?? 0;
  const pods = indexed ? [...st.pods].sort((a, b) => (completionIndex(a) ?? Infinity) - (completionIndex(b) ?? Infinity)) : st.pods;
  const withFinalizer = new Set(pods.filter((p) => hasTrackingFinalizer(p) && !st.expectedRm.has(p.metadata!.uid!)).map((p) => p.metadata!.uid!));
  if (countRemoved(st, withFinalizer)) needsFlush = true;
  const uncounted = st.job.status!.uncountedTerminatedPods!;
  const toRemove: Pod[] = [];
  const newSucceededIndexes: number[] = [];
  let reachedMax = false;
  for (const pod of pods) {
    const uid = pod.metadata!.uid!;
    if (!hasTrackingFinalizer(pod) || st.expectedRm.has(uid)) continue;
    const failed = isPodFailed(pod, job);
    if (!canRemoveFinalizer(st, pod, failed)) continue;
    toRemove.push(pod);
    const ix = completionIndex(pod);
    if (pod.status?.phase === 'Succeeded' && !st.uncounted.failed.has(uid)) {
      if (indexed) {
        if (ix !== undefined && ix < completions && !st.prevSucceededIndexes!.has(ix)) {
          newSucceededIndexes.push(ix);
          needsFlush = true;
        }
      } else if (!st.uncounted.succeeded.has(uid)) {
        (uncounted.succeeded ??= []).push(uid);
        st.uncounted.succeeded.add(uid);
        needsFlush = true;
      }
    } else if (failed || (st.finished && st.finished.type !== 'SuccessCriteriaMet')) {
      // Once the Job is failing, every pod not yet terminated counts as failed (unless the podFailurePolicy ignores it).
      const counts = matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed;
      if (counts && !st.uncounted.failed.has(uid) && (!indexed || (ix !== undefined && ix < completions))) {
        (uncounted.failed ??= []).push(uid);
        st.uncounted.failed.add(uid);
        needsFlush = true;
      }
    }
    if (newSucceededIndexes.length + (uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0) >= MAX_UNCOUNTED) {
      reachedMax = true;
      break;
    }
  }
  if (indexed) {
    for (const ix of newSucceededIndexes) st.succeededIndexes!.add(ix);
    const completed = formatIndexes(st.succeededIndexes!);
    if (completed !== (st.job.status!.completedIndexes ?? '')) needsFlush = true;
    if (st.succeededIndexes!.size) st.job.status!.succeeded = st.succeededIndexes!.size;
    else delete st.job.status!.succeeded;
    if (completed) st.job.status!.completedIndexes = completed;
    else delete st.job.status!.completedIndexes;
    if (st.failedIndexes) {
      const failed = formatIndexes(st.failedIndexes);
      if (failed !== st.job.status!.failedIndexes) needsFlush = true;
      st.job.status!.failedIndexes = failed;
    }
  }
  st.finished = interimToFinal(svc, st, st.finished, () => (needsFlush = true));

  // 1. Make the uncounted uids (and interim conditions) durable before any finalizer goes.
  if (needsFlush) {
    await writeStatus(svc, st);
    needsFlush = false;
  }
  // 2. Remove finalizers.
  let rmError: unknown;
  if (toRemove.length > 0) {
    const results = await Promise.allSettled(
      toRemove.map(async (pod) => {
        svc.expectations.finalizerRemoved(st.key, pod.metadata!.uid!, pod.metadata!.name!);
        await svc.podControl.removeFinalizer(pod);
        withFinalizer.delete(pod.metadata!.uid!);
      }),
    );
    rmError = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined)?.reason;
  }
  // 3. Count what lost its finalizer.
  if (countRemoved(st, withFinalizer)) needsFlush = true;
  if (rmError) {
    if (needsFlush) await writeStatus(svc, st);
    throw rmError;
  }
  const jobFinished = !reachedMax && enactFinished(svc, st);
  if (jobFinished) needsFlush = true;
  if (needsFlush) {
    await writeStatus(svc, st);
    if (jobFinished) recordFinished(svc, st, st.finished!);
  }
}

/** Writes the interim condition (once) and returns the final one it leads to. */
function interimToFinal(svc: JobServices, st: SyncState, cond: JobCondition | undefined, flush: () => void): JobCondition | undefined {
  if (!cond) return undefined;
  const now = svc.now();
  if (cond.type === 'FailureTarget') {
    st.job.status!.conditions = [...(st.job.status!.conditions ?? []), cond];
    flush();
    return newCondition('Failed', 'True', cond.reason ?? '', cond.message ?? '', now);
  }
  if (cond.type === 'SuccessCriteriaMet') {
    if (!findCondition(st.job, 'SuccessCriteriaMet')) {
      st.job.status!.conditions = [...(st.job.status!.conditions ?? []), cond];
      flush();
    }
    return newCondition('Complete', 'True', cond.reason ?? '', cond.message ?? '', now);
  }
  return cond;
}

/** Adds Complete or Failed once every pod is counted and none is terminating. */
function enactFinished(svc: JobServices, st: SyncState): boolean {
  const cond = st.finished;
  if (!cond) return false;
  const uncounted = st.job.status?.uncountedTerminatedPods;
  if ((uncounted?.succeeded?.length ?? 0) + (uncounted?.failed?.length ?? 0) > 0) return false;
  if (st.terminating > 0) return false;
  const now = svc.now();
  ensureCondition(st, cond.type!, cond.status!, cond.reason ?? '', cond.message ?? '', now);
  if (cond.type === 'Complete') st.job.status!.completionTime = findCondition(st.job, 'Complete')!.lastTransitionTime;
  return true;
}

function recordFinished(svc: JobServices, st: SyncState, cond: JobCondition): void {
  const job = asObject(st.job);
  if (cond.type === 'Complete') {
    const completions = st.job.spec?.completions;
    if (completions !== undefined && (st.job.status?.succeeded ?? 0) > completions) {
      svc.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
    }
    svc.recorder.event(job, 'Normal', 'Completed', 'Job completed');
  } else {
    svc.recorder.event(job, 'Warning', cond.reason ?? '', cond.message ?? '');
  }
}
