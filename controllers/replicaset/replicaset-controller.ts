// The ReplicaSet controller (Kubernetes' pkg/controller/replicaset): keeps
// spec.replicas pods matching each ReplicaSet's selector. It adopts matching
// orphans and releases pods that stopped matching (ownerReference patches),
// creates pods from the template in slow-start batches (1, 2, 4, ...: a
// failing create does not fire hundreds of doomed ones), deletes the least
// valuable pods first (pod-order.ts), and waits through expectations for its
// own creates and deletes to show up in the informer before it counts again.
// Status (replicas, fullyLabeled, ready, available, ReplicaFailure) is
// recomputed on every sync and written only when it changed.

import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { matches, selectorFromLabelSelector, type LabelSelector } from '../../api/selectors/label.ts';
import type { EventRecorder } from '../../client/events.ts';
import type { Informer, InformerFactory } from '../../client/informer.ts';
import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';
import { WorkQueue } from '../queue.ts';
import { adoptPatch, claimAction, controllerOf, controllerRef, isPodActive, podFromTemplate, ownersSelecting, releasePatch, resolveControllerRef, type OwnerReference } from '../pods.ts';
import { isConflict, isNamespaceTerminating, isNotFound, message } from './api-errors.ts';
import { Expectations } from './expectations.ts';
import { podsToDelete } from './pod-order.ts';
import { calculateStatus, nextAvailableIn, statusUpToDate } from './status.ts';

/** At most this many pods are created or deleted in one sync (Kubernetes' burstReplicas). */
export const BURST_REPLICAS = 500;
const RS_API_VERSION = 'apps/v1';
const RS_KIND = 'ReplicaSet';

export interface ControllerOptions {
  clock?: () => Date;
  log?: (msg: string, err?: unknown) => void;
  recorder: EventRecorder;
  workers?: number;
}

