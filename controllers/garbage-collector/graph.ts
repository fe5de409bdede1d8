// The garbage collector's cache: every object the watches have shown, as a
// node keyed by uid, with its owner references, and the reverse index from an
// owner's uid to the uids of its dependents. The index is kept whether or not
// the owner itself has been seen, so that an owner's disappearance finds its
// dependents without a scan. Each change costs O(owner references of the
// object), plus O(dependents) when the object goes or starts a foreground
// deletion, whatever the number of objects.
//
// The graph only decides what is worth a look (needsAttention); the sync
// re-reads every object and owner from the registry before it deletes or
// writes anything, since a watch can lag behind.

import type { ResourceInfo } from '../../api/kinds.ts';
import { isObject, type KObject } from '../../apiserver/registry/object.ts';
import { FOREGROUND, ORPHAN } from './finalizers.ts';
import { ownerResource, storageKey } from './resources.ts';

export type OwnerReference = NonNullable<KObject['metadata']['ownerReferences']>[number];

export interface OwnerLink {
  uid: string;
  apiVersion: string;
  kind: string;
  name: string;
  blockOwnerDeletion: boolean;
  /** The owner's resource; undefined when Skiff does not serve its kind. */
  resource?: ResourceInfo;
}

export interface GraphNode {
  uid: string;
  /** The resource (storage version) the object was watched through. */
  resource: ResourceInfo;
  namespace?: string;
  name: string;
  owners: OwnerLink[];
  /** metadata.deletionTimestamp is set. */
  beingDeleted: boolean;
  /** Being deleted with the foregroundDeletion finalizer: waits for its blocking dependents. */
  deletingDependents: boolean;
  /** Being deleted with the orphan finalizer: its dependents lose their reference to it. */
  orphaning: boolean;
}

function toNode(resource: ResourceInfo, obj: KObject): GraphNode {
  const meta = obj.metadata;
  const byUid = new Map<string, OwnerLink>();
  // Stored objects were validated, but a malformed one must not end the watch that delivers it.
  const refs: unknown[] = Array.isArray(meta.ownerReferences) ? meta.ownerReferences : [];
  for (const ref of refs) {
    if (!isOwnerReference(ref)) continue;
    const block = ref.blockOwnerDeletion === true || byUid.get(ref.uid)?.blockOwnerDeletion === true;
    byUid.set(ref.uid, {
      uid: ref.uid,
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      name: ref.name,
      blockOwnerDeletion: block,
      resource: ownerResource(ref.apiVersion, ref.kind),
    });
  }
  const beingDeleted = !!meta.deletionTimestamp;
  const finalizers: unknown[] = Array.isArray(meta.finalizers) ? meta.finalizers : [];
  return {
    uid: meta.uid!,
    resource,
    namespace: resource.namespaced ? meta.namespace : undefined,
    name: meta.name!,
    owners: [...byUid.values()],
    beingDeleted,
    deletingDependents: beingDeleted && finalizers.includes(FOREGROUND),
    orphaning: beingDeleted && finalizers.includes(ORPHAN),
  };
}

export class OwnerGraph {
  private readonly nodes = new Map<string, GraphNode>();
  /** owner uid -> dependent uids (the owner may never have been seen). */
  private readonly dependents = new Map<string, Set<string>>();

  get size(): number {
    return this.nodes.size;
  }

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  /**
   * Records an object as added or modified. Returns the uids that may need a
   * sync now (filter them with needsAttention): the object itself; owners it
   * stopped blocking, which may be waiting for that in a foreground
   * deletion; and, when it starts a foreground deletion, its dependents.
   */
  upsert(resource: ResourceInfo, obj: KObject): string[] {
    const next = toNode(resource, obj);
    const prev = this.nodes.get(next.uid);
    this.nodes.set(next.uid, next);
    const touched = [next.uid];
    const before = new Map((prev?.owners ?? []).map((o) => [o.uid, o]));
    for (const owner of next.owners) {
      const old = before.get(owner.uid);
      before.delete(owner.uid);
      if (!old) this.link(owner.uid, next.uid);
      else if (old.blockOwnerDeletion && !owner.blockOwnerDeletion) touched.push(owner.uid);
    }
    for (const gone of before.values()) {
      this.unlink(gone.uid, next.uid);
      touched.push(gone.uid);
    }
    if (next.deletingDependents && !prev?.deletingDependents) touched.push(...this.dependentUids(next.uid));
    return touched;
  }

