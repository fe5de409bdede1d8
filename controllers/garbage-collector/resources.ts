// Which resources the garbage collector watches, and which resource an owner
// reference names.

import { findByKind, RESOURCES, storageInfo, type ResourceInfo } from '../../api/kinds.ts';

/** "apps/replicasets": one key per storage location (two served versions of a resource share one). */
export function storageKey(info: ResourceInfo): string {
  return `${info.storage.group}/${info.storage.resource}`;
}

/** Every resource once, in its storage version: owners and dependents can be of any kind. */
export function storages(): ResourceInfo[] {
  const seen = new Set<string>();
  const out: ResourceInfo[] = [];
  for (const r of RESOURCES) {
    const key = storageKey(r);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(storageInfo(r));
  }
  return out;
}

/**
 * The resource an owner reference points at, by its apiVersion and kind, as
 * upstream's REST mapping does (the exact version must be served). Undefined
 * for kinds Skiff does not serve: such an owner can never be found, so the GC
 * cannot tell whether it exists and leaves the reference alone.
 */
export function ownerResource(apiVersion: string, kind: string): ResourceInfo | undefined {
  return findByKind(apiVersion, kind);
}
