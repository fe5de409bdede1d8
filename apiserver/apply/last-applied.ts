// The client-side apply annotation during a move to server-side apply, as
// upstream's lastAppliedManager and lastAppliedUpdater handle it, for the
// manager "kubectl" only:
//   - fields the annotation lists with the value they still have are
//     kubectl's own from client-side apply, so conflicts on them are allowed;
//   - after a successful apply, an existing annotation is rewritten to the
//     applied configuration, so a later client-side apply diffs against it.

import type { KObject } from '../registry/object.ts';
import { compare } from './compare.ts';
import type { FieldSet } from './field-set.ts';
import { isPlainObject } from './schema-type.ts';
import type { TypeRef } from './schema-type.ts';
import { toFieldSet } from './to-field-set.ts';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The manager whose applies read and keep up the annotation. */
export const KUBECTL_MANAGER = 'kubectl';

function lastAppliedOf(obj: KObject): string | undefined {
  const v = obj.metadata.annotations?.[LAST_APPLIED];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function hasLastApplied(obj: KObject): boolean {
  return lastAppliedOf(obj) !== undefined;
}

/**
 * The fields listed in the live object's annotation whose live value is
 * still the annotated one; undefined when there is no usable annotation.
 */
export function allowedConflictsFromLastApplied(live: KObject, apiVersion: string, ref: TypeRef): FieldSet | undefined {
  const text = lastAppliedOf(live);
  if (text === undefined) return undefined;
  try {
    const last: unknown = JSON.parse(text);
    if (!isPlainObject(last) || last.apiVersion !== apiVersion) return undefined;
    const c = compare(last, live, ref);
    return toFieldSet(last, ref).difference(c.modified).difference(c.added).difference(c.removed);
  } catch {
    return undefined;
  }
}

/** The applied configuration as the annotation's value: without the annotation itself, JSON with sorted keys (Go's map encoding). */
export function buildLastApplied(config: Record<string, unknown>): string {
  const copy = structuredClone(config);
  const annotations = isPlainObject(copy.metadata) ? copy.metadata.annotations : undefined;
  if (isPlainObject(annotations)) delete annotations[LAST_APPLIED];
  return JSON.stringify(sortKeys(copy));
}

/** obj with the annotation set to value (a copy; obj is not modified). */
export function withLastApplied(obj: KObject, value: string): KObject {
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...obj.metadata.annotations, [LAST_APPLIED]: value } } };
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isPlainObject(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys(v[k])]),
  );
}
