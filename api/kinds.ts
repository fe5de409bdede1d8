// The resources Skiff serves: group, version, plural, kind, scope, discovery
// metadata and the model (schema) of each. Everything that routes, discovers,
// stores or documents a resource reads it from here.

import type { Model } from './schema/dsl.ts';
import * as core from './schema/core/index.ts';
import { Deployment, ReplicaSet } from './schema/apps.ts';
import { Job, CronJob } from './schema/batch.ts';
import { Ingress, IngressClass } from './schema/networking.ts';
import { Lease } from './schema/coordination.ts';
import { HorizontalPodAutoscalerV1, HorizontalPodAutoscalerV2 } from './schema/autoscaling.ts';
import { EventsEvent } from './schema/events.ts';
import { EndpointSlice } from './schema/discovery.ts';

export type Subresource = 'status' | 'scale' | 'binding' | 'eviction' | 'log' | 'exec' | 'attach' | 'portforward' | 'finalize';

export interface ResourceInfo {
  group: string; // "" for core
  version: string;
  resource: string; // plural, e.g. "deployments"
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  subresources: readonly Subresource[];
  model: Model;
  /**
   * Where objects live in the store. Two versions of one resource share one
   * storage (events in core/v1 and events.k8s.io/v1; HPA in autoscaling/v1
   * and v2): objects are stored in the storage version and converted.
   */
  storage: { group: string; resource: string; version: string };
  /** Verbs served on the collection and item. */
  verbs: readonly string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

function def(
  group: string,
  version: string,
  resource: string,
  kind: string,
  model: Model,
  opts: {
    namespaced?: boolean;
    shortNames?: string[];
    categories?: string[];
    subresources?: Subresource[];
    storageVersion?: string;
    storageGroup?: string;
    verbs?: readonly string[];
  } = {},
): ResourceInfo {
  return {
    group,
    version,
    resource,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced: opts.namespaced ?? true,
    shortNames: opts.shortNames ?? [],
    categories: opts.categories ?? [],
    subresources: opts.subresources ?? [],
    model,
    storage: { group: opts.storageGroup ?? group, resource, version: opts.storageVersion ?? version },
    verbs: opts.verbs ?? ALL_VERBS,
  };
}

export const RESOURCES: readonly ResourceInfo[] = [
  def('', 'v1', 'namespaces', 'Namespace', core.Namespace, {
    namespaced: false,
    shortNames: ['ns'],
    subresources: ['status', 'finalize'],
    verbs: ALL_VERBS.filter((v) => v !== 'deletecollection'),
  }),
  def('', 'v1', 'pods', 'Pod', core.Pod, {
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status', 'binding', 'eviction', 'log', 'exec', 'attach', 'portforward'],
  }),
  def('', 'v1', 'configmaps', 'ConfigMap', core.ConfigMap, { shortNames: ['cm'] }),
  def('', 'v1', 'secrets', 'Secret', core.Secret),
  def('', 'v1', 'services', 'Service', core.Service, { shortNames: ['svc'], categories: ['all'], subresources: ['status'] }),
  def('', 'v1', 'endpoints', 'Endpoints', core.Endpoints, { shortNames: ['ep'] }),
  def('', 'v1', 'events', 'Event', core.Event, { shortNames: ['ev'] }),
  def('', 'v1', 'serviceaccounts', 'ServiceAccount', core.ServiceAccount, { shortNames: ['sa'] }),
  def('', 'v1', 'nodes', 'Node', core.Node, { namespaced: false, shortNames: ['no'], subresources: ['status'] }),
  def('apps', 'v1', 'deployments', 'Deployment', Deployment, {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  def('apps', 'v1', 'replicasets', 'ReplicaSet', ReplicaSet, {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  def('batch', 'v1', 'jobs', 'Job', Job, { categories: ['all'], subresources: ['status'] }),
  def('batch', 'v1', 'cronjobs', 'CronJob', CronJob, { shortNames: ['cj'], categories: ['all'], subresources: ['status'] }),
  def('networking.k8s.io', 'v1', 'ingresses', 'Ingress', Ingress, { shortNames: ['ing'], subresources: ['status'] }),
  def('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', IngressClass, { namespaced: false }),
  def('coordination.k8s.io', 'v1', 'leases', 'Lease', Lease),
  def('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', HorizontalPodAutoscalerV2, {
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: ['status'],
  }),
  def('autoscaling', 'v1', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', HorizontalPodAutoscalerV1, {
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: ['status'],
    storageVersion: 'v2',
  }),
  def('events.k8s.io', 'v1', 'events', 'Event', EventsEvent, { shortNames: ['ev'], storageGroup: '', storageVersion: 'v1' }),
  def('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', EndpointSlice),
];

export function groupVersion(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** "deployments.apps", "pods": the qualified resource name Kubernetes uses in messages. */
export function qualifiedResource(r: { group: string; resource: string }): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/** "Deployment.apps", "Pod": the qualified kind used in Invalid messages. */
export function qualifiedKind(r: { group: string; kind: string }): string {
  return r.group ? `${r.kind}.${r.group}` : r.kind;
}

export function findResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
}

export function findByKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => groupVersion(r) === apiVersion && r.kind === kind);
}

/** The resource info of the storage version (what is kept in the store). */
export function storageInfo(r: ResourceInfo): ResourceInfo {
  return findResource(r.storage.group, r.storage.version, r.storage.resource) ?? r;
}

/** Groups in the order discovery lists them, each with its versions (preferred first). */
export function groups(): { name: string; versions: string[] }[] {
  const out: { name: string; versions: string[] }[] = [];
  for (const r of RESOURCES) {
    if (r.group === '') continue;
    let g = out.find((x) => x.name === r.group);
    if (!g) out.push((g = { name: r.group, versions: [] }));
    if (!g.versions.includes(r.version)) g.versions.push(r.version);
  }
  return out;
}
