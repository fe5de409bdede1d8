// Kubernetes' FieldManager (apimachinery managedfields/internal), the layers
// that wrap the updater:
//   - an update keeps managedFields a request sends (so clients can edit or,
//     with [] or [{}], reset them), else the stored ones; an object that has
//     none is tracked from its creation, and otherwise only from its first
//     apply ("before-first-apply" then owns what was there);
//   - apiVersion, kind and server-set metadata are never owned;
//   - an entry's time moves when its manager changes the object;
//   - at most 10 update entries are kept, the oldest merged into
//     "ancient-changes";
//   - the "kubectl" applier may take fields from client-side apply that the
//     last-applied annotation shows as its own, and keeps that annotation up
//     to date.
// Everything here is a pure function of its inputs; the registry and the
// PATCH handler supply the objects and the clock.

import type { Model } from '../../api/schema/dsl.ts';
import { errors } from '../errors.ts';
import type { KObject } from '../registry/object.ts';
import { ApplyConflicts, conflictError } from './conflicts.ts';
import { allowedConflictsFromLastApplied, buildLastApplied, hasLastApplied, KUBECTL_MANAGER, withLastApplied } from './last-applied.ts';
import { capUpdateManagers, decodeOrEmpty, encodeManagedFields, isResetManagedFields, managerId, stripMeta } from './managers.ts';
import type { ManagedFieldsEntry, Managers } from './managers.ts';
import { isPlainObject, modelRef, TypedValueError } from './schema-type.ts';
import type { OwnershipScope } from './scope.ts';
import { applyOwnership, updateOwnership } from './updater.ts';
import type { UpdaterContext } from './updater.ts';

export interface OwnershipContext {
  /** The schema of the object in the request's version (undefined: deduced from values). */
  model: Model | undefined;
  /** The request's group/version, e.g. "apps/v1". */
  apiVersion: string;
  kind: string;
  subresource?: 'status' | 'scale' | 'finalize';
  scope: OwnershipScope;
  /** RFC 3339 time of the write. */
  now: string;
}

const CURRENT_OPERATION = 'current-operation';
const BEFORE_FIRST_APPLY = 'before-first-apply';

