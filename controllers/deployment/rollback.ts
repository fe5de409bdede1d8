// Rollback through the deprecated.deployment.rollback.to annotation
// (Kubernetes' rollback.go): what the old extensions/v1beta1 rollback
// subresource and older clients set. kubectl 1.27+ rolls back on the client
// instead, by patching the old template in, which needs nothing here. The
// deployment's template is replaced by the template of the ReplicaSet with
// that revision (0: the previous one), and the annotation is cleared.

import { R } from '../../client/resources.ts';
import type { Ctx } from './context.ts';
import { HASH_LABEL, equalIgnoreHash } from './hash.ts';
import { getAllReplicaSetsAndSyncRevision } from './sync.ts';
import { ANNOTATIONS_TO_SKIP, DEPRECATED_ROLLBACK_TO, revisionOf, rollbackTo, type D, type RS } from './util.ts';

/** The second highest revision: the one before the current. */
function lastRevision(all: (RS | undefined)[]): number {
  let max = 0;
  let second = 0;
  for (const rs of all) {
    if (!rs) continue;
    const v = revisionOf(rs);
    if (v >= max) {
      second = max;
      max = v;
    } else if (v > second) second = v;
  }
  return second;
}

export async function rollback(ctx: Ctx, d: D, rsList: RS[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true);
  const all = [...oldRSs, newRS];
  let revision = rollbackTo(d)!;
  if (revision === 0) {
    revision = lastRevision(all);
    if (revision === 0) {
      ctx.recorder.event(d, 'Warning', 'DeploymentRollbackRevisionNotFound', 'Unable to find last revision.');
      return updateAndClearRollbackTo(ctx, d);
    }
  }
  const target = all.find((rs) => rs && revisionOf(rs) === revision);
  if (!target) {
    ctx.recorder.event(d, 'Warning', 'DeploymentRollbackRevisionNotFound', 'Unable to find the revision to rollback to.');
    return updateAndClearRollbackTo(ctx, d);
  }
  if (equalIgnoreHash(d.spec?.template as never, target.spec?.template as never)) {
    ctx.recorder.event(d, 'Warning', 'DeploymentRollbackTemplateUnchanged', `The rollback revision contains the same template as current deployment "${d.metadata.name}"`);
    return updateAndClearRollbackTo(ctx, d);
  }
  // The template comes back without its hash label; the annotations the ReplicaSet carried come back too.
  const template = structuredClone(target.spec!.template!);
  if (template.metadata?.labels) delete template.metadata.labels[HASH_LABEL];
  d.spec!.template = template;
  const kept = Object.fromEntries(Object.entries(d.metadata.annotations ?? {}).filter(([k]) => ANNOTATIONS_TO_SKIP.has(k)));
  for (const [k, v] of Object.entries(target.metadata.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) kept[k] = v;
  d.metadata.annotations = kept;
  await updateAndClearRollbackTo(ctx, d);
  ctx.recorder.event(d, 'Normal', 'DeploymentRollback', `Rolled back deployment "${d.metadata.name}" to revision ${revision}`);
}

async function updateAndClearRollbackTo(ctx: Ctx, d: D): Promise<void> {
  delete d.metadata.annotations?.[DEPRECATED_ROLLBACK_TO];
  const updated = await ctx.client.update(R.deployments, d);
  d.metadata.resourceVersion = updated.metadata.resourceVersion;
}
