// An object that is not being deleted and has owner references: upstream's
// attemptToDeleteItem. Each owner is read from the registry (not the cache)
// and classified:
//
// - solid: it exists under the referenced uid and is not waiting for its
//   dependents;
// - dangling: there is no such object (never was, gone, another uid under
//   that name, or a namespaced owner named from a cluster-scoped object;
//   namespaced owners are looked up in the dependent's own namespace);
// - waiting: it exists and is being deleted in the foreground.
//
// With a solid owner the object stays, losing its references to dangling and
// waiting owners. Without one it is deleted: in the foreground when a waiting
// owner needs it gone and it has dependents of its own (so that its blocking
// dependents go first), else with the policy its own finalizers ask for.
//
// References to kinds Skiff does not serve count as solid: such an owner
// cannot be looked up, and deleting on a guess would lose data.

import { FOREGROUND, ORPHAN } from './finalizers.ts';
import type { SyncContext } from './context.ts';
import { isOwnerReference, type GraphNode, type OwnerReference } from './graph.ts';
import { ownerResource } from './resources.ts';
import { deleteObject, read, removeOwnerReferences, unblockOwnerReferences, type Propagation } from './writes.ts';
import type { KObject } from '../../apiserver/registry/object.ts';
type OwnerState = 'solid' | 'dangling' | 'waiting';

export async function attemptToDelete(ctx: SyncContext, node: GraphNode, live: KObject): Promise<void> {
  const refs = Array.isArray(live.metadata.ownerReferences) ? live.metadata.ownerReferences.filter(isOwnerReference) : [];
  if (refs.length === 0) return;
  let solid = 0;
  const notSolid = new Set<string>();
  let waiting = 0;
  for (const ref of refs) {
    const state = await ownerState(ctx, ref, node.namespace, node.resource.namespaced);
    if (state === 'solid') solid++;
    else notSolid.add(ref.uid);
    if (state === 'waiting') waiting++;
  }
  if (solid > 0) {
    if (notSolid.size > 0) await removeOwnerReferences(ctx.registry, node, notSolid);
    return;
  }
  if (waiting > 0 && ctx.graph.hasDependents(node.uid)) {
    // A dependent of ours that is itself deleting its dependents may be
    // waiting on us through a cycle: stop our owners from waiting on us
    // (upstream's check, which has false positives but never deadlocks).
    if (ctx.graph.dependentsOf(node.uid).some((d) => d.deletingDependents)) await unblockOwnerReferences(ctx.registry, node);
    await deleteObject(ctx.registry, node, 'Foreground');
    return;
  }
  await deleteObject(ctx.registry, node, ownPolicy(live));
}

/** Reads the owner a reference names. */
async function ownerState(ctx: SyncContext, ref: OwnerReference, namespace: string | undefined, dependentNamespaced: boolean): Promise<OwnerState> {
  const resource = ownerResource(ref.apiVersion, ref.kind);
  if (!resource) return 'solid';
  if (resource.namespaced && !dependentNamespaced) return 'dangling';
  const owner = await read(ctx.registry, resource, resource.namespaced ? namespace : undefined, ref.name);
  if (!owner || owner.metadata.uid !== ref.uid) return 'dangling';
  if (owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(FOREGROUND)) return 'waiting';
  return 'solid';
}

/** The policy an object's own finalizers ask for (a user may preset `orphan`), as upstream. */
function ownPolicy(obj: KObject): Propagation {
  const finalizers = obj.metadata.finalizers ?? [];
  if (finalizers.includes(ORPHAN)) return 'Orphan';
  if (finalizers.includes(FOREGROUND)) return 'Foreground';
  return 'Background';
}
