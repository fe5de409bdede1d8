// What a Job's last sync did that the pod cache may not show yet (Kubernetes'
// ControllerExpectations and uidTrackingExpectations): pods it created or
// deleted, and pods whose tracking finalizer it removed. Each expectation is
// checked against the cache itself (by name and uid), so an informer event
// that arrives before the write returns is never missed. A sync that acts on
// a stale cache would create pods twice or count a pod twice; until the cache
// catches up, the Job waits. Creations and deletions expire after five
// minutes, as upstream, so a lost event cannot wedge a Job.

import type { Pod } from 'kubernetes-types/core/v1.js';
import { hasTrackingFinalizer } from './job-util.ts';

const EXPECTATION_TTL_MS = 5 * 60_000;

interface Pending {
  creates: Map<string, string>;
  deletes: Map<string, string>;
  finalizers: Map<string, string>;
  at: number;
}

export type PodLookup = (name: string) => Pod | undefined;

export class Expectations {
  private readonly byJob = new Map<string, Pending>();

  constructor(private readonly now: () => number) {}

  private entry(key: string): Pending {
    let e = this.byJob.get(key);
    if (!e) this.byJob.set(key, (e = { creates: new Map(), deletes: new Map(), finalizers: new Map(), at: this.now() }));
    return e;
  }

  created(key: string, uid: string, name: string): void {
    const e = this.entry(key);
    e.creates.set(uid, name);
    e.at = this.now();
  }

  deleted(key: string, uid: string, name: string): void {
    const e = this.entry(key);
    e.deletes.set(uid, name);
    e.at = this.now();
  }

  finalizerRemoved(key: string, uid: string, name: string): void {
    this.entry(key).finalizers.set(uid, name);
  }

  /** The informer saw a pod the Job created (it may be gone again before the next sync looks). */
  observedCreate(key: string, uid: string): void {
    this.byJob.get(key)?.creates.delete(uid);
  }

  forget(key: string): void {
    this.byJob.delete(key);
  }

  /** Whether the cache shows every pod created and deleted (or the expectations expired). */
  satisfied(key: string, lookup: PodLookup): boolean {
    const e = this.byJob.get(key);
    if (!e) return true;
    for (const [uid, name] of e.creates) {
      const pod = lookup(name);
      if (pod) e.creates.delete(uid);
    }
    for (const [uid, name] of e.deletes) {
      const pod = lookup(name);
      if (!pod || pod.metadata?.uid !== uid || pod.metadata?.deletionTimestamp) e.deletes.delete(uid);
    }
    if (e.creates.size + e.deletes.size === 0) return true;
    if (this.now() - e.at > EXPECTATION_TTL_MS) {
      e.creates.clear();
      e.deletes.clear();
      return true;
    }
    return false;
  }

  /** Uids of pods whose finalizer removal the cache does not show yet. */
  pendingFinalizerRemovals(key: string, lookup: PodLookup): Set<string> {
    const e = this.byJob.get(key);
    if (!e) return new Set();
    for (const [uid, name] of e.finalizers) {
      const pod = lookup(name);
      if (!pod || pod.metadata?.uid !== uid || !hasTrackingFinalizer(pod)) e.finalizers.delete(uid);
    }
    return new Set(e.finalizers.keys());
  }
}
