// The cluster DNS (CoreDNS's kubernetes and forward plugins, in process): see server.ts.

export { CLUSTER_TTL, startDnsServer, type DnsServer, type DnsServerOptions } from './server.ts';
export { DnsConfigError, type HostPort } from './upstreams.ts';
