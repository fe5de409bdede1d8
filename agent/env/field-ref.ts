// Values of the downward API, shared by env (fieldRef, resourceFieldRef) and
// downwardAPI volumes, as the kubelet computes them
// (podFieldSelectorRuntimeValue, ExtractContainerResourceValue).

import { parseQuantity } from '../../api/validation/quantity.ts';
import type { KObject } from '../../client/types.ts';
import type { Container, ObjectFieldSelector, PodSpec, ResourceFieldSelector } from '../pod-types.ts';

export interface PodRuntimeInfo {
  podIPs: string[];
  hostIPs: string[];
  /** The node's allocatable cpu/memory/ephemeral-storage: the limit of a container without one. */
  allocatable: Record<string, string>;
}

export class FieldRefError extends Error {}

/** metadata.labels / metadata.annotations as the downward API formats a map: sorted `key="value"` lines. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

const SUBSCRIPTED = /^metadata\.(labels|annotations)\['(.*)'\]$/;

export function fieldRefValue(pod: KObject, ref: ObjectFieldSelector, info: PodRuntimeInfo): string {
  const m = pod.metadata;
  const spec = pod.spec as PodSpec;
  const sub = SUBSCRIPTED.exec(ref.fieldPath);
  if (sub) return (sub[1] === 'labels' ? m.labels : m.annotations)?.[sub[2]] ?? '';
  switch (ref.fieldPath) {
    case 'metadata.name':
      return m.name ?? '';
    case 'metadata.namespace':
      return m.namespace ?? '';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'metadata.labels':
      return formatMap(m.labels);
    case 'metadata.annotations':
      return formatMap(m.annotations);
    case 'spec.nodeName':
      return spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return spec.serviceAccountName ?? '';
    case 'status.hostIP':
      return info.hostIPs[0] ?? '';
    case 'status.hostIPs':
      return info.hostIPs.join(',');
    case 'status.podIP':
      return info.podIPs[0] ?? '';
    case 'status.podIPs':
      return info.podIPs.join(',');
  }
  throw new FieldRefError(`unsupported fieldPath: ${ref.fieldPath}`);
}

/** resourceFieldRef: the container's limit or request divided by divisor, rounded up; a missing limit is the node's allocatable. */
export function resourceFieldValue(spec: PodSpec, container: Container | undefined, ref: ResourceFieldSelector, info: PodRuntimeInfo): string {
  const c = ref.containerName ? [...(spec.containers ?? []), ...(spec.initContainers ?? [])].find((x) => x.name === ref.containerName) : container;
  if (!c) throw new FieldRefError(`container ${ref.containerName} not found`);
  const [kind, resource] = ref.resource.split('.', 2) as ['limits' | 'requests', string];
  if ((kind !== 'limits' && kind !== 'requests') || !['cpu', 'memory', 'ephemeral-storage'].includes(resource)) {
    throw new FieldRefError(`unsupported container resource : ${ref.resource}`);
  }
  let raw = c.resources?.[kind]?.[resource];
  if (raw === undefined && kind === 'limits') raw = info.allocatable[resource];
  const value = raw === undefined ? 0 : (parseQuantity(raw) ?? 0);
  const divisor = parseQuantity(ref.divisor ?? '1') || 1;
  if (resource === 'cpu') {
    // In millis, as the kubelet does: ceil(milliValue / divisor.milliValue).
    return String(Math.ceil(Math.round(value * 1000) / Math.round(divisor * 1000)));
  }
  return String(Math.ceil(value / divisor));
}
