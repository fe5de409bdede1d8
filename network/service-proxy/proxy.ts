// The service proxy: userspace and in-process, one per node. For every
// Service port it listens where Kubernetes makes the Service reachable and
// relays to the ready endpoints of the endpoint view:
//
// - ClusterIP: clusterIP:port. The host routes the whole service range to
//   lo (`ip route add local 10.96.0.0/16 dev lo`, set up with the pod
//   network), so any ClusterIP can be bound; bindHost maps a ClusterIP to
//   another local address where there is no such route (and in tests).
// - NodePort (and LoadBalancer): nodePortHost:nodePort.
// - LoadBalancer: the service port on the node's addresses, as k3s's
//   klipper-lb does on one machine, and status.loadBalancer.ingress set to
//   every node's InternalIP. Not on 0.0.0.0: Linux refuses a wildcard and a
//   specific bind of the same port, and the wildcard would take the port
//   from every ClusterIP.
// - ExternalName and headless Services: nothing (DNS answers for them).
//
// Listeners follow view.onChange: a Service that appears is listened for, a
// port or Service that goes away stops being listened for, and established
// connections are left to finish. kube-system/kube-dns's port 53 is skipped
// when the Service says the cluster DNS serves it in process
// (skiff.dev/served-in-process: "true"), since the DNS binds that IP itself.

import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';
import type { EndpointView, ServiceInfo } from '../types.ts';
import { Balancer, type PortRef } from './balancer.ts';
import { TcpListener } from './tcp.ts';
import { UdpListener } from './udp.ts';

export const SERVED_IN_PROCESS_ANNOTATION = 'skiff.dev/served-in-process';
const AFFINITY_SWEEP_MS = 60_000;
const BIND_RETRY_MS = 5_000;
const DEFAULT_UDP_IDLE_MS = 30_000;

export interface ServiceProxyOptions {
  view: EndpointView;
  client: Client;
  nodeName: string;
  /** Where to listen for a ClusterIP (default: the ClusterIP itself). */
  bindHost?: (clusterIP: string) => string;
  /** Where to dial an endpoint's IP (default: the IP itself); tests map pod IPs to loopback addresses. */
  dialHost?: (ip: string) => string;
  /** Address for node ports (default 0.0.0.0). */
  nodePortHost?: string;
  /** Addresses for LoadBalancer service ports (default: this node's InternalIP addresses). */
  loadBalancerHosts?: string[];
  udpIdleTimeoutMs?: number;
  /** Milliseconds now, for session affinity (default Date.now). */
  now?: () => number;
  log?: (msg: string, err?: unknown) => void;
}

export interface ServiceProxy {
  close(): Promise<void>;
}

interface Want {
  proto: 'TCP' | 'UDP';
  host: string;
  port: number;
  target: PortRef;
}

type Listener = { proto: 'TCP'; l: TcpListener; svc: string } | { proto: 'UDP'; l: UdpListener; svc: string };

const svcKey = (ns: string, name: string): string => `${ns}/${name}`;
const listenerKey = (w: { proto: string; host: string; port: number }): string => `${w.proto}|${w.host}|${w.port}`;

