// Answers for names in the cluster domain and for reverse names of cluster
// IPs, computed synchronously from ClusterRecords, with the records CoreDNS's
// kubernetes plugin gives (plugin/kubernetes/kubernetes.go, backend_lookup.go):
// A for a ClusterIP Service is its ClusterIP, for a headless one its ready
// endpoints; SRV targets are the Service name (ClusterIP, with the Service
// port) or HOSTNAME.SERVICE.NS.svc.ZONE (headless or endpoint names, with the
// endpoint's port), weights sharing 100, priority 0, the targets' A records
// in the additional section; ExternalName is a CNAME, followed here when the
// target is in the zone and by the server upstream otherwise. Unknown names
// are NXDOMAIN, known names without the type NODATA, both with the zone's
// SOA. The cluster is IPv4 only: AAAA is always NODATA.

import type { Answer, RecordType } from 'dns-packet';
import { inZone, normalizeName, parseClusterName, type ClusterName } from './names.ts';
import type { ClusterRecords, PortRecord } from './records.ts';

export const DNS_SCHEMA_VERSION = '1.1.0';
const VERSION_TTL = 28800;
const MAX_CNAME_CHAIN = 8;

export interface ZoneConfig {
  /** The cluster domain, lower-case, without a trailing dot. */
  zone: string;
  /** Addresses of this server, for ns.dns.ZONE. */
  nameserverIps: string[];
  ttl: number;
}

export interface ClusterAnswer {
  rcode: 'NOERROR' | 'NXDOMAIN';
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
  /** An ExternalName outside the zone: the server resolves `name` upstream and appends its answers. */
  chase?: { name: string; type: RecordType };
}

/** One address behind a name: its IP, the port when the question names one (SRV), the name that owns the IP. */
interface Target {
  ip: string;
  port?: number;
  target: string;
}

type Lookup = { found: false } | { found: true; targets: Target[]; cname?: string };

const NOT_FOUND: Lookup = { found: false };

const matches = (want: string | undefined, have: string): boolean => !want || want === have.toLowerCase();

function portMatches(r: { port?: string; protocol?: string }, p: PortRecord): boolean {
  return matches(r.port, p.name) && matches(r.protocol, p.protocol);
}

function lookupService(records: ClusterRecords, zone: string, r: Extract<ClusterName, { kind: 'service' }>): Lookup {
  const svc = records.service(r.namespace, r.service);
  if (!svc) return NOT_FOUND;
  const svcName = `${svc.name}.${svc.namespace}.svc.${zone}`;
  if (svc.externalName !== undefined) return r.endpoint || r.port !== undefined ? NOT_FOUND : { found: true, targets: [], cname: svc.externalName };
  const wantsPort = r.port !== undefined || r.protocol !== undefined;
  if (svc.headless || r.endpoint) {
    let eps = records.endpoints(svc.namespace, svc.name);
    if (r.endpoint) {
      eps = eps.filter((ep) => ep.hostname === r.endpoint);
      if (eps.length === 0) return NOT_FOUND;
    }
    const targets: Target[] = [];
    for (const ep of eps) {
      const target = `${ep.hostname}.${svcName}`;
      const ports = ep.ports.filter((p) => portMatches(r, p));
      if (ports.length === 0 && !wantsPort) targets.push({ ip: ep.ip, target });
      for (const p of ports) targets.push({ ip: ep.ip, port: p.port, target });
    }
    if (wantsPort && targets.length === 0 && !svc.ports.some((p) => portMatches(r, p))) return NOT_FOUND;
    return { found: true, targets };
  }
  const ports = svc.ports.filter((p) => portMatches(r, p));
  if (wantsPort && ports.length === 0) return NOT_FOUND;
  const targets: Target[] = [];
  for (const ip of svc.clusterIPs) {
    if (ports.length === 0) targets.push({ ip, target: svcName });
    for (const p of ports) targets.push({ ip, port: p.port, target: svcName });
  }
  return { found: true, targets };
}

function soa(records: ClusterRecords, cfg: ZoneConfig): Answer {
  return {
    type: 'SOA',
    name: cfg.zone,
    ttl: cfg.ttl,
    data: {
      mname: `ns.dns.${cfg.zone}`,
      rname: `hostmaster.${cfg.zone}`,
      serial: records.serial >>> 0,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: cfg.ttl,
    },
  };
}

const a = (name: string, ip: string, ttl: number): Answer => ({ type: 'A', name, ttl, data: ip });

