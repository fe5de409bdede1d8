// The cluster's DNS data, indexed for lookups that never scan every Service:
// per Service (namespace/name) its spec as DNS needs it and its endpoints
// merged from its EndpointSlices (label kubernetes.io/service-name), and per
// IP the Services and endpoints that own it (for PTR). Kept up to date by
// handlers on the shared Service and EndpointSlice informers, so answers are
// read synchronously. An endpoint counts when it is ready (conditions.ready
// true or unset, as EndpointSlice consumers must read it) or when its
// Service has publishNotReadyAddresses.

import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Informer } from '../../client/informer.ts';
import type { KObject } from '../../client/types.ts';
import { isIpv4 } from './names.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface PortRecord {
  /** '' for an unnamed port. */
  name: string;
  protocol: string;
  port: number;
}

export interface ServiceRecord {
  namespace: string;
  name: string;
  headless: boolean;
  /** The IPv4 ClusterIPs (empty for headless and ExternalName Services). */
  clusterIPs: string[];
  /** Set for type ExternalName: the CNAME target, without a trailing dot. */
  externalName?: string;
  ports: PortRecord[];
  publishNotReadyAddresses: boolean;
}

export interface EndpointRecord {
  ip: string;
  /** The endpoint's hostname, or its IP with dashes (10-42-0-5), as CoreDNS names it. */
  hostname: string;
  /** The slice's ports (target ports on the endpoint). */
  ports: PortRecord[];
}

/** A name that owns an IP, for PTR answers (relative to the cluster domain, without "svc"). */
export interface ReverseRecord {
  namespace: string;
  service: string;
  /** Set when the IP is an endpoint's rather than the ClusterIP. */
  hostname?: string;
}

interface Entry {
  svc?: ServiceRecord;
  slices: Map<string, EndpointSlice>;
  endpoints: EndpointRecord[];
}

const ipKey = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);

function toServiceRecord(obj: Service): ServiceRecord {
  const spec = obj.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  return {
    namespace: obj.metadata!.namespace!,
    name: obj.metadata!.name!,
    headless: type !== 'ExternalName' && spec.clusterIP === 'None',
    clusterIPs: type === 'ExternalName' ? [] : ips.filter(isIpv4),
    externalName: type === 'ExternalName' && spec.externalName ? spec.externalName.replace(/\.$/, '').toLowerCase() : undefined,
    ports: (spec.ports ?? []).map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port })),
    publishNotReadyAddresses: spec.publishNotReadyAddresses === true,
  };
}

function addTo(index: Map<string, Set<string>>, ip: string, key: string): void {
  let s = index.get(ip);
  if (!s) index.set(ip, (s = new Set()));
  s.add(key);
}

function removeFrom(index: Map<string, Set<string>>, ip: string, key: string): void {
  const s = index.get(ip);
  s?.delete(key);
  if (s?.size === 0) index.delete(ip);
}

export class ClusterRecords {
  private readonly entries = new Map<string, Entry>();
  private readonly serviceByIp = new Map<string, Set<string>>();
  private readonly endpointByIp = new Map<string, Set<string>>();
  private stopped = false;
  /** The SOA serial: seconds since the epoch of the last change, as CoreDNS reports it. */
  serial = Math.floor(Date.now() / 1000);

  /** Registers handlers on the shared informers (which replay their caches to a late handler). */
  attach(services: Informer, slices: Informer): void {
    services.addHandler({
      add: (o) => this.onService(o),
      update: (_old, o) => this.onService(o),
      delete: (o) => this.onServiceDeleted(o),
    });
    slices.addHandler({
      add: (o) => this.onSlice(undefined, o),
      update: (old, o) => this.onSlice(old, o),
      delete: (o) => this.onSlice(o, undefined),
    });
  }

  /** Informers cannot drop a handler: after stop() the handlers do nothing. */
  stop(): void {
    this.stopped = true;
  }

  service(namespace: string, name: string): ServiceRecord | undefined {
    return this.entries.get(`${namespace}/${name}`)?.svc;
  }

  /** The Service's endpoints that DNS publishes, ordered by IP then hostname. */
  endpoints(namespace: string, name: string): EndpointRecord[] {
    return this.entries.get(`${namespace}/${name}`)?.endpoints ?? [];
  }

