// batch/v1: Job and CronJob.
//
// Field numbers, patch strategies and list types follow upstream
// k8s.io/api/batch/v1 (generated.proto and the Go struct tags).

import { model, p, t, typeMeta } from './dsl.ts';
import type { Model } from './dsl.ts';
import { LabelSelector, ObjectMeta } from './meta.ts';
import { ObjectReference, PodTemplateSpec } from './core/index.ts';

// ---- Job spec --------------------------------------------------------------

export const PodFailurePolicyOnExitCodesRequirement: Model = model(
  'io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement',
  'PodFailurePolicyOnExitCodesRequirement matches a failed pod by the exit codes of its containers.',
  {
    containerName: p(1, t.string(), 'Restricts the check to the container with this name; all containers when unset.'),
    operator: p(2, t.string({ enum: ['In', 'NotIn'] }), 'Relationship between the exit codes and the values: In or NotIn.', { required: true }),
    values: p(3, t.array(t.int32(), { listType: 'set' }), 'Ordered set of exit codes checked with the operator.', { required: true }),
  },
);

export const PodFailurePolicyOnPodConditionsPattern: Model = model(
  'io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern',
  'PodFailurePolicyOnPodConditionsPattern matches a failed pod by one of its conditions.',
  {
    type: p(1, t.string(), 'Pod condition type to match.', { required: true }),
    status: p(2, t.string(), 'Pod condition status to match. Defaults to True.'),
  },
);

export const PodFailurePolicyRule: Model = model(
  'io.k8s.api.batch.v1.PodFailurePolicyRule',
  'PodFailurePolicyRule describes how a pod failure is handled when its requirements are met.',
  {
    action: p(1, t.string({ enum: ['Count', 'FailIndex', 'FailJob', 'Ignore'] }), 'Action taken when the rule matches: FailJob, FailIndex, Ignore or Count.', { required: true }),
    onExitCodes: p(2, t.ref(() => PodFailurePolicyOnExitCodesRequirement), 'Requirement on the container exit codes.'),
    onPodConditions: p(3, t.array(t.ref(() => PodFailurePolicyOnPodConditionsPattern), { listType: 'atomic' }), 'Requirement on the pod conditions; any matching pattern satisfies it.'),
  },
);

export const PodFailurePolicy: Model = model(
  'io.k8s.api.batch.v1.PodFailurePolicy',
  'PodFailurePolicy describes how failed pods influence the backoffLimit.',
  {
    rules: p(1, t.array(t.ref(() => PodFailurePolicyRule), { listType: 'atomic' }), 'Rules evaluated in order; the first match decides.', { required: true }),
  },
);

export const SuccessPolicyRule: Model = model(
  'io.k8s.api.batch.v1.SuccessPolicyRule',
  'SuccessPolicyRule describes a rule for declaring a Job as succeeded.',
  {
    succeededIndexes: p(1, t.string(), 'Set of indexes (e.g. "1,3-5") that must all succeed.'),
    succeededCount: p(2, t.int32(), 'Minimal number of succeeded indexes required.'),
  },
);

export const SuccessPolicy: Model = model(
  'io.k8s.api.batch.v1.SuccessPolicy',
  'SuccessPolicy describes when a Job can be declared succeeded based on its succeeded indexes.',
  {
    rules: p(1, t.array(t.ref(() => SuccessPolicyRule), { listType: 'atomic' }), 'Alternative rules; the Job succeeds once any rule is met.', { required: true }),
  },
);

export const JobSpec: Model = model(
  'io.k8s.api.batch.v1.JobSpec',
  'JobSpec describes how the job execution will look like.',
  {
    parallelism: p(1, t.int32(), 'Maximum number of pods the job runs at any given time.'),
    completions: p(2, t.int32(), 'Number of successfully finished pods the job needs.'),
    activeDeadlineSeconds: p(3, t.int64(), 'Seconds the job may be active before the system terminates it.'),
    podFailurePolicy: p(11, t.ref(() => PodFailurePolicy), 'Policy for handling failed pods.'),
    successPolicy: p(16, t.ref(() => SuccessPolicy), 'Policy for declaring the Job succeeded (Indexed Jobs only).'),
    backoffLimit: p(7, t.int32(), 'Number of retries before marking the job failed. Defaults to 6.'),
    backoffLimitPerIndex: p(12, t.int32(), 'Number of retries within an index before marking that index failed.'),
    maxFailedIndexes: p(13, t.int32(), 'Maximal number of failed indexes before the whole Job is marked failed.'),
    selector: p(4, t.ref(() => LabelSelector), 'Label query over the pods of this job; normally set by the system.'),
    manualSelector: p(5, t.bool(), 'When true the user picks the selector and pod labels instead of the system.'),
    template: p(6, t.ref(() => PodTemplateSpec), 'Template of the pods this job creates.', { required: true }),
    ttlSecondsAfterFinished: p(8, t.int32(), 'Seconds after the job finishes before it becomes eligible for deletion.'),
    completionMode: p(9, t.string({ enum: ['Indexed', 'NonIndexed'] }), 'How pod completions are tracked: NonIndexed (default) or Indexed.'),
    suspend: p(10, t.bool(), 'Whether the Job controller should stop creating pods. Defaults to false.'),
    podReplacementPolicy: p(14, t.string({ enum: ['Failed', 'TerminatingOrFailed'] }), 'When replacement pods are created: TerminatingOrFailed or Failed.'),
    managedBy: p(15, t.string(), 'The controller that manages this Job; the built-in controller skips Jobs with a custom value.'),
  },
);

