import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printTable } from './index.ts';

const now = new Date('2024-05-01T12:00:00Z');
const table = (group: string, resource: string, obj: object) => printTable(group, resource, [obj], { now, includeObject: 'None' });
const metadata = { name: 'app-config', namespace: 'default', creationTimestamp: '2024-04-24T12:00:00Z' };

test('configmaps: Data counts data and binaryData keys', () => {
  const t = table('', 'configmaps', { metadata, data: { 'app.yaml': 'a: 1', LOG_LEVEL: 'info' }, binaryData: { 'logo.png': 'iVBORw0K' } });
  assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.type]), [
    ['Name', 'string'],
    ['Data', 'string'],
    ['Age', 'string'],
  ]);
  assert.deepEqual(t.rows[0].cells, ['app-config', 3, '7d']);
  assert.deepEqual(table('', 'configmaps', { metadata }).rows[0].cells, ['app-config', 0, '7d']);
});

test('secrets: Type and Data', () => {
  const t = table('', 'secrets', { metadata: { ...metadata, name: 'tls' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'LS0t', 'tls.key': 'LS0t' } });
  assert.deepEqual(t.columnDefinitions.map((c) => c.name), ['Name', 'Type', 'Data', 'Age']);
  assert.deepEqual(t.rows[0].cells, ['tls', 'kubernetes.io/tls', 2, '7d']);
  const withStringData = table('', 'secrets', { metadata, type: 'Opaque', data: { a: 'YQ==' }, stringData: { a: 'x', b: 'y' } });
  assert.equal(withStringData.rows[0].cells[2], 2);
});

test('serviceaccounts: the number of secrets', () => {
  const t = table('', 'serviceaccounts', { metadata: { ...metadata, name: 'default' } });
  assert.deepEqual(t.columnDefinitions.map((c) => c.name), ['Name', 'Secrets', 'Age']);
  assert.deepEqual(t.rows[0].cells, ['default', 0, '7d']);
  assert.equal(table('', 'serviceaccounts', { metadata, secrets: [{ name: 'token-x' }] }).rows[0].cells[1], 1);
});

test('namespaces: the phase', () => {
  const t = table('', 'namespaces', { metadata: { name: 'staging', creationTimestamp: '2023-02-14T00:00:00Z' }, status: { phase: 'Terminating' } });
  assert.deepEqual(t.columnDefinitions.map((c) => c.name), ['Name', 'Status', 'Age']);
  assert.deepEqual(t.rows[0].cells, ['staging', 'Terminating', '442d']);
});

test('leases: the holder', () => {
  const lease = { metadata: { name: 'skiff-controller', namespace: 'kube-system', creationTimestamp: '2024-05-01T11:00:00Z' }, spec: { holderIdentity: 'node-1_4f2a' } };
  const t = table('coordination.k8s.io', 'leases', lease);
  assert.deepEqual(t.columnDefinitions.map((c) => c.name), ['Name', 'Holder', 'Age']);
  assert.deepEqual(t.rows[0].cells, ['skiff-controller', 'node-1_4f2a', '60m']);
  assert.equal(table('coordination.k8s.io', 'leases', { metadata, spec: {} }).rows[0].cells[1], '');
});
