// What a pod worker needs from the agent: the API, the runtime, the clock,
// events, the node's facts, and a way to be synced again later.

import type { EventRecorder } from '../../client/events.ts';
import type { Client } from '../../client/types.ts';
import type { Clock } from '../clock.ts';
import type { ObjectSource } from '../env/resolve.ts';
import type { Runtime } from '../runtimes/types.ts';
import type { Backoff } from './backoff.ts';
import type { ClusterNetwork } from '../../network/types.ts';

export interface WorkerContext {
  client: Client;
  runtime: Runtime;
  clock: Clock;
  recorder: EventRecorder;
  log: (msg: string, err?: unknown) => void;
  dataDir: string;
  nodeName: string;
  hostIP: string;
  /** The cluster DNS and domain for the pods' resolv.conf (default: DEFAULT_CLUSTER_NETWORK). */
  cluster?: ClusterNetwork;
  objects: ObjectSource;
  backoff: Backoff;
  allocatable(): Record<string, string>;
  /** Syncs the pod again, at once or after ms on the agent's clock. */
  enqueue(uid: string, afterMs?: number): void;
  /** The proxies' rotation (network/types.ts EndpointView), when this node runs them. */
  rotation?: Rotation;
}

/** What the agent asks of the proxies before it stops a pod being deleted. */
export interface Rotation {
  /** Resolves once no proxy sends new traffic to the pod (true), or at the timeout (false). */
  waitOutOfRotation(podUid: string, timeoutMs: number): Promise<boolean>;
}
