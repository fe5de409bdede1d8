// Discovery as kubectl reads it: the aggregated documents (v2 and v2beta1)
// and the legacy per-group-version lists must describe the same resources,
// with the short names and categories kubectl resolves `kubectl get all`,
// `kubectl get deploy` and the like from.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupVersion, RESOURCES } from '../api/kinds.ts';
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.ts';

type AggResource = ReturnType<typeof aggregatedDiscovery>['items'][number]['versions'][number]['resources'][number];
type LegacyResource = Record<string, unknown> & { name: string; verbs: string[]; kind: string; namespaced: boolean; shortNames?: string[]; categories?: string[] };

/** Every resource of the aggregated documents (core from /api, groups from /apis), keyed group/version/resource. */
function aggregatedResources(apiVersion: 'v2' | 'v2beta1' = 'v2'): Map<string, AggResource> {
  const out = new Map<string, AggResource>();
  for (const legacy of [true, false]) {
    for (const item of aggregatedDiscovery(legacy, apiVersion).items) {
      const group = 'name' in item.metadata ? (item.metadata.name as string) : '';
      for (const v of item.versions) for (const r of v.resources) {
        const key = `${group}/${v.version}/${r.resource}`;
        assert.ok(!out.has(key), `listed twice: ${key}`);
        out.set(key, r);
      }
    }
  }
  return out;
}

function legacyResources(): Map<string, LegacyResource> {
  const out = new Map<string, LegacyResource>();
  const versions: [string, string][] = [['', 'v1'], ...apiGroupList().groups.flatMap((g) => g.versions.map((v) => [g.name, v.version] as [string, string]))];
  for (const [group, version] of versions) {
    const list = apiResourceList(group, version);
    assert.ok(list, `${group}/${version}`);
    assert.equal(list.groupVersion, groupVersion({ group, version }));
    for (const r of list.resources as LegacyResource[]) out.set(`${group}/${version}/${r.name}`, r);
  }
  return out;
}

