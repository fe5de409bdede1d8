import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { printTable } from './index.ts';

const now = new Date('2024-05-01T12:00:00Z');
const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'sidecar', image: 'envoy:1.30' }] },
};
const header = (resource: string) =>
  printTable('apps', resource, [], { now, includeObject: 'None' }).columnDefinitions.map((c) => [c.name, c.type, c.priority]);

test('deployments: Ready is ready/desired, wide columns end with the selector', () => {
  assert.deepEqual(header('deployments'), [
    ['Name', 'string', 0],
    ['Ready', 'string', 0],
    ['Up-to-date', 'string', 0],
    ['Available', 'string', 0],
    ['Age', 'string', 0],
    ['Containers', 'string', 1],
    ['Images', 'string', 1],
    ['Selector', 'string', 1],
  ]);
  const d: Deployment = {
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-04-29T09:00:00Z' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
    status: { replicas: 3, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
  };
  assert.deepEqual(printTable('apps', 'deployments', [d], { now, includeObject: 'None' }).rows[0].cells, [
    'web',
    '2/3',
    2,
    2,
    '2d3h',
    'nginx,sidecar',
    'nginx:1.25,envoy:1.30',
    'app=web',
  ]);
});

test('deployments: a new one without status, an empty and an invalid selector', () => {
  const d: Deployment = { metadata: { name: 'new', creationTimestamp: '2024-05-01T11:59:30Z' }, spec: { replicas: 2, selector: {}, template } };
  assert.deepEqual(printTable('apps', 'deployments', [d], { now, includeObject: 'None' }).rows[0].cells.slice(0, 5), ['new', '0/2', 0, 0, '30s']);
  assert.equal(printTable('apps', 'deployments', [d], { now, includeObject: 'None' }).rows[0].cells[7], '');
  const bad = { ...d, spec: { ...d.spec!, selector: { matchExpressions: [{ key: 'app', operator: 'Equals' }] } } };
  assert.equal(printTable('apps', 'deployments', [bad], { now, includeObject: 'None' }).rows[0].cells[7], '<invalid>');
});

test('replicasets: integer counts and the selector with the pod-template-hash', () => {
  assert.deepEqual(header('replicasets'), [
    ['Name', 'string', 0],
    ['Desired', 'integer', 0],
    ['Current', 'integer', 0],
    ['Ready', 'integer', 0],
    ['Age', 'string', 0],
    ['Containers', 'string', 1],
    ['Images', 'string', 1],
    ['Selector', 'string', 1],
  ]);
  const rs: ReplicaSet = {
    metadata: { name: 'web-5d4f8b7c9', creationTimestamp: '2024-05-01T11:58:30Z' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d4f8b7c9' } }, template },
    status: { replicas: 3, readyReplicas: 1 },
  };
  assert.deepEqual(printTable('apps', 'replicasets', [rs], { now, includeObject: 'None' }).rows[0].cells, [
    'web-5d4f8b7c9',
    3,
    3,
    1,
    '90s',
    'nginx,sidecar',
    'nginx:1.25,envoy:1.30',
    'app=web,pod-template-hash=5d4f8b7c9',
  ]);
  const scaledDown: ReplicaSet = { metadata: { name: 'old', creationTimestamp: '2024-03-01T00:00:00Z' }, spec: { replicas: 0, selector: {} }, status: { replicas: 0 } };
  assert.deepEqual(printTable('apps', 'replicasets', [scaledDown], { now, includeObject: 'None' }).rows[0].cells, ['old', 0, 0, 0, '61d', '', '', '<none>']);
});
