// batch/v1 Job and CronJob (pkg/apis/batch/validation).

import type { CronJob, Job, JobSpec, PodFailurePolicyRule } from 'kubernetes-types/batch/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../field-error.ts';
import { duplicate, invalid, notSupported, required, tooLong } from '../field-error.ts';
import { cronScheduleError, isValidTimeZone } from './cron.ts';
import { semanticEqual } from './equality.ts';
import { isDomainPrefixedPath } from './formats.ts';
import { labelSelectorAsMatcher, validateLabelSelector } from './labels.ts';
import { isDns1123Label, isQualifiedName, nameIsDnsSubdomain } from './names.ts';
import { validateImmutableField, validateNonnegativeField, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { child, index } from './path.ts';
import { validatePodTemplateSpec } from './pod-spec.ts';

const FAILURE_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const EXIT_CODE_OPERATORS = ['In', 'NotIn'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const MAX_PARALLELISM_INDEXED = 100000;
const MAX_FAILED_INDEXES = 100000;

function validatePodFailureRule(spec: JobSpec, rule: PodFailurePolicyRule, containerNames: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const actionPath = child(path, 'action');
  if (!rule.action) errs.push(required(actionPath, `valid values: [${FAILURE_ACTIONS.map((a) => JSON.stringify(a)).join(' ')}]`));
  else if (rule.action === 'FailIndex' && spec.backoffLimitPerIndex === undefined) {
    errs.push(invalid(actionPath, rule.action, 'requires the backoffLimitPerIndex to be set'));
  } else if (!FAILURE_ACTIONS.includes(rule.action)) errs.push(notSupported(actionPath, rule.action, FAILURE_ACTIONS));
  const onExit = rule.onExitCodes;
  if (onExit) {
    const p = child(path, 'onExitCodes');
    if (!onExit.operator) errs.push(required(child(p, 'operator'), `valid values: [${EXIT_CODE_OPERATORS.map((a) => JSON.stringify(a)).join(' ')}]`));
    else if (!EXIT_CODE_OPERATORS.includes(onExit.operator)) errs.push(notSupported(child(p, 'operator'), onExit.operator, EXIT_CODE_OPERATORS));
    if (onExit.containerName !== undefined && !containerNames.has(onExit.containerName)) {
      errs.push(invalid(child(p, 'containerName'), onExit.containerName, 'must be one of the container or initContainer names in the pod template'));
    }
    const values = onExit.values ?? [];
    const vp = child(p, 'values');
    if (values.length === 0) errs.push(invalid(vp, values, 'at least one value is required'));
    const seen = new Set<number>();
    values.forEach((v, i) => {
      if (onExit.operator === 'In' && v === 0) errs.push(invalid(index(vp, i), v, 'must not be 0 for the In operator'));
      if (seen.has(v)) errs.push(duplicate(index(vp, i), v));
      seen.add(v);
    });
    if (values.some((v, i) => i > 0 && values[i - 1] > v)) errs.push(invalid(vp, values, 'must be ordered'));
  }
  (rule.onPodConditions ?? []).forEach((pattern, i) => {
    const p = index(child(path, 'onPodConditions'), i);
    errs.push(...isQualifiedName(pattern.type).map((msg) => invalid(child(p, 'type'), pattern.type, msg)));
    if (!pattern.status) errs.push(required(child(p, 'status'), `valid values: [${CONDITION_STATUSES.map((a) => JSON.stringify(a)).join(' ')}]`));
    else if (!CONDITION_STATUSES.includes(pattern.status)) errs.push(notSupported(child(p, 'status'), pattern.status, CONDITION_STATUSES));
  });
  const hasConditions = (rule.onPodConditions ?? []).length > 0;
  if (onExit && hasConditions) errs.push(invalid(path, null, 'specifying both OnExitCodes and OnPodConditions is not supported'));
  if (!onExit && !hasConditions) errs.push(invalid(path, null, 'specifying one of OnExitCodes and OnPodConditions is required'));
  return errs;
}

/** The spec checks Jobs and CronJob job templates share (upstream validateJobSpec). */
function validateJobSpecCommon(spec: JobSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex'] as const) {
    errs.push(...validateNonnegativeField(spec[f], child(path, f)));
  }
  if (spec.maxFailedIndexes !== undefined) {
    errs.push(...validateNonnegativeField(spec.maxFailedIndexes, child(path, 'maxFailedIndexes')));
    if (spec.backoffLimitPerIndex === undefined) errs.push(required(child(path, 'backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
  }
  if (spec.managedBy !== undefined) {
    errs.push(...isDomainPrefixedPath(child(path, 'managedBy'), spec.managedBy));
    if (spec.managedBy.length > 63) errs.push(tooLong(child(path, 'managedBy'), spec.managedBy, 63));
  }
  const indexed = spec.completionMode === 'Indexed';
  if (spec.completionMode !== undefined) {
    if (spec.completionMode !== 'NonIndexed' && !indexed) {
      errs.push(notSupported(child(path, 'completionMode'), spec.completionMode, ['NonIndexed', 'Indexed']));
    }
    if (indexed) {
      if (spec.completions === undefined) errs.push(required(child(path, 'completions'), 'when completion mode is Indexed'));
      if (spec.parallelism !== undefined && spec.parallelism > MAX_PARALLELISM_INDEXED) {
        errs.push(invalid(child(path, 'parallelism'), spec.parallelism, `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`));
      }
      if (spec.completions !== undefined && spec.maxFailedIndexes !== undefined && spec.maxFailedIndexes > spec.completions) {
        errs.push(invalid(child(path, 'maxFailedIndexes'), spec.maxFailedIndexes, 'must be less than or equal to completions'));
      }
      if (spec.maxFailedIndexes !== undefined && spec.maxFailedIndexes > MAX_FAILED_INDEXES) {
        errs.push(invalid(child(path, 'maxFailedIndexes'), spec.maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES}`));
      }
    }
  }
  if (!indexed) {
    if (spec.backoffLimitPerIndex !== undefined) errs.push(invalid(child(path, 'backoffLimitPerIndex'), spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (spec.maxFailedIndexes !== undefined) errs.push(invalid(child(path, 'maxFailedIndexes'), spec.maxFailedIndexes, 'requires indexed completion mode'));
    if (spec.successPolicy) errs.push(invalid(child(path, 'successPolicy'), spec.successPolicy, 'requires indexed completion mode'));
  }
  if (spec.podFailurePolicy) {
    const rulesPath = child(path, 'podFailurePolicy', 'rules');
    const containers = new Set([...(spec.template?.spec?.containers ?? []), ...(spec.template?.spec?.initContainers ?? [])].map((c) => c.name));
    (spec.podFailurePolicy.rules ?? []).forEach((rule, i) => errs.push(...validatePodFailureRule(spec, rule, containers, index(rulesPath, i))));
  }
  if (spec.podReplacementPolicy !== undefined) {
    const p = child(path, 'podReplacementPolicy');
    if (spec.podFailurePolicy) {
      if (spec.podReplacementPolicy !== 'Failed') errs.push(notSupported(p, spec.podReplacementPolicy, ['Failed']));
    } else if (spec.podReplacementPolicy !== 'Failed' && spec.podReplacementPolicy !== 'TerminatingOrFailed') {
      errs.push(notSupported(p, spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed']));
    }
  }
  const templatePath = child(path, 'template');
  errs.push(...validatePodTemplateSpec(spec.template, templatePath, { restartPolicyRequired: false }));
  const policy = spec.template?.spec?.restartPolicy ?? '';
  const policyPath = child(templatePath, 'spec', 'restartPolicy');
  if (policy === 'Always' || policy === '') {
    errs.push(required(policyPath, 'valid values: "OnFailure", "Never"'));
  } else if (policy !== 'OnFailure' && policy !== 'Never') {
    errs.push(notSupported(policyPath, policy, ['OnFailure', 'Never']));
  } else if (spec.podFailurePolicy && policy !== 'Never') {
    errs.push(invalid(policyPath, policy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

// Pods of a generated selector carry these labels, set from the Job's name and uid.
function validateGeneratedSelector(job: Job): FieldError[] {
  if (job.spec?.manualSelector || !job.spec?.selector) return [];
  const errs: FieldError[] = [];
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  if (!uid) errs.push(required('metadata.uid'));
  const labels = job.spec.template?.metadata?.labels ?? {};
  const expected: Record<string, string> = {
    'controller-uid': uid,
    'job-name': name,
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
  };
  for (const [k, v] of Object.entries(expected)) {
    const p = `spec.template.metadata.labels[${k}]`;
    if (!(k in labels)) errs.push(required(p, `must be '${v}'`));
    else if (labels[k] !== v) errs.push(invalid(p, labels, `must be '${v}'`));
  }
  const matcher = labelSelectorAsMatcher(job.spec.selector);
  if (matcher && !matcher.matches(expected)) errs.push(invalid('spec.selector', job.spec.selector, '`selector` not auto-generated'));
  return errs;
}

/**
 * A Job's spec. The server generates the selector of a Job without
 * manualSelector (generateJobSelector in api/defaults), so a missing one is
 * only an error when manualSelector is true.
 */
function validateJobSpec(spec: JobSpec, path: string): FieldError[] {
  const errs = validateJobSpecCommon(spec, path);
  if (!spec.selector) {
    if (spec.manualSelector) errs.push(required(child(path, 'selector')));
    return errs;
  }
  errs.push(...validateLabelSelector(spec.selector, child(path, 'selector')));
  const matcher = labelSelectorAsMatcher(spec.selector);
  if (matcher && !matcher.matches(spec.template?.metadata?.labels)) {
    errs.push(invalid(child(path, 'template', 'metadata', 'labels'), spec.template?.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  }
  return errs;
}

// A suspended Job that never started may change where its pods run.
function schedulingInsensitive(template: PodTemplateSpec | undefined): unknown {
  const spec = template?.spec;
  return {
    ...template,
    metadata: { ...template?.metadata, labels: undefined, annotations: undefined },
    spec: spec && {
      ...spec,
      nodeSelector: undefined,
      tolerations: undefined,
      schedulingGates: undefined,
      affinity: spec.affinity && { ...spec.affinity, nodeAffinity: undefined },
    },
  };
}

function validateJobSpecUpdate(job: Job, old: Job): FieldError[] {
  const spec = job.spec ?? ({} as JobSpec);
  const oldSpec = old.spec ?? ({} as JobSpec);
  const errs: FieldError[] = [];
  if (spec.completionMode === 'Indexed' && !semanticEqual(spec.completions, oldSpec.completions)) {
    if (spec.completions !== undefined && spec.completions !== spec.parallelism) {
      errs.push(invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
    }
  } else {
    errs.push(...validateImmutableField(spec.completions, oldSpec.completions, 'spec.completions'));
  }
  errs.push(...validateImmutableField(spec.selector, oldSpec.selector, 'spec.selector'));
  const mutableScheduling = !!spec.suspend && !old.status?.startTime;
  const [t, o] = mutableScheduling ? [schedulingInsensitive(spec.template), schedulingInsensitive(oldSpec.template)] : [spec.template, oldSpec.template];
  if (!semanticEqual(t, o)) errs.push(invalid('spec.template', spec.template, 'field is immutable'));
  for (const f of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'] as const) {
    errs.push(...validateImmutableField(spec[f], oldSpec[f], `spec.${f}`));
  }
  return errs;
}

export function validateJob(job: Job, old?: Job): FieldError[] {
  const spec = job.spec ?? ({} as JobSpec);
  if (old) return [...validateObjectMetaUpdate(job.metadata, old.metadata), ...validateJobSpec(spec, 'spec'), ...validateJobSpecUpdate(job, old)];
  const errs = validateObjectMeta(job.metadata, { namespaced: true, nameFn: nameIsDnsSubdomain });
  errs.push(...validateGeneratedSelector(job));
  errs.push(...validateJobSpec(spec, 'spec'));
  const name = job.metadata?.name;
  if (name && spec.completionMode === 'Indexed' && spec.completions !== undefined && spec.completions > 0) {
    const hostname = `${name}-${spec.completions - 1}`;
    if (isDns1123Label(hostname).length > 0) {
      errs.push(invalid('metadata.name', name, `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  return errs;
}

// IANA naming: components of letters, '.', '-', '_' (digits and '+' for legacy names), at most 14 long.
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

function validateTimeZone(tz: string | undefined, path: string): FieldError[] {
  if (tz === undefined) return [];
  if (tz === '') return [invalid(path, tz, 'timeZone must be nil or non-empty string')];
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !TIME_ZONE_PART.test(part)) return [invalid(path, tz, `unknown time zone ${tz}`)];
  }
  const errs: FieldError[] = [];
  if (tz.toLowerCase() === 'local') errs.push(invalid(path, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  if (!isValidTimeZone(tz)) errs.push(invalid(path, tz, `unknown time zone ${tz}`));
  return errs;
}

function validateSchedule(schedule: string, allowTz: boolean, timeZone: string | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const parseError = cronScheduleError(schedule);
  if (parseError) errs.push(invalid(path, schedule, parseError));
  if (allowTz && schedule.includes('TZ') && timeZone !== undefined) {
    errs.push(invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!allowTz && schedule.includes('TZ')) {
    errs.push(invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  return errs;
}

export function validateCronJob(cj: CronJob, old?: CronJob): FieldError[] {
  const errs = old
    ? validateObjectMetaUpdate(cj.metadata, old.metadata)
    : validateObjectMeta(cj.metadata, { namespaced: true, nameFn: nameIsDnsSubdomain });
  const spec = cj.spec ?? ({ schedule: '', jobTemplate: {} } as NonNullable<CronJob['spec']>);
  if (!spec.schedule) errs.push(required('spec.schedule'));
  else errs.push(...validateSchedule(spec.schedule, (old?.spec?.schedule ?? '').includes('TZ'), spec.timeZone, 'spec.schedule'));
  errs.push(...validateNonnegativeField(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  if (!old || old.spec?.timeZone !== spec.timeZone) errs.push(...validateTimeZone(spec.timeZone, 'spec.timeZone'));
  const cp = spec.concurrencyPolicy;
  if (!cp) errs.push(required('spec.concurrencyPolicy'));
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(notSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  const jobSpec = spec.jobTemplate?.spec ?? ({} as JobSpec);
  errs.push(...validateJobSpecCommon(jobSpec, 'spec.jobTemplate.spec'));
  if (jobSpec.selector) errs.push(invalid('spec.jobTemplate.spec.selector', jobSpec.selector, '`selector` will be auto-generated'));
  if (jobSpec.manualSelector) errs.push(notSupported('spec.jobTemplate.spec.manualSelector', jobSpec.manualSelector, ['nil', 'false']));
  errs.push(...validateNonnegativeField(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...validateNonnegativeField(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  // The controller names Jobs "<cronjob>-<11-character timestamp>", and Job names are labels of at most 63.
  if (!old && (cj.metadata?.name ?? '').length > 52) errs.push(invalid('metadata.name', cj.metadata?.name, 'must be no more than 52 characters'));
  return errs;
}
