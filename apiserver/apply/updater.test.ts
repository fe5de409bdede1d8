import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deployment } from '../../api/schema/apps.ts';
import { ApplyConflicts } from './conflicts.ts';
import { FieldSet } from './field-set.ts';
import { managerId } from './managers.ts';
import type { ManagerFields, Managers } from './managers.ts';
import { fieldElement as f, pathString } from './path-element.ts';
import { modelRef } from './schema-type.ts';
import { ownershipScope } from './scope.ts';
import { applyOwnership, updateOwnership } from './updater.ts';
import type { UpdaterContext } from './updater.ts';

const ctx: UpdaterContext = { ref: modelRef(Deployment), scope: ownershipScope({ group: 'apps', resource: 'deployments', subresources: ['status', 'scale'] }) };
const applier = (manager: string): Omit<ManagerFields, 'set'> => ({ manager, operation: 'Apply', apiVersion: 'apps/v1' });
const updater = (manager: string): Omit<ManagerFields, 'set'> => ({ manager, operation: 'Update', apiVersion: 'apps/v1' });
const idOf = (e: Omit<ManagerFields, 'set'>) => managerId(e);
const owned = (m: Managers, e: Omit<ManagerFields, 'set'>) => m.get(idOf(e))?.set.paths().map(pathString);
const withSets = (...entries: [Omit<ManagerFields, 'set'>, FieldSet][]): Managers => new Map(entries.map(([e, set]) => [idOf(e), { ...e, set }]));

const labels = (l: Record<string, string>, replicas?: number) => ({ metadata: { labels: l }, spec: replicas === undefined ? {} : { replicas } });

describe('updateOwnership', () => {
  it('gives the writer what it changed, takes it from others, and drops removed fields everywhere', () => {
    const before = withSets([updater('a'), FieldSet.of([f('metadata'), f('labels'), f('x')], [f('metadata'), f('labels'), f('y')], [f('spec'), f('replicas')])]);
    const out = updateOwnership(ctx, labels({ x: '1', y: '1' }, 1), labels({ x: '2' }, 1), before, idOf(updater('b')), updater('b'));
    assert.deepEqual(owned(out, updater('a')), ['.spec.replicas']);
    assert.deepEqual(owned(out, updater('b')), ['.metadata.labels.x']);
  });

  it('never records fields out of scope (status on the main resource)', () => {
    const out = updateOwnership(ctx, { spec: {}, status: {} }, { spec: { paused: true }, status: { replicas: 3 } }, new Map(), idOf(updater('w')), updater('w'));
    assert.deepEqual(owned(out, updater('w')), ['.spec.paused']);
  });
});

describe('applyOwnership', () => {
  it('owns the applied fields and reports conflicts with other managers unless forced', () => {
    const live = labels({ app: 'w' }, 2);
    const before = withSets([updater('scaler'), FieldSet.of([f('spec'), f('replicas')])]);
    const id = idOf(applier('ci'));
    assert.throws(
      () => applyOwnership(ctx, live, labels({ app: 'w' }, 3), before, id, applier('ci'), false),
      (e: unknown) => {
        assert.ok(e instanceof ApplyConflicts);
        assert.deepEqual(e.conflicts.map((c) => [c.managerId, pathString(c.path)]), [[idOf(updater('scaler')), '.spec.replicas']]);
        return true;
      },
    );
    const forced = applyOwnership(ctx, live, labels({ app: 'w' }, 3), before, id, applier('ci'), true);
    assert.deepEqual(forced.object, labels({ app: 'w' }, 3));
    assert.deepEqual(owned(forced.managers, applier('ci')), ['.metadata.labels.app', '.spec.replicas']);
    assert.equal(owned(forced.managers, updater('scaler')), undefined);
    assert.ok(forced.changed);
  });

  it('shares a field applied with its current value, without conflict', () => {
    const before = withSets([updater('scaler'), FieldSet.of([f('spec'), f('replicas')])]);
    const out = applyOwnership(ctx, labels({}, 2), { spec: { replicas: 2 } }, before, idOf(applier('ci')), applier('ci'), false);
    assert.deepEqual(owned(out.managers, updater('scaler')), ['.spec.replicas']);
    assert.deepEqual(owned(out.managers, applier('ci')), ['.spec.replicas']);
    assert.ok(!out.changed);
  });

  it('prunes what the applier dropped, unless another manager owns it', () => {
    const live = labels({ a: '1', b: '1', c: '1' });
    const ci = applier('ci');
    const before = withSets(
      [ci, FieldSet.of([f('metadata'), f('labels'), f('a')], [f('metadata'), f('labels'), f('b')], [f('metadata'), f('labels'), f('c')])],
      [updater('other'), FieldSet.of([f('metadata'), f('labels'), f('c')])],
    );
    const out = applyOwnership(ctx, live, labels({ a: '1' }), before, idOf(ci), ci, false);
    assert.deepEqual(out.object, labels({ a: '1', c: '1' }));
    assert.deepEqual(owned(out.managers, ci), ['.metadata.labels.a']);
  });

  it('prunes a whole list item and leaves items it never applied', () => {
    const pod = (...names: string[]) => ({ spec: { template: { spec: { containers: names.map((name) => ({ name, image: 'i' })) } } } });
    const ci = applier('ci');
    const first = applyOwnership(ctx, pod('sidecar'), pod('a', 'b'), new Map(), idOf(ci), ci, false);
    const second = applyOwnership(ctx, first.object, pod('a'), first.managers, idOf(ci), ci, false);
    assert.deepEqual(second.object, pod('sidecar', 'a'));
  });
});
