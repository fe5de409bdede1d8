// An owner being deleted in the foreground (finalizer foregroundDeletion):
// its dependents are deleted (each one's attemptToDelete sees it waiting),
// and once none that blocks it (blockOwnerDeletion: true) is left, the
// finalizer is removed and the registry removes the owner. Dependents that
// do not block may outlive it by a moment; they are then dangling and go.
//
// Nothing here waits: each blocking dependent's removal (or its reference
// to the owner going away or no longer blocking) is a graph change that
// queues the owner again. Two objects that block each other and are both
// deleted in the foreground by a user wait for each other forever, as
// upstream; the collector itself breaks such cycles before it deletes (see
// attempt-to-delete.ts).

import type { SyncContext } from './context.ts';
import { FOREGROUND } from './finalizers.ts';
import type { GraphNode } from './graph.ts';
import { removeFinalizer } from './writes.ts';

export async function processDeletingDependents(ctx: SyncContext, owner: GraphNode): Promise<void> {
  const blocking = ctx.graph.blockingDependentsOf(owner.uid);
  if (blocking.length === 0) {
    await removeFinalizer(ctx.registry, owner, FOREGROUND);
    return;
  }
  // A dependent deleting its own dependents is on its way; queueing it from
  // here would make two owners in a cycle queue each other forever.
  for (const dependent of blocking) if (!dependent.deletingDependents) ctx.enqueue(dependent.uid);
}
