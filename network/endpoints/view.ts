// The endpoint view (network/types.ts) over shared informers: Services and
// the EndpointSlices labelled with their names. Kept as per-Service indexes so
// that a proxy's pick per connection is a map lookup, and so a change to one
// slice recomputes only its Service.

import type { InformerFactory } from '../../client/informer.ts';
import { R } from '../../client/resources.ts';
import type { KObject } from '../../client/types.ts';
import type { Endpoint, EndpointView, ServiceInfo, ServicePortRef } from '../types.ts';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const DEFAULT_AFFINITY_TIMEOUT = 10_800;

type Obj = Record<string, any>;

/** A Service's endpoints per slice port name ('' for an unnamed port). */
type PortEndpoints = Map<string, Endpoint[]>;

interface Waiter {
  uid: string;
  done: (out: boolean) => void;
}

function serviceInfo(svc: KObject): ServiceInfo {
  const spec: Obj = (svc as Obj).spec ?? {};
  return {
    namespace: svc.metadata.namespace!,
    name: svc.metadata.name!,
    type: spec.type ?? 'ClusterIP',
    clusterIP: spec.clusterIP,
    clusterIPs: spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []),
    externalName: spec.externalName,
    sessionAffinity: spec.sessionAffinity === 'ClientIP' ? 'ClientIP' : 'None',
    affinityTimeoutSeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT,
    ports: (spec.ports ?? []).map((p: Obj) => ({
      name: p.name ?? '',
      protocol: p.protocol ?? 'TCP',
      port: p.port,
      nodePort: p.nodePort,
    })),
  };
}

/** The endpoints one slice contributes, by port name. */
function sliceEndpoints(slice: Obj, into: PortEndpoints): void {
  if (slice.addressType && slice.addressType !== 'IPv4') return;
  for (const port of slice.ports ?? []) {
    if (typeof port.port !== 'number') continue;
    const list = into.get(port.name ?? '') ?? [];
    for (const ep of slice.endpoints ?? []) {
      const c: Obj = ep.conditions ?? {};
      // Kubernetes: a nil ready means ready; serving defaults to ready; terminating to false.
      const ready = c.ready !== false;
      const ref = ep.targetRef?.kind === 'Pod' ? ep.targetRef : undefined;
      for (const ip of ep.addresses ?? []) {
        list.push({
          ip,
          port: port.port,
          pod: ref ? { namespace: ref.namespace ?? slice.metadata.namespace, name: ref.name, uid: ref.uid } : undefined,
          nodeName: ep.nodeName,
          ready,
          serving: c.serving ?? ready,
          terminating: c.terminating ?? false,
        });
      }
    }
    into.set(port.name ?? '', list);
  }
}

function byAddress(a: Endpoint, b: Endpoint): number {
  return a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.port - b.port;
}

export class InformerEndpointView implements EndpointView {
  private readonly svcs = new Map<string, ServiceInfo>();
  /** Service key → the names of its slices. */
  private readonly slicesOf = new Map<string, Set<string>>();
  private readonly ports = new Map<string, PortEndpoints>();
  /** How many Service ports list a pod (by uid) as ready. */
  private readonly readyPods = new Map<string, number>();
  private readonly listeners: ((namespace: string, name: string) => void)[] = [];
  private waiters: Waiter[] = [];

  constructor(private readonly informers: InformerFactory) {
    const services = informers.for(R.services);
    const slices = informers.for(R.endpointslices);
    services.addHandler({
      add: (o) => this.serviceChanged(o),
      update: (_, o) => this.serviceChanged(o),
      delete: (o) => this.serviceDeleted(o),
    });
    slices.addHandler({
      add: (o) => this.sliceChanged(o),
      update: (old, o) => this.sliceChanged(o, old),
      delete: (o) => this.sliceChanged(o),
    });
  }

  service(namespace: string, name: string): ServiceInfo | undefined {
    return this.svcs.get(`${namespace}/${name}`);
  }

  services(): Iterable<ServiceInfo> {
    return this.svcs.values();
  }

  endpoints(namespace: string, name: string, ref: ServicePortRef): Endpoint[] {
    const key = `${namespace}/${name}`;
    const svc = this.svcs.get(key);
    if (!svc) return [];
    const port = 'number' in ref ? svc.ports.find((p) => p.port === ref.number) : svc.ports.find((p) => p.name === ref.name);
    if (!port) return [];
    return this.ports.get(key)?.get(port.name) ?? [];
  }

  onChange(listener: (namespace: string, name: string) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  waitOutOfRotation(podUid: string, timeoutMs: number): Promise<boolean> {
    if (!this.readyPods.has(podUid)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        uid: podUid,
        done: (out) => {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(out);
        },
      };
      const timer = setTimeout(() => waiter.done(false), timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private serviceChanged(svc: KObject): void {
    const info = serviceInfo(svc);
    this.svcs.set(`${info.namespace}/${info.name}`, info);
    this.recompute(info.namespace, info.name);
  }

  private serviceDeleted(svc: KObject): void {
    const ns = svc.metadata.namespace!;
    const name = svc.metadata.name!;
    this.svcs.delete(`${ns}/${name}`);
    this.recompute(ns, name);
  }

  private sliceChanged(slice: KObject, old?: KObject): void {
    const ns = slice.metadata.namespace!;
    const was = old?.metadata.labels?.[SERVICE_NAME_LABEL];
    const now = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (was && was !== now) this.recompute(ns, was);
    if (now) this.recompute(ns, now);
  }

  /** Rebuilds one Service's endpoints from the slice cache, then tells listeners and waiters. */
  private recompute(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const before = this.ports.get(key);
    const after: PortEndpoints = new Map();
    if (this.svcs.has(key)) {
      const slices = this.informers.for(R.endpointslices).list(namespace);
      for (const s of slices) if (s.metadata.labels?.[SERVICE_NAME_LABEL] === name) sliceEndpoints(s, after);
      for (const list of after.values()) list.sort(byAddress);
    }
    this.countReady(before, -1);
    this.countReady(after, +1);
    if (after.size > 0) this.ports.set(key, after);
    else this.ports.delete(key);
    for (const l of this.listeners) l(namespace, name);
    for (const w of [...this.waiters]) if (!this.readyPods.has(w.uid)) w.done(true);
  }

  private countReady(ports: PortEndpoints | undefined, delta: number): void {
    if (!ports) return;
    for (const list of ports.values()) {
      for (const ep of list) {
        if (!ep.ready || !ep.pod) continue;
        const n = (this.readyPods.get(ep.pod.uid) ?? 0) + delta;
        if (n > 0) this.readyPods.set(ep.pod.uid, n);
        else this.readyPods.delete(ep.pod.uid);
      }
    }
  }
}
