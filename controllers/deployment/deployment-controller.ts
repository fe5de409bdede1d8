// The Deployment controller (Kubernetes' pkg/controller/deployment): owns
// one ReplicaSet per pod template (named <deployment>-<pod-template-hash>)
// and moves replicas from old ReplicaSets to the new one by the strategy
// (rolling.ts, recreate.ts), scales proportionally when replicas change
// mid-rollout, keeps revision annotations and history, and reports status
// and the Progressing / Available conditions that `kubectl rollout status`
// reads. Handlers only find the deployment concerned and queue its key;
// sync(key) works from the informer caches and writes through the Client.

import { matches, selectorFromLabelSelector, type LabelSelector } from '../../api/selectors/label.ts';
import type { Informer, InformerFactory } from '../../client/informer.ts';
import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';
import { WorkQueue } from '../queue.ts';
import { adoptPatch, claimAction, controllerOf, controllerRef, ownersSelecting, releasePatch, resolveControllerRef, type OwnerReference } from '../pods.ts';
import { isNotFound } from '../replicaset/api-errors.ts';
import type { ControllerOptions } from '../replicaset/replicaset-controller.ts';
import { writeDeployment, type Ctx } from './context.ts';
import { rolloutRecreate } from './recreate.ts';
import { rollback } from './rollback.ts';
import { rolloutRolling } from './rolling.ts';
import { checkPausedConditions, isScalingEvent, syncScaleOnly, syncStatusOnly } from './sync.ts';
import { rollbackTo, type D, type RS } from './util.ts';

export type { ControllerOptions };

