// Writing EndpointSlices from a plan, shared by the EndpointSlice and the
// mirroring controllers. The informer cache may lag behind a controller's
// own writes; acting on a stale cache would create a second slice for the
// same endpoints. As Kubernetes' EndpointSliceTracker does, the writer
// remembers the resourceVersion of each slice it wrote (and the slices it
// deleted) per key, and a controller waits (requeues the key) while
// stale(key) says the cache has not caught up.

import type { EventRecorder } from '../../client/events.ts';
import type { Informer } from '../../client/informer.ts';
import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';
import { isNamespaceTerminating, isNotFound, message } from '../replicaset/api-errors.ts';
import type { SlicePlan } from './reconcile.ts';

/** Slice name → the resourceVersion written, or 'deleted'. */
type Written = Map<string, number | 'deleted'>;

export class SliceWriter {
  private readonly written = new Map<string, Written>();

  constructor(
    private readonly client: Client,
    private readonly slices: Informer,
    private readonly recorder?: EventRecorder,
  ) {}

  /** The informer saw this slice of `key` (call from its handlers). */
  observe(key: string, slice: KObject, deleted: boolean): void {
    const w = this.written.get(key);
    const want = w?.get(slice.metadata.name!);
    if (want === undefined) return;
    if (deleted || (want !== 'deleted' && Number(slice.metadata.resourceVersion) >= want)) w!.delete(slice.metadata.name!);
    if (w!.size === 0) this.written.delete(key);
  }

  stale(key: string): boolean {
    return this.written.has(key);
  }

  forget(key: string): void {
    this.written.delete(key);
  }

  /** Updates, then creates, then deletes (a reader never sees fewer endpoints than before or after). */
  async apply(key: string, namespace: string, plan: SlicePlan, owner: KObject): Promise<void> {
    for (const s of plan.update) {
      const out = await this.client.update(R.endpointslices, s);
      this.expect(key, out.metadata.name!, Number(out.metadata.resourceVersion), namespace);
    }
    for (const s of plan.create) {
      try {
        const out = await this.client.create(R.endpointslices, namespace, s);
        this.expect(key, out.metadata.name!, Number(out.metadata.resourceVersion), namespace);
      } catch (e) {
        // A namespace being deleted refuses creates: nothing to keep then.
        if (isNamespaceTerminating(e)) return;
        this.recorder?.event(owner, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${key}: ${message(e)}`);
        throw e;
      }
    }
    for (const s of plan.delete) {
      try {
        await this.client.delete(R.endpointslices, namespace, s.metadata.name!, { preconditions: { uid: s.metadata.uid } });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      this.expect(key, s.metadata.name!, 'deleted', namespace);
    }
  }

  /** Records a write unless the cache has already seen it. */
  private expect(key: string, name: string, rv: number | 'deleted', namespace: string): void {
    const cached = this.slices.get(namespace, name);
    if (rv === 'deleted' ? !cached : cached && Number(cached.metadata.resourceVersion) >= rv) return;
    let w = this.written.get(key);
    if (!w) this.written.set(key, (w = new Map()));
    w.set(name, rv);
  }
}
