// Rollout status with progress estimation (Kubernetes' progress.go): the
// Progressing condition says NewReplicaSetAvailable once the rollout is
// complete, ReplicaSetUpdated (with a fresh lastUpdateTime) whenever pods
// moved forward, and ProgressDeadlineExceeded when nothing moved for
// progressDeadlineSeconds; a stuck rollout is looked at again when its
// deadline falls due. ReplicaFailure of the ReplicaSets is carried over.

import type { DeploymentCondition, DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import { writeDeployment, type Ctx } from './context.ts';
import { calculateStatus, sameStatus } from './sync.ts';
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  hasProgressDeadline,
  newCondition,
  REASON,
  removeCondition,
  replicaSetToDeploymentCondition,
  setCondition,
  type D,
  type RS,
} from './util.ts';

export async function syncRolloutStatus(ctx: Ctx, allRSs: (RS | undefined)[], newRS: RS | undefined, d: D): Promise<void> {
  const now = ctx.clock();
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(d.status?.conditions, 'Progressing');
  const isCompleteDeployment = status.replicas === status.updatedReplicas && current?.reason === REASON.NewRSAvailable;
  if (hasProgressDeadline(d) && !isCompleteDeployment) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition('Progressing', 'True', REASON.NewRSAvailable, `${subject} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      // Progress moves lastUpdateTime even with the same reason; lastTransitionTime stays while the status stays True.
      const cond = newCondition('Progressing', 'True', REASON.ReplicaSetUpdated, `${subject} is progressing.`, now);
      if (current) {
        if (current.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, 'Progressing');
      }
      setCondition(status, cond);
    } else if (deploymentTimedOut(d, status, now)) {
      setCondition(status, newCondition('Progressing', 'False', REASON.TimedOut, `${subject} has timed out progressing.`, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, failure);
  else removeCondition(status, 'ReplicaFailure');

  if (sameStatus(d.status, status)) {
    requeueStuckDeployment(ctx, d, status);
    return;
  }
  d.status = status;
  await writeDeployment(ctx, d, false);
}

/** The new ReplicaSet's ReplicaFailure condition, else the first old one's. */
function replicaFailure(allRSs: (RS | undefined)[], newRS: RS | undefined): DeploymentCondition | undefined {
  for (const rs of [newRS, ...allRSs]) {
    const c = getCondition(rs?.status?.conditions, 'ReplicaFailure');
    if (c) return replicaSetToDeploymentCondition(c);
  }
  return undefined;
}

/**
 * A rollout with no progress is looked at again when its deadline falls due:
 * Progressing last updated at 00:00:00, now 00:03:00, deadline 600s → in
 * 7 minutes (plus a second, against timer skew). Returns the delay in ms,
 * or -1 when there is nothing to watch for.
 */
export function requeueStuckDeployment(ctx: Ctx, d: D, status: DeploymentStatus): number {
  const cond = getCondition(d.status?.conditions, 'Progressing');
  if (!hasProgressDeadline(d) || !cond) return -1;
  if (deploymentComplete(d, status) || cond.reason === REASON.TimedOut) return -1;
  const after = Date.parse(cond.lastUpdateTime ?? '') + d.spec!.progressDeadlineSeconds! * 1000 - ctx.clock().getTime();
  if (!(after >= 1000)) {
    ctx.requeueAfter(d, 0);
    return 0;
  }
  ctx.requeueAfter(d, after + 1000);
  return after;
}