export const keyOf = (obj: KObject): string => `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;

/** Runs fn count times in batches of 1, 2, 4, ... and stops after the first batch with a failure. */
export async function slowStartBatch(count: number, initial: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += size - failed.length;
    if (failed.length) return { successes, error: failed[0]!.reason };
    remaining -= size;
  }
  return { successes };
}

export class ReplicaSetController {
  readonly expectations: Expectations;
  private readonly rsInformer: Informer;
  private readonly podInformer: Informer;
  private readonly queue: WorkQueue;
  private readonly clock: () => Date;
  private readonly log: (msg: string, err?: unknown) => void;
  private readonly recorder: EventRecorder;
  private started = false;
  private readonly pending = new Set<string>();

  constructor(
    private readonly client: Client,
    informers: InformerFactory,
    opts: ControllerOptions,
  ) {
    this.clock = opts.clock ?? (() => new Date());
    this.log = opts.log ?? (() => {});
    this.recorder = opts.recorder;
    this.expectations = new Expectations(this.clock);
    this.queue = new WorkQueue((key) => this.sync(key), { workers: opts.workers ?? 2, onError: (k, e) => this.log(`replicaset ${k}: sync failed`, e) });
    this.rsInformer = informers.for(R.replicasets);
    this.podInformer = informers.for(R.pods);
    this.rsInformer.addHandler({
      add: (rs) => this.enqueue(keyOf(rs)),
      update: (old, cur) => {
        // Deleted and created again under the same name: what was expected of the old one is moot.
        if (old.metadata.uid !== cur.metadata.uid) this.expectations.delete(keyOf(old));
        this.enqueue(keyOf(cur));
      },
      delete: (rs) => {
        this.expectations.delete(keyOf(rs));
        this.enqueue(keyOf(rs));
      },
    });
    this.podInformer.addHandler({
      add: (pod) => this.addPod(pod),
      update: (old, cur) => this.updatePod(old, cur),
      delete: (pod) => this.deletePod(pod),
    });
  }

  /** Waits for the first lists of ReplicaSets and pods, then starts working. */
  async start(): Promise<void> {
    await Promise.all([this.rsInformer.start(), this.podInformer.start()]);
    this.started = true;
    for (const key of this.pending) this.queue.add(key);
    this.pending.clear();
  }

  stop(): void {
    this.queue.stop();
  }

  /** Resolves when no sync is queued or running (tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Queues every ReplicaSet again (a periodic resync; tests call it after moving their clock). */
  resync(): void {
    for (const rs of this.rsInformer.list()) this.enqueue(keyOf(rs));
  }

  private enqueue(key: string): void {
    if (this.started) this.queue.add(key);
    else this.pending.add(key);
  }

  /** The ReplicaSet a controller reference points to, if it is the one in the cache. */
  private resolve(namespace: string | undefined, ref: OwnerReference): KObject | undefined {
    return resolveControllerRef(this.rsInformer, RS_KIND, namespace, ref);
  }

  /** ReplicaSets whose selector matches an orphan pod's labels: they may want to adopt it. */
  private replicaSetsFor(pod: KObject): KObject[] {
    return ownersSelecting(this.rsInformer, pod);
  }

  private addPod(pod: KObject): void {
    if (pod.metadata.deletionTimestamp) {
      // Restarted with a pod already being deleted: count it as gone.
      this.deletePod(pod);
      return;
    }
    const ref = controllerOf(pod);
    if (ref) {
      const rs = this.resolve(pod.metadata.namespace, ref);
      if (!rs) return;
      this.expectations.creationObserved(keyOf(rs));
      this.enqueue(keyOf(rs));
      return;
    }
    for (const rs of this.replicaSetsFor(pod)) this.enqueue(keyOf(rs));
  }

  private updatePod(old: KObject, cur: KObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      // Graceful deletion: the pod is as good as gone; wake the owner now rather than when it disappears.
      this.deletePod(cur);
      if (labelsChanged) this.deletePod(old);
      return;
    }
    const curRef = controllerOf(cur);
    const oldRef = controllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const rs = this.resolve(old.metadata.namespace, oldRef);
      if (rs) this.enqueue(keyOf(rs));
    }
    if (curRef) {
      const rs = this.resolve(cur.metadata.namespace, curRef);
      if (rs) this.enqueue(keyOf(rs));
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.replicaSetsFor(cur)) this.enqueue(keyOf(rs));
  }

  private deletePod(pod: KObject): void {
    const ref = controllerOf(pod);
    if (!ref) return;
    const rs = this.resolve(pod.metadata.namespace, ref);
    if (!rs) return;
    this.expectations.deletionObserved(keyOf(rs), keyOf(pod));
    this.enqueue(keyOf(rs));
  }

  private async sync(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const cached = this.rsInformer.get(namespace, name);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    const rs = structuredClone(cached) as KObject & ReplicaSet;
    const needsSync = this.expectations.satisfied(key) && !rs.metadata.deletionTimestamp;
    let selector: LabelSelector;
    try {
      selector = selectorFromLabelSelector(rs.spec?.selector);
    } catch (e) {
      this.log(`replicaset ${key}: invalid selector`, e);
      return;
    }
    const active = this.podInformer.list(namespace).filter(isPodActive);
    const pods = await this.claimPods(rs, selector, active);
    let manageError: Error | undefined;
    if (needsSync) {
      try {
        await this.manageReplicas(key, rs, pods, active);
      } catch (e) {
        manageError = e instanceof Error ? e : new Error(String(e));
      }
    }
    const now = this.clock();
    const status = calculateStatus(rs, pods, manageError, now);
    await this.writeStatus(rs, status);
    if (!manageError) {
      const wait = nextAvailableIn(pods, rs.spec?.minReadySeconds ?? 0, now);
      if (wait !== undefined) this.queue.addAfter(key, wait + 1);
    }
    if (manageError) throw manageError;
  }

  /** Pods this ReplicaSet controls after adopting matching orphans and releasing what no longer matches. */
  private async claimPods(rs: KObject, selector: LabelSelector, pods: KObject[]): Promise<KObject[]> {
    const owned: KObject[] = [];
    const ref = controllerRef(rs, RS_API_VERSION, RS_KIND);
    let adoptable: Promise<void> | undefined;
    for (const pod of pods) {
      const action = claimAction(pod, rs, matches(selector, pod.metadata.labels));
      if (action === 'own') owned.push(pod);
      else if (action === 'adopt') {
        // Recheck with a fresh read that this very ReplicaSet still exists and is not going away.
        adoptable ??= this.canAdopt(rs);
        await adoptable;
        try {
          owned.push(await this.client.patch(R.pods, pod.metadata.namespace, pod.metadata.name!, 'strategic', adoptPatch(pod, ref)));
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      } else if (action === 'release') {
        try {
          await this.client.patch(R.pods, pod.metadata.namespace, pod.metadata.name!, 'strategic', releasePatch(pod, rs.metadata.uid!));
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
    }
    return owned;
  }

  private async canAdopt(rs: KObject): Promise<void> {
    const fresh = await this.client.get(R.replicasets, rs.metadata.namespace, rs.metadata.name!);
    if (fresh.metadata.uid !== rs.metadata.uid) {
      throw new Error(`original ${rs.metadata.namespace}/${rs.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${rs.metadata.uid}`);
    }
    if (fresh.metadata.deletionTimestamp) {
      throw new Error(`${rs.metadata.namespace}/${rs.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    }
  }

  private async manageReplicas(key: string, rs: KObject & ReplicaSet, pods: KObject[], active: KObject[]): Promise<void> {
    const want = rs.spec?.replicas ?? 1;
    const diff = pods.length - want;
    if (diff < 0) {
      const n = Math.min(-diff, BURST_REPLICAS);
      // Expect the creates before making them: their informer events may arrive before the calls return.
      this.expectations.expectCreations(key, n);
      const ref = controllerRef(rs, RS_API_VERSION, RS_KIND);
      const { successes, error } = await slowStartBatch(n, 1, () => this.createPod(rs, ref));
      // Creates never attempted (a batch failed first) will never be observed either.
      for (let i = successes; i < n; i++) this.expectations.creationObserved(key);
      if (error) throw error;
    } else if (diff > 0) {
      const n = Math.min(diff, BURST_REPLICAS);
      const victims = podsToDelete(pods, this.relatedPods(rs, active), n, this.clock());
      this.expectations.expectDeletions(key, victims.map(keyOf));
      const results = await Promise.allSettled(victims.map((pod) => this.deleteOwnedPod(key, rs, pod)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  /** Active pods of this ReplicaSet and of its siblings (ReplicaSets with the same controller): who shares a node. */
  private relatedPods(rs: KObject, active: KObject[]): KObject[] {
    const owner = controllerOf(rs);
    const family = new Set([rs.metadata.uid]);
    if (owner) {
      for (const other of this.rsInformer.list(rs.metadata.namespace ?? '')) if (controllerOf(other)?.uid === owner.uid) family.add(other.metadata.uid);
    }
    return active.filter((p) => family.has(controllerOf(p)?.uid));
  }

  private async createPod(rs: KObject & ReplicaSet, ref: OwnerReference): Promise<void> {
    const template = rs.spec?.template ?? {};
    if (!Object.keys(template.metadata?.labels ?? {}).length) throw new Error('unable to create pods, no labels');
    const pod = podFromTemplate(template as Parameters<typeof podFromTemplate>[0], ref, rs.metadata.name!);
    try {
      const created = await this.client.create(R.pods, rs.metadata.namespace, pod);
      this.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    } catch (e) {
      // Creates into a namespace being deleted fail by design: not an error of this ReplicaSet.
      if (isNamespaceTerminating(e)) return;
      this.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${message(e)}`);
      throw e;
    }
  }

  private async deleteOwnedPod(key: string, rs: KObject, pod: KObject): Promise<void> {
    try {
      await this.client.delete(R.pods, pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
      this.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    } catch (e) {
      // The informer will not report a deletion that did not happen.
      this.expectations.deletionObserved(key, keyOf(pod));
      if (isNotFound(e)) return;
      this.recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${message(e)}`);
      throw new Error(`unable to delete pods: ${message(e)}`);
    }
  }

  private async writeStatus(rs: KObject & ReplicaSet, status: NonNullable<ReplicaSet['status']>): Promise<void> {
    if (statusUpToDate(rs, status)) return;
    status.observedGeneration = rs.metadata.generation;
    let target: KObject = rs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.updateStatus(R.replicasets, { ...target, status });
        return;
      } catch (e) {
        if (!isConflict(e) || attempt >= 1) throw e;
        target = await this.client.get(R.replicasets, rs.metadata.namespace, rs.metadata.name!);
      }
    }
  }
}

