// Deployment helpers, as Kubernetes' pkg/controller/deployment/util has them:
// annotations, conditions, the maxSurge/maxUnavailable fenceposts,
// new/old ReplicaSet lookup, replica counts, proportional scaling and the
// progress checks. Pure functions over plain objects.

import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet, ReplicaSetCondition } from 'kubernetes-types/apps/v1.js';
import type { KObject } from '../../client/types.ts';
import { equalIgnoreHash } from './hash.ts';
import { rfc3339 } from '../../api/time.ts';

export type D = KObject & Deployment;
export type RS = KObject & ReplicaSet;

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** The revision-history annotation stops growing at this length. */
export const MAX_REV_HISTORY_CHARS = 2000;

// Condition reasons (deployment_util.go).
export const REASON = {
  NewReplicaSet: 'NewReplicaSetCreated',
  FoundNewRS: 'FoundNewReplicaSet',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  NewRSAvailable: 'NewReplicaSetAvailable',
  TimedOut: 'ProgressDeadlineExceeded',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  FailedRSCreate: 'ReplicaSetCreateError',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

export const ANNOTATIONS_TO_SKIP = new Set([LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, DEPRECATED_ROLLBACK_TO]);

export function timestamp(d: Date): string {
  return rfc3339(d);
}

export const specReplicas = (o: { spec?: { replicas?: number } }): number => o.spec?.replicas ?? 1;
export const isRollingUpdate = (d: D): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
export const hasProgressDeadline = (d: D): boolean => d.spec?.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== 2147483647;

/** Go's math.Round: halves away from zero. */
export const goRound = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/** intstr.GetScaledValueFromIntOrPercent: an int as is, "25%" of total rounded up or down. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid value "${v}": must be an integer or percentage (e.g '5%')`);
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/**
 * ResolveFenceposts: maxSurge rounds up, maxUnavailable rounds down, and if
 * both come out 0 maxUnavailable becomes 1 (surge may be blocked by quota, so
 * the rollout must be able to move somehow). With 10 replicas and 25%/25%:
 * surge ceil(2.5) = 3, unavailable floor(2.5) = 2.
 */
export function resolveFenceposts(d: D): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate;
  const desired = specReplicas(d);
  const surge = scaledValue(ru?.maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(ru?.maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: D): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).surge : 0;
}

export function maxUnavailable(d: D): number {
  if (!isRollingUpdate(d) || specReplicas(d) === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, specReplicas(d));
}

// Conditions.

export function getCondition<C extends { type: string }>(conds: C[] | undefined, type: string): C | undefined {
  return conds?.find((c) => c.type === type);
}

export function newCondition(type: string, status: string, reason: string, message: string, now: Date): DeploymentCondition {
  const ts = timestamp(now);
  return { type, status, lastUpdateTime: ts, lastTransitionTime: ts, reason, message };
}

/** Adds or replaces the condition; the same status and reason leaves it alone, the same status keeps its transition time. */
export function setCondition(status: DeploymentStatus, cond: DeploymentCondition): void {
  const cur = getCondition(status.conditions, cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  if (cur && cur.status === cond.status) cond.lastTransitionTime = cur.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), cond];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((c) => c.type !== type);
  if (rest.length) status.conditions = rest;
  else delete status.conditions;
}

export function replicaSetToDeploymentCondition(c: ReplicaSetCondition): DeploymentCondition {
  return { type: c.type, status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
}

// Ordering.

const created = (rs: RS): number => (rs.metadata.creationTimestamp ? Date.parse(rs.metadata.creationTimestamp) : 0);

/** ReplicaSetsByCreationTimestamp: older first, then by name. */
export function byCreation(a: RS, b: RS): number {
  const d = created(a) - created(b);
  return d !== 0 ? d : (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
}

export function revisionOf(o: KObject): number {
  const v = o.metadata.annotations?.[REVISION_ANNOTATION];
  const n = v === undefined ? 0 : Number(v);
  return Number.isInteger(n) ? n : 0;
}

export const byRevision = (a: RS, b: RS): number => revisionOf(a) - revisionOf(b) || byCreation(a, b);
/** Larger first; of equal size the newer first (where to add replicas). */
export const bySizeNewer = (a: RS, b: RS): number => specReplicas(b) - specReplicas(a) || byCreation(b, a);
/** Larger first; of equal size the older first (where to remove replicas). */
export const bySizeOlder = (a: RS, b: RS): number => specReplicas(b) - specReplicas(a) || byCreation(a, b);

// New and old ReplicaSets.

/** The oldest ReplicaSet whose template is the deployment's. */
export function findNewReplicaSet(d: D, rsList: RS[]): RS | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template as never, d.spec?.template as never));
}

export function findOldReplicaSets(d: D, rsList: RS[]): RS[] {
  const n = findNewReplicaSet(d, rsList);
  return rsList.filter((rs) => !n || rs.metadata.uid !== n.metadata.uid);
}

export const filterActive = (list: (RS | undefined)[]): RS[] => list.filter((rs): rs is RS => !!rs && specReplicas(rs) > 0);

export const sumSpec = (list: (RS | undefined)[]): number => list.reduce((n, rs) => n + (rs ? specReplicas(rs) : 0), 0);
export const sumActual = (list: (RS | undefined)[]): number => list.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
export const sumReady = (list: (RS | undefined)[]): number => list.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
export const sumAvailable = (list: (RS | undefined)[]): number => list.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);

