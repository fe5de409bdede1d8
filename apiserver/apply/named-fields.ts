// upstream's Set.EnsureNamedFieldsAreMembers: adds as members the declared
// struct fields that a set only passes through. A set holding
// `.spec.template.spec.containers[name="c"].image` then also owns `.spec`,
// `.spec.template` and `.spec.template.spec`, but not entries of maps (a set
// holding `.metadata.labels.app` does not own `.metadata.labels`). Pruning
// uses it so that a struct left with nothing owned in it goes too.

import { FieldSet } from './field-set.ts';
import { DEDUCED, resolve } from './schema-type.ts';
import type { TypeRef } from './schema-type.ts';

export function ensureNamedFieldsAreMembers(set: FieldSet, ref: TypeRef): FieldSet {
  const out = new FieldSet();
  for (const pe of set.memberElements()) out.addMember(pe);
  const atom = resolve(ref, undefined);
  for (const { pe, set: child } of set.childEntries()) {
    let childRef = DEDUCED;
    if ('field' in pe && atom.kind === 'map') {
      childRef = atom.field(pe.field);
      if (atom.declared(pe.field)) out.addMember(pe);
    } else if ('key' in pe && atom.kind === 'list') childRef = atom.items;
    out.descend(pe).addAll(ensureNamedFieldsAreMembers(child, childRef));
  }
  return out;
}
