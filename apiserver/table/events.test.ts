import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printTable } from './index.ts';

const now = new Date('2024-05-01T12:00:00Z');
const cells = (group: string, obj: object) => printTable(group, 'events', [obj], { now, includeObject: 'None' }).rows[0].cells;

const columns = [
  ['Last Seen', 0],
  ['Type', 0],
  ['Reason', 0],
  ['Object', 0],
  ['Subobject', 1],
  ['Source', 1],
  ['Message', 0],
  ['First Seen', 1],
  ['Count', 1],
  ['Name', 1],
];

test('events: the same columns for core/v1 and events.k8s.io/v1', () => {
  for (const group of ['', 'events.k8s.io']) {
    const defs = printTable(group, 'events', [], { now, includeObject: 'None' }).columnDefinitions;
    assert.deepEqual(defs.map((c) => [c.name, c.priority]), columns);
    assert.equal(defs[9].format, 'name');
  }
});

test('a core/v1 event recorded by the kubelet', () => {
  const event = {
    metadata: { name: 'web-1.17c8a3', namespace: 'default', creationTimestamp: '2024-05-01T11:40:00Z' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{nginx}' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container nginx in pod web-1_default(u1)\n',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2024-05-01T11:40:00Z',
    lastTimestamp: '2024-05-01T11:58:30Z',
    count: 12,
    type: 'Warning',
  };
  assert.deepEqual(cells('', event), [
    '90s',
    'Warning',
    'BackOff',
    'pod/web-1',
    'spec.containers{nginx}',
    'kubelet, node-1',
    'Back-off restarting failed container nginx in pod web-1_default(u1)',
    '20m',
    12,
    'web-1.17c8a3',
  ]);
});

test('a controller event: no host, count 1', () => {
  const event = {
    metadata: { name: 'web.17c8', namespace: 'default' },
    involvedObject: { kind: 'Deployment', name: 'web' },
    reason: 'ScalingReplicaSet',
    message: 'Scaled up replica set web-5d4f8b7c9 to 3',
    source: { component: 'deployment-controller' },
    firstTimestamp: '2024-05-01T11:55:00Z',
    lastTimestamp: '2024-05-01T11:55:00Z',
    count: 1,
    type: 'Normal',
  };
  assert.deepEqual(cells('', event).slice(0, 9), ['5m', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up replica set web-5d4f8b7c9 to 3', '5m', 1]);
});

test('events.k8s.io/v1 events: eventTime, series, reporting controller', () => {
  const single = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'e1', namespace: 'default' },
    eventTime: '2024-05-01T11:59:15.123456Z',
    reportingController: 'skiff.dev/scheduler',
    reportingInstance: 'skiff-server-1',
    action: 'Binding',
    reason: 'Scheduled',
    regarding: { kind: 'Pod', namespace: 'default', name: 'web-1' },
    note: 'Successfully assigned default/web-1 to node-1',
    type: 'Normal',
  };
  assert.deepEqual(cells('events.k8s.io', single), [
    '44s',
    'Normal',
    'Scheduled',
    'pod/web-1',
    '',
    'skiff.dev/scheduler, skiff-server-1',
    'Successfully assigned default/web-1 to node-1',
    '44s',
    1,
    'e1',
  ]);
  const series = { ...single, series: { count: 7, lastObservedTime: '2024-05-01T11:59:58.000000Z' } };
  const row = cells('events.k8s.io', series);
  assert.deepEqual([row[0], row[7], row[8]], ['2s', '44s', 7]);
});

test('an event without timestamps or a named object', () => {
  const event = { metadata: { name: 'n' }, involvedObject: { kind: 'Node' }, reason: 'Starting', type: 'Normal' };
  assert.deepEqual(cells('', event).slice(0, 4), ['<unknown>', 'Normal', 'Starting', 'node']);
});