export function maxRevision(list: RS[]): number {
  return list.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** The only active ReplicaSet, or the newest when none is active; undefined when several are active. */
export function findActiveOrLatest(newRS: RS | undefined, oldRSs: RS[]): RS | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const olds = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = filterActive([...olds, newRS]);
  if (active.length === 0) return newRS ?? olds[0];
  return active.length === 1 ? active[0] : undefined;
}

// Annotations.

function intAnnotation(rs: RS, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

export const desiredReplicasAnnotation = (rs: RS): number | undefined => intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);

export function setReplicasAnnotations(rs: RS, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    changed = true;
  }
  if (a[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    a[MAX_REPLICAS_ANNOTATION] = String(max);
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: RS, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/**
 * SetNewReplicaSetAnnotations: copy the deployment's own annotations (not the
 * bookkeeping ones), raise the revision to newRevision if it is lower, and
 * when an existing revision is raised (a rollback to this template) remember
 * the old one in revision-history.
 */
export function setNewReplicaSetAnnotations(d: D, rs: RS, newRevision: number, exists: boolean): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (ANNOTATIONS_TO_SKIP.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const oldRevision = a[REVISION_ANNOTATION];
  let oldInt = 0;
  if (oldRevision !== undefined && oldRevision !== '') {
    oldInt = Number(oldRevision);
    if (!Number.isInteger(oldInt)) return false;
  }
  if (oldInt < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (oldRevision !== undefined) {
      const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
      if (history === '') a[REVISION_HISTORY_ANNOTATION] = oldRevision;
      else {
        const old = history.split(',');
        let total = history.length + oldRevision.length + 1;
        let start = 0;
        while (total > MAX_REV_HISTORY_CHARS && start < old.length) total -= old[start++]!.length + 1;
        if (total <= MAX_REV_HISTORY_CHARS) a[REVISION_HISTORY_ANNOTATION] = [...old.slice(start), oldRevision].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, specReplicas(d), specReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

/** The revision deprecated.deployment.rollback.to asks for (0: the previous one), or undefined when there is no valid request. */
export function rollbackTo(d: D): number | undefined {
  const v = d.metadata.annotations?.[DEPRECATED_ROLLBACK_TO];
  if (!v) return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

export function setDeploymentRevision(d: D, revision: string): boolean {
  const a = (d.metadata.annotations ??= {});
  if (a[REVISION_ANNOTATION] === revision) return false;
  a[REVISION_ANNOTATION] = revision;
  return true;
}

// Scaling maths.

/**
 * NewRSNewReplicas: how big the new ReplicaSet may be now. Recreate: the
 * full size. RollingUpdate: up to replicas+maxSurge pods in total, never more
 * than replicas in the new ReplicaSet. Example: replicas 10, maxSurge 3, old
 * RS 10 and new RS 0: 13 - 10 = 3, so the new RS goes to 3.
 */
export function newRSNewReplicas(d: D, allRSs: (RS | undefined)[], newRS: RS): number {
  if (!isRollingUpdate(d)) return specReplicas(d);
  const surge = scaledValue(d.spec?.strategy?.rollingUpdate?.maxSurge ?? 0, specReplicas(d), true);
  const current = sumSpec(allRSs);
  const maxTotal = specReplicas(d) + surge;
  if (current >= maxTotal) return specReplicas(newRS);
  const up = Math.min(maxTotal - current, specReplicas(d) - specReplicas(newRS));
  return specReplicas(newRS) + up;
}

/** The new ReplicaSet holds, and has available, every replica the deployment wants, and both agree on it. */
export function isSaturated(d: D, rs: RS | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  return specReplicas(rs) === specReplicas(d) && desired === specReplicas(d) && (rs.status?.availableReplicas ?? 0) === specReplicas(d);
}

/**
 * GetProportion: this ReplicaSet's share of a scaling event during a
 * rollout, in proportion to its size against the deployment's size before
 * the event (the max-replicas annotation). Example: replicas 10 → 15 with
 * maxSurge 3 while old RS has 8 and new RS 5 (max-replicas 13): the target
 * is 18, 5 to add; old gets round(8*18/13)-8 = 3, new min(round(5*18/13)-5, 2) = 2.
 */
export function getProportion(rs: RS, d: D, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: RS, d: D): number {
  if (specReplicas(d) === 0) return -specReplicas(rs);
  const deploymentMax = specReplicas(d) + maxSurge(d);
  let before = intAnnotation(rs, MAX_REPLICAS_ANNOTATION);
  if (!before) {
    before = d.status?.replicas ?? 0;
    if (before === 0) before = specReplicas(rs);
  }
  return goRound((specReplicas(rs) * deploymentMax) / before) - specReplicas(rs);
}

// Progress.

/** Every desired replica is updated and available, no old one is left, and the spec was observed. */
export function deploymentComplete(d: D, s: DeploymentStatus): boolean {
  const n = specReplicas(d);
  return (s.updatedReplicas ?? 0) === n && (s.replicas ?? 0) === n && (s.availableReplicas ?? 0) === n && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** New pods were added or became ready or available, or old pods went away, since the last status. */
export function deploymentProgressing(d: D, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** The Progressing condition was last updated more than progressDeadlineSeconds ago (or already says so). */
export function deploymentTimedOut(d: D, s: DeploymentStatus, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getCondition(s.conditions, 'Progressing');
  if (!cond) return false;
  if (cond.reason === REASON.NewRSAvailable) return false;
  if (cond.reason === REASON.TimedOut) return true;
  const from = Date.parse(cond.lastUpdateTime ?? '');
  return Number.isFinite(from) && from + d.spec!.progressDeadlineSeconds! * 1000 < now.getTime();
}