export const JobTemplateSpec: Model = model(
  'io.k8s.api.batch.v1.JobTemplateSpec',
  'JobTemplateSpec describes the data a Job should have when created from a template.',
  {
    metadata: p(1, t.ref(() => ObjectMeta), 'Metadata of the jobs created from this template.'),
    spec: p(2, t.ref(() => JobSpec), 'Desired behavior of the job.'),
  },
);

// ---- Job status ------------------------------------------------------------

export const JobCondition: Model = model(
  'io.k8s.api.batch.v1.JobCondition',
  'JobCondition describes the current state of a job.',
  {
    type: p(1, t.string(), 'Type of job condition, e.g. Complete or Failed.', { required: true }),
    status: p(2, t.string(), 'Status of the condition: True, False or Unknown.', { required: true }),
    lastProbeTime: p(3, t.time(), 'Last time the condition was checked.'),
    lastTransitionTime: p(4, t.time(), 'Last time the condition changed from one status to another.'),
    reason: p(5, t.string(), "Brief reason for the condition's last transition."),
    message: p(6, t.string(), 'Human-readable details about the last transition.'),
  },
);

export const UncountedTerminatedPods: Model = model(
  'io.k8s.api.batch.v1.UncountedTerminatedPods',
  'UncountedTerminatedPods holds UIDs of terminated pods not yet counted in the Job status.',
  {
    succeeded: p(1, t.array(t.string(), { listType: 'set' }), 'UIDs of succeeded pods.'),
    failed: p(2, t.array(t.string(), { listType: 'set' }), 'UIDs of failed pods.'),
  },
);

export const JobStatus: Model = model(
  'io.k8s.api.batch.v1.JobStatus',
  'JobStatus represents the current state of a Job.',
  {
    conditions: p(
      1,
      t.array(t.ref(() => JobCondition), { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'atomic' }),
      "Latest observations of the job's state.",
    ),
    startTime: p(2, t.time(), 'When the job controller started processing the job.'),
    completionTime: p(3, t.time(), 'When the job completed successfully.'),
    active: p(4, t.int32(), 'Number of pending and running pods that are not terminating.', { omitZero: true }),
    succeeded: p(5, t.int32(), 'Number of pods that reached phase Succeeded.', { omitZero: true }),
    failed: p(6, t.int32(), 'Number of pods that reached phase Failed.', { omitZero: true }),
    terminating: p(11, t.int32(), 'Number of pods that are terminating.'),
    completedIndexes: p(7, t.string(), 'Completed indexes of an Indexed job, e.g. "1,3-5,7".'),
    failedIndexes: p(10, t.string(), 'Failed indexes when backoffLimitPerIndex is set, e.g. "1,3-5,7".'),
    uncountedTerminatedPods: p(8, t.ref(() => UncountedTerminatedPods), 'UIDs of terminated pods not yet accounted in the counters.'),
    ready: p(9, t.int32(), 'Number of active pods with a Ready condition that are not terminating.'),
  },
);

export const Job: Model = model(
  'io.k8s.api.batch.v1.Job',
  'Job represents the configuration of a single job.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), "Standard object's metadata."),
    spec: p(2, t.ref(() => JobSpec), 'Desired behavior of the job.'),
    status: p(3, t.ref(() => JobStatus), 'Current status of the job.'),
  },
  { gvk: [{ group: 'batch', version: 'v1', kind: 'Job' }] },
);

// ---- CronJob ---------------------------------------------------------------

export const CronJobSpec: Model = model(
  'io.k8s.api.batch.v1.CronJobSpec',
  'CronJobSpec describes how the job execution will look like and when it will actually run.',
  {
    schedule: p(1, t.string(), 'The schedule in Cron format.', { required: true }),
    timeZone: p(8, t.string(), 'Time zone name for the schedule; defaults to the controller manager time zone.'),
    startingDeadlineSeconds: p(2, t.int64(), 'Deadline in seconds for starting a job that missed its scheduled time.'),
    concurrencyPolicy: p(3, t.string({ enum: ['Allow', 'Forbid', 'Replace'] }), 'How concurrent executions are treated: Allow (default), Forbid or Replace.'),
    suspend: p(4, t.bool(), 'Suspends subsequent executions. Defaults to false.'),
    jobTemplate: p(5, t.ref(() => JobTemplateSpec), 'The job created on each execution.', { required: true }),
    successfulJobsHistoryLimit: p(6, t.int32(), 'Number of successful finished jobs to retain. Defaults to 3.'),
    failedJobsHistoryLimit: p(7, t.int32(), 'Number of failed finished jobs to retain. Defaults to 1.'),
  },
);

export const CronJobStatus: Model = model(
  'io.k8s.api.batch.v1.CronJobStatus',
  'CronJobStatus represents the current state of a cron job.',
  {
    active: p(1, t.array(t.ref(() => ObjectReference), { listType: 'atomic' }), 'References to the currently running jobs.'),
    lastScheduleTime: p(4, t.time(), 'Last time a job was successfully scheduled.'),
    lastSuccessfulTime: p(5, t.time(), 'Last time a job completed successfully.'),
  },
);

export const CronJob: Model = model(
  'io.k8s.api.batch.v1.CronJob',
  'CronJob represents the configuration of a single cron job.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), "Standard object's metadata."),
    spec: p(2, t.ref(() => CronJobSpec), 'Desired behavior of the cron job, including the schedule.'),
    status: p(3, t.ref(() => CronJobStatus), 'Current status of the cron job.'),
  },
  { gvk: [{ group: 'batch', version: 'v1', kind: 'CronJob' }] },
);
