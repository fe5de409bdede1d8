import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1.js';
import { printTable } from './index.ts';

const now = new Date('2024-05-01T12:00:00Z');
const cells = (resource: string, obj: object) => printTable('networking.k8s.io', resource, [obj], { now, includeObject: 'None' }).rows[0].cells;
const backend = { service: { name: 'web', port: { number: 80 } } };
const rule = (host?: string) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } });

test('ingresses: class, hosts, address, ports', () => {
  assert.deepEqual(
    printTable('networking.k8s.io', 'ingresses', [], { now, includeObject: 'None' }).columnDefinitions.map((c) => [c.name, c.priority]),
    [
      ['Name', 0],
      ['Class', 0],
      ['Hosts', 0],
      ['Address', 0],
      ['Ports', 0],
      ['Age', 0],
    ],
  );
  const ing: Ingress = {
    metadata: { name: 'web', creationTimestamp: '2024-05-01T09:30:00Z' },
    spec: { ingressClassName: 'skiff', tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }], rules: [rule('shop.example.com'), rule('api.example.com')] },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }, { hostname: 'edge.example.net' }] } },
  };
  assert.deepEqual(cells('ingresses', ing), ['web', 'skiff', 'shop.example.com,api.example.com', '203.0.113.7,edge.example.net', '80, 443', '150m']);
  const bare: Ingress = { metadata: { name: 'catch-all' }, spec: { defaultBackend: backend } };
  assert.deepEqual(cells('ingresses', bare).slice(0, 5), ['catch-all', '<none>', '*', '', '80']);
});

test('ingresses: more than three hosts', () => {
  const hosts = ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com', 'e.example.com'];
  const ing: Ingress = { metadata: { name: 'many' }, spec: { rules: hosts.map((h) => rule(h)) } };
  assert.equal(cells('ingresses', ing)[2], 'a.example.com,b.example.com,c.example.com + 2 more...');
  // Rules without a host are not shown but count toward "more", as upstream.
  const mixed: Ingress = { metadata: { name: 'mixed' }, spec: { rules: [rule('a.example.com'), rule(), rule('b.example.com'), rule('c.example.com'), rule('d.example.com')] } };
  assert.equal(cells('ingresses', mixed)[2], 'a.example.com,b.example.com,c.example.com + 2 more...');
  const fewHosts: Ingress = { metadata: { name: 'few' }, spec: { rules: [rule('a.example.com'), rule(), rule(), rule()] } };
  assert.equal(cells('ingresses', fewHosts)[2], 'a.example.com');
});

test('ingressclasses: controller and parameters', () => {
  const ic: IngressClass = {
    metadata: { name: 'skiff', creationTimestamp: '2024-04-01T12:00:00Z' },
    spec: { controller: 'skiff.dev/ingress', parameters: { apiGroup: 'skiff.dev', kind: 'IngressParameters', name: 'default' } },
  };
  assert.deepEqual(
    printTable('networking.k8s.io', 'ingressclasses', [], { now, includeObject: 'None' }).columnDefinitions.map((c) => c.name),
    ['Name', 'Controller', 'Parameters', 'Age'],
  );
  assert.deepEqual(cells('ingressclasses', ic), ['skiff', 'skiff.dev/ingress', 'IngressParameters.skiff.dev/default', '30d']);
  assert.equal(cells('ingressclasses', { metadata: { name: 'x' }, spec: { controller: 'c', parameters: { kind: 'ConfigMap', name: 'p' } } })[2], 'ConfigMap/p');
  assert.equal(cells('ingressclasses', { metadata: { name: 'x' }, spec: { controller: 'c' } })[2], '<none>');
});
