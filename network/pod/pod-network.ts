// Pod networking on one node: a Linux bridge (default `skiff0`) holding the
// node's /24 gateway address, and per pod a named network namespace with a
// veth pair (host end on the bridge, `eth0` in the pod with the pod's
// address, default route via the gateway). Addresses are allocated from the
// node's /24 with one file per address (see ipam.ts), so an agent restart
// finds every pod's address and namespace again. See README.md.

import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gatewayOf, parseSubnet } from './cidr.ts';
import type { Subnet } from './cidr.ts';
import { Ipam, readAllocations } from './ipam.ts';
import type { Allocation } from './ipam.ts';
import { ipRunner, unexpectedErrors } from './ip.ts';
import type { IpRunner } from './ip.ts';

export interface PodNetworkOptions {
  /** Where the address files live (e.g. DATA/agent/network); the same directory after a restart finds every pod again. */
  stateDir: string;
  /** The node's pod range (node.spec.podCIDR), e.g. 10.42.0.0/24. */
  podCidr: string;
  /** The Service range: routed to the host's loopback (AnyIP) so that the service proxy and DNS can bind any ClusterIP. */
  serviceCidr: string;
  /** Bridge name (default skiff0). */
  bridge?: string;
  /**
   * A named network namespace that stands in for the host (tests): the
   * bridge, the veths' host ends and the route go there instead of into the
   * agent's own namespace.
   */
  hostNetns?: string;
}

/** A pod's place on the network. */
export interface PodAttachment {
  podUid: string;
  ip: string;
  prefixLength: number;
  gateway: string;
  /** The namespace's name (ip netns) and the file a process joins it by. */
  netns: string;
  netnsPath: string;
  /** The host end of the veth pair. */
  hostVeth: string;
}

export type PodNetworkErrorCode = 'PodNetworkSetupFailed' | 'PodNetworkAttachFailed' | 'PodNetworkAddressesExhausted';

export class PodNetworkError extends Error {
  constructor(
    readonly code: PodNetworkErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PodNetworkError';
  }
}

export const DEFAULT_BRIDGE = 'skiff0';
export const NETNS_DIR = '/run/netns';
/** What a -force batch may report for things that already exist or are already gone. */
const EXISTS = /File exists|RTNETLINK answers: File exists/;
const GONE = /Cannot find device|No such file or directory|No such process|Invalid argument|does not exist|Cannot remove namespace file/;