function srvRecords(qname: string, targets: Target[], ttl: number): { answers: Answer[]; additionals: Answer[] } {
  const seen = new Set<string>();
  const srv = targets.filter((t) => {
    if (t.port === undefined) return false;
    const k = `${t.target}:${t.port}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  // CoreDNS spreads a weight of 100 over the records of one priority (all are priority 0): 3 records get 33 each.
  const weight = Math.max(1, Math.floor(100 / Math.max(1, srv.length)));
  const answers: Answer[] = srv.map((t) => ({ type: 'SRV', name: qname, ttl, data: { priority: 0, weight, port: t.port!, target: t.target } }));
  const extra = new Set<string>();
  const additionals: Answer[] = [];
  for (const t of srv) {
    const k = `${t.target}|${t.ip}`;
    if (extra.has(k)) continue;
    extra.add(k);
    additionals.push(a(t.target, t.ip, ttl));
  }
  return { answers, additionals };
}

/**
 * The answer for a question whose normalized name is in the zone. `qname` is
 * the name as asked (answers echo its case).
 */
export function answerCluster(records: ClusterRecords, cfg: ZoneConfig, qname: string, qtype: RecordType, depth = 0): ClusterAnswer {
  const name = normalizeName(qname);
  const res: ClusterAnswer = { rcode: 'NOERROR', answers: [], authorities: [], additionals: [] };
  const parsed = parseClusterName(name, cfg.zone);
  const ttl = cfg.ttl;
  switch (parsed.kind) {
    case 'invalid':
      res.rcode = 'NXDOMAIN';
      break;
    case 'empty':
      break;
    case 'apex':
      if (qtype === 'SOA') res.answers.push(soa(records, cfg));
      if (qtype === 'NS') {
        res.answers.push({ type: 'NS', name: qname, ttl, data: `ns.dns.${cfg.zone}` });
        for (const ip of cfg.nameserverIps) res.additionals.push(a(`ns.dns.${cfg.zone}`, ip, ttl));
      }
      break;
    case 'dns-version':
      if (qtype === 'TXT') res.answers.push({ type: 'TXT', name: qname, ttl: VERSION_TTL, data: DNS_SCHEMA_VERSION });
      break;
    case 'nameserver':
      if (qtype === 'A') for (const ip of cfg.nameserverIps) res.answers.push(a(qname, ip, ttl));
      break;
    case 'pod':
      if (qtype === 'A') res.answers.push(a(qname, parsed.ip, ttl));
      break;
    case 'service': {
      const found = lookupService(records, cfg.zone, parsed);
      if (!found.found) {
        res.rcode = 'NXDOMAIN';
        break;
      }
      if (found.cname !== undefined) {
        if (qtype === 'SRV') break; // CoreDNS gives no SRV for ExternalName Services
        res.answers.push({ type: 'CNAME', name: qname, ttl, data: found.cname });
        if (qtype === 'CNAME') break;
        if (!inZone(found.cname, cfg.zone)) {
          res.chase = { name: found.cname, type: qtype };
          break;
        }
        if (depth >= MAX_CNAME_CHAIN) break;
        const next = answerCluster(records, cfg, found.cname, qtype, depth + 1);
        res.answers.push(...next.answers);
        res.additionals.push(...next.additionals);
        res.rcode = next.rcode;
        res.chase = next.chase;
        break;
      }
      if (qtype === 'A') {
        const seen = new Set<string>();
        for (const t of found.targets) {
          if (seen.has(t.ip)) continue;
          seen.add(t.ip);
          res.answers.push(a(qname, t.ip, ttl));
        }
      } else if (qtype === 'SRV') {
        const srv = srvRecords(qname, found.targets, ttl);
        res.answers.push(...srv.answers);
        res.additionals.push(...srv.additionals);
      }
      break;
    }
  }
  if (res.answers.length === 0 && depth === 0) res.authorities.push(soa(records, cfg));
  return res;
}

/** PTR for a ClusterIP or a published endpoint IP; undefined when the IP is not the cluster's (the server forwards then). */
export function answerReverse(records: ClusterRecords, cfg: ZoneConfig, qname: string, ip: string): ClusterAnswer | undefined {
  const owners = records.reverse(ip);
  if (owners.length === 0) return undefined;
  const answers: Answer[] = owners.map((o) => ({
    type: 'PTR',
    name: qname,
    ttl: cfg.ttl,
    data: `${o.hostname ? `${o.hostname}.` : ''}${o.service}.${o.namespace}.svc.${cfg.zone}`,
  }));
  return { rcode: 'NOERROR', answers, authorities: [], additionals: [] };
}

/**
 * Rotates the A records of an answer by `turn` places, the CNAMEs staying
 * first, as CoreDNS's loadbalance plugin does: clients that take the first
 * address (getaddrinfo) spread over a headless Service's endpoints.
 */
export function rotateAddresses(answers: Answer[], turn: number): Answer[] {
  const addrs = answers.filter((r) => r.type === 'A');
  if (addrs.length < 2) return answers;
  const k = turn % addrs.length;
  return [...answers.filter((r) => r.type !== 'A'), ...addrs.slice(k), ...addrs.slice(0, k)];
}
