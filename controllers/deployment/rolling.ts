// The RollingUpdate strategy (Kubernetes' rolling.go): scale the new
// ReplicaSet up within maxSurge, scale old ones down within maxUnavailable,
// one step per sync; every step is driven by ReplicaSet status changes.

import type { Ctx } from './context.ts';
import { syncRolloutStatus } from './progress.ts';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent } from './sync.ts';
import { byCreation, deploymentComplete, filterActive, maxUnavailable, newRSNewReplicas, specReplicas, sumAvailable, sumSpec, type D, type RS } from './util.ts';

export async function rolloutRolling(ctx: Ctx, d: D, rsList: RS[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true);
  const allRSs = [...oldRSs, newRS!];
  if (await reconcileNewReplicaSet(ctx, allRSs, newRS!, d)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (await reconcileOldReplicaSets(ctx, allRSs, filterActive(oldRSs), newRS!, d)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, allRSs, newRS, d);
}

async function reconcileNewReplicaSet(ctx: Ctx, allRSs: RS[], newRS: RS, d: D): Promise<boolean> {
  if (specReplicas(newRS) === specReplicas(d)) return false;
  if (specReplicas(newRS) > specReplicas(d)) return (await scaleReplicaSetAndRecordEvent(ctx, newRS, specReplicas(d), d)).scaled;
  return (await scaleReplicaSetAndRecordEvent(ctx, newRS, newRSNewReplicas(d, allRSs, newRS), d)).scaled;
}

/**
 * How far old ReplicaSets may shrink:
 *   maxScaledDown = allPods - minAvailable - newRSUnavailable
 * counting the new ReplicaSet's unavailable pods, so that a broken new
 * template never lets old pods go. Example: replicas 10, maxUnavailable 2,
 * maxSurge 3; old 10 and new 3 with none of the new available: 13 - 8 - 3 = 2,
 * so two old pods may go. Were the old pods unhealthy, those are removed
 * first (they add no unavailability).
 */
async function reconcileOldReplicaSets(ctx: Ctx, allRSs: RS[], oldRSs: RS[], newRS: RS, d: D): Promise<boolean> {
  if (sumSpec(oldRSs) === 0) return false;
  const allPods = sumSpec(allRSs);
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const { oldRSs: cleaned, count: cleanupCount } = await cleanupUnhealthyReplicas(ctx, oldRSs, d, maxScaledDown);
  const scaledDown = await scaleDownOldReplicaSets(ctx, [...cleaned, newRS], cleaned, d);
  return cleanupCount + scaledDown > 0;
}

/** Shrinks old ReplicaSets by their unavailable pods (the ReplicaSet deletes those first), oldest first. */
async function cleanupUnhealthyReplicas(ctx: Ctx, oldRSs: RS[], d: D, maxCleanup: number): Promise<{ oldRSs: RS[]; count: number }> {
  const sorted = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (total >= maxCleanup) break;
    const rs = sorted[i]!;
    const available = rs.status?.availableReplicas ?? 0;
    if (specReplicas(rs) === 0 || specReplicas(rs) === available) continue;
    const n = Math.min(maxCleanup - total, specReplicas(rs) - available);
    const res = await scaleReplicaSetAndRecordEvent(ctx, rs, specReplicas(rs) - n, d);
    total += n;
    sorted[i] = res.rs;
  }
  return { oldRSs: sorted, count: total };
}

/** Shrinks old ReplicaSets, oldest first, by as many pods as are available beyond minAvailable. */
async function scaleDownOldReplicaSets(ctx: Ctx, allRSs: RS[], oldRSs: RS[], d: D): Promise<number> {
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const available = sumAvailable(allRSs);
  if (available <= minAvailable) return 0;
  const target = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= target) break;
    if (specReplicas(rs) === 0) continue;
    const n = Math.min(specReplicas(rs), target - total);
    await scaleReplicaSetAndRecordEvent(ctx, rs, specReplicas(rs) - n, d);
    total += n;
  }
  return total;
}
