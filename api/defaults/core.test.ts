import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints, Namespace, Node, Secret } from 'kubernetes-types/core/v1.js';
import { defaultEndpoints, defaultNamespace, defaultNode, defaultSecret } from './core.ts';

test('namespaces: name label, kubernetes finalizer, Active', () => {
  const ns: Namespace = { metadata: { name: 'team-a', labels: { env: 'prod' } } };
  defaultNamespace(ns);
  assert.deepEqual(ns.metadata!.labels, { env: 'prod', 'kubernetes.io/metadata.name': 'team-a' });
  assert.deepEqual(ns.spec!.finalizers, ['kubernetes']);
  assert.equal(ns.status!.phase, 'Active');
});

test('a namespace being deleted does not get its finalizer back', () => {
  const ns: Namespace = { metadata: { name: 'old', deletionTimestamp: '2024-01-01T00:00:00Z' }, spec: {}, status: { phase: 'Terminating' } };
  defaultNamespace(ns);
  assert.equal(ns.spec!.finalizers, undefined);
  assert.equal(ns.status!.phase, 'Terminating');
});

test('secrets: Opaque, stringData merged into data', () => {
  const s: Secret = { metadata: { name: 's' }, data: { a: 'YQ==' }, stringData: { b: 'hello' } };
  defaultSecret(s);
  assert.equal(s.type, 'Opaque');
  assert.deepEqual(s.data, { a: 'YQ==', b: 'aGVsbG8=' });
  assert.equal(s.stringData, undefined);
  const typed: Secret = { metadata: { name: 't' }, type: 'kubernetes.io/tls' };
  defaultSecret(typed);
  assert.equal(typed.type, 'kubernetes.io/tls');
});

test('endpoints ports are TCP by default', () => {
  const ep: Endpoints = { metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] };
  defaultEndpoints(ep);
  assert.equal(ep.subsets![0].ports![0].protocol, 'TCP');
});

test('nodes: allocatable defaults to capacity', () => {
  const node: Node = { metadata: { name: 'n' }, status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } } };
  defaultNode(node);
  assert.deepEqual(node.status!.allocatable, { cpu: '4', memory: '8Gi', pods: '110' });
});
