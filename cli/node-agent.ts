// The node agent that `skiff server` runs beside the control plane (unless
// --no-agent): the process runtime, the agent (kubelet) writing through the
// API like any client, and its streaming server for logs, exec and
// port-forward, which the API server reaches the way Kubernetes' reaches a
// kubelet: over TLS, with a token, at the port the Node advertises.

import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent } from '../agent/agent.ts';
import { ProcessRuntime } from '../agent/runtimes/process/process-runtime.ts';
import { startStreamingServer, type StreamingServer } from '../agent/streaming/server.ts';
import type { StreamingBackend } from '../agent/streaming/backend.ts';
import type { Registry } from '../apiserver/registry/registry.ts';
import { LocalClient } from '../client/local.ts';

export interface NodeAgentOptions {
  registry: Registry;
  dataDir: string;
  nodeName: string;
  /** Serving certificate and key for the streaming server (the API server trusts their CA). */
  tls: { cert: string; key: string };
  /** The token the API server presents to the streaming server. */
  token: string;
  log: (msg: string, err?: unknown) => void;
}

export interface NodeAgent {
  agent: Agent;
  stop(): Promise<void>;
}

/** The node name Kubernetes would use: the host name, lower case. */
export function defaultNodeName(): string {
  return hostname().toLowerCase();
}

/** The compiled shim: beside the bundle (dist/skiff-shim), or in dist/ of the checkout when run from source. */
export function shimPath(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const p of [join(here, 'skiff-shim'), join(here, '..', 'dist', 'skiff-shim')]) if (existsSync(p)) return p;
  throw new Error('the process runtime shim (dist/skiff-shim) is missing: run `npm run build`');
}

export async function startNodeAgent(opts: NodeAgentOptions): Promise<NodeAgent> {
  const runtime = new ProcessRuntime({ stateDir: join(opts.dataDir, 'agent', 'runtime'), shimPath: shimPath() });
  let agent: Agent | undefined;
  // The streaming server must know its port before the agent advertises it; it reaches the agent's backend once built.
  const backend: StreamingBackend = {
    logFiles: (...a) => agent!.streamingBackend.logFiles(...a),
    exec: (...a) => agent!.streamingBackend.exec(...a),
    portForward: (...a) => agent!.streamingBackend.portForward(...a),
  };
  const streaming: StreamingServer = await startStreamingServer({ host: '127.0.0.1', port: 0, tls: opts.tls, token: opts.token, backend, log: opts.log });
  agent = new Agent(new LocalClient(opts.registry, 'kubelet'), {
    nodeName: opts.nodeName,
    runtime,
    dataDir: opts.dataDir,
    log: opts.log,
    streaming: { port: streaming.port },
  });
  try {
    await agent.start();
  } catch (e) {
    await streaming.close();
    throw e;
  }
  return {
    agent,
    stop: async () => {
      await agent!.stop();
      await streaming.close();
    },
  };
}
