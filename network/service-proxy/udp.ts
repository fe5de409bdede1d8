// One UDP listener of the service proxy. Each client address gets a flow:
// a socket connected to the endpoint the balancer picked, whose replies go
// back to the client from the listener's address. A flow ends after
// idleTimeoutMs without traffic, when its endpoint refuses (ICMP port
// unreachable surfaces as an error on the connected socket: the next
// datagram picks another endpoint), or when its endpoint is no longer ready
// (Kubernetes clears the conntrack entries of removed UDP endpoints).
// Datagrams for a Service port without ready endpoints are dropped.

import dgram from 'node:dgram';
import type { Balancer, PortRef } from './balancer.ts';
import type { Endpoint, EndpointView } from '../types.ts';

export interface UdpListenerOptions {
  host: string;
  port: number;
  target: PortRef;
  balancer: Balancer;
  view: EndpointView;
  dialHost: (ip: string) => string;
  idleTimeoutMs: number;
  log: (msg: string, err?: unknown) => void;
  onError: (err: Error) => void;
}

interface Flow {
  ep: Endpoint;
  socket: dgram.Socket;
  connected: boolean;
  queue: Buffer[];
  timer: NodeJS.Timeout;
}

export class UdpListener {
  target: PortRef;
  private readonly socket: dgram.Socket;
  private readonly flows = new Map<string, Flow>();
  private closed = false;

  constructor(private readonly opts: UdpListenerOptions) {
    this.target = opts.target;
    this.socket = dgram.createSocket('udp4');
    this.socket.on('error', (e) => opts.onError(e));
    this.socket.on('message', (msg, rinfo) => this.forward(msg, rinfo.address, rinfo.port));
    this.socket.bind({ address: opts.host, port: opts.port });
  }

  close(): Promise<void> {
    this.closed = true;
    for (const key of [...this.flows.keys()]) this.endFlow(key);
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  /** Ends the flows whose endpoint is no longer ready. */
  prune(): void {
    const ready = new Set(
      this.opts.view
        .endpoints(this.target.namespace, this.target.name, { number: this.target.port })
        .filter((e) => e.ready)
        .map((e) => `${e.ip}:${e.port}`),
    );
    for (const [key, f] of this.flows) if (!ready.has(`${f.ep.ip}:${f.ep.port}`)) this.endFlow(key);
  }

  private forward(msg: Buffer, address: string, port: number): void {
    const key = `${address}:${port}`;
    let flow = this.flows.get(key);
    if (!flow) {
      const [ep] = this.opts.balancer.candidates(this.target, address);
      if (!ep) return;
      flow = this.openFlow(key, ep, address, port);
      this.opts.balancer.chosen(this.target, address, ep);
    }
    flow.timer.refresh();
    if (flow.connected) flow.socket.send(msg);
    else flow.queue.push(msg);
  }

  private openFlow(key: string, ep: Endpoint, address: string, port: number): Flow {
    const socket = dgram.createSocket('udp4');
    const flow: Flow = { ep, socket, connected: false, queue: [], timer: setTimeout(() => this.endFlow(key), this.opts.idleTimeoutMs) };
    flow.timer.unref();
    this.flows.set(key, flow);
    socket.on('error', (e) => {
      this.opts.log(`service proxy: ${this.target.namespace}/${this.target.name}:${this.target.port}/UDP: endpoint ${ep.ip}:${ep.port} failed (${(e as NodeJS.ErrnoException).code ?? e.message})`);
      if (this.flows.get(key) === flow) this.endFlow(key);
    });
    socket.on('message', (reply) => {
      if (this.closed) return;
      flow.timer.refresh();
      this.socket.send(reply, port, address);
    });
    socket.connect(ep.port, this.opts.dialHost(ep.ip), () => {
      flow.connected = true;
      for (const m of flow.queue.splice(0)) socket.send(m);
    });
    return flow;
  }

  private endFlow(key: string): void {
    const f = this.flows.get(key);
    if (!f) return;
    this.flows.delete(key);
    clearTimeout(f.timer);
    try {
      f.socket.close();
    } catch {
      // Already closed by its error.
    }
  }
}
