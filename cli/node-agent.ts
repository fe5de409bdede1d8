// The node agent that `skiff server` runs beside the control plane (unless
// --no-agent): the process runtime, the agent (kubelet) writing through the
// API like any client, and its streaming server for logs, exec and
// port-forward, which the API server reaches the way Kubernetes' reaches a
// kubelet: over TLS, with a token, at the port the Node advertises. With
// root, pods get their own network namespace and IP on the node's bridge
// (network/pod); SKIFF_POD_NETWORK=off keeps them on the host network.

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
import { nodePodCidr } from '../network/pod/cidr.ts';
import { PodNetwork, podNetworkSupport } from '../network/pod/pod-network.ts';
import { DEFAULT_CLUSTER_NETWORK, type ClusterNetwork } from '../network/types.ts';

export interface NodeAgentOptions {
  registry: Registry;
  dataDir: string;
  nodeName: string;
  /** Serving certificate and key for the streaming server (the API server trusts their CA). */
  tls: { cert: string; key: string };
  /** The token the API server presents to the streaming server. */
  token: string;
  log: (msg: string, err?: unknown) => void;
  /** The cluster's address plan (default DEFAULT_CLUSTER_NETWORK). */
  cluster?: ClusterNetwork;
  /** The pod network's bridge (default skiff0). */
  bridge?: string;
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

/** Where the pod network of a data dir keeps its addresses and settings. */
export function podNetworkDir(dataDir: string): string {
  return join(dataDir, 'agent', 'network');
}

/**
 * The pod network of a data dir, or why there is none: it needs root and
 * iproute2, and SKIFF_POD_NETWORK=off turns it off (the tests' servers that
 * run in the machine's own network namespace).
 */
export function podNetworkOf(dataDir: string, opts: { cluster?: ClusterNetwork; bridge?: string } = {}): { network?: PodNetwork; reason?: string } {
  const cluster = opts.cluster ?? DEFAULT_CLUSTER_NETWORK;
  const bridge = opts.bridge;
  if (process.env.SKIFF_POD_NETWORK === 'off') return { reason: 'pods share the host network: SKIFF_POD_NETWORK=off' };
  const support = podNetworkSupport();
  if (!support.ok) return { reason: support.reason };
  const network = new PodNetwork({ stateDir: podNetworkDir(dataDir), podCidr: nodePodCidr(cluster.podCidr), serviceCidr: cluster.serviceCidr, bridge });
  return { network };
}

export async function startNodeAgent(opts: NodeAgentOptions): Promise<NodeAgent> {
  const { network, reason } = podNetworkOf(opts.dataDir, { cluster: opts.cluster, bridge: opts.bridge });
  if (reason) opts.log(`${reason}; each pod gets its own loopback address (127.64.0.0/10)`);
  else opts.log(`pod network: bridge ${network!.bridge}, gateway ${network!.gateway}, one network namespace per pod`);
  const runtime = new ProcessRuntime({ stateDir: join(opts.dataDir, 'agent', 'runtime'), shimPath: shimPath(), network });
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
