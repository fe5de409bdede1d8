// The EndpointSlice mirroring controller (Kubernetes'
// pkg/controller/endpointslicemirroring): for a Service without a selector
// whose endpoints a user wrote as a core/v1 Endpoints object, it keeps
// EndpointSlices mirroring it, so that everything reading slices (the
// service proxy, the ingress, the DNS) sees those endpoints too.
//
// Each subset becomes slices of its ports, per address type: addresses as
// ready endpoints, notReadyAddresses as not ready (only the ready condition
// is set, as in Kubernetes), with hostname, nodeName and targetRef. The
// slices are owned by the Endpoints object, labelled with the service name
// and endpointslice.kubernetes.io/managed-by: endpointslicemirroring-
// controller.k8s.io, and carry the Endpoints' labels and annotations (but
// the trigger time and last-applied-configuration). An Endpoints labelled
// endpointslice.kubernetes.io/skip-mirror: "true", or whose Service is gone
// or has a selector, has no mirrored slices.

import type { EventRecorder } from '../../client/events.ts';
import type { Informer, InformerFactory } from '../../client/informer.ts';
import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';
import { TRIGGER_TIME_ANNOTATION, keyOf, selectorOf } from '../endpoints/pod-util.ts';
import { WorkQueue } from '../queue.ts';
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL, endpointKey, groupKey, planGroups, slicePrefix, type Group, type SliceTarget } from './reconcile.ts';
import { STALE_RETRY_MS } from './endpointslice-controller.ts';
import { SliceWriter } from './slice-writer.ts';

export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

type Obj = Record<string, any>;

export interface MirroringControllerOptions {
  log?: (msg: string, err?: unknown) => void;
  recorder?: EventRecorder;
}

/** The slices' groups for an Endpoints object's subsets. */
export function mirroredGroups(endpoints: KObject): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const subset of ((endpoints as Obj).subsets ?? []) as Obj[]) {
    const ports = ((subset.ports ?? []) as Obj[]).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol !== undefined ? { appProtocol: p.appProtocol } : {}) }));
    const add = (addr: Obj, ready: boolean): void => {
      const addressType = String(addr.ip).includes(':') ? 'IPv6' : 'IPv4';
      const key = groupKey(addressType, ports);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { addressType, ports, endpoints: new Map() }));
      const ep: Obj = { addresses: [addr.ip], conditions: { ready } };
      if (addr.hostname) ep.hostname = addr.hostname;
      if (addr.targetRef) ep.targetRef = addr.targetRef;
      if (addr.nodeName) ep.nodeName = addr.nodeName;
      g.endpoints.set(endpointKey(ep), ep);
    };
    for (const a of (subset.addresses ?? []) as Obj[]) add(a, true);
    for (const a of (subset.notReadyAddresses ?? []) as Obj[]) add(a, false);
  }
  return groups;
}

export class EndpointSliceMirroringController {
  private readonly services: Informer;
  private readonly endpoints: Informer;
  private readonly slices: Informer;
  private readonly writer: SliceWriter;
  private readonly queue: WorkQueue;
  private started = false;
  private readonly pending = new Set<string>();

  constructor(client: Client, informers: InformerFactory, opts: MirroringControllerOptions = {}) {
    const log = opts.log ?? (() => {});
    this.services = informers.for(R.services);
    this.endpoints = informers.for(R.endpoints);
    this.slices = informers.for(R.endpointslices);
    this.writer = new SliceWriter(client, this.slices, opts.recorder);
    this.queue = new WorkQueue((key) => this.sync(key), { workers: 1, onError: (k, e) => log(`endpointslicemirroring ${k}: sync failed`, e) });
    const byKey = { add: (o: KObject) => this.enqueue(keyOf(o)), update: (_: KObject, o: KObject) => this.enqueue(keyOf(o)), delete: (o: KObject) => this.enqueue(keyOf(o)) };
    this.services.addHandler(byKey);
    this.endpoints.addHandler(byKey);
    const sliceChanged = (slice: KObject, deleted: boolean): void => {
      if (slice.metadata.labels?.[MANAGED_BY_LABEL] !== MIRRORING_CONTROLLER_NAME) return;
      const key = `${slice.metadata.namespace}/${slice.metadata.labels?.[SERVICE_NAME_LABEL] ?? ''}`;
      this.writer.observe(key, slice, deleted);
      this.enqueue(key);
    };
    this.slices.addHandler({ add: (s) => sliceChanged(s, false), update: (_, s) => sliceChanged(s, false), delete: (s) => sliceChanged(s, true) });
  }

  async start(): Promise<void> {
    await Promise.all([this.services.start(), this.endpoints.start(), this.slices.start()]);
    this.started = true;
    for (const k of this.pending) this.queue.add(k);
    this.pending.clear();
  }

  stop(): void {
    this.queue.stop();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  resync(): void {
    for (const ep of this.endpoints.list()) this.enqueue(keyOf(ep));
  }

  private enqueue(key: string): void {
    if (this.started) this.queue.add(key);
    else this.pending.add(key);
  }

  private async sync(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    if (this.writer.stale(key)) {
      this.queue.addAfter(key, STALE_RETRY_MS);
      return;
    }
    const svc = this.services.get(namespace, name);
    const ep = this.endpoints.get(namespace, name);
    const existing = this.slices.list(namespace).filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && s.metadata.labels?.[MANAGED_BY_LABEL] === MIRRORING_CONTROLLER_NAME);
    const mirror = svc && !selectorOf(svc) && ep && ep.metadata.labels?.[SKIP_MIRROR_LABEL] !== 'true';
    if (!mirror) {
      if (existing.length === 0) {
        this.writer.forget(key);
        return;
      }
      await this.writer.apply(key, namespace, { create: [], update: [], delete: existing }, svc ?? ep ?? existing[0]!);
      return;
    }
    const labels: Record<string, string> = { ...(ep.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MIRRORING_CONTROLLER_NAME };
    const annotations: Record<string, string> = { ...(ep.metadata.annotations ?? {}) };
    delete annotations[TRIGGER_TIME_ANNOTATION];
    delete annotations[LAST_APPLIED_ANNOTATION];
    const target: SliceTarget = {
      namespace,
      prefix: slicePrefix(name),
      labels,
      owner: { apiVersion: 'v1', kind: 'Endpoints', name, uid: ep.metadata.uid!, controller: true, blockOwnerDeletion: true },
      annotations: () => annotations,
      compareAnnotations: true,
      placeholder: false,
    };
    await this.writer.apply(key, namespace, planGroups(target, mirroredGroups(ep), existing), svc);
  }
}
