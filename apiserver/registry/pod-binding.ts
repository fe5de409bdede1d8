// The pods/binding subresource (core/v1 Binding): how a scheduler assigns a
// pod to a node. As Kubernetes' BindingREST, one compare-and-set write of the
// stored pod sets spec.nodeName (only while it is unset), merges the
// Binding's annotations and sets the PodScheduled=True condition. The write
// goes to the store directly, not through the pod strategy, because spec and
// status change together, which neither a PUT nor the status subresource may
// do; managedFields are left alone, as upstream leaves them.

import { findResource } from '../../api/kinds.ts';
import { notSupported, required, type FieldError } from '../../api/field-error.ts';
import { StoreError } from '../../store/errors.ts';
import { errors, successStatus, type Status } from '../errors.ts';
import { decode, encode } from './codec.ts';
import { objectKey } from './keys.ts';
import { isObject, timestamp, type KObject } from './object.ts';
import type { Registry } from './registry.ts';

const PODS = findResource('', 'v1', 'pods')!;
/** What conflicts are reported on, as upstream's NewConflict(Resource("pods/binding")). */
const PODS_BINDING = { group: '', resource: 'pods/binding' };
const MAX_ATTEMPTS = 16;

export interface PodSubresourceOptions {
  dryRun?: boolean;
  now?: () => Date;
  /** The field manager of writes made on the way (eviction's DisruptionTarget condition). */
  manager?: string;
}

interface PodCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** A Status Success as a created subresource answers it (HTTP 201, code 201). */
export function createdStatus(): Status {
  return { ...successStatus(), code: 201 };
}

/** Request-level checks shared by binding and eviction: the body names the pod of the URL. */
export function checkNames(kind: string, obj: KObject, namespace: string | undefined, name: string): void {
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  if (meta.namespace && namespace && meta.namespace !== namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (meta.name !== name) throw errors.badRequest(`name in URL does not match name in ${kind} object`);
}

function validateBinding(binding: KObject): FieldError[] {
  const target = isObject(binding.target) ? binding.target : {};
  const errs: FieldError[] = [];
  const kind = typeof target.kind === 'string' ? target.kind : '';
  if (kind !== '' && kind !== 'Node') errs.push(notSupported('target.kind', kind, ['Node', '<empty>']));
  if (typeof target.name !== 'string' || target.name === '') errs.push(required('target.name'));
  return errs;
}

/**
 * Sets `condition` in a pod status the way Kubernetes' UpdatePodCondition
 * does: lastTransitionTime moves only when the condition's status changes.
 */
export function setPodCondition(status: Record<string, unknown>, condition: PodCondition, now: Date): void {
  const conditions = Array.isArray(status.conditions) ? [...(status.conditions as PodCondition[])] : [];
  const i = conditions.findIndex((c) => c.type === condition.type);
  const old = i >= 0 ? conditions[i] : undefined;
  const next: PodCondition = { ...condition, lastTransitionTime: old && old.status === condition.status && old.lastTransitionTime ? old.lastTransitionTime : timestamp(now) };
  if (i >= 0) conditions[i] = next;
  else conditions.push(next);
  status.conditions = conditions;
}

/** POST pods/{name}/binding: assigns the pod to binding.target.name. */
export async function bindPod(registry: Registry, namespace: string | undefined, name: string, binding: KObject, opts: PodSubresourceOptions = {}): Promise<Status> {
  checkNames('Binding', binding, namespace, name);
  const errs = validateBinding(binding);
  if (errs.length) throw errors.invalid('', 'Binding', name, errs);
  const nodeName = (binding.target as { name: string }).name;
  const meta = binding.metadata;
  const now = (opts.now ?? (() => new Date()))();
  const key = objectKey(PODS, namespace, name);
  for (let attempt = 0; ; attempt++) {
    const kv = await registry.store.get(key);
    if (!kv) throw errors.notFound(PODS, name);
    const pod = decode(kv);
    if (meta.uid && meta.uid !== pod.metadata.uid) {
      throw errors.conflict(PODS, name, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${pod.metadata.uid}`);
    }
    if (meta.resourceVersion && meta.resourceVersion !== pod.metadata.resourceVersion) {
      throw errors.conflict(PODS, name, `Precondition failed: ResourceVersion in precondition: ${meta.resourceVersion}, ResourceVersion in object meta: ${pod.metadata.resourceVersion}`);
    }
    const spec = isObject(pod.spec) ? pod.spec : (pod.spec = {});
    if (pod.metadata.deletionTimestamp) throw errors.conflict(PODS_BINDING, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (spec.nodeName) throw errors.conflict(PODS_BINDING, name, `pod ${name} is already assigned to node ${JSON.stringify(spec.nodeName)}`);
    if (Array.isArray(spec.schedulingGates) && spec.schedulingGates.length) {
      throw errors.conflict(PODS_BINDING, name, `pod ${name} has non-empty .spec.schedulingGates`);
    }
    spec.nodeName = nodeName;
    if (meta.annotations && Object.keys(meta.annotations).length) pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), ...meta.annotations };
    const status = isObject(pod.status) ? pod.status : (pod.status = {});
    setPodCondition(status, { type: 'PodScheduled', status: 'True', lastProbeTime: null }, now);
    if (opts.dryRun) return createdStatus();
    try {
      await registry.store.update(key, encode(pod), kv.modRevision);
      return createdStatus();
    } catch (e) {
      if (e instanceof StoreError && e.code === 'KeyNotFound') throw errors.notFound(PODS, name);
      if (e instanceof StoreError && e.code === 'Conflict' && !meta.resourceVersion && attempt < MAX_ATTEMPTS) continue;
      if (e instanceof StoreError && e.code === 'Conflict') throw errors.conflict(PODS, name);
      throw e;
    }
  }
}
