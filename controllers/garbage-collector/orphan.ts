// An owner being deleted with the orphan finalizer: every dependent loses
// its owner reference to it, then the finalizer is removed and the registry
// removes the owner. Dependents come from the graph; one that fails to be
// updated fails the sync (retried with back-off) after the others are done,
// and the finalizer stays until all are.

import type { SyncContext } from './context.ts';
import { ORPHAN } from './finalizers.ts';
import type { GraphNode } from './graph.ts';
import { removeFinalizer, removeOwnerReferences } from './writes.ts';

export async function orphanDependents(ctx: SyncContext, owner: GraphNode): Promise<void> {
  const owners = new Set([owner.uid]);
  const failures: unknown[] = [];
  for (const dependent of ctx.graph.dependentsOf(owner.uid)) {
    try {
      await removeOwnerReferences(ctx.registry, dependent, owners);
    } catch (e) {
      failures.push(e);
    }
  }
  if (failures.length) throw new AggregateError(failures, `orphaning ${failures.length} dependent(s) of ${owner.name} failed`);
  await removeFinalizer(ctx.registry, owner, ORPHAN);
}
