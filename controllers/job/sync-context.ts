// The state one sync of one Job works on (upstream's syncJobCtx) and the
// services it uses; shared by sync-job.ts, manage-pods.ts and track-status.ts.

import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { EventRecorder } from '../../client/events.ts';
import type { Client } from '../../client/types.ts';
import type { Expectations, PodLookup } from './expectations.ts';
import type { PodControl } from './pod-control.ts';

export interface JobServices {
  client: Client;
  podControl: PodControl;
  recorder: EventRecorder;
  expectations: Expectations;
  now(): Date;
  requeueAfter(key: string, ms: number): void;
  /** The cached pod of a namespace by name. */
  podLookup(namespace: string): PodLookup;
}

export interface SyncState {
  key: string;
  /** The working copy; replaced by what the server returns after each status write. */
  job: Job;
  pods: Pod[];
  activePods: Pod[];
  active: number;
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  uncounted: { succeeded: Set<string>; failed: Set<string> };
  /** Pods whose finalizer this controller removed but the cache still shows. */
  expectedRm: Set<string>;
  /** The condition the Job is heading for: an interim one (SuccessCriteriaMet, FailureTarget) or a final one. */
  finished?: JobCondition;
  prevSucceededIndexes?: Set<number>;
  succeededIndexes?: Set<number>;
  /** Indexes failed for good (backoffLimitPerIndex only). */
  failedIndexes?: Set<number>;
}

export const isIndexed = (job: Job): boolean => job.spec?.completionMode === 'Indexed';
export const isSuspended = (job: Job): boolean => job.spec?.suspend === true;

/** podReplacementPolicy Failed (or a podFailurePolicy): replacements wait until a pod is fully Failed. */
export const onlyReplaceFailedPods = (job: Job): boolean => job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;

/** A pod the Job counts as failed: phase Failed, or (unless only Failed pods count) deleted before succeeding. */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

export function isTerminating(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !!pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}
