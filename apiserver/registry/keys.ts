// Store keys: /registry/<group or "core">/<resource>/[<namespace>/]<name>,
// always for the storage version of a resource.

import type { ResourceInfo } from '../../api/kinds.ts';

export function resourcePrefix(info: ResourceInfo): string {
  return `/registry/${info.storage.group || 'core'}/${info.storage.resource}/`;
}

/** The prefix holding every object of a resource in one namespace, or in all of them. */
export function collectionPrefix(info: ResourceInfo, namespace: string | undefined): string {
  return info.namespaced && namespace ? `${resourcePrefix(info)}${namespace}/` : resourcePrefix(info);
}

export function objectKey(info: ResourceInfo, namespace: string | undefined, name: string): string {
  return info.namespaced ? `${resourcePrefix(info)}${namespace}/${name}` : `${resourcePrefix(info)}${name}`;
}
