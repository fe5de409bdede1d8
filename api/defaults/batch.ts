// Defaults of batch/v1 Job and CronJob (SetDefaults_Job, SetDefaults_CronJob)
// and the selector the server generates for a Job.

import type { CronJob, Job, JobSpec, JobTemplateSpec } from 'kubernetes-types/batch/v1.js';
import { defaultPodTemplate } from './pod-spec.ts';

export function defaultJob(job: Job): void {
  job.spec ??= { template: {} };
  const spec = job.spec;
  // A non-parallel Job may leave both unset: one pod, run to one completion.
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) for (const pattern of rule.onPodConditions ?? []) pattern.status ||= 'True';
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  defaultPodTemplate(spec, { restartPolicy: false });
  if (job.metadata?.uid && !spec.selector && !spec.manualSelector) generateJobSelector(job);
  // Stored explicitly once the server has made the Job (its uid is set), as Kubernetes' job strategy does.
  if (job.metadata?.uid) spec.manualSelector ??= false;
  // A Job without labels takes its pods' (as Kubernetes shows it once the selector is generated).
  const templateLabels = spec.template?.metadata?.labels;
  if (templateLabels && Object.keys(job.metadata?.labels ?? {}).length === 0) {
    job.metadata = { ...job.metadata, labels: { ...templateLabels } };
  }
}

/**
 * The selector of a Job without manualSelector: its pods are labelled with the
 * Job's name and uid (legacy and batch.kubernetes.io keys) and selected by
 * uid. Labels the user already set are kept (validation rejects conflicts).
 * Needs metadata.uid; run on create.
 */
export function generateJobSelector(job: Job): void {
  const name = job.metadata?.name ?? '';
  const uid = job.metadata?.uid ?? '';
  job.spec ??= { template: {} };
  const spec: JobSpec = job.spec;
  spec.template.metadata ??= {};
  const labels = (spec.template.metadata.labels ??= {});
  for (const k of ['batch.kubernetes.io/job-name', 'job-name']) labels[k] ??= name;
  for (const k of ['batch.kubernetes.io/controller-uid', 'controller-uid']) labels[k] ??= uid;
  spec.selector ??= {};
  spec.selector.matchLabels ??= {};
  spec.selector.matchLabels['batch.kubernetes.io/controller-uid'] ??= uid;
}

/** A CronJob's job template gets pod template defaults only, as upstream. */
export function defaultCronJob(cj: CronJob): void {
  cj.spec ??= { schedule: '', jobTemplate: {} };
  const spec = cj.spec;
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  const jobTemplate: JobTemplateSpec = (spec.jobTemplate ??= {});
  jobTemplate.spec ??= { template: {} };
  defaultPodTemplate(jobTemplate.spec, { restartPolicy: false });
}
