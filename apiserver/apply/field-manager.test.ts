import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deployment } from '../../api/schema/apps.ts';
import { ApiError } from '../errors.ts';
import type { KObject } from '../registry/object.ts';
import { applyConfiguration, managedFieldsAfterUpdate } from './field-manager.ts';
import type { OwnershipContext } from './field-manager.ts';
import { LAST_APPLIED } from './last-applied.ts';
import type { ManagedFieldsEntry } from './managers.ts';
import { ownershipScope } from './scope.ts';

const DEPLOYMENTS = { group: 'apps', resource: 'deployments', subresources: ['status', 'scale'] };
const at = (second: number, subresource?: 'status' | 'scale'): OwnershipContext => ({
  model: Deployment,
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  subresource,
  scope: ownershipScope(DEPLOYMENTS, subresource),
  now: `2025-01-01T00:00:${String(second).padStart(2, '0')}Z`,
});

function deployment(replicas: number, image = 'nginx:1', labels: Record<string, string> = { app: 'web' }): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image }] } },
    },
  };
}

/** The object as the registry stores it: server metadata, the managedFields given. */
function stored(obj: KObject, managedFields: ManagedFieldsEntry[] | undefined): KObject {
  return { ...obj, metadata: { ...obj.metadata, uid: 'u1', resourceVersion: '7', creationTimestamp: '2025-01-01T00:00:00Z', managedFields } };
}

