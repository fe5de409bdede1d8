// The CronJob controller (pkg/controller/cronjob, the v2 controller): at each
// schedule time, in spec.timeZone, it creates a Job from the jobTemplate,
// honouring concurrencyPolicy, suspend and startingDeadlineSeconds; it keeps
// status.active, lastScheduleTime and lastSuccessfulTime, deletes finished
// Jobs beyond the history limits, and requeues itself for the next schedule
// time, so nothing polls. Jobs are named after their schedule time, which
// makes a second create for the same time fail instead of running twice.

import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import { CronParseError, isValidTimeZone } from '../../api/validation/cron.ts';
import { rfc3339InZone } from '../../api/validation/cron-next.ts';
import { ApiError } from '../../apiserver/errors.ts';
import type { EventRecorder } from '../../client/events.ts';
import type { Informer, InformerFactory } from '../../client/informer.ts';
import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';
import { asJob, CRONJOB_SCHEDULED_TIMESTAMP, finishedCondition, isJobFinished, isJobSucceeded, rfc3339 } from '../job/job-util.ts';
import { controllerOf, controllerRef, type OwnerReference } from '../pods.ts';
import { WorkQueue } from '../queue.ts';
import { jobName, mostRecentScheduleTime, nextScheduleDelay, rfc1123z, scheduleOf, type Schedule } from './schedule.ts';

export interface CronJobControllerOptions {
  clock?: () => Date;
  log?: (msg: string, err?: unknown) => void;
  recorder: EventRecorder;
}

const asCronJob = (o: KObject): CronJob => o as unknown as CronJob;
const obj = (o: CronJob | Job): KObject => o as unknown as KObject;
const keyOf = (o: { metadata?: { namespace?: string; name?: string } }): string => `${o.metadata!.namespace}/${o.metadata!.name}`;
const isNotFound = (e: unknown) => e instanceof ApiError && e.code === 404;
const isAlreadyExists = (e: unknown) => e instanceof ApiError && e.code === 409 && e.reason === 'AlreadyExists';

/** A Job of the CronJob, made for one schedule time (upstream getJobFromTemplate2). */
export function jobFromTemplate(cj: CronJob, scheduled: number): KObject {
  const template = cj.spec!.jobTemplate;
  const labels = { ...(template.metadata?.labels ?? {}) };
  const annotations = { ...(template.metadata?.annotations ?? {}) };
  // time.LoadLocation("") is UTC: without spec.timeZone the timestamp is in UTC.
  annotations[CRONJOB_SCHEDULED_TIMESTAMP] = rfc3339InZone(new Date(scheduled), cj.spec!.timeZone ?? 'UTC');
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(cj, scheduled),
      ...(Object.keys(labels).length ? { labels } : {}),
      annotations,
      ownerReferences: [controllerRef(obj(cj), 'batch/v1', 'CronJob')],
    },
    spec: structuredClone(template.spec ?? {}),
  };
}

function jobRef(job: Job): ObjectReference {
  return {
    kind: 'Job',
    namespace: job.metadata!.namespace,
    name: job.metadata!.name,
    uid: job.metadata!.uid,
    apiVersion: 'batch/v1',
    resourceVersion: job.metadata!.resourceVersion,
  };
}

const inActive = (cj: CronJob, uid: string | undefined) => cj.status?.active?.some((r) => r.uid === uid) ?? false;

function removeFromActive(cj: CronJob, uid: string | undefined): void {
  cj.status ??= {};
  cj.status.active = (cj.status.active ?? []).filter((r) => r.uid !== uid);
  if (cj.status.active.length === 0) delete cj.status.active;
}

/** Oldest first by status.startTime (Jobs that never started last), then by name. */
function byStartTime(a: Job, b: Job): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (!sa && sb) return 1;
  if (sa && !sb) return -1;
  if (sa && sb && sa !== sb) return Date.parse(sa) - Date.parse(sb);
  return a.metadata!.name! < b.metadata!.name! ? -1 : a.metadata!.name! > b.metadata!.name! ? 1 : 0;
}

export class CronJobController {
  private readonly cronJobs: Informer;
  private readonly jobs: Informer;
  private readonly queue: WorkQueue;
  private readonly clock: () => Date;
  private readonly log: (msg: string, err?: unknown) => void;
  private readonly recorder: EventRecorder;
  /** Keys seen before both caches were filled. */
  private pending: Set<string> | undefined = new Set();