/** The object without metadata.managedFields (a shallow copy). */
export function withoutManagedFields(obj: KObject): KObject {
  const { managedFields: _mf, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/**
 * What a Go zero value of the kind looks like: metadata and the other
 * top-level structs present and empty, so that creating an object does not
 * make its creator own `.spec` itself.
 */
function emptyObject(ctx: OwnershipContext): KObject {
  const obj: KObject = { metadata: {} };
  for (const [name, prop] of Object.entries(ctx.model?.properties ?? {})) if (prop.type.kind === 'ref' && name !== 'metadata') obj[name] = {};
  return obj;
}

function updaterContext(ctx: OwnershipContext): UpdaterContext {
  return { ref: modelRef(ctx.model), scope: ctx.scope };
}

/** An update by manager from live to next: the writer then owns what it changed, under an Update entry timed now. */
function recordUpdateOf(ctx: OwnershipContext, live: KObject, next: KObject, input: Managers, manager: string): Managers {
  const entry = { manager: manager || 'unknown', operation: 'Update' as const, apiVersion: ctx.apiVersion, subresource: ctx.subresource };
  const id = managerId(entry);
  const managers = updateOwnership(updaterContext(ctx), live, next, input, CURRENT_OPERATION, { ...entry, manager: CURRENT_OPERATION });
  stripMeta(managers, CURRENT_OPERATION);
  const changed = managers.get(CURRENT_OPERATION);
  if (changed) {
    managers.delete(CURRENT_OPERATION);
    const previous = managers.get(id);
    managers.set(id, { ...entry, time: ctx.now, set: previous ? changed.set.union(previous.set) : changed.set });
  }
  capUpdateManagers(managers);
  return managers;
}

export interface UpdateInput {
  /** The stored object; undefined for a create. */
  live: KObject | undefined;
  /** The object about to be stored. */
  next: KObject;
  /** metadata.managedFields of the request's object, as sent. */
  requested: unknown;
  manager: string;
}

/**
 * managedFields after a create, update or non-apply patch. A failure to type
 * the objects (a list item without its key) keeps the stored entries, as
 * upstream's UpdateNoErrors does.
 */
export function managedFieldsAfterUpdate(ctx: OwnershipContext, input: UpdateInput): ManagedFieldsEntry[] | undefined {
  const stored = input.live?.metadata.managedFields;
  let managers: Managers;
  if (ctx.subresource) managers = decodeOrEmpty(stored);
  else if (isResetManagedFields(input.requested)) managers = new Map();
  else {
    managers = decodeOrEmpty(input.requested);
    if (managers.size === 0) managers = decodeOrEmpty(stored);
  }
  // Objects are tracked from their creation; one that lost its entries is tracked again from its next apply.
  if (managers.size === 0 && input.live) return undefined;
  try {
    const live = input.live ? withoutManagedFields(input.live) : emptyObject(ctx);
    return encodeManagedFields(recordUpdateOf(ctx, live, withoutManagedFields(input.next), managers, input.manager));
  } catch (e) {
    if (e instanceof TypedValueError) return Array.isArray(stored) ? (stored as ManagedFieldsEntry[]) : undefined;
    throw e;
  }
}

/**
 * An applied configuration must name the endpoint's apiVersion and kind
 * (nothing is defaulted) and may not carry managedFields.
 */
export function assertApplyType(config: Record<string, unknown>, ctx: Pick<OwnershipContext, 'apiVersion' | 'kind'>): void {
  if (config.apiVersion !== ctx.apiVersion || config.kind !== ctx.kind) {
    const gv = typeof config.apiVersion === 'string' ? config.apiVersion : '';
    const [group, version] = gv.includes('/') ? gv.split('/', 2) : ['', gv];
    throw errors.badRequest(`invalid object type: ${group}/${version}, Kind=${typeof config.kind === 'string' ? config.kind : ''}`);
  }
  if (isPlainObject(config.metadata) && config.metadata.managedFields !== undefined) throw errors.badRequest('metadata.managedFields must be nil');
}

export interface ApplyInput {
  /** The stored object; undefined when the apply creates it. */
  live: KObject | undefined;
  /** The applied configuration, structurally checked. */
  config: Record<string, unknown>;
  manager: string;
  force: boolean;
}

/**
 * Server-side apply: the object after applying config, with its
 * managedFields. Throws a 400 ApiError for a configuration of the wrong
 * type or shape and a 409 Conflict for fields other managers own.
 */
export function applyConfiguration(ctx: OwnershipContext, input: ApplyInput): KObject {
  const { config, manager } = input;
  assertApplyType(config, ctx);
  const live = input.live ? withoutManagedFields(input.live) : emptyObject(ctx);
  // Stored entries are ones the server wrote; unreadable ones (upstream: a 500) leave the object unmanaged.
  const stored = decodeOrEmpty(input.live?.metadata.managedFields);
  try {
    let result: { object: KObject; managers: Managers };
    try {
      result = applyOnce(ctx, live, stored, input, input.force);
    } catch (e) {
      // kubectl moving from client-side apply: conflicts on fields its last-applied annotation shows as its own are forced.
      if (!(e instanceof ApplyConflicts) || manager !== KUBECTL_MANAGER) throw e;
      const allowed = allowedConflictsFromLastApplied(live, ctx.apiVersion, modelRef(ctx.model));
      if (!allowed) throw e;
      const remaining = e.conflicts.filter((c) => !allowed.has(c.path));
      if (remaining.length > 0) throw new ApplyConflicts(remaining);
      result = applyOnce(ctx, live, stored, input, true);
    }
    let object = result.object;
    if (manager === KUBECTL_MANAGER && hasLastApplied(object)) object = withLastApplied(object, buildLastApplied(config));
    const managedFields = encodeManagedFields(result.managers);
    return { ...object, metadata: { ...object.metadata, ...(managedFields ? { managedFields } : {}) } };
  } catch (e) {
    if (e instanceof ApplyConflicts) throw conflictError(e.conflicts);
    if (e instanceof TypedValueError) throw errors.badRequest(`failed to apply the configuration: ${e.message}`);
    throw e;
  }
}

function applyOnce(ctx: OwnershipContext, live: KObject, stored: Managers, input: ApplyInput, force: boolean): { object: KObject; managers: Managers } {
  // An object nobody manages yet: what it holds belongs to "before-first-apply".
  const managers = stored.size === 0 ? recordUpdateOf(ctx, emptyObject(ctx), live, stored, BEFORE_FIRST_APPLY) : stored;
  const entry = { manager: input.manager, operation: 'Apply' as const, apiVersion: ctx.apiVersion, subresource: ctx.subresource };
  const id = managerId(entry);
  const result = applyOwnership(updaterContext(ctx), live, input.config, managers, id, entry, force);
  stripMeta(result.managers, id);
  if (!result.changed) return { object: live, managers: result.managers };
  const applier = result.managers.get(id);
  if (applier) result.managers.set(id, { ...applier, time: ctx.now });
  return { object: result.object as KObject, managers: result.managers };
}
