// One sync of one Job (upstream syncJob): read the Job and its pods from the
// caches, decide whether it has failed (backoffLimit, activeDeadlineSeconds)
// or succeeded (completions), run or stop pods accordingly, and write the
// status. Idempotent: it recomputes everything from what it reads.

import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodActive, isPodReady } from '../pods.ts';
import { completionIndex, matchSuccessPolicy, parseIndexes } from './indexes.ts';
import { asObject, findCondition, hasTrackingFinalizer, newCondition, rfc3339 } from './job-util.ts';
import { manageJob } from './manage-pods.ts';
import { hasBackoffLimitPerIndex, isIndexFailed } from './per-index.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';
import { isIndexed, isPodFailed, isSuspended, isTerminating, type JobServices, type SyncState } from './sync-context.ts';
import { ensureCondition, trackStatusAndRemoveFinalizers } from './track-status.ts';

export const BACKOFF_LIMIT_MESSAGE = 'Job has reached the specified backoff limit';
export const DEADLINE_MESSAGE = 'Job was active longer than specified deadline';

/** With restartPolicy OnFailure failures are container restarts: their sum against backoffLimit. */
function pastBackoffLimitOnFailure(job: Job, pods: Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** Milliseconds left before activeDeadlineSeconds, or undefined when it does not apply. */
function deadlineLeft(job: Job, now: Date): number | undefined {
  const ads = job.spec?.activeDeadlineSeconds;
  if (ads === undefined || ads === null || !job.status?.startTime || isSuspended(job)) return undefined;
  return Date.parse(job.status.startTime) + ads * 1000 - now.getTime();
}

/**
 * Pods not yet counted: they carry the finalizer, are not already in the
 * uncounted set, and (Indexed) have a valid index.
 */
function newlyFinished(st: SyncState, uncounted: Set<string>, pred: (p: Pod) => boolean): Pod[] {
  const completions = st.job.spec?.completions ?? 0;
  return st.pods.filter((p) => {
    const uid = p.metadata!.uid!;
    if (!hasTrackingFinalizer(p) || uncounted.has(uid) || st.expectedRm.has(uid)) return false;
    if (isIndexed(st.job)) {
      const ix = completionIndex(p);
      if (ix === undefined || ix >= completions) return false;
    }
    return pred(p);
  });
}

export async function syncJob(svc: JobServices, key: string, cached: Job, pods: Pod[], expectationsMet: boolean): Promise<void> {
  const job = structuredClone(cached);
  const now = svc.now();
  const status = (job.status ??= {});
  const uncountedStatus = (status.uncountedTerminatedPods ??= {});
  const activePods = pods.filter((p) => isPodActive(asObject(p)));
  const st: SyncState = {
    key,
    job,
    pods,
    activePods,
    active: activePods.length,
    ready: activePods.filter((p) => isPodReady(asObject(p))).length,
    terminating: pods.filter(isTerminating).length,
    succeeded: 0,
    failed: 0,
    uncounted: { succeeded: new Set(uncountedStatus.succeeded ?? []), failed: new Set(uncountedStatus.failed ?? []) },
    expectedRm: svc.expectations.pendingFinalizerRemovals(key, svc.podLookup(job.metadata!.namespace!)),
  };
  const newSucceeded = newlyFinished(st, st.uncounted.succeeded, (p) => p.status?.phase === 'Succeeded');
  const newFailed = newlyFinished(st, st.uncounted.failed, (p) => isPodFailed(p, job));
  st.succeeded = (status.succeeded ?? 0) + newSucceeded.length + st.uncounted.succeeded.size;
  const countedFailures = newFailed.filter((p) => matchPodFailurePolicy(job.spec?.podFailurePolicy, p).countFailed).length;
  st.failed = (status.failed ?? 0) + countedFailures + st.uncounted.failed.size;

  if (!status.startTime && !isSuspended(job)) status.startTime = rfc3339(now);

  const successMet = findCondition(job, 'SuccessCriteriaMet');
  st.finished = successMet?.status === 'True' ? successMet : undefined;
  if (!st.finished) {
    const target = findCondition(job, 'FailureTarget');
    if (target?.status === 'True') st.finished = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
    else {
      // A FailJob rule of the podFailurePolicy fails the Job at once.
      const message = job.spec?.podFailurePolicy && pods.filter((p) => isPodFailed(p, job)).map((p) => matchPodFailurePolicy(job.spec!.podFailurePolicy, p).failJobMessage).find((m) => m);
      if (message) st.finished = newCondition('FailureTarget', 'True', 'PodFailurePolicy', message, now);
    }
  }
  if (!st.finished) {
    const left = deadlineLeft(job, now);
    if (st.failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
      st.finished = newCondition('FailureTarget', 'True', 'BackoffLimitExceeded', BACKOFF_LIMIT_MESSAGE, now);
    } else if (left !== undefined && left <= 0) {
      st.finished = newCondition('FailureTarget', 'True', 'DeadlineExceeded', DEADLINE_MESSAGE, now);
    } else if (left !== undefined) {
      svc.requeueAfter(key, left);
    }
  }

  if (isIndexed(job)) {
    const completions = job.spec?.completions ?? 0;
    st.prevSucceededIndexes = parseIndexes(status.completedIndexes, completions);
    st.succeededIndexes = new Set(st.prevSucceededIndexes);
    for (const p of pods) {
      const ix = completionIndex(p);
      if (p.status?.phase === 'Succeeded' && ix !== undefined && ix < completions && hasTrackingFinalizer(p)) st.succeededIndexes.add(ix);
    }
    st.succeeded = st.succeededIndexes.size;
    if (hasBackoffLimitPerIndex(job)) {
      st.failedIndexes = parseIndexes(status.failedIndexes, completions);
      for (const p of pods) {
        const ix = completionIndex(p);
        if (ix !== undefined && ix < completions && hasTrackingFinalizer(p) && isIndexFailed(job, p)) st.failedIndexes.add(ix);
      }
      const maxFailed = job.spec?.maxFailedIndexes;
      if (!st.finished && maxFailed !== undefined && maxFailed !== null && st.failedIndexes.size > maxFailed) {
        st.finished = newCondition('FailureTarget', 'True', 'MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes', now);
      } else if (!st.finished && st.failedIndexes.size > 0 && st.failedIndexes.size + st.succeededIndexes.size >= completions) {
        st.finished = newCondition('FailureTarget', 'True', 'FailedIndexes', 'Job has failed indexes', now);
      }
    }
    if (!st.finished) {
      const message = matchSuccessPolicy(job.spec?.successPolicy, completions, st.succeededIndexes);
      if (message) st.finished = newCondition('SuccessCriteriaMet', 'True', 'SuccessPolicy', message, now);
    }
  }

  let manageError: unknown;
  let suspendChanged = false;
  if (st.finished) {
    // The Job is ending: stop what still runs (the finalizers stay until the pods are counted).
    const results = await Promise.allSettled(st.activePods.map((p) => svc.podControl.delete(job, p)));
    const deleted = results.filter((r) => r.status === 'fulfilled').length;
    manageError = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined)?.reason;
    if (deleted !== st.activePods.length || !expectationsMet) st.finished = undefined;
    st.active -= deleted;
    st.terminating += deleted;
    st.ready -= st.activePods.filter((p, i) => results[i].status === 'fulfilled' && isPodReady(asObject(p))).length;
  } else {
    let managed = false;
    if (expectationsMet && !job.metadata?.deletionTimestamp) {
      try {
        await manageJob(svc, st);
      } catch (e) {
        manageError = e;
      }
      managed = true;
    }
    const completions = job.spec?.completions;
    const complete = completions === undefined || completions === null ? st.succeeded > 0 && st.active === 0 : st.succeeded >= completions && st.active === 0;
    if (complete) {
      st.finished = newCondition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
    } else if (managed) {
      suspendChanged = updateSuspended(svc, st, now);
    }
  }

  const needsFlush = suspendChanged || st.active !== (status.active ?? 0) || st.ready !== status.ready || st.terminating !== status.terminating;
  // active, succeeded and failed are omitempty in Kubernetes' JSON: zero is absent.
  if (st.active) st.job.status!.active = st.active;
  else delete st.job.status!.active;
  st.job.status!.ready = st.ready;
  st.job.status!.terminating = st.terminating;
  await trackStatusAndRemoveFinalizers(svc, st, needsFlush);
  if (manageError) throw manageError;
}

/** The Suspended condition and its events; resuming restarts the active deadline. */
function updateSuspended(svc: JobServices, st: SyncState, now: Date): boolean {
  const job = asObject(st.job);
  if (isSuspended(st.job)) {
    const changed = ensureCondition(st, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
    if (changed) svc.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
    return changed;
  }
  const changed = ensureCondition(st, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
  if (changed) {
    svc.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
    st.job.status!.startTime = rfc3339(now);
  }
  return changed;
}
