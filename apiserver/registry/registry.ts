// The generic registry: create, get, list, update, delete and watch for every
// resource, with Kubernetes' metadata semantics (uid, creationTimestamp,
// generation, generateName, finalizers, graceful deletion), the spec/status
// split, defaulting, validation, namespace lifecycle and field ownership
// (metadata.managedFields, computed by ../apply/). Handlers call it
// with already decoded objects; it talks to the store and nothing else.

import { findResource, groupVersion, storageInfo, type ResourceInfo } from '../../api/kinds.ts';
import { applyDefaults } from '../../api/defaults/index.ts';
import { validateObject } from '../../api/validation/index.ts';
import { managedFieldsAfterUpdate } from '../apply/field-manager.ts';
import { ownershipScope } from '../apply/scope.ts';
import type { FieldError } from '../../api/field-error.ts';
import type { Store } from '../../store/types.ts';
import { StoreError } from '../../store/errors.ts';
import { ApiError, errors } from '../errors.ts';
import { fromStorage, toStorage } from './convert.ts';
import { decode, decodeWritten, encode } from './codec.ts';
import { objectKey } from './keys.ts';
import { clone, generateName, isObject, jsonEqual, newUid, timestamp, type KObject } from './object.ts';
import { AllocationError, ServiceAllocator } from './service-allocator.ts';
import { prepareForCreate, prepareForFinalize, prepareForStatusUpdate, prepareForUpdate, resourceKey, tracksGeneration } from './strategy.ts';

export interface WriteOptions {
  dryRun?: boolean;
  /**
   * Who writes, for metadata.managedFields (see ../apply/README.md). An
   * Update records what the write changes under that manager (through a
   * subresource if given, else the one written); Apply keeps the
   * managedFields the apply computed, on the object created or returned by
   * mutate. Without it (writes from inside the server) an update keeps the
   * stored managedFields and a created object has none.
   */
  manager?: WriteManager;
}

export type WriteManager = { operation: 'Update'; name: string; subresource?: 'status' | 'scale' | 'finalize' } | { operation: 'Apply' };

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** How many times a read-modify-write retries after losing a race (GuaranteedUpdate). */
const MAX_UPDATE_ATTEMPTS = 16;

const NAMESPACES = findResource('', 'v1', 'namespaces')!;

export class Registry {
  readonly services: ServiceAllocator;

  constructor(
    readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
    private readonly log: (msg: string, err?: unknown) => void = () => {},
  ) {
    this.services = new ServiceAllocator(store);
  }

  // ---- reads -------------------------------------------------------------

  /** The stored object in the served version of info. */
  async get(info: ResourceInfo, namespace: string | undefined, name: string): Promise<KObject> {
    const kv = await this.store.get(objectKey(info, namespace, name));
    if (!kv) throw errors.notFound(info, name);
    return fromStorage(info, decode(kv));
  }

  // ---- writes ------------------------------------------------------------

  async create(info: ResourceInfo, namespace: string | undefined, input: KObject, opts: WriteOptions = {}): Promise<KObject> {
    const obj = toStorage(info, clone(input));
    if (!isObject(obj.metadata)) obj.metadata = {};
    const meta = obj.metadata;
    const requestedManagedFields = meta.managedFields;
    if (info.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace ?? meta.namespace;
    } else delete meta.namespace;
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    meta.uid = newUid();
    meta.creationTimestamp = timestamp(this.clock());
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.managedFields;
    delete meta.selfLink;
    prepareForCreate(info, obj);
    this.applyDefaults(info, obj);
    this.validate(info, obj);
    this.setManagedFields(info, obj, undefined, requestedManagedFields, opts.manager);
    if (info.namespaced) await this.checkNamespaceOpen(info, meta.namespace!, meta.name!);
    if (opts.dryRun) return fromStorage(info, obj);
    const key = objectKey(info, meta.namespace, meta.name!);
    const allocation = isService(info) ? await this.allocate(info, obj, () => this.services.allocate(obj, key)) : undefined;
    try {
      const kv = await this.store.create(key, encode(obj));
      await allocation?.commit();
      return fromStorage(info, decodeWritten(obj, kv));
    } catch (e) {
      await allocation?.rollback();
      if (e instanceof StoreError && e.code === 'KeyExists') throw errors.alreadyExists(info, meta.name!);
      throw e;
    }
  }

