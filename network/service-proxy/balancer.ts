// How the service proxy picks endpoints for one Service port: the ready
// endpoints only (a terminating or not-ready pod gets no new connection),
// round robin, and with sessionAffinity ClientIP the endpoint a client used
// last, for as long as it stays ready and the client comes back within the
// affinity timeout (counted from its last connection, as kube-proxy's
// userspace mode did). The caller tries the candidates in order and reports
// the one that answered, so a refusing endpoint costs the client nothing.

import type { Endpoint, EndpointView } from '../types.ts';

export interface PortRef {
  namespace: string;
  name: string;
  /** The Service port's number. */
  port: number;
}

const epKey = (e: Endpoint): string => `${e.ip}:${e.port}`;

export class Balancer {
  private next = 0;
  private readonly affinity = new Map<string, { ep: string; at: number }>();

  constructor(
    private readonly view: EndpointView,
    private readonly now: () => number,
  ) {}

  /** Ready endpoints in the order to try them for this client; empty when none is ready. */
  candidates(ref: PortRef, clientIp: string): Endpoint[] {
    const ready = this.view.endpoints(ref.namespace, ref.name, { number: ref.port }).filter((e) => e.ready);
    if (ready.length === 0) return [];
    const start = this.next++ % ready.length;
    if (this.next >= Number.MAX_SAFE_INTEGER) this.next = 0;
    const order = [...ready.slice(start), ...ready.slice(0, start)];
    const sticky = this.sticky(ref, clientIp);
    if (sticky) {
      const i = order.findIndex((e) => epKey(e) === sticky);
      if (i > 0) order.unshift(...order.splice(i, 1));
    }
    return order;
  }

  /** The client connected to this endpoint: remember it for affinity. */
  chosen(ref: PortRef, clientIp: string, ep: Endpoint): void {
    const svc = this.view.service(ref.namespace, ref.name);
    if (svc?.sessionAffinity !== 'ClientIP') return;
    this.affinity.set(this.affinityKey(ref, clientIp), { ep: epKey(ep), at: this.now() });
  }

  /** Drops affinity records older than their Service's timeout. */
  sweep(): void {
    const t = this.now();
    for (const [key, rec] of this.affinity) {
      const [ns, name] = key.split('|');
      const timeout = this.view.service(ns!, name!)?.affinityTimeoutSeconds;
      if (timeout === undefined || t - rec.at > timeout * 1000) this.affinity.delete(key);
    }
  }

  private sticky(ref: PortRef, clientIp: string): string | undefined {
    const svc = this.view.service(ref.namespace, ref.name);
    if (svc?.sessionAffinity !== 'ClientIP') return undefined;
    const key = this.affinityKey(ref, clientIp);
    const rec = this.affinity.get(key);
    if (!rec) return undefined;
    if (this.now() - rec.at > svc.affinityTimeoutSeconds * 1000) {
      this.affinity.delete(key);
      return undefined;
    }
    return rec.ep;
  }

  private affinityKey(ref: PortRef, clientIp: string): string {
    return `${ref.namespace}|${ref.name}|${ref.port}|${clientIp}`;
  }
}
