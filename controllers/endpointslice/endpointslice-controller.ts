// The EndpointSlice controller (Kubernetes' pkg/controller/endpointslice):
// keeps discovery.k8s.io/v1 EndpointSlices for every Service with a
// selector, from the pods it selects (reconcile.ts says what is written).
// The proxies, the ingress and the agent's rotation gate read these slices,
// so a pod that gets a deletionTimestamp is written ready:false /
// terminating:true on the next sync, which its pod update queues at once.
//
// The informer cache may lag behind this controller's own writes; acting on
// a stale cache would create a second slice for the same endpoints. As
// Kubernetes' EndpointSliceTracker does, the controller remembers the
// resourceVersion of each slice it wrote (and the slices it deleted) and
// waits, requeueing the Service, until the cache has caught up.

import type { EventRecorder } from '../../client/events.ts';
import type { Informer, InformerFactory } from '../../client/informer.ts';
import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';
import { keyOf, podsSelected, selectorOf, specOf, TriggerTimeTracker } from '../endpoints/pod-util.ts';
import { ServiceWatch } from '../endpoints/service-watch.ts';
import { isNotFound, message } from '../replicaset/api-errors.ts';
import { CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, planSlices } from './reconcile.ts';

const STALE_RETRY_MS = 20;

export interface EndpointSliceControllerOptions {
  log?: (msg: string, err?: unknown) => void;
  recorder?: EventRecorder;
  workers?: number;
}

/** What this controller wrote and has not yet seen in its cache: slice name → resourceVersion, or 'deleted'. */
type Written = Map<string, number | 'deleted'>;

export class EndpointSliceController {
  private readonly watch: ServiceWatch;
  private readonly slices: Informer;
  private readonly triggers = new TriggerTimeTracker();
  private readonly written = new Map<string, Written>();
  private readonly log: (msg: string, err?: unknown) => void;

  constructor(
    private readonly client: Client,
    informers: InformerFactory,
    private readonly opts: EndpointSliceControllerOptions = {},
  ) {
    this.log = opts.log ?? (() => {});
    this.watch = new ServiceWatch(informers, (ns, name) => this.sync(ns, name), 'endpointslice', this.log, opts.workers);
    this.slices = informers.for(R.endpointslices);
    const sliceChanged = (slice: KObject, deleted: boolean): void => {
      if (slice.metadata.labels?.[MANAGED_BY_LABEL] !== CONTROLLER_NAME) return;
      const svc = slice.metadata.labels?.[SERVICE_NAME_LABEL];
      if (!svc) return;
      const key = `${slice.metadata.namespace}/${svc}`;
      this.observe(key, slice, deleted);
      this.watch.enqueue(key);
    };
    this.slices.addHandler({
      add: (s) => sliceChanged(s, false),
      update: (_, s) => sliceChanged(s, false),
      delete: (s) => sliceChanged(s, true),
    });
  }

  start(): Promise<void> {
    return this.watch.start([this.slices]);
  }

  stop(): void {
    this.watch.stop();
  }

  idle(): Promise<void> {
    return this.watch.idle();
  }

  resync(): void {
    this.watch.resync();
  }

  private observe(key: string, slice: KObject, deleted: boolean): void {
    const w = this.written.get(key);
    const want = w?.get(slice.metadata.name!);
    if (want === undefined) return;
    if (deleted || (want !== 'deleted' && Number(slice.metadata.resourceVersion) >= want)) w!.delete(slice.metadata.name!);
    if (w!.size === 0) this.written.delete(key);
  }

  /** Records a write unless the cache has already seen it. */
  private expect(key: string, name: string, rv: number | 'deleted', namespace: string): void {
    const cached = this.slices.get(namespace, name);
    if (rv === 'deleted' ? !cached : cached && Number(cached.metadata.resourceVersion) >= rv) return;
    let w = this.written.get(key);
    if (!w) this.written.set(key, (w = new Map()));
    w.set(name, rv);
  }

  private async sync(namespace: string, name: string): Promise<void> {
    const key = `${namespace}/${name}`;
    const svc = this.watch.services.get(namespace, name);
    if (!svc) {
      // The slices go with their owner (garbage collection); only the bookkeeping is ours.
      this.triggers.forget(key);
      this.written.delete(key);
      return;
    }
    // Services without a selector get their slices from users (or the mirroring controller); ExternalName none.
    if (!selectorOf(svc) || specOf(svc).type === 'ExternalName') return;
    if (this.written.has(key)) {
      this.watch.queue.addAfter(key, STALE_RETRY_MS);
      return;
    }
    const pods = podsSelected(this.watch.pods, svc);
    const existing = this.slices
      .list(namespace)
      .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME);
    const plan = planSlices(svc, pods, existing, this.triggers.compute(svc, pods));
    if (svc.metadata.deletionTimestamp && plan.create.length) plan.create = [];
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
        if ((e as { details?: { causes?: { reason?: string }[] } }).details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) return;
        this.opts.recorder?.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${key}: ${message(e)}`);
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
}

