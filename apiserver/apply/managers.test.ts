import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FieldSet } from './field-set.ts';
import { capUpdateManagers, decodeManagedFields, encodeManagedFields, isResetManagedFields, managerId, stripMeta } from './managers.ts';
import type { ManagerFields, Managers } from './managers.ts';
import { fieldElement as f, pathString } from './path-element.ts';

const entry = (manager: string, operation: string, extra: object = {}) => ({
  manager,
  operation,
  apiVersion: 'apps/v1',
  fieldsType: 'FieldsV1',
  fieldsV1: { 'f:spec': { 'f:replicas': {} } },
  ...extra,
});

describe('manager identifiers', () => {
  it('are the entry without time and fields; appliers have no apiVersion', () => {
    assert.equal(managerId({ manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1' }), '{"manager":"kubectl","operation":"Apply"}');
    assert.equal(
      managerId({ manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1', subresource: 'scale' }),
      '{"manager":"kubectl","operation":"Update","apiVersion":"apps/v1","subresource":"scale"}',
    );
  });
});

describe('decode and encode', () => {
  it('round-trips entries, sorted: appliers first, then by time and manager', () => {
    const input = [
      entry('b', 'Update', { time: '2024-01-01T00:00:02Z' }),
      entry('a', 'Update', { time: '2024-01-01T00:00:02Z', subresource: 'status' }),
      entry('z', 'Apply', { time: '2024-01-01T00:00:09Z' }),
      entry('c', 'Update', { time: '2024-01-01T00:00:01Z' }),
    ];
    const out = encodeManagedFields(decodeManagedFields(input))!;
    assert.deepEqual(
      out.map((e) => e.manager),
      ['z', 'c', 'a', 'b'],
    );
    assert.deepEqual(out[2], input[1]);
    assert.deepEqual(Object.keys(out[2]!), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource']);
    assert.equal(encodeManagedFields(new Map()), undefined);
  });

  it('refuses entries Kubernetes refuses', () => {
    assert.throws(() => decodeManagedFields([entry('a', 'Patch')]), /operation must be `Apply` or `Update`/);
    assert.throws(() => decodeManagedFields([entry('a', 'Update', { apiVersion: '' })]), /apiVersion must not be empty/);
    assert.throws(() => decodeManagedFields([entry('a', 'Update', { fieldsType: undefined })]), /missing fieldsType/);
    assert.throws(() => decodeManagedFields([entry('a', 'Update', { fieldsType: 'FieldsV2' })]), /invalid fieldsType/);
    assert.throws(() => decodeManagedFields([entry('a', 'Update', { fieldsV1: 'x' })]));
    assert.throws(() => decodeManagedFields({}));
  });

  it('knows a reset: [] or [{}]', () => {
    assert.ok(isResetManagedFields([]));
    assert.ok(isResetManagedFields([{}]));
    assert.ok(!isResetManagedFields(undefined));
    assert.ok(!isResetManagedFields([entry('a', 'Update')]));
  });
});

describe('stripMeta', () => {
  it('drops type meta and server-set metadata, and a manager left with nothing', () => {
    const managers: Managers = new Map([
      ['a', { manager: 'a', operation: 'Apply', apiVersion: 'v1', set: FieldSet.of([f('kind')], [f('metadata'), f('name')], [f('metadata'), f('labels'), f('x')]) }],
      ['b', { manager: 'b', operation: 'Apply', apiVersion: 'v1', set: FieldSet.of([f('apiVersion')], [f('metadata'), f('uid')]) }],
    ]);
    stripMeta(managers, 'a');
    stripMeta(managers, 'b');
    assert.deepEqual(managers.get('a')!.set.paths().map(pathString), ['.metadata.labels.x']);
    assert.ok(!managers.has('b'));
  });
});

describe('capUpdateManagers', () => {
  it('merges the oldest update entries into ancient-changes beyond ten', () => {
    const managers: Managers = new Map();
    const add = (m: ManagerFields) => managers.set(managerId(m), m);
    for (let i = 0; i < 12; i++) {
      add({ manager: `m${i}`, operation: 'Update', apiVersion: 'apps/v1', time: `2024-01-01T00:00:${String(10 + i)}Z`, set: FieldSet.of([f(`f${i}`)]) });
    }
    add({ manager: 'applier', operation: 'Apply', apiVersion: 'apps/v1', set: FieldSet.of([f('x')]) });
    capUpdateManagers(managers);
    const names = [...managers.values()].map((m) => m.manager).sort();
    assert.deepEqual(names, ['ancient-changes', 'applier', 'm10', 'm11', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9']);
    const ancient = [...managers.values()].find((m) => m.manager === 'ancient-changes')!;
    assert.deepEqual(ancient.set.paths().map(pathString), ['.f0', '.f1', '.f2']);
    assert.equal(ancient.time, '2024-01-01T00:00:12Z');
  });
});
