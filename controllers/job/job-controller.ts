// The Job controller (pkg/controller/job): runs a Job's pods to completion.
// Informer handlers only find the Job a change concerns and queue its
// "namespace/name"; syncJob (sync-job.ts) does the work. A second queue
// removes the tracking finalizer from pods whose Job is gone or finished,
// so no pod is left stuck in deletion.

import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { labelSelectorAsMatcher } from '../../api/validation/labels.ts';
import type { EventRecorder } from '../../client/events.ts';
import type { Informer, InformerFactory } from '../../client/informer.ts';
import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';
import { controllerOf, type OwnerReference } from '../pods.ts';
import { WorkQueue } from '../queue.ts';
import { claimPods } from './claim.ts';
import { Expectations } from './expectations.ts';
import { asJob, asObject, asPod, hasTrackingFinalizer, isJobFinished, managedByUs } from './job-util.ts';
import { isNotFound, PodControl } from './pod-control.ts';
import type { JobServices } from './sync-context.ts';
import { syncJob } from './sync-job.ts';

export interface JobControllerOptions {
  clock?: () => Date;
  log?: (msg: string, err?: unknown) => void;
  recorder: EventRecorder;
  workers?: number;
}

const keyOf = (o: KObject | Job | Pod): string => `${o.metadata!.namespace}/${o.metadata!.name}`;

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

export class JobController {
  private readonly jobs: Informer;
  private readonly pods: Informer;
  private readonly queue: WorkQueue;
  private readonly orphanQueue: WorkQueue;
  private readonly clock: () => Date;
  private readonly log: (msg: string, err?: unknown) => void;
  private readonly expectations: Expectations;
  private readonly svc: JobServices;
  /** Keys seen before both caches were filled: a sync on a half-listed cache would create pods twice. */
  private pending: Set<string> | undefined = new Set();
  private pendingOrphans: Set<string> | undefined = new Set();

  constructor(
    private readonly client: Client,
    informers: InformerFactory,
    opts: JobControllerOptions,
  ) {
    this.clock = opts.clock ?? (() => new Date());
    this.log = opts.log ?? (() => {});
    this.expectations = new Expectations(() => this.clock().getTime());
    this.queue = new WorkQueue((key) => this.sync(key), { workers: opts.workers ?? 2, onError: (k, e) => this.log(`job ${k}: sync failed`, e) });
    this.orphanQueue = new WorkQueue((key) => this.syncOrphanPod(key), { onError: (k, e) => this.log(`pod ${k}: removing the job finalizer failed`, e) });
    this.svc = {
      client,
      podControl: new PodControl(client, opts.recorder),
      recorder: opts.recorder,
      expectations: this.expectations,
      now: this.clock,
      requeueAfter: (key, ms) => this.enqueueAfter(key, ms),
      podLookup: (ns) => (name) => this.pods.get(ns, name) as Pod | undefined,
    };
    this.jobs = informers.for(R.jobs);
    this.pods = informers.for(R.pods);
    this.jobs.addHandler({
      add: (j) => this.enqueue(keyOf(j)),
      update: (old, cur) => this.updateJob(asJob(old), asJob(cur)),
      delete: (j) => {
        this.enqueue(keyOf(j));
        this.cleanupPodFinalizers(asJob(j));
      },
    });
    this.pods.addHandler({
      add: (p) => this.podChanged(asPod(p)),
      update: (old, cur) => this.podChanged(asPod(cur), asPod(old)),
      delete: (p) => this.podChanged(asPod(p), undefined, true),
    });
  }

  /** Starts the informers (shared: the factory may already have) and processes the queues. */
  async start(): Promise<void> {
    await Promise.all([this.jobs.start(), this.pods.start()]);
    const [pending, orphans] = [this.pending!, this.pendingOrphans!];
    this.pending = this.pendingOrphans = undefined;
    for (const key of pending) this.queue.add(key);
    for (const key of orphans) this.orphanQueue.add(key);
  }

  private enqueue(key: string): void {
    if (this.pending) this.pending.add(key);
    else this.queue.add(key);
  }

  private enqueueAfter(key: string, ms: number): void {
    if (this.pending) this.pending.add(key);
    else this.queue.addAfter(key, Math.max(0, ms));
  }

  private enqueueOrphan(key: string): void {
    if (this.pendingOrphans) this.pendingOrphans.add(key);
    else this.orphanQueue.add(key);
  }

