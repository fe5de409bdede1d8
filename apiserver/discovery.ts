// Discovery documents, legacy (APIVersions, APIGroupList, APIResourceList)
// and aggregated (apidiscovery.k8s.io/v2), all derived from RESOURCES.

import { groups, groupVersion, RESOURCES, type ResourceInfo, type Subresource } from '../api/kinds.ts';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Subresources served through the API (log/exec/attach/portforward are connect verbs, see subresourceVerbs). */
function subresourceInfo(r: ResourceInfo, sub: Subresource): { group: string; version: string; kind: string; verbs: string[] } {
  switch (sub) {
    case 'status':
      return { group: r.group, version: r.version, kind: r.kind, verbs: ['get', 'patch', 'update'] };
    case 'scale':
      return { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };
    case 'binding':
      return { group: '', version: 'v1', kind: 'Binding', verbs: ['create'] };
    case 'eviction':
      return { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
    case 'finalize':
      return { group: '', version: 'v1', kind: 'Namespace', verbs: ['update'] };
    case 'log':
      return { group: '', version: 'v1', kind: 'Pod', verbs: ['get'] };
    case 'exec':
    case 'attach':
    case 'portforward':
      return { group: '', version: 'v1', kind: sub === 'portforward' ? 'PodPortForwardOptions' : sub === 'exec' ? 'PodExecOptions' : 'PodAttachOptions', verbs: ['create', 'get'] };
  }
}

/** Subresources that are actually served today (the others come with the node agent). */
export const SERVED_SUBRESOURCES: ReadonlySet<Subresource> = new Set(['status', 'scale', 'finalize', 'binding', 'eviction', 'log', 'exec', 'attach', 'portforward']);

function served(r: ResourceInfo): Subresource[] {
  return r.subresources.filter((s) => SERVED_SUBRESOURCES.has(s));
}

export function apiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupEntry(name: string, versions: string[]) {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList() {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups().map((g) => groupEntry(g.name, g.versions)) };
}

export function apiGroup(name: string) {
  const g = groups().find((x) => x.name === name);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(g.name, g.versions) } : undefined;
}

export function apiResourceList(group: string, version: string) {
  const rs = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (!rs.length) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const r of rs) {
    resources.push({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
      storageVersionHash: storageHash(r),
    });
    for (const sub of served(r)) {
      const s = subresourceInfo(r, sub);
      resources.push({
        name: `${r.resource}/${sub}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(s.group !== r.group || s.version !== r.version ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources };
}

function discoveryResource(r: ResourceInfo) {
  return {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
    ...(served(r).length
      ? {
          subresources: served(r).map((sub) => {
            const s = subresourceInfo(r, sub);
            return { subresource: sub, responseKind: { group: s.group, version: s.version, kind: s.kind }, verbs: s.verbs };
          }),
        }
      : {}),
  };
}

/** Aggregated discovery for /api (legacy: true) or /apis. */
export function aggregatedDiscovery(legacy: boolean, apiVersion: 'v2' | 'v2beta1' = 'v2') {
  const items = legacy
    ? [{ metadata: { creationTimestamp: null }, versions: [versionEntry('', 'v1')] }]
    : groups().map((g) => ({ metadata: { name: g.name, creationTimestamp: null }, versions: g.versions.map((v) => versionEntry(g.name, v)) }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${apiVersion}`, metadata: {}, items };
}

function versionEntry(group: string, version: string) {
  return {
    version,
    resources: RESOURCES.filter((r) => r.group === group && r.version === version).map(discoveryResource),
    freshness: 'Current',
  };
}

function storageHash(r: ResourceInfo): string {
  // A stable short hash of the storage version, as Kubernetes publishes for storage migration tooling.
  let h = 0;
  for (const c of `${r.storage.group}/${r.storage.version}/${r.kind}`) h = (h * 31 + c.charCodeAt(0)) | 0;
  return Buffer.from(Uint32Array.of(h >>> 0).buffer).toString('base64').slice(0, 11);
}