  /**
   * Forgets an object that is gone. Returns the uids that may need a sync:
   * its dependents (their owner is gone) and its owners (one may have been
   * waiting for it in a foreground deletion).
   */
  remove(uid: string): string[] {
    const node = this.nodes.get(uid);
    if (!node) return [];
    this.nodes.delete(uid);
    const touched: string[] = [];
    for (const owner of node.owners) {
      this.unlink(owner.uid, uid);
      touched.push(owner.uid);
    }
    touched.push(...this.dependentUids(uid));
    return touched;
  }

  /** Objects (seen) whose owner references name this uid. */
  dependentsOf(uid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const d of this.dependents.get(uid) ?? []) {
      const node = this.nodes.get(d);
      if (node) out.push(node);
    }
    return out;
  }

  hasDependents(uid: string): boolean {
    return (this.dependents.get(uid)?.size ?? 0) > 0;
  }

  /** Dependents whose reference to uid has blockOwnerDeletion: a foreground deletion of uid waits for them. */
  blockingDependentsOf(uid: string): GraphNode[] {
    return this.dependentsOf(uid).filter((d) => d.owners.some((o) => o.uid === uid && o.blockOwnerDeletion));
  }

  /** The uids of every object seen through the given storage. O(objects): only for a re-list. */
  uidsIn(resource: ResourceInfo): string[] {
    const key = storageKey(resource);
    const out: string[] = [];
    for (const node of this.nodes.values()) if (storageKey(node.resource) === key) out.push(node.uid);
    return out;
  }

  /**
   * Whether a sync has something to check: a foreground or orphan deletion
   * to drive, or (for an object not being deleted) an owner that the graph
   * does not hold under the referenced identity, or that is waiting for its
   * dependents to go.
   */
  needsAttention(node: GraphNode): boolean {
    if (node.deletingDependents || node.orphaning) return true;
    if (node.beingDeleted) return false;
    for (const ref of node.owners) {
      if (!ref.resource) continue;
      const owner = this.nodes.get(ref.uid);
      if (!owner || owner.deletingDependents || !identifies(ref, owner, node)) return true;
    }
    return false;
  }

  private dependentUids(uid: string): string[] {
    return [...(this.dependents.get(uid) ?? [])];
  }

  private link(owner: string, dependent: string): void {
    let set = this.dependents.get(owner);
    if (!set) this.dependents.set(owner, (set = new Set()));
    set.add(dependent);
  }

  private unlink(owner: string, dependent: string): void {
    const set = this.dependents.get(owner);
    if (!set) return;
    set.delete(dependent);
    if (set.size === 0) this.dependents.delete(owner);
  }
}

/** A well-formed owner reference (stored objects were validated; this keeps a malformed one from breaking the GC). */
export function isOwnerReference(v: unknown): v is OwnerReference {
  if (!isObject(v)) return false;
  return typeof v.uid === 'string' && v.uid !== '' && typeof v.apiVersion === 'string' && typeof v.kind === 'string' && typeof v.name === 'string';
}

/** Whether the node seen with the referenced uid is the object the reference names, from where the dependent sits. */
function identifies(ref: OwnerLink, owner: GraphNode, dependent: GraphNode): boolean {
  if (!ref.resource || storageKey(ref.resource) !== storageKey(owner.resource) || ref.name !== owner.name) return false;
  if (!ref.resource.namespaced) return true;
  return dependent.namespace !== undefined && owner.namespace === dependent.namespace;
}
