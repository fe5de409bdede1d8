// Backend connections of the ingress: one keep-alive pool (an http.Agent) per
// endpoint, and round robin over a Service port's ready endpoints, read from
// the endpoint view at each pick. When an endpoint leaves every ready set
// (view.onChange), its pool is retired: it gets no new request, its idle
// sockets are closed at once and its busy ones when their response ends, so a
// pod being deleted sees its connections go before it gets SIGTERM.

import { Agent, type AgentOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { Endpoint, EndpointView } from '../types.ts';
import type { Backend } from './routes.ts';

/** A keep-alive pool that, once retired, closes every socket that falls idle. */
class EndpointAgent extends Agent {
  retired = false;

  override keepSocketAlive(socket: Socket): boolean {
    if (this.retired) return false;
    return super.keepSocketAlive(socket) as unknown as boolean; // @types/node says void; node returns whether it kept the socket
  }

  retire(): void {
    this.retired = true;
    for (const list of Object.values(this.freeSockets)) for (const s of list ?? []) s.destroy();
  }
}

export interface Picked {
  endpoint: Endpoint;
  key: string;
  agent: Agent;
}

export class BackendPools {
  private readonly agents = new Map<string, EndpointAgent>();
  private readonly cursors = new Map<string, number>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly view: EndpointView,
    /** Socket idle timeout: a request waiting this long for its response times out; idle pooled sockets close. */
    private readonly timeoutMs: number,
    private readonly maxIdlePerEndpoint = 256,
  ) {
    this.unsubscribe = view.onChange(() => this.retireGone());
  }

  /** The ready endpoints of a backend (for counting candidates). */
  ready(b: Backend): Endpoint[] {
    return this.view.endpoints(b.namespace, b.service, b.port).filter((e) => e.ready);
  }

  /** The next ready endpoint in round-robin order that is not in `skip`; undefined when none is left. */
  pick(b: Backend, skip?: Set<string>): Picked | undefined {
    const all = this.view.endpoints(b.namespace, b.service, b.port);
    const n = all.length;
    if (n === 0) return undefined;
    const start = this.cursors.get(b.key) ?? 0;
    for (let i = 0; i < n; i++) {
      const idx = (start + i) % n;
      const ep = all[idx]!;
      if (!ep.ready) continue;
      const key = `${ep.ip}:${ep.port}`;
      if (skip?.has(key)) continue;
      this.cursors.set(b.key, idx + 1);
      return { endpoint: ep, key, agent: this.agent(key) };
    }
    return undefined;
  }

  close(): void {
    this.unsubscribe();
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }

  private agent(key: string): EndpointAgent {
    let a = this.agents.get(key);
    if (!a) {
      a = new EndpointAgent({ keepAlive: true, noDelay: true, timeout: this.timeoutMs, maxFreeSockets: this.maxIdlePerEndpoint, scheduling: 'lifo' } as AgentOptions);
      this.agents.set(key, a);
    }
    return a;
  }

  /** Retires the pools of endpoints that no Service lists as ready any more. */
  private retireGone(): void {
    if (this.agents.size === 0) return;
    const live = new Set<string>();
    for (const svc of this.view.services()) {
      for (const p of svc.ports) {
        for (const ep of this.view.endpoints(svc.namespace, svc.name, { number: p.port })) if (ep.ready) live.add(`${ep.ip}:${ep.port}`);
      }
    }
    for (const [key, agent] of this.agents) {
      if (live.has(key)) continue;
      this.agents.delete(key);
      agent.retire();
    }
  }
}
