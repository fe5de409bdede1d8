// Per-kind rules of the registry, in one place (Kubernetes' "strategy"):
// who owns spec and who owns status, when metadata.generation moves, and what
// an object looks like when it is first created.

import type { ResourceInfo } from '../../api/kinds.ts';
import { parseQuantity } from '../../api/validation/quantity.ts';
import { isObject, jsonEqual, type KObject } from './object.ts';

/** Kinds whose spec changes bump metadata.generation (controllers compare it with status.observedGeneration). */
const GENERATION_TRACKED = new Set([
  'apps/deployments',
  'apps/replicasets',
  'batch/jobs',
  'batch/cronjobs',
  'networking.k8s.io/ingresses',
  'networking.k8s.io/ingressclasses',
  'autoscaling/horizontalpodautoscalers',
]);

/** Kinds whose status is written by their owner at create time (the agent registers a Node with its status). */
const STATUS_KEPT_ON_CREATE = new Set(['/nodes', '/events']);

export function resourceKey(info: { group: string; resource: string }): string {
  return `${info.group}/${info.resource}`;
}

export function hasStatusSubresource(info: ResourceInfo): boolean {
  return info.subresources.includes('status');
}

export function tracksGeneration(info: ResourceInfo): boolean {
  return GENERATION_TRACKED.has(resourceKey(info));
}

/** Everything but metadata and status: what a generation counts changes of. */
function specPart(obj: KObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'metadata' && k !== 'status' && k !== 'apiVersion' && k !== 'kind') out[k] = v;
  return out;
}

export function prepareForCreate(info: ResourceInfo, obj: KObject): void {
  if (tracksGeneration(info)) obj.metadata.generation = 1;
  else delete obj.metadata.generation;
  if (hasStatusSubresource(info) && !STATUS_KEPT_ON_CREATE.has(resourceKey(info))) {
    if (resourceKey(info) === '/pods') {
      obj.status = { phase: 'Pending', qosClass: podQosClass(obj) };
      // The ServiceAccount admission plugin's part: a pod runs as its namespace's `default` account unless told.
      if (isObject(obj.spec) && !obj.spec.serviceAccountName) obj.spec.serviceAccountName = obj.spec.serviceAccount ||= 'default';
    }
    else if (resourceKey(info) === '/namespaces') {
      obj.status = { phase: 'Active' };
      // Whatever the client sent, the namespace controller must finalize it (it empties the namespace).
      const spec = isObject(obj.spec) ? obj.spec : {};
      const finalizers = Array.isArray(spec.finalizers) ? (spec.finalizers as string[]) : [];
      obj.spec = { ...spec, finalizers: finalizers.includes('kubernetes') ? finalizers : [...finalizers, 'kubernetes'] };
    }
    else delete obj.status;
  }
}

/** Main-resource update: users own everything but status. */
export function prepareForUpdate(info: ResourceInfo, obj: KObject, old: KObject): void {
  if (hasStatusSubresource(info)) {
    if (old.status === undefined) delete obj.status;
    else obj.status = old.status;
  }
  if (resourceKey(info) === '/namespaces') {
    // spec.finalizers changes only through the finalize subresource.
    const oldSpec = isObject(old.spec) ? old.spec : {};
    const spec = isObject(obj.spec) ? { ...obj.spec } : {};
    if (oldSpec.finalizers === undefined) delete spec.finalizers;
    else spec.finalizers = oldSpec.finalizers;
    obj.spec = spec;
  }
  if (tracksGeneration(info)) {
    const gen = old.metadata.generation ?? 1;
    obj.metadata.generation = jsonEqual(specPart(obj), specPart(old)) ? gen : gen + 1;
  } else delete obj.metadata.generation;
}

/** Status-subresource update: only status changes; spec and metadata come from the stored object. */
export function prepareForStatusUpdate(obj: KObject, old: KObject): KObject {
  const out: KObject = { ...old, metadata: { ...old.metadata, resourceVersion: obj.metadata.resourceVersion } };
  if (obj.status === undefined) delete out.status;
  else out.status = obj.status;
  return out;
}

/** Namespace finalize subresource: only spec.finalizers changes. */
export function prepareForFinalize(obj: KObject, old: KObject): KObject {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const oldSpec = isObject(old.spec) ? old.spec : {};
  const out: KObject = { ...old, metadata: { ...old.metadata, resourceVersion: obj.metadata.resourceVersion }, spec: { ...oldSpec } };
  if (spec.finalizers === undefined) delete (out.spec as Record<string, unknown>).finalizers;
  else (out.spec as Record<string, unknown>).finalizers = spec.finalizers;
  return out;
}

/** The pod's QoS class, as the API server fills status.qosClass on create. */
export function podQosClass(pod: KObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const containers = [...asArray(spec.containers), ...asArray(spec.initContainers)];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const res = isObject(c.resources) ? c.resources : {};
    const req = isObject(res.requests) ? res.requests : {};
    const lim = isObject(res.limits) ? res.limits : {};
    for (const r of ['cpu', 'memory']) {
      const request = quantity(req[r]);
      const limit = quantity(lim[r]);
      if (request || limit) any = true;
      // An unset request defaults to the limit.
      if (!limit || (request !== undefined && request !== 0 && request !== limit)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** A quantity's value, or undefined when unset, zero or unparsable (zero quantities do not count for QoS). */
function quantity(v: unknown): number | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const n = parseQuantity(v);
  return n ? n : undefined;
}

function asArray(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}
