// Where names outside the cluster domain go: "host:port" strings from the
// caller, or by default the nameservers of the host's /etc/resolv.conf (as
// CoreDNS's default `forward . /etc/resolv.conf`), without the cluster DNS
// itself so that a host whose resolv.conf points at it does not loop.

import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

export interface HostPort {
  host: string;
  port: number;
}

/** A bad `upstreams` or `listen` option; `code` is stable. */
export class DnsConfigError extends Error {
  readonly code = 'DNS_BAD_ADDRESS';
}

/** "10.0.0.1", "10.0.0.1:5353", "::1", "[::1]:5353" → host and port (53 unless given). */
export function parseHostPort(s: string, defaultPort = 53): HostPort {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  let host: string;
  let port: string | undefined;
  if (bracketed) [, host, port] = bracketed as unknown as [string, string, string | undefined];
  else if (isIP(s) === 6) host = s;
  else {
    const i = s.lastIndexOf(':');
    host = i < 0 ? s : s.slice(0, i);
    port = i < 0 ? undefined : s.slice(i + 1);
  }
  const n = port === undefined ? defaultPort : Number(port);
  if (!isIP(host.split('%')[0]!) || !Number.isInteger(n) || n < 1 || n > 65535 || (port !== undefined && !/^\d+$/.test(port))) {
    throw new DnsConfigError(`invalid DNS server address ${JSON.stringify(s)}: want IP or IP:port`);
  }
  return { host, port: n };
}

/** The `nameserver` lines of a resolv.conf text, in order. */
export function nameserversOf(resolvConf: string): string[] {
  const out: string[] = [];
  for (const line of resolvConf.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m && isIP(m[1]!.split('%')[0]!)) out.push(m[1]!);
  }
  return out;
}

/** The host's resolvers from /etc/resolv.conf, skipping any listed in `skip` (host or host:port). */
export function hostUpstreams(skip: HostPort[], path = '/etc/resolv.conf'): HostPort[] {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return nameserversOf(text)
    .map((ns) => ({ host: ns, port: 53 }))
    .filter((u) => !skip.some((s) => s.host === u.host && (s.port === 0 || s.port === u.port)));
}
