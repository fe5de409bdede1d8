// What the Job, CronJob and TTL controllers share about Jobs: the well-known
// labels, annotations and finalizer (k8s.io/api/batch/v1), conditions and
// "finished" as Kubernetes' job util judges it, and timestamps in the
// second-precision RFC 3339 form metav1.Time serialises to.

import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KObject } from '../../client/types.ts';
import { rfc3339 } from '../../api/time.ts';

/** metav1.Time as JSON: RFC 3339 at whole seconds. */
export { rfc3339 };

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const COMPLETION_INDEX_KEY = 'batch.kubernetes.io/job-completion-index';
export const CRONJOB_SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

export const asJob = (o: KObject): Job => o as unknown as Job;
export const asPod = (o: KObject): Pod => o as unknown as Pod;
export const asObject = (o: Job | Pod): KObject => o as unknown as KObject;

export function newCondition(type: string, status: string, reason: string, message: string, now: Date): JobCondition {
  const t = rfc3339(now);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message };
}

export function findCondition(job: Job, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}

/** The Complete or Failed condition that is True, if the Job finished. */
export function finishedCondition(job: Job): JobCondition | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

export const isJobFinished = (job: Job): boolean => finishedCondition(job) !== undefined;
export const isJobSucceeded = (job: Job): boolean => finishedCondition(job)?.type === 'Complete';

export function hasTrackingFinalizer(pod: Pod): boolean {
  return pod.metadata?.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}

/** Whether the built-in controller manages this Job (spec.managedBy unset or its own name). */
export function managedByUs(job: Job): boolean {
  const by = job.spec?.managedBy;
  return by === undefined || by === JOB_CONTROLLER_NAME;
}
