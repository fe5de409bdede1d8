// Removes the fields in a set from a value (upstream's TypedValue.RemoveItems),
// as apply does to prune what an applier stopped applying. A member of the set
// goes with everything below it; for a child node the walk descends.
//
// As upstream, a map or list whose every item was removed becomes null (here:
// absent), while a struct that keeps a key whose value became null stays,
// possibly as {}. Atomic values and empty ones are never walked into.

import type { FieldSet } from './field-set.ts';
import { fieldElement } from './path-element.ts';
import type { PathElement } from './path-element.ts';
import { indexItems, isPlainObject, resolve } from './schema-type.ts';
import type { TypeRef } from './schema-type.ts';

export function removeItems(value: unknown, toRemove: FieldSet, ref: TypeRef): unknown {
  return remove([], value, toRemove, ref) ?? {};
}

function remove(path: PathElement[], value: unknown, set: FieldSet, ref: TypeRef): unknown {
  const atom = resolve(ref, value);
  if (atom.kind === 'scalar') return value;
  if (atom.kind === 'list') {
    if (!Array.isArray(value) || value.length === 0 || atom.relation === 'atomic') return value;
    const items: unknown[] = [];
    for (const { pe, item } of indexItems(atom, value, path, true).order) {
      if (set.hasMember(pe)) continue;
      const sub = set.withPrefix(pe);
      const v = sub.isEmpty() ? item : remove([...path, pe], item, sub, atom.items);
      if (v !== undefined) items.push(v);
    }
    return items.length > 0 ? items : undefined;
  }
  if (!isPlainObject(value) || Object.keys(value).length === 0 || atom.atomic) return value;
  const out: Record<string, unknown> = {};
  let kept = false;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const pe = fieldElement(k);
    if (set.hasMember(pe)) continue;
    const sub = set.withPrefix(pe);
    const rest = sub.isEmpty() ? v : remove([...path, pe], v, sub, atom.field(k));
    kept = true;
    if (rest !== undefined) out[k] = rest;
  }
  return kept ? out : undefined;
}
