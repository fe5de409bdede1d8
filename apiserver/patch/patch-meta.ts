// What the schema says about patching a field: the strategic merge patch
// counterpart of upstream's LookupPatchMetadata, read from the DSL instead of
// Go struct tags. An unknown field, a field typed `any` and anything below
// them have no metadata: maps merge and lists are replaced, as in a JSON
// merge patch.

import type { Model, PatchStrategy, Type } from '../../api/schema/dsl.ts';

export interface FieldMeta {
  type: Type | undefined;
  /** patchStrategy "replace" on a map-valued field: the patch value replaces it whole. */
  replace: boolean;
}

export interface ListMeta {
  /** patchStrategy "merge" (possibly with retainKeys); otherwise the list is replaced whole. */
  merge: boolean;
  /** x-kubernetes-patch-merge-key; without it a merge list is a set of primitives. */
  mergeKey: string | undefined;
  items: Type | undefined;
}

const NONE: FieldMeta = { type: undefined, replace: false };

function strategies(strategy: PatchStrategy | undefined): string[] {
  return strategy ? strategy.split(',') : [];
}

/** The type a whole object of `model` has, or undefined when there is no schema. */
export function rootType(model: Model | undefined): Type | undefined {
  return model && { kind: 'ref', model: () => model };
}

/** The type and map strategy of `key` inside a value of type `parent`. */
export function fieldMeta(parent: Type | undefined, key: string): FieldMeta {
  if (parent?.kind === 'map') return { type: parent.values, replace: false };
  if (parent?.kind !== 'ref') return NONE;
  const properties = parent.model().properties;
  if (!Object.hasOwn(properties, key)) return NONE;
  const prop = properties[key]!;
  return { type: prop.type, replace: strategies(prop.patchStrategy).includes('replace') };
}

export function listMeta(type: Type | undefined): ListMeta {
  if (type?.kind !== 'array') return { merge: false, mergeKey: undefined, items: undefined };
  return { merge: strategies(type.patchStrategy).includes('merge'), mergeKey: type.patchMergeKey, items: type.items };
}
