// How a query name inside the cluster domain splits into what it asks for,
// following CoreDNS's kubernetes plugin (plugin/kubernetes/parse.go):
//   SERVICE.NS.svc.ZONE, ENDPOINT.SERVICE.NS.svc.ZONE,
//   _PORT._PROTO.SERVICE.NS.svc.ZONE, A-B-C-D.NS.pod.ZONE (pods "insecure"),
// plus the zone's own names (apex, dns-version.ZONE, ns.dns.ZONE). Names are
// compared lower-cased: Kubernetes names are lower-case DNS labels.

export type ClusterName =
  /** The zone itself (SOA, NS). */
  | { kind: 'apex' }
  /** svc.ZONE, pod.ZONE, NS.svc.ZONE, NS.pod.ZONE: names that exist but hold no records (NODATA). */
  | { kind: 'empty' }
  /** dns-version.ZONE: TXT with the schema version. */
  | { kind: 'dns-version' }
  /** ns.dns.ZONE: the DNS server's own address. */
  | { kind: 'nameserver' }
  | { kind: 'service'; namespace: string; service: string; endpoint?: string; port?: string; protocol?: string }
  | { kind: 'pod'; namespace: string; ip: string }
  /** Anything else in the zone: NXDOMAIN. */
  | { kind: 'invalid' };

/** The query name lower-cased, without a trailing dot. */
export function normalizeName(name: string): string {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  return n.toLowerCase();
}

/** Whether a normalized name is the zone or below it. */
export function inZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

const stripUnderscore = (s: string): string => (s.startsWith('_') ? s.slice(1) : s);

/** Splits a normalized name inside `zone` (see inZone). */
export function parseClusterName(name: string, zone: string): ClusterName {
  if (name === zone) return { kind: 'apex' };
  const base = name.slice(0, name.length - zone.length - 1);
  if (base === 'dns-version') return { kind: 'dns-version' };
  if (base === 'ns.dns') return { kind: 'nameserver' };
  const segs = base.split('.');
  const kind = segs.pop();
  if (kind !== 'svc' && kind !== 'pod') return { kind: 'invalid' };
  const namespace = segs.pop();
  if (namespace === undefined) return { kind: 'empty' };
  if (!namespace) return { kind: 'invalid' };
  const first = segs.pop();
  if (first === undefined) return { kind: 'empty' };
  if (kind === 'pod') {
    const ip = segs.length === 0 ? ipv4FromDashed(first) : undefined;
    return ip ? { kind: 'pod', namespace, ip } : { kind: 'invalid' };
  }
  if (segs.length === 0) return { kind: 'service', namespace, service: first };
  if (segs.length === 1) return { kind: 'service', namespace, service: first, endpoint: segs[0] };
  if (segs.length === 2) {
    const [port, protocol] = segs as [string, string];
    return { kind: 'service', namespace, service: first, port: stripUnderscore(port), protocol: stripUnderscore(protocol) };
  }
  return { kind: 'invalid' };
}

const OCTET = /^(0|[1-9]\d{0,2})$/;

/** "10-42-0-5" → "10.42.0.5"; undefined when it is not four decimal octets. */
export function ipv4FromDashed(label: string): string | undefined {
  const parts = label.split('-');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p) && Number(p) <= 255)) return undefined;
  return parts.join('.');
}

/** "5.0.42.10.in-addr.arpa" (normalized) → "10.42.0.5"; undefined for other names. */
export function ipv4FromReverse(name: string): string | undefined {
  const suffix = '.in-addr.arpa';
  if (!name.endsWith(suffix)) return undefined;
  const parts = name.slice(0, -suffix.length).split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p) && Number(p) <= 255)) return undefined;
  return parts.reverse().join('.');
}

/** The reverse name of an IPv4 address: "10.42.0.5" → "5.0.42.10.in-addr.arpa". */
export function reverseName(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
}

/** Whether a string is a dotted IPv4 address. */
export function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => OCTET.test(p) && Number(p) <= 255);
}