const managers = (obj: KObject) => (obj.metadata.managedFields as ManagedFieldsEntry[]).map((e) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`);
const entryOf = (obj: KObject, manager: string) => (obj.metadata.managedFields as ManagedFieldsEntry[]).find((e) => e.manager === manager)!;

function throwsApi(fn: () => unknown, code: number, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.code, code);
    assert.match(e.message, message);
    return true;
  });
}

describe('applyConfiguration', () => {
  it('creates with one Apply entry holding the configuration, server metadata stripped', () => {
    const out = applyConfiguration(at(1), { live: undefined, config: deployment(2), manager: 'kubectl', force: false });
    assert.deepEqual(out.metadata.managedFields, [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2025-01-01T00:00:01Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
            },
          },
        },
      },
    ]);
  });

  it('re-applies: changes values, prunes dropped fields, keeps the time when nothing changes', () => {
    const first = applyConfiguration(at(1), { live: undefined, config: deployment(2, 'nginx:1', { app: 'web', tier: 'front' }), manager: 'kubectl', force: false });
    const live = stored(first, first.metadata.managedFields as ManagedFieldsEntry[]);
    const second = applyConfiguration(at(2), { live, config: deployment(2, 'nginx:2'), manager: 'kubectl', force: false });
    assert.deepEqual(second.metadata.labels, { app: 'web' });
    assert.equal((second.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image, 'nginx:2');
    assert.equal(entryOf(second, 'kubectl').time, '2025-01-01T00:00:02Z');
    const third = applyConfiguration(at(3), { live: stored(second, second.metadata.managedFields as ManagedFieldsEntry[]), config: deployment(2, 'nginx:2'), manager: 'kubectl', force: false });
    assert.equal(entryOf(third, 'kubectl').time, '2025-01-01T00:00:02Z');
  });

  it('conflicts with a scale of the replicas, and force takes them over', () => {
    const applied = applyConfiguration(at(1), { live: undefined, config: deployment(2), manager: 'kubectl', force: false });
    const live = stored(applied, applied.metadata.managedFields as ManagedFieldsEntry[]);
    const scaled = { ...live, spec: { ...(live.spec as object), replicas: 5 } };
    const afterScale = stored(scaled, managedFieldsAfterUpdate(at(2, 'scale'), { live, next: scaled, requested: undefined, manager: 'kubectl' }));
    assert.deepEqual(managers(afterScale), ['kubectl/Apply', 'kubectl/Update/scale']);
    throwsApi(
      () => applyConfiguration(at(3), { live: afterScale, config: deployment(3), manager: 'kubectl', force: false }),
      409,
      /^Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps\/v1: \.spec\.replicas$/,
    );
    const forced = applyConfiguration(at(3), { live: afterScale, config: deployment(3), manager: 'kubectl', force: true });
    assert.equal((forced.spec as { replicas: number }).replicas, 3);
    assert.deepEqual(managers(forced), ['kubectl/Apply']);
  });

  it('hands what an unmanaged object holds to before-first-apply', () => {
    const out = applyConfiguration(at(1), { live: stored(deployment(2), undefined), config: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { team: 'a' } } }, manager: 'ci', force: false });
    assert.deepEqual(managers(out), ['ci/Apply', 'before-first-apply/Update']);
    assert.deepEqual(entryOf(out, 'ci').fieldsV1, { 'f:metadata': { 'f:labels': { 'f:team': {} } } });
  });

  it('refuses the wrong type, managedFields and an item without its key', () => {
    const ctx = at(1);
    throwsApi(() => applyConfiguration(ctx, { live: undefined, config: { ...deployment(1), apiVersion: 'apps/v2' }, manager: 'm', force: false }), 400, /^invalid object type: apps\/v2, Kind=Deployment$/);
    throwsApi(() => applyConfiguration(ctx, { live: undefined, config: { ...deployment(1), kind: undefined }, manager: 'm', force: false }), 400, /^invalid object type: apps\/v1, Kind=$/);
    throwsApi(() => applyConfiguration(ctx, { live: undefined, config: { ...deployment(1), metadata: { name: 'web', managedFields: [] } }, manager: 'm', force: false }), 400, /metadata\.managedFields must be nil/);
    const noName = deployment(1);
    (noName.spec as { template: { spec: { containers: object[] } } }).template.spec.containers = [{ image: 'x' }];
    throwsApi(() => applyConfiguration(ctx, { live: undefined, config: noName, manager: 'm', force: false }), 400, /omits key field "name"/);
  });
});

describe('managedFieldsAfterUpdate', () => {
  it('tracks a create: the creator owns what it set, maps with ".", status never', () => {
    const created = { ...deployment(1), status: { replicas: 0 } };
    const mf = managedFieldsAfterUpdate(at(1), { live: undefined, next: created, requested: undefined, manager: 'kubectl-create' })!;
    assert.equal(mf.length, 1);
    assert.deepEqual(mf[0]!.fieldsV1, {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          '.': {},
          'f:metadata': { '.': {}, 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': { '.': {}, 'f:containers': { '.': {}, 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
        },
      },
    });
    assert.equal(mf[0]!.time, '2025-01-01T00:00:01Z');
  });

  it('records changes under the writer and leaves untracked objects untracked', () => {
    const live = stored(deployment(1), managedFieldsAfterUpdate(at(1), { live: undefined, next: deployment(1), requested: undefined, manager: 'kubectl-create' }));
    const next = deployment(4);
    const mf = managedFieldsAfterUpdate(at(2), { live, next, requested: live.metadata.managedFields, manager: 'kubectl-edit' })!;
    assert.deepEqual(mf.map((e) => e.manager), ['kubectl-create', 'kubectl-edit']);
    assert.deepEqual(mf[1]!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    assert.equal(managedFieldsAfterUpdate(at(2), { live: stored(deployment(1), undefined), next, requested: undefined, manager: 'x' }), undefined);
    // A write that changes nothing leaves the entries (and times) alone.
    const same = managedFieldsAfterUpdate(at(3), { live: stored(deployment(4), mf), next, requested: undefined, manager: 'kubectl-edit' });
    assert.deepEqual(same, mf);
  });

  it('keeps managedFields a request sets, resets them with [] or [{}], and ignores them on a subresource', () => {
    const mf = managedFieldsAfterUpdate(at(1), { live: undefined, next: deployment(1), requested: undefined, manager: 'a' })!;
    const live = stored(deployment(1), mf);
    const edited = [{ ...mf[0]!, manager: 'renamed' }];
    assert.deepEqual(managedFieldsAfterUpdate(at(2), { live, next: deployment(1), requested: edited, manager: 'b' })!.map((e) => e.manager), ['renamed']);
    assert.equal(managedFieldsAfterUpdate(at(2), { live, next: deployment(1), requested: [], manager: 'b' }), undefined);
    assert.equal(managedFieldsAfterUpdate(at(2), { live, next: deployment(1), requested: [{}], manager: 'b' }), undefined);
    assert.deepEqual(managedFieldsAfterUpdate(at(2, 'status'), { live, next: deployment(1), requested: edited, manager: 'b' }), mf);
  });
});

describe('moving from client-side apply', () => {
  it('lets kubectl take fields its last-applied annotation holds, and rewrites the annotation', () => {
    const csaConfig = deployment(2);
    const annotated = (obj: KObject, last: KObject) => ({ ...obj, metadata: { ...obj.metadata, annotations: { [LAST_APPLIED]: `${JSON.stringify(last)}\n` } } });
    const created = annotated(deployment(2), csaConfig);
    const live = stored(created, managedFieldsAfterUpdate(at(1), { live: undefined, next: created, requested: undefined, manager: 'kubectl-client-side-apply' }));
    // Another applier conflicts on the replicas client-side apply set...
    throwsApi(() => applyConfiguration(at(2), { live, config: deployment(3), manager: 'ci', force: false }), 409, /conflict with "kubectl-client-side-apply" using apps\/v1: \.spec\.replicas/);
    // ...kubectl itself takes them over.
    const out = applyConfiguration(at(2), { live, config: deployment(3), manager: 'kubectl', force: false });
    assert.equal((out.spec as { replicas: number }).replicas, 3);
    const last = JSON.parse(out.metadata.annotations![LAST_APPLIED]!);
    assert.equal(last.spec.replicas, 3);
    assert.deepEqual(Object.keys(last), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.deepEqual(managers(out), ['kubectl/Apply', 'kubectl-client-side-apply/Update']);
  });

  it('still conflicts on a field changed since the last client-side apply', () => {
    const csaConfig = deployment(2);
    const created = { ...deployment(2), metadata: { ...deployment(2).metadata, annotations: { [LAST_APPLIED]: JSON.stringify(csaConfig) } } };
    const live = stored(created, managedFieldsAfterUpdate(at(1), { live: undefined, next: created, requested: undefined, manager: 'kubectl-client-side-apply' }));
    const edited = { ...live, spec: { ...(live.spec as object), replicas: 9 } };
    const afterEdit = stored(edited, managedFieldsAfterUpdate(at(2), { live, next: edited, requested: undefined, manager: 'kubectl-client-side-apply' }));
    throwsApi(() => applyConfiguration(at(3), { live: afterEdit, config: deployment(3), manager: 'kubectl', force: false }), 409, /\.spec\.replicas/);
  });
});
