// Resource arithmetic for scheduling: what a pod requests and what a node
// can hold, as whole numbers (cpu in millicores, everything else in units:
// bytes, pods, devices), computed the way Kubernetes' resource helpers do.

import { parseQuantity } from '../api/validation/quantity.ts';
import type { KObject } from '../client/types.ts';

/** Resource name -> amount (cpu in millicores). */
export type ResourceList = Map<string, number>;

/** Requests of a container without cpu/memory requests, for scoring only (upstream's non-zero defaults). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

interface Container {
  resources?: { requests?: Record<string, string | number> };
  restartPolicy?: string;
}

/** A quantity as a whole amount of `name`; cpu in millicores. Rounds up, as Quantity.MilliValue/Value do. */
export function amount(name: string, q: unknown): number {
  if (typeof q !== 'string' && typeof q !== 'number') return 0;
  const v = parseQuantity(q);
  if (v === undefined) return 0;
  const scaled = name === 'cpu' ? v * 1000 : v;
  // Float noise ("0.3" * 1000 = 300.00000000000006) must not round up a whole amount.
  return Math.ceil(scaled - 1e-9 * Math.max(1, Math.abs(scaled)));
}

export function resourceList(obj: unknown): ResourceList {
  const out: ResourceList = new Map();
  if (typeof obj !== 'object' || obj === null) return out;
  for (const [name, q] of Object.entries(obj)) out.set(name, amount(name, q));
  return out;
}

function add(into: ResourceList, from: ResourceList): void {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v);
}

function maxInto(into: ResourceList, from: ResourceList): void {
  for (const [k, v] of from) if (v > (into.get(k) ?? 0)) into.set(k, v);
}

function containerRequests(c: Container, nonZero: boolean): ResourceList {
  const r = resourceList(c.resources?.requests);
  if (nonZero) {
    if (!r.has('cpu')) r.set('cpu', DEFAULT_MILLI_CPU_REQUEST);
    if (!r.has('memory')) r.set('memory', DEFAULT_MEMORY_REQUEST);
  }
  return r;
}

/**
 * What a pod needs on a node, as upstream's PodRequests: the sum over its
 * containers and sidecars (init containers with restartPolicy Always), or
 * more if an init container (plus the sidecars started before it) needs more,
 * plus spec.overhead. With nonZero, containers without cpu or memory
 * requests count the scoring defaults (100m, 200Mi).
 *
 * Example: containers 200m + 300m, init containers 800m then a 100m sidecar:
 * sum = 500m + 100m = 600m; init peak = 800m; the pod requests 800m.
 */
export function podRequests(pod: KObject, nonZero = false): ResourceList {
  const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[]; overhead?: Record<string, string> };
  const reqs: ResourceList = new Map();
  for (const c of spec.containers ?? []) add(reqs, containerRequests(c, nonZero));
  const sidecars: ResourceList = new Map();
  const initPeak: ResourceList = new Map();
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      add(reqs, r);
      add(sidecars, r);
      maxInto(initPeak, sidecars);
    } else {
      const running = new Map(r);
      add(running, sidecars);
      maxInto(initPeak, running);
    }
  }
  maxInto(reqs, initPeak);
  if (spec.overhead) add(reqs, resourceList(spec.overhead));
  return reqs;
}

/** status.allocatable of a node (capacity when allocatable is missing). */
export function allocatable(node: KObject): ResourceList {
  const status = (node.status ?? {}) as { allocatable?: Record<string, string>; capacity?: Record<string, string> };
  return resourceList(status.allocatable ?? status.capacity);
}

export function sumInto(into: ResourceList, from: ResourceList): void {
  add(into, from);
}
