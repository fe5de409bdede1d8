// core/v1 Endpoints subsets for one Service, as Kubernetes' endpoints
// controller builds them: one address per selected pod with an IP (not
// terminating unless publishNotReadyAddresses), ready pods in addresses and
// the others in notReadyAddresses, each Service port resolved per pod (a pod
// without the named port is not an endpoint of that port), then repacked
// (RepackSubsets): ports offered by exactly the same addresses share a
// subset. Kubernetes orders ports and subsets by a hash of their contents;
// here they are ordered by their contents, which is as stable.

import type { KObject } from '../../client/types.ts';
import { findPort, isPodReady, podIp, shouldPodBeInEndpoints, shouldSetHostname, specOf, type ServicePort } from './pod-util.ts';

type Obj = Record<string, any>;

interface Address {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
}

export interface Subset {
  addresses?: Address[];
  notReadyAddresses?: Address[];
  ports?: Obj[];
}

const NO_PORT = '{"port":-1}';

function address(pod: KObject, svc: KObject): Address {
  const spec = specOf(pod);
  const a: Address = { ip: podIp(pod)!, targetRef: { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! } };
  if (shouldSetHostname(pod, svc)) a.hostname = spec.hostname;
  if (spec.nodeName) a.nodeName = spec.nodeName;
  return { ip: a.ip, ...(a.hostname ? { hostname: a.hostname } : {}), ...(a.nodeName ? { nodeName: a.nodeName } : {}), targetRef: a.targetRef };
}

const addrKey = (a: Address): string => `${a.ip}/${a.targetRef.uid}`;
const byIpAndUid = (a: Address, b: Address): number => (addrKey(a) < addrKey(b) ? -1 : addrKey(a) > addrKey(b) ? 1 : 0);

export function endpointSubsets(svc: KObject, pods: KObject[]): Subset[] {
  const spec = specOf(svc);
  const tolerateUnready = spec.publishNotReadyAddresses === true;
  const ports = (spec.ports ?? []) as ServicePort[];
  const headlessNoPorts = ports.length === 0 && spec.clusterIP === 'None';
  /** Port (as JSON) → address key → [address, ready]. */
  const byPort = new Map<string, Map<string, [Address, boolean]>>();
  const offer = (port: string, a: Address, ready: boolean): void => {
    let m = byPort.get(port);
    if (!m) byPort.set(port, (m = new Map()));
    m.set(addrKey(a), [a, ready]);
  };
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const a = address(pod, svc);
    const ready = tolerateUnready || isPodReady(pod);
    if (headlessNoPorts) {
      offer(NO_PORT, a, ready);
      continue;
    }
    for (const sp of ports) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      offer(JSON.stringify({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol !== undefined ? { appProtocol: sp.appProtocol } : {}) }), a, ready);
    }
  }
  // Ports offered by the same addresses (with the same readiness) share a subset.
  const groups = new Map<string, { addrs: [Address, boolean][]; ports: string[] }>();
  for (const [port, addrs] of byPort) {
    const entries = [...addrs.values()].sort((x, y) => byIpAndUid(x[0], y[0]));
    const key = entries.map(([a, r]) => `${addrKey(a)}:${r}`).join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { addrs: entries, ports: [] }));
    if (port !== NO_PORT) g.ports.push(port);
  }
  const subsets = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => {
      const s: Subset = {};
      const ready = g.addrs.filter(([, r]) => r).map(([a]) => a);
      const notReady = g.addrs.filter(([, r]) => !r).map(([a]) => a);
      if (ready.length) s.addresses = ready;
      if (notReady.length) s.notReadyAddresses = notReady;
      if (g.ports.length) s.ports = g.ports.sort().map((p) => JSON.parse(p) as Obj);
      return s;
    });
  return subsets;
}

/** Subsets compared as Kubernetes does (ignoring the order of addresses and ports). */
export function subsetsEqual(a: Subset[] | undefined, b: Subset[]): boolean {
  const norm = (ss: Subset[] | undefined): string =>
    JSON.stringify(
      (ss ?? [])
        .map((s) => {
          const addr = (list?: Address[]) =>
            (list ?? [])
              .map((x) => JSON.stringify([x.ip, x.hostname ?? null, x.nodeName ?? null, x.targetRef?.kind ?? null, x.targetRef?.namespace ?? null, x.targetRef?.name ?? null, x.targetRef?.uid ?? null]))
              .sort();
          const ports = (s.ports ?? []).map((p) => JSON.stringify([p.name ?? '', p.port, p.protocol ?? 'TCP', p.appProtocol ?? null])).sort();
          return JSON.stringify([addr(s.addresses), addr(s.notReadyAddresses), ports]);
        })
        .sort(),
    );
  return norm(a) === norm(b);
}

/** An Endpoints object holds at most this many addresses; beyond, it is truncated and annotated. */
export const MAX_CAPACITY = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

/**
 * Kubernetes' truncateEndpoints: not-ready addresses go first; when the
 * ready ones alone exceed the capacity, every not-ready one goes and the
 * ready ones are cut. Each subset keeps its proportional share (rounded
 * up), the last one what remains. Example: 900 ready, and 300 + 100
 * not-ready in two subsets: 100 not-ready fit, 75 from the first subset
 * (ceil(300/400 × 100)) and 25 from the second. Returns whether it cut.
 */
export function truncateSubsets(subsets: Subset[]): boolean {
  let ready = 0;
  let notReady = 0;
  for (const s of subsets) {
    ready += s.addresses?.length ?? 0;
    notReady += s.notReadyAddresses?.length ?? 0;
  }
  if (ready + notReady <= MAX_CAPACITY) return false;
  const cutReady = ready > MAX_CAPACITY;
  const max = cutReady ? MAX_CAPACITY : MAX_CAPACITY - ready;
  const total = cutReady ? ready : notReady;
  let room = max;
  subsets.forEach((s, i) => {
    const n = (cutReady ? s.addresses : s.notReadyAddresses)?.length ?? 0;
    let take = i === subsets.length - 1 ? room : Math.ceil((n / total) * max);
    take = Math.min(take, room);
    if (cutReady) {
      s.addresses = (s.addresses ?? []).slice(0, take);
      delete s.notReadyAddresses;
      room -= s.addresses.length;
      if (!s.addresses.length) delete s.addresses;
    } else {
      s.notReadyAddresses = (s.notReadyAddresses ?? []).slice(0, take);
      room -= s.notReadyAddresses.length;
      if (!s.notReadyAddresses.length) delete s.notReadyAddresses;
    }
  });
  return true;
}
