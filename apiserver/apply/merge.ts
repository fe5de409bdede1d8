// Merges an applied configuration into the live object (upstream's
// TypedValue.Merge; the configuration wins): maps and structs merge field by
// field, associative lists item by item (by key, or by value for sets),
// scalars and atomic values are replaced. Inputs are not modified; unchanged
// subtrees of either side may be shared with the result.

import { isLeaf } from './compare.ts';
import { fieldElement, serializeElement } from './path-element.ts';
import type { PathElement } from './path-element.ts';
import { indexItems, isPlainObject, resolve } from './schema-type.ts';
import type { Atom, IndexedItem, TypeRef } from './schema-type.ts';

export function merge(lhs: unknown, rhs: unknown, ref: TypeRef): unknown {
  return visit([], lhs, rhs, ref);
}

function visit(path: PathElement[], l: unknown, r: unknown, ref: TypeRef): unknown {
  const atom = resolve(ref, l !== undefined ? l : r);
  if (atom.kind === 'list' && Array.isArray(r)) indexItems(atom, r, path, false); // a configuration may not repeat a key
  if (r === undefined) return l;
  if (l === undefined || isLeaf(atom, l, r)) return r;
  if (atom.kind === 'map') {
    const lm = isPlainObject(l) ? l : {};
    const rm = isPlainObject(r) ? r : {};
    const out: Record<string, unknown> = {};
    for (const [k, lv] of Object.entries(lm)) {
      const rv = Object.hasOwn(rm, k) ? rm[k] : undefined;
      const v = visit([...path, fieldElement(k)], lv, rv, atom.field(k));
      if (v !== undefined) out[k] = v;
    }
    for (const [k, rv] of Object.entries(rm)) if (!Object.hasOwn(lm, k) && rv !== undefined) out[k] = rv;
    return out;
  }
  if (atom.kind === 'list') return mergeList(path, atom, Array.isArray(l) ? l : [], Array.isArray(r) ? r : []);
  return r;
}

/**
 * Upstream's list merge order: items of the configuration keep its order;
 * live items it does not mention stay where they were relative to the items
 * around them. Shared items are taken in the configuration's order, skipping
 * live items that come up "too early".
 */
function mergeList(path: PathElement[], atom: Extract<Atom, { kind: 'list' }>, lhs: unknown[], rhs: unknown[]): unknown[] {
  const left = indexItems(atom, lhs, path, true);
  const right = indexItems(atom, rhs, path, false);
  const key = (x: IndexedItem) => serializeElement(x.pe);
  const shared = right.order.filter((x) => left.byKey.has(key(x))).map(key);
  let nextShared = shared.shift();
  const merged = new Set<string>();
  const out: unknown[] = [];
  const item = (lChild: unknown, rChild: unknown, pe: PathElement) => out.push(visit([...path, pe], lChild, rChild, atom.items));
  let li = 0;
  let ri = 0;
  while (li < left.order.length || ri < right.order.length) {
    if (li < left.order.length && ri < right.order.length) {
      const lk = key(left.order[li]!);
      if (lk === key(right.order[ri]!)) {
        merged.add(lk);
        item(left.order[li]!.item, right.byKey.get(lk)!.item, left.order[li]!.pe);
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      if (right.byKey.has(lk) && nextShared !== undefined && nextShared !== lk) {
        li++; // a shared item, but not the one this round wants
        continue;
      }
    }
    if (li < left.order.length) {
      const l = left.order[li]!;
      const lk = key(l);
      if (!right.byKey.has(lk)) {
        item(l.item, undefined, l.pe);
        li++;
        continue;
      }
      if (merged.has(lk)) {
        li++; // already merged with the configuration's item
        continue;
      }
    }
    if (ri < right.order.length) {
      const r = right.order[ri]!;
      const rk = key(r);
      merged.add(rk);
      item(left.byKey.get(rk)?.item, r.item, r.pe);
      ri++;
      if (nextShared === rk) nextShared = shared.shift();
    }
  }
  return out;
}
