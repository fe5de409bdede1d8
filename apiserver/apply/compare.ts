// The fields that differ between two values of a type (upstream's
// TypedValue.Compare): added (only in rhs), removed (only in lhs) and
// modified (in both, different). Leaves (scalars, atomic values, and maps or
// lists empty on both sides) are compared whole; a map or list item present
// on one side only is itself added or removed, along with everything in it.

import { jsonEqual } from '../registry/object.ts';
import { FieldSet } from './field-set.ts';
import { fieldElement } from './path-element.ts';
import type { PathElement } from './path-element.ts';
import { indexItems, isPlainObject, resolve } from './schema-type.ts';
import type { Atom, TypeRef } from './schema-type.ts';

export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

export function compare(lhs: unknown, rhs: unknown, ref: TypeRef): Comparison {
  const c: Comparison = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() };
  visit(c, [], lhs, rhs, ref);
  return c;
}

/** Whether neither side holds anything (absent, null, [] or {}). */
export function isEmptyValue(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
}

/** Whether the walk treats this pair as one value: scalars, atomic values, values of the wrong shape, and empty pairs. */
export function isLeaf(atom: Atom, l: unknown, r: unknown): boolean {
  if (atom.kind === 'scalar') return true;
  const shaped = atom.kind === 'list' ? Array.isArray : isPlainObject;
  const fits = (v: unknown) => v === undefined || v === null || shaped(v);
  if (!fits(l) || !fits(r)) return true;
  if (atom.kind === 'list' ? atom.relation === 'atomic' : atom.atomic) return true;
  return isEmptyValue(l) && isEmptyValue(r);
}

function visit(c: Comparison, path: PathElement[], l: unknown, r: unknown, ref: TypeRef): void {
  const atom = resolve(ref, l !== undefined ? l : r);
  if (isLeaf(atom, l, r)) {
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
    else if (!jsonEqual(l, r)) c.modified.insert(path);
    return;
  }
  if (atom.kind === 'map') {
    const lm = isPlainObject(l) ? l : {};
    const rm = isPlainObject(r) ? r : {};
    const keys = new Set([...Object.keys(lm), ...Object.keys(rm)]);
    for (const k of keys) {
      const lv = Object.hasOwn(lm, k) ? lm[k] : undefined;
      const rv = Object.hasOwn(rm, k) ? rm[k] : undefined;
      if (lv !== undefined || rv !== undefined) visit(c, [...path, fieldElement(k)], lv, rv, atom.field(k));
    }
  } else if (atom.kind === 'list') {
    const li = indexItems(atom, Array.isArray(l) ? l : [], path, true).byKey;
    const ri = indexItems(atom, Array.isArray(r) ? r : [], path, true).byKey;
    for (const [k, { pe, item }] of li) visit(c, [...path, pe], item, ri.get(k)?.item, atom.items);
    for (const [k, { pe, item }] of ri) if (!li.has(k)) visit(c, [...path, pe], undefined, item, atom.items);
  }
  // A map or list item that exists on one side only is itself added or removed.
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
}
