// structured-merge-diff's Updater (merge/update.go), on plain JSON values:
//   - update: after any write, fields that changed leave the other managers
//     (a conflict for an apply without force), removed fields leave everyone;
//   - Update: the writer then owns what it changed (an Update entry);
//   - Apply: merge the configuration, own exactly its fields, and prune what
//     this applier applied last time, no longer applies, and nobody else owns.
// Managers maps are copied, never modified in place.

import { compare } from './compare.ts';
import type { Comparison } from './compare.ts';
import { ApplyConflicts } from './conflicts.ts';
import { FieldSet } from './field-set.ts';
import type { ManagerFields, Managers } from './managers.ts';
import { merge } from './merge.ts';
import { ensureNamedFieldsAreMembers } from './named-fields.ts';
import { removeItems } from './remove-items.ts';
import type { TypeRef } from './schema-type.ts';
import type { OwnershipScope } from './scope.ts';
import { toFieldSet } from './to-field-set.ts';
import { jsonEqual } from '../registry/object.ts';

export interface UpdaterContext {
  ref: TypeRef;
  scope: OwnershipScope;
}

function filtered(c: Comparison, scope: OwnershipScope): Comparison {
  return { added: scope.filter(c.added), removed: scope.filter(c.removed), modified: scope.filter(c.modified) };
}

/** Takes changed and removed fields from every manager but `workflow`; without force, changed fields owned by others are conflicts. */
function update(
  ctx: UpdaterContext,
  oldObject: unknown,
  newObject: unknown,
  input: Managers,
  workflow: string,
  force: boolean,
): { managers: Managers; comparison: Comparison } {
  const comparison = filtered(compare(oldObject, newObject, ctx.ref), ctx.scope);
  const changed = comparison.modified.union(comparison.added);
  const conflicts = new Map<string, FieldSet>();
  for (const [id, m] of input) {
    if (id === workflow) continue;
    const taken = m.set.intersection(changed);
    if (!taken.isEmpty()) conflicts.set(id, taken);
  }
  if (!force && conflicts.size > 0) throw ApplyConflicts.fromManagers(conflicts);
  const managers: Managers = new Map();
  for (const [id, m] of input) {
    let set = m.set;
    if (id !== workflow) set = set.difference(conflicts.get(id) ?? EMPTY).difference(comparison.removed);
    if (!set.isEmpty()) managers.set(id, set === m.set ? m : { ...m, set });
  }
  return { managers, comparison };
}

const EMPTY = new FieldSet();

/**
 * An update (create, PUT, non-apply PATCH) by `entry`'s manager: returns the
 * managers after it, the writer owning what it set, keyed by `id`.
 */
export function updateOwnership(ctx: UpdaterContext, live: unknown, next: unknown, input: Managers, id: string, entry: Omit<ManagerFields, 'set'>): Managers {
  const { managers, comparison } = update(ctx, live, next, input, id, true);
  const own = (managers.get(id)?.set ?? EMPTY).union(comparison.modified).union(comparison.added).difference(comparison.removed);
  const set = ctx.scope.filter(own);
  if (set.isEmpty()) managers.delete(id);
  else managers.set(id, { ...entry, set });
  return managers;
}

/**
 * An apply of `config` by the applier `id`: returns the merged and pruned
 * object, the managers after it, and whether the object changed. Throws
 * ApplyConflicts unless force.
 */
export function applyOwnership(
  ctx: UpdaterContext,
  live: unknown,
  config: unknown,
  input: Managers,
  id: string,
  entry: Omit<ManagerFields, 'set'>,
  force: boolean,
): { object: unknown; managers: Managers; changed: boolean } {
  const merged = merge(live, config, ctx.ref);
  const last = input.get(id);
  const lastSet = last?.set;
  const withApplier: Managers = new Map(input);
  // The entry keeps its time; the caller moves it when the object changes.
  withApplier.set(id, { ...entry, time: last?.time, set: ctx.scope.filter(toFieldSet(config, ctx.ref)) });
  const object = prune(ctx, merged, withApplier, lastSet);
  const { managers } = update(ctx, live, object, withApplier, id, force);
  return { object, managers, changed: !jsonEqual(live, object) };
}

/**
 * Removes from merged what lastSet owned that no manager (the applier's new
 * set included) owns now: remove all of lastSet, add back what someone owns
 * or what was never in lastSet.
 */
function prune(ctx: UpdaterContext, merged: unknown, managers: Managers, lastSet: FieldSet | undefined): unknown {
  if (!lastSet || lastSet.isEmpty()) return merged;
  const named = (s: FieldSet) => ensureNamedFieldsAreMembers(s, ctx.ref);
  const last = named(lastSet);
  const mergedSet = named(toFieldSet(merged, ctx.ref));
  let pruned = removeItems(merged, last, ctx.ref);
  // Add back what any manager owns.
  let owned = new FieldSet();
  for (const m of managers.values()) owned = owned.union(m.set);
  pruned = removeItems(merged, mergedSet.difference(named(toFieldSet(pruned, ctx.ref)).union(named(owned))), ctx.ref);
  // Add back what the applier never owned.
  return removeItems(merged, mergedSet.difference(named(toFieldSet(pruned, ctx.ref))).intersection(last), ctx.ref);
}
