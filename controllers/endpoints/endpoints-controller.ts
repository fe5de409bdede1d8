// The Endpoints controller (Kubernetes' pkg/controller/endpoint): keeps one
// core/v1 Endpoints object, named after the Service, for every Service with
// a selector (subsets.ts says what it holds). Services without a selector
// are left alone: their Endpoints are the user's. When a Service is deleted
// its Endpoints are deleted with it (they carry no ownerReference, as in
// Kubernetes). Over 1000 addresses it is truncated and annotated
// endpoints.kubernetes.io/over-capacity: truncated. The object is written
// only when its subsets, its labels or its truncation changed (the
// trigger-time annotation rides along); a write goes with the cached
// resourceVersion, so a stale cache ends in a conflict and a retry.

import type { EventRecorder } from '../../client/events.ts';
import type { Informer, InformerFactory } from '../../client/informer.ts';
import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';
import { isNotFound } from '../replicaset/api-errors.ts';
import { HEADLESS_LABEL, TRIGGER_TIME_ANNOTATION, formatTriggerTime, isServiceIpSet, podsSelected, selectorOf, specOf, TriggerTimeTracker } from './pod-util.ts';
import { ServiceWatch } from './service-watch.ts';
import { OVER_CAPACITY_ANNOTATION, endpointSubsets, subsetsEqual, truncateSubsets } from './subsets.ts';

export interface EndpointsControllerOptions {
  log?: (msg: string, err?: unknown) => void;
  recorder?: EventRecorder;
  workers?: number;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

export class EndpointsController {
  private readonly watch: ServiceWatch;
  private readonly endpoints: Informer;
  private readonly triggers = new TriggerTimeTracker();

  constructor(
    private readonly client: Client,
    informers: InformerFactory,
    private readonly opts: EndpointsControllerOptions = {},
  ) {
    this.watch = new ServiceWatch(informers, (ns, name) => this.sync(ns, name), 'endpoints', opts.log ?? (() => {}), opts.workers);
    this.endpoints = informers.for(R.endpoints);
    // Someone deleted an Endpoints object: its Service, if it has a selector, gets it back.
    this.endpoints.addHandler({ delete: (ep) => this.watch.enqueue(`${ep.metadata.namespace}/${ep.metadata.name}`) });
  }

  start(): Promise<void> {
    return this.watch.start([this.endpoints]);
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
    const svc = this.watch.services.get(namespace, name);
    if (!svc) {
      this.triggers.forget(`${namespace}/${name}`);
      // The Service is gone: so are its Endpoints (skipping the call when the cache has none).
      if (!this.endpoints.get(namespace, name)) return;
      try {
        await this.client.delete(R.endpoints, namespace, name);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      return;
    }
    if (!selectorOf(svc) || specOf(svc).type === 'ExternalName') return;
    const pods = podsSelected(this.watch.pods, svc);
    const subsets = endpointSubsets(svc, pods);
    // Truncated before comparing (Kubernetes compares first and so rewrites a truncated object on every sync).
    const truncated = truncateSubsets(subsets);
    const triggerTime = this.triggers.compute(svc, pods);
    const current = this.endpoints.get(namespace, name);

    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (isServiceIpSet(svc)) delete labels[HEADLESS_LABEL];
    else labels[HEADLESS_LABEL] = '';
    if (current && subsetsEqual((current as { subsets?: [] }).subsets, subsets) && (current.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] === 'truncated') === truncated) {
      const compare = { ...(current.metadata.labels ?? {}) };
      delete compare[HEADLESS_LABEL];
      const svcLabels = { ...(svc.metadata.labels ?? {}) };
      delete svcLabels[HEADLESS_LABEL];
      if (sameLabels(compare, svcLabels) && (current.metadata.labels?.[HEADLESS_LABEL] !== undefined) === !isServiceIpSet(svc)) return;
    }
    const annotations = { ...(current?.metadata.annotations ?? {}) };
    if (triggerTime) annotations[TRIGGER_TIME_ANNOTATION] = formatTriggerTime(triggerTime);
    else delete annotations[TRIGGER_TIME_ANNOTATION];
    if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    const obj: KObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        ...(current?.metadata ?? {}),
        name,
        namespace,
        labels,
        ...(Object.keys(annotations).length ? { annotations } : {}),
      },
      ...(subsets.length ? { subsets } : {}),
    };
    if (!Object.keys(annotations).length) delete obj.metadata.annotations;
    try {
      if (current) await this.client.update(R.endpoints, obj);
      else await this.client.create(R.endpoints, namespace, obj);
    } catch (e) {
      if ((e as { details?: { causes?: { reason?: string }[] } }).details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) return;
      this.opts.recorder?.event(svc, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${namespace}/${name}: ${(e as Error).message}`);
      throw e;
    }
  }
}
