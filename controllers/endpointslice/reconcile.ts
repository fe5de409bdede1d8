// What the EndpointSlice controller writes for one Service, computed from
// the Service, its pods and its existing slices (Kubernetes'
// endpointslice reconciler, simplified where it only optimises churn):
//
// - Each pod with an IP (terminating ones included) becomes an endpoint with
//   conditions ready = serving && !terminating (or publishNotReadyAddresses),
//   serving = its Ready condition, terminating = it has a deletionTimestamp.
// - Endpoints are grouped by their ports (a named targetPort may resolve to
//   different numbers on different pods); each group fills slices of at most
//   MAX_ENDPOINTS_PER_SLICE.
// - An endpoint already in a slice of its group stays there (an update
//   rewrites only the slice that changed); new endpoints fill the slices
//   with room first, then new slices. Slices left empty, of a port set no
//   longer wanted, or of another address type are deleted.
// - A Service without endpoints keeps one placeholder slice (no ports, no
//   endpoints), as Kubernetes does, so readers can tell "none" from "not
//   synced yet".
// - A slice is written only when its endpoints, ports, labels or owner
//   differ; the trigger-time annotation rides along on writes only.

import type { KObject } from '../../client/types.ts';
import { HEADLESS_LABEL, TRIGGER_TIME_ANNOTATION, findPort, formatTriggerTime, isPodReady, podIp, shouldPodBeInEndpoints, shouldSetHostname, specOf, type ServicePort } from '../endpoints/pod-util.ts';

export const MAX_ENDPOINTS_PER_SLICE = 100;
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';

type Obj = Record<string, any>;

export interface SlicePlan {
  create: KObject[];
  update: KObject[];
  delete: KObject[];
}

export function endpointPorts(svc: KObject, pod: KObject): Obj[] {
  const spec = specOf(svc);
  const out: Obj[] = [];
  for (const sp of (spec.ports ?? []) as ServicePort[]) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol !== undefined ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

export function podToEndpoint(pod: KObject, svc: KObject): Obj {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = specOf(svc).publishNotReadyAddresses === true || (serving && !terminating);
  const ep: Obj = {
    addresses: [podIp(pod)],
    conditions: { ready, serving, terminating },
  };
  const pspec = specOf(pod);
  if (shouldSetHostname(pod, svc)) ep.hostname = pspec.hostname;
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  if (pspec.nodeName) ep.nodeName = pspec.nodeName;
  return ep;
}

/** Labels of a slice: the Service's own (minus the reserved ones), headless, the service name and the manager. */
export function sliceLabels(svc: KObject): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) {
    if (k === SERVICE_NAME_LABEL || k === MANAGED_BY_LABEL || k === HEADLESS_LABEL) continue;
    labels[k] = v;
  }
  if (specOf(svc).clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = svc.metadata.name!;
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  return labels;
}

const portsKey = (ports: Obj[]): string =>
  JSON.stringify([...ports].map((p) => [p.name ?? '', p.port ?? null, p.protocol ?? 'TCP', p.appProtocol ?? null]).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)));

export const endpointKey = (ep: Obj): string => (ep.addresses ?? []).join(',');

/** An endpoint as compared: the fields this controller sets, in a fixed order. */
function canonicalEndpoint(ep: Obj): string {
  const c = ep.conditions ?? {};
  const r = ep.targetRef ?? {};
  return JSON.stringify([ep.addresses ?? [], c.ready ?? null, c.serving ?? null, c.terminating ?? null, ep.hostname ?? null, r.kind ?? null, r.namespace ?? null, r.name ?? null, r.uid ?? null, ep.nodeName ?? null, ep.zone ?? null]);
}

const byAddress = (a: Obj, b: Obj): number => (endpointKey(a) < endpointKey(b) ? -1 : endpointKey(a) > endpointKey(b) ? 1 : 0);

function sameMap(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b).length && ka.every((k) => a![k] === b[k]);
}

/** generateName for slices of `name`: a slice name is a DNS subdomain (253), and 5 characters get appended. */
export function slicePrefix(name: string): string {
  return name.length + 1 <= 248 ? `${name}-` : name;
}

export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: true;
  blockOwnerDeletion: true;
}

/** Who the slices are for and what every slice of theirs carries. */
export interface SliceTarget {
  namespace: string;
  prefix: string;
  labels: Record<string, string>;
  owner: OwnerRef;
  /** The slice's annotations given the ones it has (a new slice has none). */
  annotations: (current: Record<string, string>) => Record<string, string>;
  /** Whether a difference in annotations alone is worth a write. */
  compareAnnotations: boolean;
  /** Keep one empty slice when there are no endpoints. */
  placeholder: boolean;
}

export interface Group {
  addressType: string;
  ports: Obj[];
  /** Endpoint key (its addresses) → endpoint. */
  endpoints: Map<string, Obj>;
}

export const groupKey = (addressType: string, ports: Obj[]): string => `${addressType}|${portsKey(ports)}`;

