// The garbage collector's reads and writes through the registry. Every write
// names the object by uid: an object deleted and created again under the same
// name is a different object, and is left alone.

import type { ResourceInfo } from '../../api/kinds.ts';
import { ApiError } from '../../apiserver/errors.ts';
import type { KObject } from '../../apiserver/registry/object.ts';
import type { Registry } from '../../apiserver/registry/registry.ts';

/** Where an object lives, and which object it is. */
export interface ObjectRef {
  resource: ResourceInfo;
  namespace?: string;
  name: string;
  uid: string;
}

export type Propagation = 'Background' | 'Foreground' | 'Orphan';

/** The stored object, or undefined when there is none by that name. */
export async function read(registry: Registry, resource: ResourceInfo, namespace: string | undefined, name: string): Promise<KObject | undefined> {
  try {
    return await registry.get(resource, namespace, name);
  } catch (e) {
    if (isStatus(e, 404)) return undefined;
    throw e;
  }
}

/** Deletes the object if it is still the one meant. */
export async function deleteObject(registry: Registry, obj: ObjectRef, propagationPolicy: Propagation): Promise<void> {
  try {
    await registry.delete(obj.resource, obj.namespace, obj.name, { propagationPolicy, preconditions: { uid: obj.uid } });
  } catch (e) {
    // Gone already, or replaced by a namesake (the uid precondition failed).
    if (isStatus(e, 404) || isStatus(e, 409)) return;
    throw e;
  }
}

/** Drops the owner references to the given uids. */
export function removeOwnerReferences(registry: Registry, obj: ObjectRef, ownerUids: ReadonlySet<string>): Promise<void> {
  return updateMetadata(registry, obj, (meta) => {
    const refs = meta.ownerReferences ?? [];
    const kept = refs.filter((r) => !ownerUids.has(r.uid));
    if (kept.length === refs.length) return false;
    if (kept.length) meta.ownerReferences = kept;
    else delete meta.ownerReferences;
    return true;
  });
}

/**
 * Sets blockOwnerDeletion to false on every owner reference, so that owners
 * stop waiting for this object: how a foreground deletion breaks a cycle.
 */
export function unblockOwnerReferences(registry: Registry, obj: ObjectRef): Promise<void> {
  return updateMetadata(registry, obj, (meta) => {
    const refs = meta.ownerReferences ?? [];
    if (!refs.some((r) => r.blockOwnerDeletion)) return false;
    meta.ownerReferences = refs.map((r) => (r.blockOwnerDeletion ? { ...r, blockOwnerDeletion: false } : r));
    return true;
  });
}

/** Removes one finalizer; when it was the last one of an object being deleted, the registry removes the object. */
export function removeFinalizer(registry: Registry, obj: ObjectRef, finalizer: string): Promise<void> {
  return updateMetadata(registry, obj, (meta) => {
    const finalizers = meta.finalizers ?? [];
    if (!finalizers.includes(finalizer)) return false;
    meta.finalizers = finalizers.filter((f) => f !== finalizer);
    return true;
  });
}

/** Thrown inside a mutation to leave the stored object as it is. */
class Unchanged extends Error {}

/**
 * A read-modify-write of metadata with the registry's retries on conflict.
 * change edits the metadata of the current object in place and says whether
 * it changed anything; nothing is written when it did not, when the object is
 * gone, or when it is another object by the same name.
 */
async function updateMetadata(registry: Registry, obj: ObjectRef, change: (meta: KObject['metadata']) => boolean): Promise<void> {
  try {
    await registry.guaranteedUpdate(obj.resource, obj.namespace, obj.name, {}, (current) => {
      if (current.metadata.uid !== obj.uid) throw new Unchanged();
      const next = { ...current, metadata: { ...current.metadata } };
      if (!change(next.metadata)) throw new Unchanged();
      return next;
    });
  } catch (e) {
    if (e instanceof Unchanged || isStatus(e, 404)) return;
    throw e;
  }
}

function isStatus(e: unknown, code: number): boolean {
  return e instanceof ApiError && e.code === code;
}
