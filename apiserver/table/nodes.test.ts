import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'kubernetes-types/core/v1.js';
import { printTable } from './index.ts';

const now = new Date('2024-05-01T12:00:00Z');
const cells = (node: Node) => printTable('', 'nodes', [node], { now, includeObject: 'None' }).rows[0].cells;

const node: Node = {
  metadata: {
    name: 'node-1',
    creationTimestamp: '2024-03-01T12:00:00Z',
    labels: { 'kubernetes.io/hostname': 'node-1', 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '' },
  },
  spec: {},
  status: {
    conditions: [
      { type: 'MemoryPressure', status: 'False' },
      { type: 'Ready', status: 'True', reason: 'KubeletReady' },
    ],
    addresses: [
      { type: 'InternalIP', address: '192.168.1.10' },
      { type: 'Hostname', address: 'node-1' },
    ],
    nodeInfo: {
      kubeletVersion: 'v1.31.0',
      osImage: 'Ubuntu 24.04 LTS',
      kernelVersion: '6.8.0-31-generic',
      containerRuntimeVersion: 'containerd://1.7.12',
      architecture: 'amd64',
      bootID: '',
      kubeProxyVersion: '',
      machineID: '',
      operatingSystem: 'linux',
      systemUUID: '',
    },
  },
};

test('nodes: columns', () => {
  assert.deepEqual(
    printTable('', 'nodes', [], { now, includeObject: 'None' }).columnDefinitions.map((c) => [c.name, c.priority]),
    [
      ['Name', 0],
      ['Status', 0],
      ['Roles', 0],
      ['Age', 0],
      ['Version', 0],
      ['Internal-IP', 1],
      ['External-IP', 1],
      ['OS-Image', 1],
      ['Kernel-Version', 1],
      ['Container-Runtime', 1],
    ],
  );
});

test('a ready control-plane node', () => {
  assert.deepEqual(cells(node), [
    'node-1',
    'Ready',
    'control-plane,master',
    '61d',
    'v1.31.0',
    '192.168.1.10',
    '<none>',
    'Ubuntu 24.04 LTS',
    '6.8.0-31-generic',
    'containerd://1.7.12',
  ]);
});

test('NotReady, cordoned, Unknown; roles from kubernetes.io/role', () => {
  const notReady = { ...node, spec: { unschedulable: true }, status: { ...node.status, conditions: [{ type: 'Ready', status: 'Unknown' }] } };
  assert.equal(cells(notReady)[1], 'NotReady,SchedulingDisabled');
  const fresh: Node = { metadata: { name: 'n2', labels: { 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/': '' } } };
  assert.deepEqual(cells(fresh), ['n2', 'Unknown', 'worker', '<unknown>', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  assert.equal(cells({ metadata: { name: 'n3' }, spec: { unschedulable: true } })[1], 'Unknown,SchedulingDisabled');
  assert.equal(cells({ metadata: { name: 'n4' } })[2], '<none>');
});
