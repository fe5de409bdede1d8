import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printTable } from './index.ts';

const now = new Date('2024-05-01T12:00:00Z');
const obj = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w1', namespace: 'default', uid: 'u1', resourceVersion: '42', labels: { app: 'web' }, creationTimestamp: '2024-05-01T11:00:00Z' },
  spec: { size: 3 },
};

test('any other resource prints its name and age', () => {
  const t = printTable('example.com', 'widgets', [obj], { now, includeObject: 'Metadata' });
  assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority]), [
    ['Name', 'string', 'name', 0],
    ['Age', 'string', '', 0],
  ]);
  assert.deepEqual(t.rows, [{ cells: ['w1', '60m'], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata } }]);
});

test('includeObject: the whole object, its metadata, or null', () => {
  const rows = (includeObject: 'Object' | 'Metadata' | 'None') => printTable('', 'configmaps', [obj, obj], { now, includeObject }).rows;
  assert.equal(rows('Object')[1].object, obj);
  assert.deepEqual(rows('Metadata')[0].object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata });
  assert.equal(rows('None')[0].object, null);
  assert.equal('conditions' in rows('None')[0], false);
});

test('column definitions are fresh copies', () => {
  const a = printTable('', 'pods', [], { now, includeObject: 'None' }).columnDefinitions;
  a[0].name = 'changed';
  assert.equal(printTable('', 'pods', [], { now, includeObject: 'None' }).columnDefinitions[0].name, 'Name');
});