  stop(): void {
    this.queue.stop();
    this.orphanQueue.stop();
  }

  /** For tests: resolves when no sync is queued or running. */
  async idle(): Promise<void> {
    await this.queue.idle();
    await this.orphanQueue.idle();
  }

  private updateJob(old: Job, cur: Job): void {
    this.enqueue(keyOf(cur));
    if (isJobFinished(cur)) this.cleanupPodFinalizers(cur);
    // A new activeDeadlineSeconds: look again when it passes.
    const ads = cur.spec?.activeDeadlineSeconds;
    if (cur.status?.startTime && ads !== undefined && ads !== old.spec?.activeDeadlineSeconds) {
      const left = Date.parse(cur.status.startTime) + ads * 1000 - this.clock().getTime();
      this.enqueueAfter(keyOf(cur), left);
    }
  }

  /** The Job a controller reference points at, if it is the one in the cache. */
  private resolve(namespace: string, ref: OwnerReference | undefined): Job | undefined {
    if (!ref || ref.kind !== 'Job') return undefined;
    const job = this.jobs.get(namespace, ref.name) as Job | undefined;
    return job?.metadata?.uid === ref.uid ? job : undefined;
  }

  private podChanged(pod: Pod, old?: Pod, deleted = false): void {
    const ns = pod.metadata!.namespace!;
    const ref = controllerOf(asObject(pod));
    if (old) {
      const oldRef = controllerOf(asObject(old));
      if (oldRef && oldRef.uid !== ref?.uid) {
        const oldJob = this.resolve(ns, oldRef);
        if (oldJob) this.enqueue(keyOf(oldJob));
      }
    }
    if (ref) {
      const job = this.resolve(ns, ref);
      if (job && !deleted) this.expectations.observedCreate(keyOf(job), pod.metadata!.uid!);
      if (job && !isJobFinished(job)) this.enqueue(keyOf(job));
      else if (hasTrackingFinalizer(pod) && !deleted) this.enqueueOrphan(keyOf(pod));
      return;
    }
    if (hasTrackingFinalizer(pod) && !deleted) this.enqueueOrphan(keyOf(pod));
    if (deleted || pod.metadata?.deletionTimestamp) return;
    // An orphan: a Job whose selector matches may adopt it.
    for (const j of this.jobs.list(ns)) {
      const job = asJob(j);
      if (labelSelectorAsMatcher(job.spec?.selector)?.matches(pod.metadata?.labels ?? {})) this.enqueue(keyOf(job));
    }
  }

  private cleanupPodFinalizers(job: Job): void {
    for (const p of this.pods.list(job.metadata!.namespace)) {
      const pod = asPod(p);
      if (hasTrackingFinalizer(pod) && controllerOf(p)?.uid === job.metadata!.uid) this.enqueueOrphan(keyOf(pod));
    }
  }

  private async sync(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const cached = this.jobs.get(ns, name) as Job | undefined;
    if (!cached) {
      this.expectations.forget(key);
      return;
    }
    if (!managedByUs(cached) || isJobFinished(cached)) return;
    const lookup = this.svc.podLookup(ns);
    const expectationsMet = this.expectations.satisfied(key, lookup);
    const candidates = this.pods.list(ns).map(asPod);
    const pods = await claimPods(this.client, cached, candidates, async () => {
      // Adopt only for a Job that still exists and is not being deleted (a fresh read, not the cache).
      try {
        const fresh = await this.client.get(R.jobs, ns, name);
        return fresh.metadata.uid === cached.metadata!.uid && !fresh.metadata.deletionTimestamp;
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
    });
    await syncJob(this.svc, key, cached, pods, expectationsMet);
  }

  /** The Job behind a reference the cache does not know, read from the server (the cache may lag). */
  private async freshJob(ns: string, ref: OwnerReference): Promise<Job | undefined> {
    try {
      const job = asJob(await this.client.get(R.jobs, ns, ref.name));
      return job.metadata?.uid === ref.uid ? job : undefined;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Removes the tracking finalizer from a pod whose Job is gone or finished (or that has no Job). */
  private async syncOrphanPod(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const pod = this.pods.get(ns, name) as Pod | undefined;
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = controllerOf(asObject(pod));
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.resolve(ns, ref) ?? (await this.freshJob(ns, ref));
      if (job && !managedByUs(job)) return;
      if (job && !isJobFinished(job)) return;
    }
    await this.svc.podControl.removeFinalizer(pod);
  }
}
