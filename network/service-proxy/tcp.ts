// One TCP listener of the service proxy (a ClusterIP, node port or load
// balancer address of one Service port). Each accepted connection stays
// paused while the proxy dials the candidates the balancer gives, in order;
// a refused or timed-out attempt moves on to the next endpoint, so the
// client sees an error only when every ready endpoint failed. With no ready
// endpoint at all the client connection is reset at once, as Kubernetes
// rejects it. Once connected, bytes are piped both ways with half-close
// preserved; established connections are never cut by endpoint changes (a
// terminating pod finishes its requests), only by the proxy's close().

import net from 'node:net';
import type { Balancer, PortRef } from './balancer.ts';
import type { Endpoint } from '../types.ts';

/** Connect timeouts per attempt, as kube-proxy's userspace mode used them. */
const DIAL_TIMEOUTS_MS = [250, 500, 1000, 2000];

export interface TcpListenerOptions {
  host: string;
  port: number;
  target: PortRef;
  balancer: Balancer;
  dialHost: (ip: string) => string;
  log: (msg: string, err?: unknown) => void;
  onError: (err: Error) => void;
}

export class TcpListener {
  target: PortRef;
  private readonly server: net.Server;
  private readonly conns = new Set<net.Socket>();

  constructor(private readonly opts: TcpListenerOptions) {
    this.target = opts.target;
    this.server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true, noDelay: true }, (c) => this.accept(c));
    this.server.on('error', (e) => opts.onError(e));
    this.server.listen({ host: opts.host, port: opts.port });
  }

  /** Stops accepting; established connections go on unless `destroy`. */
  close(destroy: boolean): Promise<void> {
    if (destroy) for (const c of this.conns) c.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private track(s: net.Socket): void {
    this.conns.add(s);
    s.once('close', () => this.conns.delete(s));
  }

  private accept(client: net.Socket): void {
    this.track(client);
    client.on('error', () => {});
    const target = this.target;
    const clientIp = client.remoteAddress ?? '';
    const candidates = this.opts.balancer.candidates(target, clientIp);
    if (candidates.length === 0) {
      client.resetAndDestroy();
      return;
    }
    this.dial(client, target, clientIp, candidates, 0);
  }

  private dial(client: net.Socket, target: PortRef, clientIp: string, candidates: Endpoint[], i: number): void {
    if (client.destroyed) return;
    const ep = candidates[i];
    if (!ep) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect({ host: this.opts.dialHost(ep.ip), port: ep.port, allowHalfOpen: true, noDelay: true });
    let connected = false;
    const timer = setTimeout(() => upstream.destroy(new Error('connect timeout')), DIAL_TIMEOUTS_MS[Math.min(i, DIAL_TIMEOUTS_MS.length - 1)]);
    const abandon = (): void => {
      if (!connected) upstream.destroy();
    };
    client.once('close', abandon);
    upstream.once('connect', () => {
      connected = true;
      clearTimeout(timer);
      client.off('close', abandon);
      this.opts.balancer.chosen(target, clientIp, ep);
      this.splice(client, upstream);
    });
    upstream.on('error', (e) => {
      clearTimeout(timer);
      if (connected) return;
      client.off('close', abandon);
      this.opts.log(`service proxy: ${target.namespace}/${target.name}:${target.port}: endpoint ${ep.ip}:${ep.port} failed (${(e as NodeJS.ErrnoException).code ?? e.message}), trying the next`);
      this.dial(client, target, clientIp, candidates, i + 1);
    });
  }

  private splice(client: net.Socket, upstream: net.Socket): void {
    this.track(upstream);
    // A reset on one side is a reset on the other; a clean end is passed on as a half-close by pipe().
    upstream.on('error', () => {
      if (!client.destroyed) client.resetAndDestroy();
    });
    client.on('error', () => {
      if (!upstream.destroyed) upstream.resetAndDestroy();
    });
    // Ends travel through pipe() as half-closes; a socket closes itself once both directions ended.
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  }
}
