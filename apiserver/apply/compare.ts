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
  visit({ added: c.added, removed: c.removed, modified: c.modified }, undefined, lhs, rhs, ref);
  return c;
}

type Which = keyof Comparison;

/**
 * Where the walk stands: the path element that led here, and this path's
 * node in each result set, made on the first insert below it. An insert
 * then adds one member to its parent's node instead of walking the result
 * set from its root.
 */
interface Level {
  readonly parent: Level | undefined;
  /** The element of this path (undefined at the root). */
  readonly pe: PathElement | undefined;
  added?: FieldSet;
  removed?: FieldSet;
  modified?: FieldSet;
}

function node(level: Level, which: Which): FieldSet {
  return (level[which] ??= node(level.parent!, which).descend(level.pe!));
}

/** Adds the level's path to a result set (the empty path, the whole object, is never tracked). */
function insert(level: Level, which: Which): void {
  if (level.parent) node(level.parent, which).addMember(level.pe!);
}

function pathOf(level: Level | undefined): PathElement[] {
  const out: PathElement[] = [];
  for (let l = level; l?.pe; l = l.parent) out.push(l.pe);
  return out.reverse();
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

function visit(root: Omit<Level, 'parent' | 'pe'>, parent: Level | undefined, l: unknown, r: unknown, ref: TypeRef, pe?: PathElement): void {
  const level: Level = parent ? { parent, pe } : { parent: undefined, pe: undefined, ...root };
  const atom = resolve(ref, l !== undefined ? l : r);
  if (isLeaf(atom, l, r)) {
    if (l === undefined) insert(level, 'added');
    else if (r === undefined) insert(level, 'removed');
    else if (!jsonEqual(l, r)) insert(level, 'modified');
    return;
  }
  if (atom.kind === 'map') {
    const lm = isPlainObject(l) ? l : {};
    const rm = isPlainObject(r) ? r : {};
    const keys = new Set([...Object.keys(lm), ...Object.keys(rm)]);
    for (const k of keys) {
      const lv = Object.hasOwn(lm, k) ? lm[k] : undefined;
      const rv = Object.hasOwn(rm, k) ? rm[k] : undefined;
      if (lv !== undefined || rv !== undefined) visit(root, level, lv, rv, atom.field(k), fieldElement(k));
    }
  } else if (atom.kind === 'list') {
    const path = pathOf(level);
    const li = indexItems(atom, Array.isArray(l) ? l : [], path, true).byKey;
    const ri = indexItems(atom, Array.isArray(r) ? r : [], path, true).byKey;
    for (const [k, { pe: itemPe, item }] of li) visit(root, level, item, ri.get(k)?.item, atom.items, itemPe);
    for (const [k, { pe: itemPe, item }] of ri) if (!li.has(k)) visit(root, level, undefined, item, atom.items, itemPe);
  }
  // A map or list item that exists on one side only is itself added or removed.
  if (l === undefined) insert(level, 'added');
  else if (r === undefined) insert(level, 'removed');
}