  /** Who owns an IP: the Service with that ClusterIP if any (CoreDNS answers that alone), else the endpoints at it. */
  reverse(ip: string): ReverseRecord[] {
    const svcKeys = this.serviceByIp.get(ip);
    if (svcKeys?.size) {
      const [key] = [...svcKeys].sort();
      const svc = this.entries.get(key!)!.svc!;
      return [{ namespace: svc.namespace, service: svc.name }];
    }
    const out: ReverseRecord[] = [];
    for (const key of [...(this.endpointByIp.get(ip) ?? [])].sort()) {
      const [namespace, service] = key.split('/') as [string, string];
      for (const ep of this.entries.get(key)?.endpoints ?? []) {
        if (ep.ip === ip) out.push({ namespace, service, hostname: ep.hostname });
      }
    }
    return out;
  }

  private entry(key: string): Entry {
    let e = this.entries.get(key);
    if (!e) this.entries.set(key, (e = { slices: new Map(), endpoints: [] }));
    return e;
  }

  private onService(obj: KObject): void {
    if (this.stopped) return;
    const svc = toServiceRecord(obj as unknown as Service);
    const key = `${svc.namespace}/${svc.name}`;
    const e = this.entry(key);
    for (const ip of e.svc?.clusterIPs ?? []) removeFrom(this.serviceByIp, ip, key);
    e.svc = svc;
    for (const ip of svc.clusterIPs) addTo(this.serviceByIp, ip, key);
    this.recompute(key, e);
  }

  private onServiceDeleted(obj: KObject): void {
    if (this.stopped) return;
    const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
    const e = this.entries.get(key);
    if (!e) return;
    for (const ip of e.svc?.clusterIPs ?? []) removeFrom(this.serviceByIp, ip, key);
    e.svc = undefined;
    this.recompute(key, e);
  }

  private onSlice(old: KObject | undefined, obj: KObject | undefined): void {
    if (this.stopped) return;
    const keyOf = (o: KObject): string | undefined => {
      const svc = o.metadata.labels?.[SERVICE_NAME_LABEL];
      return svc ? `${o.metadata.namespace}/${svc}` : undefined;
    };
    const oldKey = old && keyOf(old);
    const newKey = obj && keyOf(obj);
    if (oldKey && oldKey !== newKey) {
      const e = this.entries.get(oldKey);
      if (e) {
        e.slices.delete(old!.metadata.name!);
        this.recompute(oldKey, e);
      }
    }
    if (newKey) {
      const e = this.entry(newKey);
      e.slices.set(obj!.metadata.name!, obj as unknown as EndpointSlice);
      this.recompute(newKey, e);
    }
  }

  /** Rebuilds one Service's endpoints and their reverse index; drops the entry once nothing is left of it. */
  private recompute(key: string, e: Entry): void {
    this.serial = Math.floor(Date.now() / 1000);
    const before = e.endpoints;
    const merged = new Map<string, EndpointRecord>();
    if (e.svc && !e.svc.externalName) {
      const all = e.svc.publishNotReadyAddresses;
      for (const slice of e.slices.values()) {
        if (slice.addressType !== 'IPv4') continue;
        const ports = (slice.ports ?? [])
          .filter((p) => typeof p.port === 'number')
          .map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port! }));
        for (const ep of slice.endpoints ?? []) {
          if (!all && ep.conditions?.ready === false) continue;
          for (const ip of ep.addresses ?? []) {
            if (!isIpv4(ip)) continue;
            const hostname = ep.hostname || ip.replaceAll('.', '-');
            const k = `${ip}|${hostname}`;
            const have = merged.get(k);
            if (!have) merged.set(k, { ip, hostname, ports: [...ports] });
            else for (const p of ports) if (!have.ports.some((q) => q.name === p.name && q.protocol === p.protocol && q.port === p.port)) have.ports.push(p);
          }
        }
      }
    }
    e.endpoints = [...merged.values()].sort((a, b) => ipKey(a.ip) - ipKey(b.ip) || a.hostname.localeCompare(b.hostname));
    const oldIps = new Set(before.map((x) => x.ip));
    const newIps = new Set(e.endpoints.map((x) => x.ip));
    for (const ip of oldIps) if (!newIps.has(ip)) removeFrom(this.endpointByIp, ip, key);
    for (const ip of newIps) if (!oldIps.has(ip)) addTo(this.endpointByIp, ip, key);
    if (!e.svc && e.slices.size === 0) this.entries.delete(key);
  }
}