function nodeAddresses(node: KObject | undefined): string[] {
  const addrs = ((node?.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses ?? []);
  return addrs.filter((a) => a.type === 'InternalIP').map((a) => a.address);
}

export async function startServiceProxy(opts: ServiceProxyOptions): Promise<ServiceProxy> {
  const proxy = new Proxy(opts);
  await proxy.start();
  return proxy;
}

class Proxy implements ServiceProxy {
  private readonly listeners = new Map<string, Listener>();
  private readonly balancer: Balancer;
  private readonly log: (msg: string, err?: unknown) => void;
  private readonly bindHost: (ip: string) => string;
  private readonly dialHost: (ip: string) => string;
  private lbHosts: string[] = [];
  /** kube-system/kube-dns's port 53 is the DNS's own: undefined until its Service was read. */
  private dnsInProcess: boolean | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private unsubscribe?: () => void;
  private closed = false;

  constructor(private readonly opts: ServiceProxyOptions) {
    this.log = opts.log ?? (() => {});
    this.bindHost = opts.bindHost ?? ((ip) => ip);
    this.dialHost = opts.dialHost ?? ((ip) => ip);
    this.balancer = new Balancer(opts.view, opts.now ?? Date.now);
  }

  async start(): Promise<void> {
    this.lbHosts = this.opts.loadBalancerHosts ?? (await this.nodeHosts());
    this.unsubscribe = this.opts.view.onChange((ns, name) => this.sync(ns, name));
    for (const s of this.opts.view.services()) this.sync(s.namespace, s.name);
    this.every(AFFINITY_SWEEP_MS, () => this.balancer.sweep());
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    const all = [...this.listeners.values()];
    this.listeners.clear();
    await Promise.all(all.map((x) => (x.proto === 'TCP' ? x.l.close(true) : x.l.close())));
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.add(t);
  }

  private async nodeHosts(): Promise<string[]> {
    try {
      const hosts = nodeAddresses(await this.opts.client.get(R.nodes, undefined, this.opts.nodeName));
      if (hosts.length) return hosts;
    } catch (e) {
      this.log(`service proxy: reading node ${this.opts.nodeName}`, e);
    }
    return ['127.0.0.1'];
  }

  /** The listeners one Service wants. */
  private wanted(svc: ServiceInfo): Want[] {
    if (svc.type === 'ExternalName' || !svc.clusterIP || svc.clusterIP === 'None') return [];
    const isDns = svc.namespace === 'kube-system' && svc.name === 'kube-dns';
    const out: Want[] = [];
    for (const p of svc.ports) {
      if (p.protocol !== 'TCP' && p.protocol !== 'UDP') continue;
      if (isDns && p.port === 53 && this.dnsInProcess !== false) continue;
      const target = { namespace: svc.namespace, name: svc.name, port: p.port };
      out.push({ proto: p.protocol, host: this.bindHost(svc.clusterIP), port: p.port, target });
      if ((svc.type === 'NodePort' || svc.type === 'LoadBalancer') && p.nodePort) {
        out.push({ proto: p.protocol, host: this.opts.nodePortHost ?? '0.0.0.0', port: p.nodePort, target });
      }
      if (svc.type === 'LoadBalancer') for (const host of this.lbHosts) out.push({ proto: p.protocol, host, port: p.port, target });
    }
    return out;
  }

  /** Reads kube-dns's annotation (the view carries none), then syncs it. */
  private readDnsService(): void {
    const done = (inProcess: boolean): void => {
      this.dnsInProcess = inProcess;
      this.sync('kube-system', 'kube-dns', true);
    };
    this.opts.client.get(R.services, 'kube-system', 'kube-dns').then(
      (svc) => done(svc.metadata.annotations?.[SERVED_IN_PROCESS_ANNOTATION] === 'true'),
      () => done(false),
    );
  }

  /** Brings one Service's listeners in line with the view. */
  private sync(namespace: string, name: string, dnsRead = false): void {
    if (this.closed) return;
    const key = svcKey(namespace, name);
    const svc = this.opts.view.service(namespace, name);
    if (svc && !dnsRead && namespace === 'kube-system' && name === 'kube-dns') this.readDnsService();
    const want = new Map((svc ? this.wanted(svc) : []).map((w) => [listenerKey(w), w]));
    for (const [lk, x] of this.listeners) {
      if (x.svc !== key || want.has(lk)) continue;
      this.listeners.delete(lk);
      void (x.proto === 'TCP' ? x.l.close(false) : x.l.close());
    }
    for (const [lk, w] of want) {
      const cur = this.listeners.get(lk);
      if (cur && cur.svc === key) {
        cur.l.target = w.target;
        if (cur.proto === 'UDP') cur.l.prune();
        continue;
      }
      if (cur) continue; // Another Service holds this address and port: the first one keeps it.
      this.listen(lk, key, w);
    }
    if (svc?.type === 'LoadBalancer') void this.setLoadBalancerStatus(namespace, name);
  }

  private listen(lk: string, key: string, w: Want): void {
    const onError = (e: Error): void => {
      this.log(`service proxy: cannot listen on ${w.proto} ${w.host}:${w.port} for ${key}; retrying in ${BIND_RETRY_MS / 1000}s`, e);
      if (this.listeners.get(lk)?.l !== x.l) return;
      this.listeners.delete(lk);
      void (x.proto === 'TCP' ? x.l.close(true) : x.l.close()).catch(() => {});
      const t = setTimeout(() => {
        this.timers.delete(t);
        const [ns, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
        this.sync(ns, name);
      }, BIND_RETRY_MS);
      t.unref();
      this.timers.add(t);
    };
    const common = { host: w.host, port: w.port, target: w.target, balancer: this.balancer, dialHost: this.dialHost, log: this.log, onError };
    const x: Listener =
      w.proto === 'TCP'
        ? { proto: 'TCP', svc: key, l: new TcpListener(common) }
        : { proto: 'UDP', svc: key, l: new UdpListener({ ...common, view: this.opts.view, idleTimeoutMs: this.opts.udpIdleTimeoutMs ?? DEFAULT_UDP_IDLE_MS }) };
    this.listeners.set(lk, x);
  }

  /** status.loadBalancer.ingress: every node's InternalIP, so every node's proxy writes the same. */
  private async setLoadBalancerStatus(namespace: string, name: string): Promise<void> {
    try {
      const { items: nodes } = await this.opts.client.list(R.nodes);
      const ips = [...new Set(nodes.flatMap(nodeAddresses))].sort();
      if (ips.length === 0) ips.push(...this.lbHosts);
      const ingress = ips.map((ip) => ({ ip }));
      const svc = await this.opts.client.get(R.services, namespace, name);
      const cur = (svc.status as { loadBalancer?: { ingress?: unknown[] } } | undefined)?.loadBalancer?.ingress;
      if (JSON.stringify(cur ?? []) === JSON.stringify(ingress)) return;
      await this.opts.client.updateStatus(R.services, { ...svc, status: { ...(svc.status as object), loadBalancer: { ingress } } });
    } catch (e) {
      // A conflict or a Service gone meanwhile: the next change of the Service syncs again.
      this.log(`service proxy: load balancer status of ${namespace}/${name}`, e);
    }
  }
}
