// The TTL-after-finished controller (pkg/controller/ttlafterfinished): a
// finished Job (Complete or Failed) with spec.ttlSecondsAfterFinished is
// deleted that many seconds after the finishing condition's
// lastTransitionTime, with propagationPolicy Foreground so that its pods go
// before it does. A Job not yet expired is requeued for its expiry; the
// decision is checked again on a fresh read before deleting, since the TTL
// may have been changed in the meantime.

import type { Job } from 'kubernetes-types/batch/v1.js';
import { ApiError } from '../../apiserver/errors.ts';
import type { Informer, InformerFactory } from '../../client/informer.ts';
import type { EventRecorder } from '../../client/events.ts';
import { R } from '../../client/resources.ts';
import type { Client } from '../../client/types.ts';
import { asJob, finishedCondition } from '../job/job-util.ts';
import { WorkQueue } from '../queue.ts';

export interface TtlAfterFinishedControllerOptions {
  clock?: () => Date;
  log?: (msg: string, err?: unknown) => void;
  /** Accepted for a uniform controller interface; this controller records no events, as upstream. */
  recorder?: EventRecorder;
}

const keyOf = (j: Job): string => `${j.metadata!.namespace}/${j.metadata!.name}`;
const isNotFound = (e: unknown) => e instanceof ApiError && e.code === 404;

function needsCleanup(job: Job): boolean {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  return ttl !== undefined && ttl !== null && finishedCondition(job) !== undefined;
}

/** When the Job's TTL runs out, in epoch milliseconds. */
function expiresAt(job: Job): number {
  const finishedAt = Date.parse(finishedCondition(job)?.lastTransitionTime ?? '');
  if (!Number.isFinite(finishedAt)) throw new Error(`unable to find the time when the Job ${keyOf(job)} finished`);
  return finishedAt + job.spec!.ttlSecondsAfterFinished! * 1000;
}

export class TtlAfterFinishedController {
  private readonly jobs: Informer;
  private readonly queue: WorkQueue;
  private readonly clock: () => Date;
  private readonly log: (msg: string, err?: unknown) => void;
  private pending: Set<string> | undefined = new Set();

  constructor(
    private readonly client: Client,
    informers: InformerFactory,
    opts: TtlAfterFinishedControllerOptions = {},
  ) {
    this.clock = opts.clock ?? (() => new Date());
    this.log = opts.log ?? (() => {});
    this.queue = new WorkQueue((key) => this.sync(key), { onError: (k, e) => this.log(`ttl-after-finished ${k}: cleanup failed`, e) });
    this.jobs = informers.for(R.jobs);
    const consider = (obj: Parameters<typeof asJob>[0]) => {
      const job = asJob(obj);
      if (!job.metadata?.deletionTimestamp && needsCleanup(job)) this.enqueue(keyOf(job));
    };
    this.jobs.addHandler({ add: consider, update: (_old, cur) => consider(cur) });
  }

  async start(): Promise<void> {
    await this.jobs.start();
    const pending = this.pending!;
    this.pending = undefined;
    for (const key of pending) this.queue.add(key);
  }

  stop(): void {
    this.queue.stop();
  }

  private enqueue(key: string): void {
    if (this.pending) this.pending.add(key);
    else this.queue.add(key);
  }

  /** Whether the TTL ran out; if not, requeues the Job for the moment it does. */
  private expired(job: Job): boolean {
    if (job.metadata?.deletionTimestamp || !needsCleanup(job)) return false;
    const left = expiresAt(job) - this.clock().getTime();
    if (left <= 0) return true;
    this.queue.addAfter(keyOf(job), left);
    return false;
  }

  private async sync(key: string): Promise<void> {
    const i = key.indexOf('/');
    const [ns, name] = [key.slice(0, i), key.slice(i + 1)];
    const cached = this.jobs.get(ns, name);
    if (!cached || !this.expired(asJob(cached))) return;
    let fresh: Job;
    try {
      fresh = asJob(await this.client.get(R.jobs, ns, name));
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (!this.expired(fresh)) return;
    try {
      await this.client.delete(R.jobs, ns, name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata!.uid } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
