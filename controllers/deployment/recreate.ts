// The Recreate strategy (Kubernetes' recreate.go): scale every old
// ReplicaSet to zero, wait until none of their pods is left running, and
// only then create and scale up the new ReplicaSet.

import { controllerOf } from '../pods.ts';
import type { KObject } from '../../client/types.ts';
import type { Ctx } from './context.ts';
import { syncRolloutStatus } from './progress.ts';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent } from './sync.ts';
import { deploymentComplete, filterActive, specReplicas, sumActual, type D, type RS } from './util.ts';

export async function rolloutRecreate(ctx: Ctx, d: D, rsList: RS[], pods: KObject[]): Promise<void> {
  // No new ReplicaSet yet: creating it now would scale up before the old pods are gone.
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  let allRSs = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) if ((await scaleReplicaSetAndRecordEvent(ctx, rs, 0, d)).scaled) scaledDown = true;
  if (scaledDown) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (oldPodsRunning(newRS, oldRSs, pods)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  await scaleReplicaSetAndRecordEvent(ctx, newRS!, specReplicas(d), d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, allRSs, newRS, d);
}

/** Old ReplicaSets still report pods, or some pod of theirs is not finished (Unknown counts as running). */
export function oldPodsRunning(newRS: RS | undefined, oldRSs: RS[], pods: KObject[]): boolean {
  if (sumActual(oldRSs) > 0) return true;
  const old = new Set(oldRSs.map((rs) => rs.metadata.uid));
  return pods.some((p) => {
    const owner = controllerOf(p)?.uid;
    if (!owner || !old.has(owner) || owner === newRS?.metadata.uid) return false;
    const phase = (p.status as { phase?: string } | undefined)?.phase;
    return phase !== 'Failed' && phase !== 'Succeeded';
  });
}