/** The desired groups for this Service and its selected pods. */
function desiredGroups(svc: KObject, pods: KObject[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  const headlessNoPorts = ((specOf(svc).ports ?? []) as unknown[]).length === 0 && specOf(svc).clusterIP === 'None';
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = headlessNoPorts ? [] : endpointPorts(svc, pod);
    const key = groupKey('IPv4', ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { addressType: 'IPv4', ports, endpoints: new Map() }));
    const ep = podToEndpoint(pod, svc);
    g.endpoints.set(endpointKey(ep), ep);
  }
  return groups;
}

export function planSlices(svc: KObject, pods: KObject[], existing: KObject[], triggerTime: number): SlicePlan {
  const target: SliceTarget = {
    namespace: svc.metadata.namespace!,
    prefix: slicePrefix(svc.metadata.name!),
    labels: sliceLabels(svc),
    owner: { apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true },
    annotations: (current) => {
      const out = { ...current };
      if (triggerTime) out[TRIGGER_TIME_ANNOTATION] = formatTriggerTime(triggerTime);
      else delete out[TRIGGER_TIME_ANNOTATION];
      return out;
    },
    compareAnnotations: false,
    placeholder: true,
  };
  return planGroups(target, desiredGroups(svc, pods), existing);
}

/** The writes that turn `existing` (the target's slices) into `groups`. */
export function planGroups(target: SliceTarget, groups: Map<string, Group>, existing: KObject[]): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const { labels, owner } = target;
  const withMeta = (slice: KObject): KObject => {
    const annotations = target.annotations(slice.metadata.annotations ?? {});
    slice.metadata = { ...slice.metadata, labels, annotations };
    if (Object.keys(annotations).length === 0) delete slice.metadata.annotations;
    return slice;
  };
  const metaSame = (s: KObject): boolean => sameMap(s.metadata.labels, labels) && (!target.compareAnnotations || sameMap(s.metadata.annotations, target.annotations(s.metadata.annotations ?? {})));
  const fresh = (g: { addressType: string; ports: Obj[] }, endpoints: Obj[]): KObject =>
    withMeta({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { generateName: target.prefix, namespace: target.namespace, ownerReferences: [owner] },
      addressType: g.addressType,
      endpoints,
      ports: g.ports,
    });
  const owned = (s: KObject): boolean => (s.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === owner.uid && r.kind === owner.kind);

  const byGroup = new Map<string, KObject[]>();
  const placeholderKey = groupKey('IPv4', []);
  for (const s of [...existing].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1))) {
    const key = groupKey((s as Obj).addressType, ((s as Obj).ports ?? []) as Obj[]);
    const keep = owned(s) && (groups.has(key) || (groups.size === 0 && target.placeholder && key === placeholderKey));
    if (!keep) {
      plan.delete.push(s);
      continue;
    }
    byGroup.set(key, [...(byGroup.get(key) ?? []), s]);
  }

  if (groups.size === 0) {
    if (!target.placeholder) return plan;
    // No endpoints: exactly one placeholder slice.
    const kept = byGroup.get(placeholderKey)?.find((s) => ((s as Obj).endpoints ?? []).length === 0);
    for (const list of byGroup.values()) for (const s of list) if (s !== kept) plan.delete.push(s);
    if (!kept) plan.create.push(fresh({ addressType: 'IPv4', ports: [] }, []));
    else if (!metaSame(kept)) plan.update.push(withMeta(structuredClone(kept)));
    return plan;
  }

  for (const [key, group] of groups) {
    const slices = byGroup.get(key) ?? [];
    const placed = new Set<string>();
    // Keep each endpoint in the slice that holds it.
    const contents = slices.map((s) => {
      const eps: Obj[] = [];
      for (const old of ((s as Obj).endpoints ?? []) as Obj[]) {
        const k = endpointKey(old);
        const want = group.endpoints.get(k);
        if (!want || placed.has(k) || eps.length >= MAX_ENDPOINTS_PER_SLICE) continue;
        placed.add(k);
        eps.push(want);
      }
      return eps;
    });
    const rest = [...group.endpoints.values()].filter((ep) => !placed.has(endpointKey(ep))).sort(byAddress);
    for (const eps of contents) while (rest.length && eps.length < MAX_ENDPOINTS_PER_SLICE) eps.push(rest.shift()!);
    slices.forEach((s, i) => {
      const eps = contents[i]!.sort(byAddress);
      if (eps.length === 0) {
        plan.delete.push(s);
        return;
      }
      const old = s as Obj;
      const same =
        metaSame(s) &&
        portsKey(old.ports ?? []) === portsKey(group.ports) &&
        JSON.stringify(((old.endpoints ?? []) as Obj[]).map(canonicalEndpoint)) === JSON.stringify(eps.map(canonicalEndpoint));
      if (!same) plan.update.push(withMeta({ ...structuredClone(s), endpoints: eps, ports: group.ports }));
    });
    while (rest.length) plan.create.push(fresh(group, rest.splice(0, MAX_ENDPOINTS_PER_SLICE)));
  }
  return plan;
}