  /** Runs a Service allocation, turning allocation failures into 422 Invalid. */
  private async allocate<T>(info: ResourceInfo, obj: KObject, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof AllocationError) throw errors.invalid(info.group, info.kind, obj.metadata.name ?? '', e.fieldErrors);
      throw e;
    }
  }

  /**
   * PUT: replaces the object (or its status). A resourceVersion in the body
   * is a precondition; without one the write applies to whatever is stored.
   */
  async update(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    input: KObject,
    opts: WriteOptions & { subresource?: 'status' | 'finalize' } = {},
  ): Promise<KObject> {
    const wantRv = input.metadata?.resourceVersion;
    if (input.metadata?.name && input.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${input.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (info.namespaced && input.metadata?.namespace && namespace && input.metadata.namespace !== namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    return this.guaranteedUpdate(info, namespace, name, opts, () => clone(input), wantRv || undefined, opts.subresource);
  }

  /**
   * Read-modify-write with retries on conflict: `mutate` receives the current
   * object (served version) and returns the desired one. A precondition
   * resourceVersion turns a lost race into 409 Conflict instead of a retry.
   */
  async guaranteedUpdate(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    opts: WriteOptions,
    mutate: (current: KObject) => KObject | Promise<KObject>,
    preconditionRv?: string,
    subresource?: 'status' | 'finalize',
  ): Promise<KObject> {
    const key = objectKey(info, namespace, name);
    for (let attempt = 0; ; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) throw errors.notFound(info, name);
      const stored = decode(kv);
      const current = fromStorage(info, clone(stored));
      if (preconditionRv !== undefined && preconditionRv !== String(kv.modRevision)) throw errors.conflict(info, name);
      const desired = await mutate(current);
      if (!isObject(desired) || !isObject(desired.metadata)) throw errors.badRequest('the object has no metadata');
      if (desired.metadata.uid && desired.metadata.uid !== stored.metadata.uid) {
        throw errors.conflict(info, name, `Precondition failed: UID in precondition: ${desired.metadata.uid}, UID in object meta: ${stored.metadata.uid}`);
      }
      const requestedManagedFields = desired.metadata.managedFields;
      let next = toStorage(info, clone(desired));
      if (subresource === 'status') next = prepareForStatusUpdate(next, stored);
      else if (subresource === 'finalize') next = prepareForFinalize(next, stored);
      else {
        keepSystemMetadata(next, stored);
        if (isService(info)) this.services.carryOver(next, stored);
        // Defaults first, so that an unchanged manifest compares equal to what is stored.
        this.applyDefaults(info, next);
        prepareForUpdate(info, next, stored);
      }
      this.validate(info, next, stored);
      this.setManagedFields(info, next, stored, requestedManagedFields, opts.manager, subresource);
      delete next.metadata.resourceVersion;
      const finalized = !!next.metadata.deletionTimestamp && !hasPendingFinalizers(info, next);
      if (!finalized && jsonEqual(next, withoutRv(stored))) return fromStorage(info, decode(kv)); // no-op: nothing written
      if (opts.dryRun) return fromStorage(info, { ...next, metadata: { ...next.metadata, resourceVersion: String(kv.modRevision) } });
      const allocation = isService(info) && !subresource && !finalized ? await this.allocate(info, next, () => this.services.reallocate(next, stored, key)) : undefined;
      try {
        if (finalized) {
          // The last finalizer is gone from an object being deleted: it goes now.
          const { revision } = await this.store.delete(key, kv.modRevision);
          if (isService(info)) await this.services.release(stored);
          return fromStorage(info, { ...next, metadata: { ...next.metadata, resourceVersion: String(revision) } });
        }
        const written = await this.store.update(key, encode(next), kv.modRevision);
        await allocation?.commit();
        return fromStorage(info, decodeWritten(next, written));
      } catch (e) {
        await allocation?.rollback();
        if (e instanceof StoreError && (e.code === 'Conflict' || e.code === 'KeyNotFound')) {
          if (preconditionRv !== undefined) throw errors.conflict(info, name);
          if (e.code === 'KeyNotFound') throw errors.notFound(info, name);
          if (attempt < MAX_UPDATE_ATTEMPTS) continue;
          throw errors.conflict(info, name);
        }
        throw e;
      }
    }
  }

  /**
   * DELETE. Objects with finalizers, namespaces and pods running on a node are
   * marked (deletionTimestamp) and go when their finalizers are removed;
   * everything else goes at once. Returns the object as last seen.
   */
  async delete(info: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<{ object: KObject; deleted: boolean }> {
    const key = objectKey(info, namespace, name);
    for (let attempt = 0; ; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) throw errors.notFound(info, name);
      const obj = decode(kv);
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== obj.metadata.uid) {
        throw errors.conflict(info, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== String(kv.modRevision)) {
        throw errors.conflict(info, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${kv.modRevision}`);
      }
      const plan = this.deletionPlan(info, obj, opts);
      try {
        if (plan.immediate) {
          if (opts.dryRun) return { object: fromStorage(info, obj), deleted: true };
          const { revision } = await this.store.delete(key, kv.modRevision);
          if (isService(info)) await this.services.release(obj);
          obj.metadata.resourceVersion = String(revision);
          return { object: fromStorage(info, obj), deleted: true };
        }
        if (!plan.changed) return { object: fromStorage(info, obj), deleted: false };
        if (opts.dryRun) return { object: fromStorage(info, plan.object), deleted: false };
        const written = await this.store.update(key, encode(plan.object), kv.modRevision);
        return { object: fromStorage(info, decode(written)), deleted: false };
      } catch (e) {
        if (e instanceof StoreError && e.code === 'Conflict' && attempt < MAX_UPDATE_ATTEMPTS) continue;
        if (e instanceof StoreError && e.code === 'KeyNotFound') throw errors.notFound(info, name);
        throw e;
      }
    }
  }

  /** What a delete does to obj: remove it now, or mark it (and with which finalizers). */
  private deletionPlan(info: ResourceInfo, stored: KObject, opts: DeleteOptions): { immediate: boolean; changed: boolean; object: KObject } {
    const obj = clone(stored);
    const meta = obj.metadata;
    const finalizers = [...(meta.finalizers ?? [])];
    const policy = opts.propagationPolicy;
    const addFinalizer = policy === 'Foreground' ? 'foregroundDeletion' : policy === 'Orphan' ? 'orphan' : undefined;
    if (addFinalizer && !finalizers.includes(addFinalizer)) finalizers.push(addFinalizer);
    if (policy && policy !== 'Orphan') removeFrom(finalizers, 'orphan');
    if (policy && policy !== 'Foreground') removeFrom(finalizers, 'foregroundDeletion');
    const key = resourceKey(info);
    let grace = 0;
    if (key === '/pods') grace = this.podGracePeriod(obj, opts);
    const isNamespace = key === '/namespaces';
    const namespaceFinalizers = isNamespace && isObject(obj.spec) && Array.isArray(obj.spec.finalizers) && obj.spec.finalizers.length > 0;
    if (finalizers.length === 0 && grace === 0 && !namespaceFinalizers) return { immediate: true, changed: true, object: obj };
    const now = this.clock();
    let changed = !jsonEqual(finalizers, meta.finalizers ?? []);
    if (finalizers.length) meta.finalizers = finalizers;
    else delete meta.finalizers;
    if (!meta.deletionTimestamp) {
      meta.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
      meta.deletionGracePeriodSeconds = grace;
      // Controllers learn of the deletion through a generation they have not observed yet.
      if (tracksGeneration(info)) meta.generation = (meta.generation ?? 0) + 1;
      changed = true;
    } else if (key === '/pods' && grace < (meta.deletionGracePeriodSeconds ?? 0)) {
      // A second delete may only shorten a pod's grace period.
      meta.deletionTimestamp = timestamp(new Date(now.getTime() + grace * 1000));
      meta.deletionGracePeriodSeconds = grace;
      changed = true;
    }
    if (isNamespace && isObject(obj.status) && obj.status.phase !== 'Terminating') {
      obj.status = { ...obj.status, phase: 'Terminating' };
      changed = true;
    }
    return { immediate: false, changed, object: obj };
  }

  /** A pod bound to a node stops gracefully there; an unbound or finished pod has nothing to stop. */
  private podGracePeriod(pod: KObject, opts: DeleteOptions): number {
    const spec = isObject(pod.spec) ? pod.spec : {};
    const status = isObject(pod.status) ? pod.status : {};
    if (!spec.nodeName || status.phase === 'Succeeded' || status.phase === 'Failed') return 0;
    const g = opts.gracePeriodSeconds ?? (typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30);
    return Math.max(0, g);
  }

  /**
   * metadata.managedFields of obj, about to be stored over stored (undefined
   * for a create): see WriteOptions.manager. Ownership is computed on the
   * objects in the request's version.
   */
  private setManagedFields(
    info: ResourceInfo,
    obj: KObject,
    stored: KObject | undefined,
    requested: unknown,
    manager: WriteManager | undefined,
    subresource?: 'status' | 'finalize',
  ): void {
    let entries: unknown;
    if (!manager) entries = stored?.metadata.managedFields;
    else if (manager.operation === 'Apply') entries = requested;
    else {
      const sub = manager.subresource ?? subresource;
      const ctx = { model: info.model, apiVersion: groupVersion(info), kind: info.kind, subresource: sub, scope: ownershipScope(info, sub), now: timestamp(this.clock()) };
      entries = managedFieldsAfterUpdate(ctx, {
        live: stored && servedView(info, stored),
        next: servedView(info, obj),
        requested,
        manager: manager.name,
      });
    }
    if (Array.isArray(entries)) obj.metadata.managedFields = entries;
    else delete obj.metadata.managedFields;
  }

  private applyDefaults(info: ResourceInfo, obj: KObject): void {
    const sinfo = storageInfo(info);
    try {
      applyDefaults(sinfo.group, sinfo.kind, obj);
    } catch (e) {
      this.log(`defaulting of ${sinfo.kind} failed unexpectedly`, e);
      throw errors.badRequest(`malformed ${sinfo.kind}: ${(e as Error).message}`);
    }
  }

  /** Validates in the version the client sent (events.k8s.io Events have their own rules), with field paths of that version. */
  private validate(info: ResourceInfo, obj: KObject, old?: KObject): void {
    let errs: FieldError[];
    try {
      errs = validateObject(info.group, info.kind, servedView(info, obj), { namespaced: info.namespaced, old: old && servedView(info, old) });
    } catch (e) {
      // A validator that trips over a malformed object must not turn bad input into a 500.
      this.log(`validation of ${info.kind} failed unexpectedly`, e);
      errs = [{ type: 'FieldValueInvalid', field: '<object>', value: '', detail: `malformed object: ${(e as Error).message}` }];
    }
    if (errs.length) throw errors.invalid(info.group, info.kind, obj.metadata.name ?? obj.metadata.generateName ?? '', errs);
  }

  private async checkNamespaceOpen(info: ResourceInfo, namespace: string, name: string): Promise<void> {
    const kv = await this.store.get(objectKey(NAMESPACES, undefined, namespace));
    if (!kv) throw errors.notFound(NAMESPACES, namespace);
    // Every create reads its namespace: parse it only when it may be terminating.
    if (!kv.value.includes('"deletionTimestamp"')) return;
    const ns = decode(kv);
    if (ns.metadata.deletionTimestamp) {
      throw errors.forbidden(info, name, `unable to create new content in namespace ${namespace} because it is being terminated`, [
        { reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' },
      ]);
    }
  }
}

/**
 * What still holds an object marked for deletion: its finalizers, a
 * namespace's spec.finalizers (the namespace controller empties them), and a
 * pod on a node until its agent confirms the containers stopped (grace 0).
 */
function hasPendingFinalizers(info: ResourceInfo, obj: KObject): boolean {
  if (obj.metadata.finalizers?.length) return true;
  const key = resourceKey(info);
  if (key === '/namespaces' && isObject(obj.spec) && Array.isArray(obj.spec.finalizers) && obj.spec.finalizers.length) return true;
  return key === '/pods' && (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0;
}

/** Metadata that only the server sets survives a user's update unchanged. */
function keepSystemMetadata(next: KObject, stored: KObject): void {
  const m = next.metadata;
  const s = stored.metadata;
  m.uid = s.uid;
  m.creationTimestamp = s.creationTimestamp;
  m.namespace = s.namespace;
  m.name = s.name;
  if (s.deletionTimestamp) {
    m.deletionTimestamp = s.deletionTimestamp;
    m.deletionGracePeriodSeconds = s.deletionGracePeriodSeconds;
  } else {
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
  }
  if (s.generateName !== undefined && m.generateName === undefined) m.generateName = s.generateName;
  delete m.managedFields;
  delete m.selfLink;
}

/** A stored object as the resource's version serves it (a copy only when the versions differ). */
function servedView(info: ResourceInfo, obj: KObject): KObject {
  const s = info.storage;
  return s.group === info.group && s.version === info.version ? obj : fromStorage(info, clone(obj));
}

function isService(info: ResourceInfo): boolean {
  return info.group === '' && info.resource === 'services';
}

function removeFrom(list: string[], item: string): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

function withoutRv(obj: KObject): KObject {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}


export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