  constructor(
    private readonly client: Client,
    informers: InformerFactory,
    opts: CronJobControllerOptions,
  ) {
    this.clock = opts.clock ?? (() => new Date());
    this.log = opts.log ?? (() => {});
    this.recorder = opts.recorder;
    this.queue = new WorkQueue((key) => this.sync(key), { onError: (k, e) => this.log(`cronjob ${k}: sync failed`, e) });
    this.cronJobs = informers.for(R.cronjobs);
    this.jobs = informers.for(R.jobs);
    this.cronJobs.addHandler({
      add: (cj) => this.enqueue(keyOf(cj)),
      update: (old, cur) => this.updateCronJob(asCronJob(old), asCronJob(cur)),
      delete: (cj) => this.enqueue(keyOf(cj)),
    });
    this.jobs.addHandler({
      add: (j) => this.jobChanged(asJob(j)),
      update: (old, cur) => {
        const oldRef = controllerOf(old);
        if (oldRef && oldRef.uid !== controllerOf(cur)?.uid) this.jobChanged(asJob(old));
        this.jobChanged(asJob(cur));
      },
      delete: (j) => this.jobChanged(asJob(j)),
    });
  }

  async start(): Promise<void> {
    await Promise.all([this.cronJobs.start(), this.jobs.start()]);
    const pending = this.pending!;
    this.pending = undefined;
    for (const key of pending) this.queue.add(key);
  }

  stop(): void {
    this.queue.stop();
  }

  private enqueue(key: string, afterMs?: number): void {
    if (this.pending) this.pending.add(key);
    else if (afterMs === undefined) this.queue.add(key);
    else this.queue.addAfter(key, Math.max(0, afterMs));
  }

  private resolve(namespace: string, ref: OwnerReference | undefined): CronJob | undefined {
    if (!ref || ref.kind !== 'CronJob') return undefined;
    const cj = this.cronJobs.get(namespace, ref.name) as CronJob | undefined;
    return cj?.metadata?.uid === ref.uid ? cj : undefined;
  }

  private jobChanged(job: Job): void {
    const cj = this.resolve(job.metadata!.namespace!, controllerOf(obj(job)));
    if (cj) this.enqueue(keyOf(cj));
  }

  /** A new schedule or time zone: look again at its next time; any other change: now. */
  private updateCronJob(old: CronJob, cur: CronJob): void {
    if (old.spec?.schedule === cur.spec?.schedule && old.spec?.timeZone === cur.spec?.timeZone) {
      this.enqueue(keyOf(cur));
      return;
    }
    let s: Schedule;
    try {
      s = scheduleOf(cur);
    } catch (e) {
      if (!(e instanceof CronParseError)) throw e;
      this.recorder.event(obj(cur), 'Warning', 'UnParseableCronJobSchedule', `unparseable schedule for cronjob: ${cur.spec?.schedule}`);
      return;
    }
    const delay = nextScheduleDelay(cur, this.clock().getTime(), s);
    if (delay !== undefined) this.enqueue(keyOf(cur), delay);
  }

  private async sync(key: string): Promise<void> {
    const i = key.indexOf('/');
    const cached = this.cronJobs.get(key.slice(0, i), key.slice(i + 1)) as CronJob | undefined;
    if (!cached) return;
    const uid = cached.metadata!.uid;
    // Every Job this CronJob controls, including ones whose labels no longer match the template.
    const jobs = this.jobs
      .list(cached.metadata!.namespace)
      .map(asJob)
      .filter((j) => {
        const ref = controllerOf(obj(j));
        return ref?.kind === 'CronJob' && ref.name === cached.metadata!.name && ref.uid === uid;
      });
    const cj = structuredClone(cached);
    const cleaned = await this.cleanupFinishedJobs(cj, jobs);
    let result: { requeueMs?: number; updateStatus: boolean } = { updateStatus: false };
    let syncError: unknown;
    try {
      result = await this.syncCronJob(cj, jobs);
    } catch (e) {
      syncError = e;
      result.updateStatus = (e as { updateStatus?: boolean }).updateStatus ?? false;
    }
    if (cleaned || result.updateStatus) await this.client.updateStatus(R.cronjobs, obj(cj));
    if (result.requeueMs !== undefined) {
      this.queue.addAfter(key, Math.max(0, result.requeueMs));
      return;
    }
    if (syncError) throw syncError;
  }

