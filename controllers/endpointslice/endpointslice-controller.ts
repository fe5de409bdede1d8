// The EndpointSlice controller (Kubernetes' pkg/controller/endpointslice):
// keeps discovery.k8s.io/v1 EndpointSlices for every Service with a
// selector, from the pods it selects (reconcile.ts says what is written).
// The proxies, the ingress and the agent's rotation gate read these slices,
// so a pod that gets a deletionTimestamp is written ready:false /
// terminating:true on the next sync, which its pod update queues at once.
// Writes go through SliceWriter, which waits out a cache that has not yet
// seen this controller's own writes.

import type { EventRecorder } from '../../client/events.ts';
import type { Informer, InformerFactory } from '../../client/informer.ts';
import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';
import { podsSelected, selectorOf, specOf, TriggerTimeTracker } from '../endpoints/pod-util.ts';
import { ServiceWatch } from '../endpoints/service-watch.ts';
import { CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, planSlices } from './reconcile.ts';
import { SliceWriter } from './slice-writer.ts';

export const STALE_RETRY_MS = 20;

export interface EndpointSliceControllerOptions {
  log?: (msg: string, err?: unknown) => void;
  recorder?: EventRecorder;
  workers?: number;
}

export class EndpointSliceController {
  private readonly watch: ServiceWatch;
  private readonly slices: Informer;
  private readonly writer: SliceWriter;
  private readonly triggers = new TriggerTimeTracker();

  constructor(client: Client, informers: InformerFactory, opts: EndpointSliceControllerOptions = {}) {
    this.watch = new ServiceWatch(informers, (ns, name) => this.sync(ns, name), 'endpointslice', opts.log ?? (() => {}), opts.workers);
    this.slices = informers.for(R.endpointslices);
    this.writer = new SliceWriter(client, this.slices, opts.recorder);
    const sliceChanged = (slice: KObject, deleted: boolean): void => {
      if (slice.metadata.labels?.[MANAGED_BY_LABEL] !== CONTROLLER_NAME) return;
      const svc = slice.metadata.labels?.[SERVICE_NAME_LABEL];
      if (!svc) return;
      const key = `${slice.metadata.namespace}/${svc}`;
      this.writer.observe(key, slice, deleted);
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

  private async sync(namespace: string, name: string): Promise<void> {
    const key = `${namespace}/${name}`;
    const svc = this.watch.services.get(namespace, name);
    if (!svc) {
      // The slices go with their owner (garbage collection); only the bookkeeping is ours.
      this.triggers.forget(key);
      this.writer.forget(key);
      return;
    }
    // Services without a selector get their slices from users (or the mirroring controller); ExternalName none.
    if (!selectorOf(svc) || specOf(svc).type === 'ExternalName') return;
    if (this.writer.stale(key)) {
      this.watch.queue.addAfter(key, STALE_RETRY_MS);
      return;
    }
    const pods = podsSelected(this.watch.pods, svc);
    const existing = this.slices
      .list(namespace)
      .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME);
    const plan = planSlices(svc, pods, existing, this.triggers.compute(svc, pods));
    if (svc.metadata.deletionTimestamp) plan.create = [];
    await this.writer.apply(key, namespace, plan, svc);
  }
}
