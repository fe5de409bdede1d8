// `kubectl get jobs` and `kubectl get cronjobs`.

import type { CronJob, Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import { formatLabelSelector } from '../../api/selectors/label.ts';
import { AGE, boolCell, column, CONTAINERS, containerCells, IMAGES, NAME, wide } from './columns.ts';
import { DOC } from './docs.ts';
import { humanDuration, parseTime, since } from './duration.ts';
import type { Printer } from './types.ts';

/** hasJobCondition: the first condition of that type, and whether it is True. */
const hasCondition = (conditions: JobCondition[] | undefined, type: string): boolean =>
  conditions?.find((c) => c.type === type)?.status === 'True';

function jobStatus(job: Job): string {
  const conditions = job.status?.conditions;
  if (hasCondition(conditions, 'Complete')) return 'Complete';
  if (hasCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** "2/3"; without spec.completions, "1/1", or "0/1 of 4" when pods run in parallel. */
function completions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** From start to completion, or to now while running; "" before the job starts. */
function duration(job: Job, now: Date): string {
  const start = parseTime(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTime(job.status?.completionTime) ?? now.getTime();
  return humanDuration(end - start);
}

export const jobs: Printer = {
  columns: [
    NAME,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', DOC['JobStatus.succeeded']),
    column('Duration', 'string', 'Time required to complete the job.'),
    AGE,
    CONTAINERS,
    IMAGES,
    wide('Selector', 'string', DOC['JobSpec.selector']),
  ],
  print: (job: Job, now) => ({
    cells: [
      job.metadata?.name ?? '',
      jobStatus(job),
      completions(job),
      duration(job, now),
      since(job.metadata?.creationTimestamp, now),
      ...containerCells(job.spec?.template.spec?.containers),
      formatLabelSelector(job.spec?.selector),
    ],
  }),
};

export const cronjobs: Printer = {
  columns: [
    NAME,
    column('Schedule', 'string', DOC['CronJobSpec.schedule']),
    column('Timezone', 'string', DOC['CronJobSpec.timeZone']),
    column('Suspend', 'boolean', DOC['CronJobSpec.suspend']),
    column('Active', 'integer', DOC['CronJobStatus.active']),
    column('Last Schedule', 'string', DOC['CronJobStatus.lastScheduleTime']),
    AGE,
    CONTAINERS,
    IMAGES,
    wide('Selector', 'string', DOC['JobSpec.selector']),
  ],
  print: (cj: CronJob, now) => ({
    cells: [
      cj.metadata?.name ?? '',
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? '<none>',
      boolCell(cj.spec?.suspend),
      cj.status?.active?.length ?? 0,
      cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : '<none>',
      since(cj.metadata?.creationTimestamp, now),
      ...containerCells(cj.spec?.jobTemplate.spec?.template.spec?.containers),
      formatLabelSelector(cj.spec?.jobTemplate.spec?.selector),
    ],
  }),
};
