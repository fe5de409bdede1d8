// The set of fields a value sets (upstream's TypedValue.ToFieldSet): every
// scalar and atomic value, every list item, and every map entry that is not a
// declared struct field. Struct fields themselves are not members: owning
// `.spec.replicas` does not mean owning `.spec`.

import { FieldSet } from './field-set.ts';
import { fieldElement } from './path-element.ts';
import type { PathElement } from './path-element.ts';
import { indexItems, isPlainObject, resolve } from './schema-type.ts';
import type { TypeRef } from './schema-type.ts';

export function toFieldSet(value: unknown, ref: TypeRef): FieldSet {
  const set = new FieldSet();
  walk(set, [], value, ref);
  return set;
}

function walk(set: FieldSet, path: PathElement[], value: unknown, ref: TypeRef): void {
  const atom = resolve(ref, value);
  if (atom.kind === 'scalar') {
    set.insert(path);
    return;
  }
  if (atom.kind === 'list') {
    if (atom.relation === 'atomic' || !Array.isArray(value)) {
      if (atom.relation === 'atomic' || value !== null) set.insert(path);
      return;
    }
    for (const { pe, item } of indexItems(atom, value, path, true).order) {
      const itemPath = [...path, pe];
      walk(set, itemPath, item, atom.items);
      set.insert(itemPath);
    }
    return;
  }
  if (atom.atomic || (!isPlainObject(value) && value !== null)) {
    set.insert(path);
    return;
  }
  if (value === null) return;
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const fieldPath = [...path, fieldElement(key)];
    walk(set, fieldPath, v, atom.field(key));
    if (!atom.declared(key)) set.insert(fieldPath);
  }
}