  /** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit. */
  private async cleanupFinishedJobs(cj: CronJob, jobs: Job[]): Promise<boolean> {
    const spec = cj.spec!;
    if (spec.successfulJobsHistoryLimit == null && spec.failedJobsHistoryLimit == null) return false;
    const succeeded = jobs.filter((j) => finishedCondition(j)?.type === 'Complete');
    const failed = jobs.filter((j) => finishedCondition(j)?.type === 'Failed');
    let updated = false;
    if (spec.successfulJobsHistoryLimit != null && (await this.removeOldest(cj, succeeded, spec.successfulJobsHistoryLimit))) updated = true;
    if (spec.failedJobsHistoryLimit != null && (await this.removeOldest(cj, failed, spec.failedJobsHistoryLimit))) updated = true;
    return updated;
  }

  private async removeOldest(cj: CronJob, jobs: Job[], keep: number): Promise<boolean> {
    const excess = jobs.length - keep;
    if (excess <= 0) return false;
    let updated = false;
    for (const job of [...jobs].sort(byStartTime).slice(0, excess)) if (await this.deleteJob(cj, job)) updated = true;
    return updated;
  }

  /** Deletes a Job (its pods follow in the background) and drops it from status.active. */
  private async deleteJob(cj: CronJob, job: Job): Promise<boolean> {
    try {
      await this.client.delete(R.jobs, job.metadata!.namespace, job.metadata!.name!, { propagationPolicy: 'Background' });
    } catch (e) {
      if (!isNotFound(e)) {
        this.recorder.event(obj(cj), 'Warning', 'FailedDelete', `Deleted job: ${(e as Error).message}`);
        this.log(`cronjob ${keyOf(cj)}: deleting job ${job.metadata!.name} failed`, e);
        return false;
      }
    }
    removeFromActive(cj, job.metadata!.uid);
    this.recorder.event(obj(cj), 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata!.name}`);
    return true;
  }

  /** Upstream syncCronJob: reconciles status.active, then starts the Job of the most recent unmet schedule time. */
  private async syncCronJob(cj: CronJob, jobs: Job[]): Promise<{ requeueMs?: number; updateStatus: boolean }> {
    const now = this.clock().getTime();
    let updateStatus = false;
    const fail = (e: unknown) => Object.assign(e as object, { updateStatus });
    const ns = cj.metadata!.namespace!;
    const children = new Set<string>();
    for (const j of jobs) {
      children.add(j.metadata!.uid!);
      const found = inActive(cj, j.metadata!.uid);
      if (!found && !isJobFinished(j)) {
        // Maybe our own status write has not reached the cache yet.
        let fresh: CronJob;
        try {
          fresh = asCronJob(await this.client.get(R.cronjobs, ns, cj.metadata!.name!));
        } catch (e) {
          throw fail(e);
        }
        if (inActive(fresh, j.metadata!.uid)) {
          cj.status = fresh.status;
          (cj.metadata as { resourceVersion?: string }).resourceVersion = fresh.metadata!.resourceVersion;
          continue;
        }
        this.recorder.event(obj(cj), 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata!.name}`);
      } else if (found && isJobFinished(j)) {
        removeFromActive(cj, j.metadata!.uid);
        this.recorder.event(obj(cj), 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata!.name}, status: ${finishedCondition(j)!.type}`);
        updateStatus = true;
      } else if (isJobSucceeded(j)) {
        // Jobs that are not in the active list (a manual run) still move lastSuccessfulTime.
        const done = j.status?.completionTime;
        cj.status ??= {};
        if (done && (!cj.status.lastSuccessfulTime || Date.parse(done) > Date.parse(cj.status.lastSuccessfulTime))) {
          cj.status.lastSuccessfulTime = done;
          updateStatus = true;
        }
      }
    }
    // Active Jobs that are gone: drop them (a fresh read first, the cache may lag).
    for (const ref of [...(cj.status?.active ?? [])]) {
      if (children.has(ref.uid!)) continue;
      try {
        await this.client.get(R.jobs, ref.namespace ?? ns, ref.name!);
      } catch (e) {
        if (!isNotFound(e)) throw fail(e);
        this.recorder.event(obj(cj), 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
        removeFromActive(cj, ref.uid);
        updateStatus = true;
      }
    }

    if (cj.metadata?.deletionTimestamp) return { updateStatus };
    const tz = cj.spec?.timeZone;
    if (tz !== undefined && tz !== null && !isValidTimeZone(tz)) {
      this.recorder.event(obj(cj), 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: unknown time zone ${tz}`);
      return { updateStatus };
    }
    if (cj.spec?.suspend) return { updateStatus };

    let s: Schedule;
    try {
      s = scheduleOf(cj);
    } catch (e) {
      if (!(e instanceof CronParseError)) throw fail(e);
      this.recorder.event(obj(cj), 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec!.schedule)} : ${e.message}`);
      return { updateStatus };
    }
    if (cj.spec!.schedule.includes('TZ')) {
      this.recorder.event(
        obj(cj),
        'Warning',
        'UnsupportedSchedule',
        `CRON_TZ or TZ used in schedule ${JSON.stringify(cj.spec!.schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`,
      );
    }
    const requeue = () => nextScheduleDelay(cj, now, s);

    let scheduled: number | undefined;
    try {
      const recent = mostRecentScheduleTime(cj, now, s, true);
      if (recent.mostRecent !== undefined && recent.mostRecent <= now) {
        scheduled = recent.mostRecent;
        if (recent.missed === 'many') {
          this.recorder.event(obj(cj), 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
        }
      }
    } catch (e) {
      this.recorder.event(obj(cj), 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec!.schedule} : ${(e as Error).message}`);
      return { updateStatus };
    }
    if (scheduled === undefined) {
      this.reportMissed(cj, now, s);
      return { requeueMs: requeue(), updateStatus };
    }
    const name = jobName(cj, scheduled);
    const lastScheduled = cj.status?.lastScheduleTime ? Date.parse(cj.status.lastScheduleTime) : undefined;
    if (cj.status?.active?.some((r) => r.name === name && (r.namespace ?? ns) === ns) || lastScheduled === scheduled) {
      return { requeueMs: requeue(), updateStatus };
    }
    const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && (cj.status?.active?.length ?? 0) > 0) {
      this.recorder.event(obj(cj), 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { requeueMs: requeue(), updateStatus };
    }
    if (policy === 'Replace') {
      for (const ref of [...(cj.status?.active ?? [])]) {
        let running: Job;
        try {
          running = asJob(await this.client.get(R.jobs, ref.namespace ?? ns, ref.name!));
        } catch (e) {
          this.recorder.event(obj(cj), 'Warning', 'FailedGet', `Get job: ${(e as Error).message}`);
          throw fail(e);
        }
        if (!(await this.deleteJob(cj, running))) throw fail(new Error(`could not replace job ${ns}/${running.metadata!.name}`));
        updateStatus = true;
      }
    }

    let created: Job;
    let existed = false;
    try {
      created = asJob(await this.client.create(R.jobs, ns, jobFromTemplate(cj, scheduled)));
    } catch (e) {
      if (!isAlreadyExists(e)) {
        this.recorder.event(obj(cj), 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message}`);
        throw fail(e);
      }
      // Created before (a crash or a lost status write): adopt it into status if it is ours.
      existed = true;
      try {
        created = asJob(await this.client.get(R.jobs, ns, name));
      } catch (e2) {
        throw fail(e2);
      }
      if (controllerOf(obj(created))?.uid !== cj.metadata!.uid || inActive(cj, created.metadata!.uid)) return { updateStatus };
    }
    if (!existed) this.recorder.event(obj(cj), 'Normal', 'SuccessfulCreate', `Created job ${created.metadata!.name}`);
    cj.status ??= {};
    cj.status.active = [...(cj.status.active ?? []), jobRef(created)];
    cj.status.lastScheduleTime = rfc3339(new Date(scheduled));
    return { requeueMs: requeue(), updateStatus: true };
  }

  /**
   * A schedule time passed beyond startingDeadlineSeconds: Kubernetes means to
   * report it (MissSchedule) but looks for unmet times only inside the deadline
   * window, so it never does (kubernetes/kubernetes#101148, #111223). The run
   * decision here is upstream's; the event looks at the whole span since the
   * last run.
   */
  private reportMissed(cj: CronJob, now: number, s: Schedule): void {
    const sds = cj.spec?.startingDeadlineSeconds;
    if (sds === undefined || sds === null) return;
    let missed: number | undefined;
    try {
      missed = mostRecentScheduleTime(cj, now, s, false).mostRecent;
    } catch {
      return;
    }
    if (missed === undefined || missed + sds * 1000 >= now) return;
    this.recorder.event(obj(cj), 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(missed)}`);
  }
}
