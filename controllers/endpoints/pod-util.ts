// What the Endpoints and EndpointSlice controllers share, as Kubernetes'
// endpoint utilities compute it (pkg/controller/util/endpoint and
// endpointslice/util): which pods belong in a Service's endpoints, the pod
// port a Service port's targetPort names, when an endpoint carries the pod's
// hostname, which Services select a pod, and the last-change-trigger-time
// annotation's tracker.

import type { Informer } from '../../client/informer.ts';
import type { KObject } from '../../client/types.ts';

export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

type Obj = Record<string, any>;

export interface ServicePort {
  name?: string;
  protocol?: string;
  port: number;
  targetPort?: number | string;
  appProtocol?: string;
}

export const specOf = (o: KObject): Obj => ((o as Obj).spec ?? {}) as Obj;
export const statusOf = (o: KObject): Obj => ((o as Obj).status ?? {}) as Obj;
export const keyOf = (o: KObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** The Service's selector, or undefined for a Service without one (its endpoints are the user's). */
export function selectorOf(svc: KObject): Record<string, string> | undefined {
  const sel = specOf(svc).selector as Record<string, string> | undefined;
  return sel && Object.keys(sel).length > 0 ? sel : undefined;
}

/** A Service that has a cluster IP (not headless, not ExternalName). */
export function isServiceIpSet(svc: KObject): boolean {
  const ip = specOf(svc).clusterIP;
  return typeof ip === 'string' && ip !== '' && ip !== 'None';
}

/** The pod's Ready condition is True. */
export function isPodReady(pod: KObject): boolean {
  return (statusOf(pod).conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
}

/** The pod's IPv4 address, if it has one. */
export function podIp(pod: KObject): string | undefined {
  const st = statusOf(pod);
  const ips: string[] = [st.podIP, ...((st.podIPs ?? []) as Obj[]).map((p) => p.ip)].filter((ip): ip is string => typeof ip === 'string' && ip !== '');
  return ips.find((ip) => !ip.includes(':'));
}

/**
 * ShouldPodBeInEndpoints: not terminal (Succeeded/Failed), has an IP, and,
 * unless includeTerminating, not being deleted.
 */
export function shouldPodBeInEndpoints(pod: KObject, includeTerminating: boolean): boolean {
  const phase = statusOf(pod).phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!podIp(pod)) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** ShouldSetHostname: the pod names a hostname and this Service as its subdomain. */
export function shouldSetHostname(pod: KObject, svc: KObject): boolean {
  const spec = specOf(pod);
  return !!spec.hostname && spec.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace;
}

/**
 * FindPort: a numeric targetPort as is; a named one from the pod's container
 * ports (regular containers, then restartable init containers) of the same
 * protocol. Undefined when the pod has no such port: the pod is then not an
 * endpoint of this Service port.
 */
export function findPort(pod: KObject, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const proto = sp.protocol ?? 'TCP';
  const spec = specOf(pod);
  const sidecars = ((spec.initContainers ?? []) as Obj[]).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...((spec.containers ?? []) as Obj[]), ...sidecars]) {
    for (const p of (c.ports ?? []) as Obj[]) {
      if (p.name === target && (p.protocol ?? 'TCP') === proto) return p.containerPort;
    }
  }
  return undefined;
}

/** The selector matches these labels (a Service selector is a plain equality map). */
function selects(sel: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(sel).every(([k, v]) => labels?.[k] === v);
}

/** Services of the pod's namespace whose selector matches these labels. */
export function servicesSelecting(services: Informer, namespace: string, labels: Record<string, string> | undefined): KObject[] {
  return services.list(namespace).filter((svc) => {
    const sel = selectorOf(svc);
    return sel !== undefined && selects(sel, labels);
  });
}

/** Pods of the Service's namespace its selector matches. */
export function podsSelected(pods: Informer, svc: KObject): KObject[] {
  const sel = selectorOf(svc);
  if (!sel) return [];
  return pods.list(svc.metadata.namespace).filter((p) => selects(sel, p.metadata.labels));
}

/** time.RFC3339Nano: fractional seconds without trailing zeros. */
export function formatTriggerTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}

function podTriggerTime(pod: KObject): number {
  const c = ((statusOf(pod).conditions ?? []) as Obj[]).find((x) => x.type === 'Ready');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) || 0 : 0;
}

interface TriggerState {
  pods: Map<string, number>;
  service: number;
}

/**
 * Kubernetes' TriggerTimeTracker: the time of the earliest change (a pod's
 * Ready transition, the Service's creation) not yet reflected in the
 * Service's endpoints; 0 for a Service seen for the first time (no
 * annotation then). Example: pods a (Ready at 10:00) and b (Ready at 10:05)
 * were synced; a flips at 10:07 and b at 10:06 → 10:06 is the trigger time.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, TriggerState>();

  compute(svc: KObject, pods: KObject[]): number {
    const key = keyOf(svc);
    const prev = this.states.get(key);
    let min = 0;
    const take = (t: number): void => {
      if (min === 0 || t < min) min = t;
    };
    const now: TriggerState = { pods: new Map(), service: svc.metadata.creationTimestamp ? Date.parse(svc.metadata.creationTimestamp) || 0 : 0 };
    for (const pod of pods) {
      const t = podTriggerTime(pod);
      if (t === 0) continue;
      now.pods.set(pod.metadata.name!, t);
      if (t > (prev?.pods.get(pod.metadata.name!) ?? 0)) take(t);
    }
    if (now.service > (prev?.service ?? 0)) take(now.service);
    this.states.set(key, now);
    return prev ? min : 0;
  }

  forget(key: string): void {
    this.states.delete(key);
  }
}