const keyOf = (obj: KObject): string => `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;

export class DeploymentController {
  private readonly dInformer: Informer;
  private readonly rsInformer: Informer;
  private readonly podInformer: Informer;
  private readonly queue: WorkQueue;
  private readonly ctx: Ctx;
  private started = false;
  private readonly pending = new Set<string>();

  constructor(
    private readonly client: Client,
    informers: InformerFactory,
    opts: ControllerOptions,
  ) {
    const log = opts.log ?? (() => {});
    this.queue = new WorkQueue((key) => this.sync(key), { workers: opts.workers ?? 2, onError: (k, e) => log(`deployment ${k}: sync failed`, e) });
    this.ctx = {
      client,
      recorder: opts.recorder,
      clock: opts.clock ?? (() => new Date()),
      log,
      requeueAfter: (d, ms) => {
        if (!this.started) return;
        if (ms <= 0) this.queue.addAfter(keyOf(d), 100);
        else this.queue.addAfter(keyOf(d), ms);
      },
    };
    this.dInformer = informers.for(R.deployments);
    this.rsInformer = informers.for(R.replicasets);
    this.podInformer = informers.for(R.pods);
    this.dInformer.addHandler({
      add: (d) => this.enqueue(keyOf(d)),
      update: (_old, cur) => this.enqueue(keyOf(cur)),
      delete: (d) => this.enqueue(keyOf(d)),
    });
    this.rsInformer.addHandler({
      add: (rs) => this.addReplicaSet(rs),
      update: (old, cur) => this.updateReplicaSet(old, cur),
      delete: (rs) => this.deleteReplicaSet(rs),
    });
    this.podInformer.addHandler({ delete: (pod) => this.deletePod(pod) });
  }

  /** Waits for the first lists of deployments, ReplicaSets and pods, then starts working. */
  async start(): Promise<void> {
    await Promise.all([this.dInformer.start(), this.rsInformer.start(), this.podInformer.start()]);
    this.started = true;
    for (const key of this.pending) this.queue.add(key);
    this.pending.clear();
  }

  stop(): void {
    this.started = false;
    this.queue.stop();
  }

  /** Resolves when no sync is queued or running (tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Queues every deployment again (a periodic resync; tests call it after moving their clock). */
  resync(): void {
    for (const d of this.dInformer.list()) this.enqueue(keyOf(d));
  }

  private enqueue(key: string): void {
    if (this.started) this.queue.add(key);
    else this.pending.add(key);
  }

  private resolve(namespace: string | undefined, ref: OwnerReference): KObject | undefined {
    return resolveControllerRef(this.dInformer, 'Deployment', namespace, ref);
  }

  /** Deployments whose selector matches an orphan ReplicaSet's labels. */
  private deploymentsFor(rs: KObject): KObject[] {
    return ownersSelecting(this.dInformer, rs);
  }

  private addReplicaSet(rs: KObject): void {
    if (rs.metadata.deletionTimestamp) {
      this.deleteReplicaSet(rs);
      return;
    }
    const ref = controllerOf(rs);
    if (ref) {
      const d = this.resolve(rs.metadata.namespace, ref);
      if (d) this.enqueue(keyOf(d));
      return;
    }
    for (const d of this.deploymentsFor(rs)) this.enqueue(keyOf(d));
  }

  private updateReplicaSet(old: KObject, cur: KObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const curRef = controllerOf(cur);
    const oldRef = controllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const d = this.resolve(old.metadata.namespace, oldRef);
      if (d) this.enqueue(keyOf(d));
    }
    if (curRef) {
      const d = this.resolve(cur.metadata.namespace, curRef);
      if (d) this.enqueue(keyOf(d));
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const d of this.deploymentsFor(cur)) this.enqueue(keyOf(d));
  }

  private deleteReplicaSet(rs: KObject): void {
    const ref = controllerOf(rs);
    if (!ref) return;
    const d = this.resolve(rs.metadata.namespace, ref);
    if (d) this.enqueue(keyOf(d));
  }

  /** Recreate waits for old pods to be gone: a pod deletion may be what it waits for. */
  private deletePod(pod: KObject): void {
    const rsRef = controllerOf(pod);
    if (!rsRef || rsRef.kind !== 'ReplicaSet') return;
    const rs = this.rsInformer.get(pod.metadata.namespace, rsRef.name);
    if (!rs || rs.metadata.uid !== rsRef.uid) return;
    const dRef = controllerOf(rs);
    const d = dRef && this.resolve(rs.metadata.namespace, dRef);
    if (d && (d as D).spec?.strategy?.type === 'Recreate') this.enqueue(keyOf(d));
  }

  private async sync(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const cached = this.dInformer.get(namespace, key.slice(slash + 1));
    if (!cached) return;
    const d = structuredClone(cached) as D;
    let selector: LabelSelector;
    try {
      selector = selectorFromLabelSelector(d.spec?.selector);
    } catch (e) {
      this.ctx.log(`deployment ${key}: invalid selector`, e);
      return;
    }
    if (selector.requirements.length === 0 && !selector.matchesNothing) {
      this.ctx.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { ...(d.status ?? {}), observedGeneration: d.metadata.generation };
        await writeDeployment(this.ctx, d, false);
      }
      return;
    }
    const rsList = await this.claimReplicaSets(d, selector);
    if (d.metadata.deletionTimestamp) return syncStatusOnly(this.ctx, d, rsList);
    await checkPausedConditions(this.ctx, d);
    if (d.spec?.paused) return syncScaleOnly(this.ctx, d, rsList);
    // Not re-entrant: the ReplicaSets' revisions move in the same pass, so nothing else runs until the request is cleared.
    if (rollbackTo(d) !== undefined) return rollback(this.ctx, d, rsList);
    if (await isScalingEvent(this.ctx, d, rsList)) return syncScaleOnly(this.ctx, d, rsList);
    if (d.spec?.strategy?.type === 'Recreate') {
      const pods = this.podInformer.list(namespace).filter((p) => matches(selector, p.metadata.labels));
      return rolloutRecreate(this.ctx, d, rsList, pods);
    }
    return rolloutRolling(this.ctx, d, rsList);
  }

  /** ReplicaSets this deployment controls, after adopting matching orphans and releasing what stopped matching. */
  private async claimReplicaSets(d: D, selector: LabelSelector): Promise<RS[]> {
    const owned: RS[] = [];
    const ref = controllerRef(d, 'apps/v1', 'Deployment');
    let adoptable: Promise<void> | undefined;
    for (const rs of this.rsInformer.list(d.metadata.namespace ?? '')) {
      const action = claimAction(rs, d, matches(selector, rs.metadata.labels));
      if (action === 'own') owned.push(structuredClone(rs) as RS);
      else if (action === 'adopt') {
        adoptable ??= this.canAdopt(d);
        await adoptable;
        try {
          owned.push((await this.client.patch(R.replicasets, rs.metadata.namespace, rs.metadata.name!, 'strategic', adoptPatch(rs, ref))) as RS);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      } else if (action === 'release') {
        try {
          await this.client.patch(R.replicasets, rs.metadata.namespace, rs.metadata.name!, 'strategic', releasePatch(rs, d.metadata.uid!));
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
    }
    return owned;
  }

  private async canAdopt(d: D): Promise<void> {
    const fresh = await this.client.get(R.deployments, d.metadata.namespace, d.metadata.name!);
    if (fresh.metadata.uid !== d.metadata.uid) {
      throw new Error(`original Deployment ${d.metadata.namespace}/${d.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${d.metadata.uid}`);
    }
    if (fresh.metadata.deletionTimestamp) {
      throw new Error(`${d.metadata.namespace}/${d.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    }
  }
}
