// The parts of a deployment sync shared by every strategy (Kubernetes'
// sync.go): finding or creating the new ReplicaSet and keeping revisions in
// step, proportional scaling when replicas change mid-rollout or while
// paused, history cleanup, the paused conditions and the status.

import type { DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import { R } from '../../client/resources.ts';
import { controllerOf, controllerRef } from '../pods.ts';
import { isAlreadyExists, isNamespaceTerminating, isNotFound, message } from '../replicaset/api-errors.ts';
import { writeDeployment, type Ctx } from './context.ts';
import { computeHash, equalIgnoreHash, HASH_LABEL } from './hash.ts';
import {
  byRevision,
  bySizeNewer,
  bySizeOlder,
  desiredReplicasAnnotation,
  filterActive,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  getCondition,
  getProportion,
  hasProgressDeadline,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newCondition,
  newRSNewReplicas,
  REASON,
  REVISION_ANNOTATION,
  replicasAnnotationsNeedUpdate,
  rollbackTo,
  setCondition,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicas,
  sumActual,
  sumAvailable,
  sumReady,
  sumSpec,
  type D,
  type RS,
} from './util.ts';

/**
 * The new ReplicaSet (template equal to the deployment's) and all old ones,
 * with the new one's revision raised above every old one and the
 * deployment's revision following it. With `create`, a missing new
 * ReplicaSet is created.
 */
export async function getAllReplicaSetsAndSyncRevision(ctx: Ctx, d: D, rsList: RS[], create: boolean): Promise<{ newRS?: RS; oldRSs: RS[] }> {
  const oldRSs = findOldReplicaSets(d, rsList);
  const newRS = await getNewReplicaSet(ctx, d, rsList, oldRSs, create);
  return { newRS, oldRSs };
}

async function getNewReplicaSet(ctx: Ctx, d: D, rsList: RS[], oldRSs: RS[], create: boolean): Promise<RS | undefined> {
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = maxRevision(oldRSs) + 1;
  const now = ctx.clock();
  d.status ??= {};

  if (existing) {
    const rsCopy = structuredClone(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
    const minReadyChanged = (rsCopy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
    if (annotationsUpdated || minReadyChanged) {
      setMinReadySeconds(rsCopy, d.spec?.minReadySeconds ?? 0);
      return (await ctx.client.update(R.replicasets, rsCopy)) as RS;
    }
    let needsUpdate = setDeploymentRevision(d, rsCopy.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
    const revisionChanged = needsUpdate;
    if (hasProgressDeadline(d) && !getCondition(d.status.conditions, 'Progressing')) {
      setCondition(d.status, newCondition('Progressing', 'True', REASON.FoundNewRS, `Found new replica set "${rsCopy.metadata.name}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) await writeDeployment(ctx, d, revisionChanged);
    return rsCopy;
  }
  if (!create) return undefined;

  const template = structuredClone(d.spec!.template);
  const hash = computeHash(template as never, d.status.collisionCount);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
  const selector = structuredClone(d.spec!.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
  const newRS: RS = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      ownerReferences: [controllerRef(d, 'apps/v1', 'Deployment')],
      labels: { ...template.metadata.labels },
    },
    spec: { replicas: 0, selector, template },
  };
  setMinReadySeconds(newRS, d.spec?.minReadySeconds ?? 0);
  const count = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  newRS.spec!.replicas = count;
  setNewReplicaSetAnnotations(d, newRS, newRevision, false);

  let created: RS;
  let alreadyExists = false;
  try {
    created = (await ctx.client.create(R.replicasets, d.metadata.namespace, newRS)) as RS;
  } catch (e) {
    if (isAlreadyExists(e)) {
      alreadyExists = true;
      const rs = (await ctx.client.get(R.replicasets, d.metadata.namespace, newRS.metadata.name!)) as RS;
      // Ours with the same template: a stale cache, not a collision.
      if (controllerOf(rs)?.uid === d.metadata.uid && equalIgnoreHash(d.spec!.template as never, rs.spec?.template as never)) {
        created = rs;
      } else {
        // A hash collision: bump collisionCount so that the next sync hashes differently.
        d.status.collisionCount = (d.status.collisionCount ?? 0) + 1;
        await writeDeployment(ctx, d, false);
        throw e;
      }
    } else if (isNamespaceTerminating(e)) {
      throw e;
    } else {
      const msg = `Failed to create new replica set "${newRS.metadata.name}": ${message(e)}`;
      if (hasProgressDeadline(d)) {
        setCondition(d.status, newCondition('Progressing', 'False', REASON.FailedRSCreate, msg, now));
        await writeDeployment(ctx, d, false).catch(() => {});
      }
      ctx.recorder.event(d, 'Warning', REASON.FailedRSCreate, msg);
      throw e;
    }
  }
  if (!alreadyExists && count > 0) {
    ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} to ${count} from 0`);
  }
  const revisionChanged = setDeploymentRevision(d, String(newRevision));
  let needsUpdate = revisionChanged;
  if (!alreadyExists && hasProgressDeadline(d)) {
    setCondition(d.status, newCondition('Progressing', 'True', REASON.NewReplicaSet, `Created new replica set "${created.metadata.name}"`, now));
    needsUpdate = true;
  }
  if (needsUpdate) await writeDeployment(ctx, d, revisionChanged);
  return created;
}

function setMinReadySeconds(rs: RS, seconds: number): void {
  if (seconds) rs.spec!.minReadySeconds = seconds;
  else delete rs.spec!.minReadySeconds;
}

/**
 * Scales a deployment whose replicas changed without a template change (or
 * while paused): one active ReplicaSet takes the whole count; otherwise the
 * change is spread over the active ReplicaSets in proportion to their sizes,
 * larger first, leftovers to the largest.
 */
export async function scale(ctx: Ctx, d: D, newRS: RS | undefined, oldRSs: RS[]): Promise<void> {
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (specReplicas(activeOrLatest) === specReplicas(d)) return;
    await scaleReplicaSetAndRecordEvent(ctx, activeOrLatest, specReplicas(d), d);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of filterActive(oldRSs)) await scaleReplicaSetAndRecordEvent(ctx, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const all = filterActive([...oldRSs, newRS]);
  const allowed = specReplicas(d) > 0 ? specReplicas(d) + maxSurge(d) : 0;
  const toAdd = allowed - sumSpec(all);
  let operation = '';
  if (toAdd > 0) {
    all.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    all.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = new Map<string, number>();
  for (const rs of all) {
    if (toAdd !== 0) {
      const p = getProportion(rs, d, toAdd, added);
      sizes.set(rs.metadata.name!, specReplicas(rs) + p);
      added += p;
    } else sizes.set(rs.metadata.name!, specReplicas(rs));
  }
  for (let i = 0; i < all.length; i++) {
    const rs = all[i]!;
    if (i === 0 && toAdd !== 0) sizes.set(rs.metadata.name!, Math.max(0, sizes.get(rs.metadata.name!)! + toAdd - added));
    await scaleReplicaSet(ctx, rs, sizes.get(rs.metadata.name!)!, d, operation);
  }
}

export async function scaleReplicaSetAndRecordEvent(ctx: Ctx, rs: RS, newScale: number, d: D): Promise<{ scaled: boolean; rs: RS }> {
  if (specReplicas(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(ctx, rs, newScale, d, specReplicas(rs) < newScale ? 'up' : 'down');
}

/** Sets the ReplicaSet's size and the desired/max annotations; a ScalingReplicaSet event when the size moved. */
export async function scaleReplicaSet(ctx: Ctx, rs: RS, newScale: number, d: D, operation: string): Promise<{ scaled: boolean; rs: RS }> {
  const oldScale = specReplicas(rs);
  const sizeNeedsUpdate = oldScale !== newScale;
  const max = specReplicas(d) + maxSurge(d);
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, specReplicas(d), max)) return { scaled: false, rs };
  const copy = structuredClone(rs);
  copy.spec!.replicas = newScale;
  setReplicasAnnotations(copy, specReplicas(d), max);
  const updated = (await ctx.client.update(R.replicasets, copy)) as RS;
  if (sizeNeedsUpdate) {
    ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${updated.metadata.name} to ${newScale} from ${oldScale}`);
  }
  return { scaled: sizeNeedsUpdate, rs: updated };
}

/** Deletes the oldest revisions beyond revisionHistoryLimit, only those scaled to zero with no pods left. */
export async function cleanupDeployment(ctx: Ctx, oldRSs: RS[], d: D): Promise<void> {
  const limit = d.spec?.revisionHistoryLimit;
  if (limit === undefined || limit === null) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
  const diff = cleanable.length - limit;
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i]!;
    if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    try {
      await ctx.client.delete(R.replicasets, rs.metadata.namespace, rs.metadata.name!, { preconditions: { uid: rs.metadata.uid } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/** The status the ReplicaSets say the deployment has, with the Available condition; other conditions carried over. */
export function calculateStatus(allRSs: (RS | undefined)[], newRS: RS | undefined, d: D, now: Date): DeploymentStatus {
  const available = sumAvailable(allRSs);
  const total = sumSpec(allRSs);
  const status: DeploymentStatus = {};
  const set = (k: 'observedGeneration' | 'replicas' | 'updatedReplicas' | 'readyReplicas' | 'availableReplicas' | 'unavailableReplicas' | 'collisionCount', v: number | undefined): void => {
    if (v) status[k] = v;
  };
  set('observedGeneration', d.metadata.generation);
  set('replicas', sumActual(allRSs));
  set('updatedReplicas', sumActual([newRS]));
  set('readyReplicas', sumReady(allRSs));
  set('availableReplicas', available);
  set('unavailableReplicas', Math.max(0, total - available));
  set('collisionCount', d.status?.collisionCount);
  if (d.status?.conditions?.length) status.conditions = structuredClone(d.status.conditions);
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', REASON.MinimumReplicasAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition('Available', 'False', REASON.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

export const sameStatus = (a: DeploymentStatus | undefined, b: DeploymentStatus): boolean => JSON.stringify(a ?? {}) === JSON.stringify(b);

export async function syncDeploymentStatus(ctx: Ctx, allRSs: (RS | undefined)[], newRS: RS | undefined, d: D): Promise<void> {
  const status = calculateStatus(allRSs, newRS, d, ctx.clock());
  if (sameStatus(d.status, status)) return;
  d.status = status;
  await writeDeployment(ctx, d, false);
}

/** Scaling or paused: size the ReplicaSets, clean history when paused, and report status without progress estimation. */
export async function syncScaleOnly(ctx: Ctx, d: D, rsList: RS[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  await scale(ctx, d, newRS, oldRSs);
  if (d.spec?.paused && rollbackTo(d) === undefined) await cleanupDeployment(ctx, oldRSs, d);
  await syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS, d);
}

export async function syncStatusOnly(ctx: Ctx, d: D, rsList: RS[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  await syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS, d);
}

/**
 * Marks Progressing Unknown (DeploymentPaused / DeploymentResumed) when the
 * deployment is paused or resumed, so that time spent paused never counts
 * against the progress deadline. A timed-out condition is left as is.
 */
export async function checkPausedConditions(ctx: Ctx, d: D): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  d.status ??= {};
  const cond = getCondition(d.status.conditions, 'Progressing');
  if (cond?.reason === REASON.TimedOut) return;
  const pausedCond = cond?.reason === REASON.Paused;
  const now = ctx.clock();
  if (d.spec?.paused && !pausedCond) setCondition(d.status, newCondition('Progressing', 'Unknown', REASON.Paused, 'Deployment is paused', now));
  else if (!d.spec?.paused && pausedCond) setCondition(d.status, newCondition('Progressing', 'Unknown', REASON.Resumed, 'Deployment is resumed', now));
  else return;
  await writeDeployment(ctx, d, false);
}

/** A scaling event: some active ReplicaSet was sized for a different replica count than the deployment's. */
export async function isScalingEvent(ctx: Ctx, d: D, rsList: RS[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  return filterActive([...oldRSs, newRS]).some((rs) => {
    const desired = desiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== specReplicas(d);
  });
}

