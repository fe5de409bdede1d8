// Controller expectations (Kubernetes' UIDTrackingControllerExpectations):
// what a controller is still waiting to see in its informer after its own
// creates and deletes. While creates or deletes are in flight a sync must not
// act on the pod count (it would double-create from a cache that has not
// caught up); it acts again once every expected event arrived, or after
// EXPECTATIONS_TTL_MS in case an event was lost.

export const EXPECTATIONS_TTL_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  /** Pod keys ("namespace/name") whose deletion is still to be observed. */
  deleting: Set<string>;
  at: number;
}

export class Expectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(private readonly clock: () => Date) {}

  /** True when the controller may act: nothing pending, nothing recorded, or the record expired. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock().getTime() - e.at > EXPECTATIONS_TTL_MS;
  }

  expectCreations(key: string, n: number): void {
    this.byKey.set(key, { add: n, del: 0, deleting: new Set(), at: this.clock().getTime() });
  }

  expectDeletions(key: string, podKeys: string[]): void {
    this.byKey.set(key, { add: 0, del: podKeys.length, deleting: new Set(podKeys), at: this.clock().getTime() });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.add--;
  }

  /** A pod deletion was seen (or the delete failed): counts only for a pod this controller deleted. */
  deletionObserved(key: string, podKey: string): void {
    const e = this.byKey.get(key);
    if (e?.deleting.delete(podKey)) e.del--;
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }

  /** Pending creates and deletes (tests, logs). */
  pending(key: string): { add: number; del: number } | undefined {
    const e = this.byKey.get(key);
    return e && { add: e.add, del: e.del };
  }
}
