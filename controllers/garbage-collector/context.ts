// What a sync works with: the registry to read and write through, the graph
// (cache) for who depends on whom, and the queue to hand other objects to.

import type { Registry } from '../../apiserver/registry/registry.ts';
import type { OwnerGraph } from './graph.ts';

export interface SyncContext {
  registry: Registry;
  graph: OwnerGraph;
  /** Queues another object (by uid) for a sync, if the graph says it needs one. */
  enqueue(uid: string): void;
}
