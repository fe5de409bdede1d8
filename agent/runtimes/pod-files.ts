// The /etc/hosts and /etc/resolv.conf a pod's containers see, written as the
// kubelet writes them (managedHostsFileContent, and containerd's resolv.conf
// from the CRI DNSConfig). Runtimes keep them in the sandbox and mount them.

import { readFileSync } from 'node:fs';
import type { PodDnsConfig, PodSandboxConfig } from './types.ts';

const MANAGED = '# Kubernetes-managed hosts file.\n';
const MANAGED_HOST_NETWORK = '# Kubernetes-managed hosts file (host network).\n';

function aliases(config: PodSandboxConfig): string {
  const list = config.hostAliases ?? [];
  if (list.length === 0) return '';
  let out = '\n# Entries added by HostAliases.\n';
  for (const a of list) for (const h of a.hostnames) out += `${a.ip}\t${h}\n`;
  return out;
}

/** A pod network pod's hosts file: localhost lines, then its IP with its name; a host-network pod gets the host's file. */
export function hostsFile(config: PodSandboxConfig, podIP: string, hostHostsPath = '/etc/hosts'): string {
  if (config.hostNetwork) {
    let host = '';
    try {
      host = readFileSync(hostHostsPath, 'utf8');
    } catch {
      // No hosts file on the host: only the aliases.
    }
    return MANAGED_HOST_NETWORK + host + aliases(config);
  }
  let out = MANAGED;
  out += '127.0.0.1\tlocalhost\n';
  out += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  out += 'fe00::0\tip6-localnet\n';
  out += 'fe00::0\tip6-mcastprefix\n';
  out += 'fe00::1\tip6-allnodes\n';
  out += 'fe00::2\tip6-allrouters\n';
  const name = config.hostname ?? config.name;
  out += config.hostDomain ? `${podIP}\t${name}.${config.hostDomain}\t${name}\n` : `${podIP}\t${name}\n`;
  return out + aliases(config);
}

/** resolv.conf as containerd writes it: search, nameservers, options. */
export function resolvConf(dns: PodDnsConfig): string {
  let out = '';
  if (dns.searches.length) out += `search ${dns.searches.join(' ')}\n`;
  for (const ns of dns.nameservers) out += `nameserver ${ns}\n`;
  if (dns.options.length) out += `options ${dns.options.join(' ')}\n`;
  return out;
}
