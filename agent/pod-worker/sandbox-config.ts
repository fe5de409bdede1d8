// What the runtime needs to make a pod's sandbox: its identity, host name
// and domain, host aliases and DNS configuration, computed as the kubelet's
// GeneratePodHostNameAndDomain and dns.Configurer.GetPodDNS do (dnsPolicy,
// then spec.dnsConfig merged in, then the resolver's limits).

import { readFileSync } from 'node:fs';
import type { KObject } from '../../client/types.ts';
import type { ClusterNetwork } from '../../network/types.ts';
import type { PodDnsConfig, PodSandboxConfig } from '../runtimes/types.ts';

interface DnsSpec {
  hostNetwork?: boolean;
  hostname?: string;
  subdomain?: string;
  hostAliases?: { ip: string; hostnames?: string[] }[];
  dnsPolicy?: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: { name: string; value?: string }[] };
}

/** validation.MaxDNSNameservers, MaxDNSSearchPathsExpanded, MaxDNSSearchListCharsExpanded. */
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;
const MAX_SEARCH_CHARS = 2048;
const MAX_DOMAIN = 253;

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/** resolv.conf as the kubelet parses it: nameservers accumulate; the last search and options lines win. */
export function parseResolvConf(text: string): PodDnsConfig {
  const out: PodDnsConfig = { nameservers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t.startsWith('#')) continue;
    const f = t.split(/\s+/).filter(Boolean);
    if (f[0] === 'nameserver' && f[1]) out.nameservers.push(f[1]);
    if (f[0] === 'search') out.searches = f.slice(1).map((s) => s.replace(/\.$/, ''));
    if (f[0] === 'options') out.options = f.slice(1);
  }
  return out;
}

/** mergeDNSOptions: spec.dnsConfig.options replace options of the same name (kept in first-seen order). */
function mergeOptions(existing: string[], extra: { name: string; value?: string }[]): string[] {
  const m = new Map<string, string>();
  for (const op of existing) {
    const i = op.indexOf(':');
    if (i === -1) m.set(op, '');
    else m.set(op.slice(0, i), op.slice(i + 1));
  }
  for (const op of extra) m.set(op.name, op.value ?? '');
  return [...m].map(([k, v]) => (v ? `${k}:${v}` : k));
}

/** The pod's resolv.conf and the DNSConfigForming warnings (limits exceeded), as the kubelet computes them. */
export function podDns(pod: KObject, cluster: Pick<ClusterNetwork, 'dnsIp' | 'domain'>, hostResolvConf: string): { dns: PodDnsConfig; warnings: string[] } {
  const spec = pod.spec as DnsSpec;
  const host = parseResolvConf(hostResolvConf);
  const policy = spec.dnsPolicy ?? 'ClusterFirst';
  let dns: PodDnsConfig;
  if (policy === 'None') dns = { nameservers: [], searches: [], options: [] };
  else if (policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !spec.hostNetwork)) {
    const ns = pod.metadata.namespace ?? 'default';
    const d = cluster.domain;
    dns = { nameservers: [cluster.dnsIp], searches: unique([`${ns}.svc.${d}`, `svc.${d}`, d, ...host.searches]), options: ['ndots:5'] };
  } else dns = host;
  const extra = spec.dnsConfig;
  if (extra) {
    dns = {
      nameservers: unique([...dns.nameservers, ...(extra.nameservers ?? [])]),
      searches: unique([...dns.searches, ...(extra.searches ?? [])]),
      options: mergeOptions(dns.options, extra.options ?? []),
    };
  }
  const warnings: string[] = [];
  if (dns.nameservers.length > MAX_NAMESERVERS) {
    dns.nameservers = dns.nameservers.slice(0, MAX_NAMESERVERS);
    warnings.push(`Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${dns.nameservers.join(' ')}`);
  }
  let searches = dns.searches.slice(0, MAX_SEARCHES).filter((s) => s.length <= MAX_DOMAIN);
  let exceeded = searches.length !== dns.searches.length;
  while (searches.join(' ').length > MAX_SEARCH_CHARS) {
    searches = searches.slice(0, -1);
    exceeded = true;
  }
  if (exceeded) warnings.push(`Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.join(' ')}`);
  dns.searches = searches;
  return { dns, warnings };
}

/** The pod's host name (spec.hostname, else its name cut to 63 characters) and domain (with spec.subdomain). */
export function podHostnameAndDomain(pod: KObject, domain: string): { hostname: string; hostDomain?: string } {
  const spec = pod.spec as DnsSpec;
  let hostname = spec.hostname || pod.metadata.name!;
  if (hostname.length > 63) hostname = hostname.slice(0, 63).replace(/[-.]+$/, '');
  return { hostname, ...(spec.subdomain ? { hostDomain: `${spec.subdomain}.${pod.metadata.namespace}.svc.${domain}` } : {}) };
}

export function readHostResolvConf(path = '/etc/resolv.conf'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The sandbox configuration for a pod, and warnings to record as DNSConfigForming events. */
export function podSandboxConfig(pod: KObject, cluster: Pick<ClusterNetwork, 'dnsIp' | 'domain'>, hostResolvConf: string): { config: PodSandboxConfig; warnings: string[] } {
  const spec = pod.spec as DnsSpec;
  const { dns, warnings } = podDns(pod, cluster, hostResolvConf);
  const config: PodSandboxConfig = {
    podUid: pod.metadata.uid!,
    namespace: pod.metadata.namespace!,
    name: pod.metadata.name!,
    labels: pod.metadata.labels,
    hostNetwork: spec.hostNetwork,
    ...podHostnameAndDomain(pod, cluster.domain),
    ...(spec.hostAliases?.length ? { hostAliases: spec.hostAliases.map((a) => ({ ip: a.ip, hostnames: a.hostnames ?? [] })) } : {}),
    dns,
  };
  return { config, warnings };
}
