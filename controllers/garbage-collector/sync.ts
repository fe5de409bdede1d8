// One idempotent pass over one object, by uid. The graph says where the
// object lives; what to do is decided from the object as the registry holds
// it now, so a pass repeated, or run after a restart, does the same thing.

import type { SyncContext } from './context.ts';
import { attemptToDelete } from './attempt-to-delete.ts';
import { FOREGROUND, ORPHAN } from './finalizers.ts';
import { processDeletingDependents } from './foreground.ts';
import { orphanDependents } from './orphan.ts';
import { read } from './writes.ts';

export async function syncObject(ctx: SyncContext, uid: string): Promise<void> {
  const node = ctx.graph.get(uid);
  if (!node) return; // gone: its removal already queued its dependents
  const live = await read(ctx.registry, node.resource, node.namespace, node.name);
  if (!live || live.metadata.uid !== uid) return; // gone or replaced: the watch will say so
  if (!live.metadata.deletionTimestamp) {
    await attemptToDelete(ctx, node, live);
    return;
  }
  const finalizers = live.metadata.finalizers ?? [];
  if (finalizers.includes(ORPHAN)) await orphanDependents(ctx, node);
  if (finalizers.includes(FOREGROUND)) await processDeletingDependents(ctx, node);
}
