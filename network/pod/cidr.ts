// IPv4 arithmetic for the pod network: the node's /24 out of the cluster's
// pod CIDR, its gateway and the range of pod addresses in it.

export interface Subnet {
  /** The network address as an integer (10.42.0.0 -> 0x0a2a0000). */
  base: number;
  prefix: number;
}

export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new Error(`not an IPv4 address: "${ip}"`);
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseSubnet(cidr: string): Subnet {
  const [ip, len] = cidr.split('/');
  const prefix = Number(len);
  if (!/^\d+$/.test(len ?? '') || prefix < 8 || prefix > 30) throw new Error(`not an IPv4 CIDR with a prefix of 8 to 30 bits: "${cidr}"`);
  const size = 2 ** (32 - prefix);
  return { base: ipToInt(ip!) - (ipToInt(ip!) % size), prefix };
}

export function formatSubnet(s: Subnet): string {
  return `${intToIp(s.base)}/${s.prefix}`;
}

/** The node's pod range: the first /24 of the cluster's pod CIDR (one node; another node would take the next /24). */
export function nodePodCidr(clusterPodCidr: string): string {
  const s = parseSubnet(clusterPodCidr);
  if (s.prefix > 24) throw new Error(`the pod CIDR ${clusterPodCidr} is smaller than one node's /24`);
  return formatSubnet({ base: s.base, prefix: 24 });
}

/** The bridge's address: the subnet's first host address. */
export function gatewayOf(s: Subnet): string {
  return intToIp(s.base + 1);
}

/** Pod addresses: after the gateway, before the broadcast address. */
export function hostRange(s: Subnet): { first: number; last: number } {
  return { first: s.base + 2, last: s.base + 2 ** (32 - s.prefix) - 2 };
}