describe('discovery', () => {
  it('aggregated v2 and v2beta1 differ only in apiVersion, and have the APIGroupDiscoveryList shape', () => {
    for (const legacy of [true, false]) {
      const v2 = aggregatedDiscovery(legacy, 'v2');
      const beta = aggregatedDiscovery(legacy, 'v2beta1');
      assert.equal(v2.kind, 'APIGroupDiscoveryList');
      assert.equal(v2.apiVersion, 'apidiscovery.k8s.io/v2');
      assert.equal(beta.apiVersion, 'apidiscovery.k8s.io/v2beta1');
      assert.deepEqual({ ...beta, apiVersion: 'x' }, { ...v2, apiVersion: 'x' });
      for (const item of v2.items) {
        assert.equal(item.metadata.creationTimestamp, null);
        for (const v of item.versions) assert.equal(v.freshness, 'Current');
      }
    }
    const core = aggregatedDiscovery(true);
    assert.equal(core.items.length, 1);
    assert.deepEqual(core.items[0]!.versions.map((v) => v.version), ['v1']);
    assert.ok(!('name' in core.items[0]!.metadata), 'the core group has no name');
  });

  it('every served resource appears once in both the aggregated and the legacy documents, described alike', () => {
    const agg = aggregatedResources();
    const legacy = legacyResources();
    for (const r of RESOURCES) {
      const key = `${r.group}/${r.version}/${r.resource}`;
      const a = agg.get(key);
      const l = legacy.get(key);
      assert.ok(a && l, key);
      assert.deepEqual(a.responseKind, { group: r.group, version: r.version, kind: r.kind }, key);
      assert.equal(a.scope, r.namespaced ? 'Namespaced' : 'Cluster', key);
      assert.equal(l.namespaced, r.namespaced, key);
      assert.equal(a.singularResource, l.singularName, key);
      assert.equal(l.kind, r.kind, key);
      assert.deepEqual(a.verbs, l.verbs, key);
      assert.deepEqual(a.shortNames, l.shortNames, key);
      assert.deepEqual(a.categories, l.categories, key);
      assert.equal(typeof l.storageVersionHash, 'string');
    }
    const mains = [...legacy.keys()].filter((k) => k.split('/').length === 3);
    assert.equal(agg.size, RESOURCES.length);
    assert.equal(new Set(mains).size, RESOURCES.length, 'nothing beyond RESOURCES in the legacy lists');
  });

  it('subresources are the same in both, with the kinds kubectl expects, and only those actually served', () => {
    const agg = aggregatedResources();
    const legacy = legacyResources();
    const legacySubs = [...legacy.entries()].filter(([k]) => k.split('/').length === 4);
    const aggSubs = [...agg.entries()].flatMap(([k, r]) => (r.subresources ?? []).map((s) => [`${k}/${s.subresource}`, s] as const));
    assert.deepEqual(legacySubs.map(([k]) => k).sort(), aggSubs.map(([k]) => k).sort());
    const sub = (k: string) => legacy.get(k);
    assert.deepEqual(sub('apps/v1/deployments/scale'), { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    assert.deepEqual(sub('/v1/pods/status'), { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    assert.deepEqual(sub('/v1/namespaces/finalize'), { name: 'namespaces/finalize', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['update'] });
    assert.equal(sub('/v1/pods/exec')?.kind, 'PodExecOptions');
    assert.deepEqual(sub('/v1/pods/log')?.verbs, ['get']);
    const scale = aggSubs.find(([k]) => k === 'apps/v1/replicasets/scale')![1];
    assert.deepEqual(scale.responseKind, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  });

  it('short names and the "all" category resolve as in Kubernetes', () => {
    const byShortName = new Map<string, Set<string>>();
    const all = new Set<string>();
    for (const [key, r] of aggregatedResources()) {
      const [group, , resource] = key.split('/');
      const qualified = group ? `${resource}.${group}` : resource!;
      for (const s of r.shortNames ?? []) byShortName.set(s, (byShortName.get(s) ?? new Set()).add(qualified));
      if (r.categories?.includes('all')) all.add(qualified);
    }
    const expected: Record<string, string> = {
      po: 'pods',
      svc: 'services',
      cm: 'configmaps',
      ns: 'namespaces',
      no: 'nodes',
      ep: 'endpoints',
      sa: 'serviceaccounts',
      deploy: 'deployments.apps',
      rs: 'replicasets.apps',
      cj: 'cronjobs.batch',
      ing: 'ingresses.networking.k8s.io',
      hpa: 'horizontalpodautoscalers.autoscaling',
    };
    for (const [short, res] of Object.entries(expected)) assert.deepEqual([...byShortName.get(short)!], [res], short);
    assert.deepEqual([...byShortName.get('ev')!].sort(), ['events', 'events.events.k8s.io']);
    assert.deepEqual([...all].sort(), ['cronjobs.batch', 'deployments.apps', 'horizontalpodautoscalers.autoscaling', 'jobs.batch', 'pods', 'replicasets.apps', 'services']);
  });

  it('legacy group documents: every group once, preferred version first, matching the aggregated order', () => {
    const list = apiGroupList();
    assert.equal(list.kind, 'APIGroupList');
    const names = list.groups.map((g) => g.name);
    assert.equal(new Set(names).size, names.length);
    assert.ok(!names.includes(''), 'the core group is served under /api');
    const agg = aggregatedDiscovery(false).items.map((i) => ({ name: 'name' in i.metadata ? i.metadata.name : undefined, versions: i.versions }));
    assert.deepEqual(names, agg.map((i) => i.name));
    for (const g of list.groups) {
      assert.deepEqual(g.preferredVersion, g.versions[0]);
      assert.deepEqual(g.versions.map((v) => v.version), agg.find((i) => i.name === g.name)!.versions.map((v) => v.version));
      assert.deepEqual(apiGroup(g.name), { kind: 'APIGroup', apiVersion: 'v1', ...g });
    }
    const autoscaling = list.groups.find((g) => g.name === 'autoscaling')!;
    assert.deepEqual(autoscaling.preferredVersion, { groupVersion: 'autoscaling/v2', version: 'v2' });
    assert.equal(apiGroup('nope.example.com'), undefined);
    assert.equal(apiResourceList('apps', 'v9'), undefined);
    assert.deepEqual(apiVersions('10.0.0.1:6443'), { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }] });
  });

  it('the storage version hash is shared by the versions of one storage and differs between storages', () => {
    const legacy = legacyResources();
    const hash = (k: string) => legacy.get(k)!.storageVersionHash;
    assert.equal(hash('autoscaling/v1/horizontalpodautoscalers'), hash('autoscaling/v2/horizontalpodautoscalers'));
    assert.equal(hash('events.k8s.io/v1/events'), hash('/v1/events'));
    const distinct = new Set(RESOURCES.filter((r) => r.storage.version === r.version && r.storage.group === r.group).map((r) => hash(`${r.group}/${r.version}/${r.resource}`)));
    assert.equal(distinct.size, RESOURCES.filter((r) => r.storage.version === r.version && r.storage.group === r.group).length);
  });
});