function capEff(): bigint {
  const m = /CapEff:\s*([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? BigInt(`0x${m[1]}`) : 0n;
}

function onPath(cmd: string): boolean {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(delimiter)) {
    try {
      accessSync(join(dir, cmd), constants.X_OK);
      return true;
    } catch {
      // Not here.
    }
  }
  return false;
}

/**
 * Whether this process can give pods their own network: CAP_NET_ADMIN (links,
 * addresses, routes), CAP_SYS_ADMIN (the namespaces' bind mounts, setns) and
 * iproute2. Without, the runtime keeps pods on the host network.
 */
export function podNetworkSupport(): { ok: true } | { ok: false; reason: string } {
  const caps = capEff();
  const missing = [((caps >> 12n) & 1n) === 0n && 'CAP_NET_ADMIN', ((caps >> 21n) & 1n) === 0n && 'CAP_SYS_ADMIN'].filter(Boolean);
  if (missing.length) return { ok: false, reason: `pods share the host network: their own network namespaces need ${missing.join(' and ')} (run as root)` };
  if (!onPath('ip')) return { ok: false, reason: 'pods share the host network: their own network namespaces need iproute2 (`ip`), which is not installed' };
  return { ok: true };
}

const CONFIG = 'network.json';

export class PodNetwork {
  /** The network a state directory was set up with (network.json), if any. */
  static recorded(stateDir: string, hostNetns?: string): PodNetwork | undefined {
    let saved: { podCidr: string; serviceCidr: string; bridge: string };
    try {
      saved = JSON.parse(readFileSync(join(stateDir, CONFIG), 'utf8'));
    } catch {
      return undefined;
    }
    return new PodNetwork({ ...saved, stateDir, hostNetns });
  }

  readonly bridge: string;
  readonly subnet: Subnet;
  readonly gateway: string;
  private readonly ip: IpRunner;
  private readonly ipam: Ipam;

  constructor(private readonly opts: PodNetworkOptions) {
    this.bridge = opts.bridge ?? DEFAULT_BRIDGE;
    this.subnet = parseSubnet(opts.podCidr);
    this.gateway = gatewayOf(this.subnet);
    this.ip = ipRunner(opts.hostNetns);
    this.ipam = new Ipam(join(opts.stateDir, 'ips'), this.subnet);
  }

  /** The bridge with the gateway address, up, and the Service range routed to the host. Idempotent; one process. */
  async setup(): Promise<void> {
    // What `skiff killall` needs to remove this network later, whatever the agent's options then.
    mkdirSync(this.opts.stateDir, { recursive: true });
    const { podCidr, serviceCidr } = this.opts;
    writeFileSync(join(this.opts.stateDir, CONFIG), JSON.stringify({ podCidr, serviceCidr, bridge: this.bridge }));
    const r = await this.ip.batch(
      [
        `link add ${this.bridge} type bridge`,
        `link set ${this.bridge} up`,
        `addr replace ${this.gateway}/${this.subnet.prefix} dev ${this.bridge}`,
        `route replace local ${this.opts.serviceCidr} dev lo`,
      ],
      { force: true },
    );
    const errors = unexpectedErrors(r.stderr, EXISTS);
    if (errors.length) throw new PodNetworkError('PodNetworkSetupFailed', `setting up the pod network (bridge ${this.bridge}): ${errors.join('; ')}`);
  }

  /**
   * Gives the pod an address and a namespace: the pod's existing ones when it
   * has them (re-created if the namespace is gone, e.g. after a reboot).
   * Two processes: one `ip` on the host side, one in the pod's namespace.
   */
  async attach(podUid: string): Promise<PodAttachment> {
    let alloc = this.ipam.byPod(podUid);
    if (alloc && existsSync(join(NETNS_DIR, alloc.netns))) return this.attachment(alloc);
    if (alloc) {
      // Its namespace vanished: the old host end may still be there (the kernel destroys it asynchronously).
      await this.remove([alloc]);
    } else {
      const suffix = randomBytes(4).toString('hex');
      const uid = podUid.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 8);
      alloc = this.ipam.allocate({ podUid, netns: `skiff-${uid}-${suffix}`, hostVeth: `vsk${suffix}` });
      if (!alloc) throw new PodNetworkError('PodNetworkAddressesExhausted', `no free address in ${this.opts.podCidr} for pod ${podUid}`);
    }
    try {
      await this.create(alloc);
    } catch (err) {
      await this.remove([alloc]);
      this.ipam.release(alloc.ip);
      throw err;
    }
    return this.attachment(alloc);
  }

  private async create(a: Allocation): Promise<void> {
    const host = await this.ip.batch([
      `netns add ${a.netns}`,
      `link add ${a.hostVeth} type veth peer name eth0 netns ${a.netns}`,
      `link set ${a.hostVeth} master ${this.bridge} up`,
    ]);
    if (host.code !== 0) throw new PodNetworkError('PodNetworkAttachFailed', `creating the network namespace ${a.netns}: ${host.stderr.trim()}`);
    const pod = await this.ip.batch(
      ['link set lo up', `addr add ${a.ip}/${this.subnet.prefix} dev eth0`, 'link set eth0 up', `route add default via ${this.gateway}`],
      { netns: a.netns },
    );
    if (pod.code !== 0) throw new PodNetworkError('PodNetworkAttachFailed', `configuring eth0 in ${a.netns}: ${pod.stderr.trim()}`);
  }

  /**
   * Deletes the pod's namespace and releases its address. Idempotent; one
   * process. The kernel destroys the namespace, and the veth pair with it,
   * once no process is left in it (at once after the sandbox's containers
   * were killed); deleting the veth explicitly would cost a wait for the
   * kernel's RCU grace period (~60 ms here) on every pod removal.
   */
  async detach(podUid: string): Promise<void> {
    const alloc = this.ipam.byPod(podUid);
    if (!alloc) return;
    await this.remove([alloc], false);
    this.ipam.release(alloc.ip);
  }

  /** With `veths`, also deletes the host ends (teardown: a namespace a stray process still holds must not keep its veth on the bridge). */
  private async remove(allocs: Allocation[], veths = true): Promise<void> {
    if (allocs.length === 0) return;
    const lines = allocs.flatMap((a) => [...(veths ? [`link del ${a.hostVeth}`] : []), ...(existsSync(join(NETNS_DIR, a.netns)) ? [`netns del ${a.netns}`] : [])]);
    if (lines.length === 0) return;
    const r = await this.ip.batch(lines, { force: true });
    const errors = unexpectedErrors(r.stderr, GONE);
    if (errors.length) throw new PodNetworkError('PodNetworkAttachFailed', `removing pod network namespaces: ${errors.join('; ')}`);
  }

  /** Every pod that holds an address. */
  attachments(): PodAttachment[] {
    return this.ipam.list().map((a) => this.attachment(a));
  }

  /** Removes every pod's namespace and veth, the bridge and the Service route: nothing of this network is left. */
  async teardown(): Promise<void> {
    const allocs = this.ipam.list();
    await this.remove(allocs);
    for (const a of allocs) this.ipam.release(a.ip);
    const r = await this.ip.batch([`link del ${this.bridge}`, `route del local ${this.opts.serviceCidr} dev lo`], { force: true });
    const errors = unexpectedErrors(r.stderr, GONE);
    if (errors.length) throw new PodNetworkError('PodNetworkSetupFailed', `removing the pod network: ${errors.join('; ')}`);
  }

  private attachment(a: Allocation): PodAttachment {
    return {
      podUid: a.podUid,
      ip: a.ip,
      prefixLength: this.subnet.prefix,
      gateway: this.gateway,
      netns: a.netns,
      netnsPath: join(NETNS_DIR, a.netns),
      hostVeth: a.hostVeth,
    };
  }
}

/** The namespaces an address directory (stateDir/ips) records: what a test's cleanup deletes when a crash left them. */
export function recordedNetns(stateDir: string): string[] {
  return [...readAllocations(join(stateDir, 'ips')).values()].map((a) => a.netns);
}
