import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { printTable } from './index.ts';

const now = new Date('2024-05-01T12:00:00Z');
const cells = (group: string, resource: string, obj: object) => printTable(group, resource, [obj], { now, includeObject: 'None' }).rows[0].cells;
const header = (group: string, resource: string) =>
  printTable(group, resource, [], { now, includeObject: 'None' }).columnDefinitions.map((c) => [c.name, c.type, c.priority]);

function svc(spec: Service['spec'], status?: Service['status']): Service {
  return { metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T10:00:00Z' }, spec, status };
}

test('services: columns', () => {
  assert.deepEqual(header('', 'services'), [
    ['Name', 'string', 0],
    ['Type', 'string', 0],
    ['Cluster-IP', 'string', 0],
    ['External-IP', 'string', 0],
    ['Port(s)', 'string', 0],
    ['Age', 'string', 0],
    ['Selector', 'string', 1],
  ]);
});

test('services: ClusterIP and NodePort', () => {
  const clusterIP = svc({
    type: 'ClusterIP',
    clusterIP: '10.96.12.7',
    clusterIPs: ['10.96.12.7'],
    selector: { app: 'web', tier: 'frontend' },
    ports: [
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ],
  });
  assert.deepEqual(cells('', 'services', clusterIP), ['web', 'ClusterIP', '10.96.12.7', '<none>', '80/TCP,53/UDP', '120m', 'app=web,tier=frontend']);
  const nodePort = svc({
    type: 'NodePort',
    clusterIPs: ['10.96.0.20'],
    externalIPs: ['192.0.2.10'],
    ports: [
      { port: 80, nodePort: 30080, protocol: 'TCP' },
      { port: 443, nodePort: 30443, protocol: 'TCP' },
    ],
  });
  assert.deepEqual(cells('', 'services', nodePort).slice(1, 5), ['NodePort', '10.96.0.20', '192.0.2.10', '80:30080/TCP,443:30443/TCP']);
});

test('services: LoadBalancer pending, provisioned, and with external IPs; headless; ExternalName', () => {
  const lb = (status?: Service['status'], externalIPs?: string[]) =>
    svc({ type: 'LoadBalancer', clusterIPs: ['10.96.0.30'], externalIPs, ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] }, status);
  assert.equal(cells('', 'services', lb())[3], '<pending>');
  const provisioned = { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }, { ip: '203.0.113.9' }] } };
  assert.equal(cells('', 'services', lb(provisioned))[3], '203.0.113.9,lb.example.com');
  assert.equal(cells('', 'services', lb(provisioned, ['192.0.2.1']))[3], '203.0.113.9,lb.example.com,192.0.2.1');
  const headless = svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], selector: { app: 'db' } });
  assert.deepEqual(cells('', 'services', headless).slice(2, 5), ['None', '<none>', '<none>']);
  const external = svc({ type: 'ExternalName', externalName: 'db.example.com' });
  assert.deepEqual(cells('', 'services', external).slice(1, 5), ['ExternalName', '<none>', 'db.example.com', '<none>']);
  assert.equal(cells('', 'services', svc({}))[3], '<unknown>');
});

test('endpoints: host:port pairs, three at most', () => {
  assert.deepEqual(header('', 'endpoints'), [
    ['Name', 'string', 0],
    ['Endpoints', 'string', 0],
    ['Age', 'string', 0],
  ]);
  const ep = (subsets?: Endpoints['subsets']): Endpoints => ({ metadata: { name: 'web', creationTimestamp: '2024-05-01T11:00:00Z' }, subsets });
  assert.deepEqual(cells('', 'endpoints', ep()), ['web', '<none>', '60m']);
  const two = ep([{ addresses: [{ ip: '10.244.0.5' }, { ip: '10.244.1.7' }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
  assert.equal(cells('', 'endpoints', two)[1], '10.244.0.5:8080,10.244.1.7:8080');
  const many = ep([
    { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] },
    { addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] },
  ]);
  assert.equal(cells('', 'endpoints', many)[1], '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...');
  assert.equal(cells('', 'endpoints', ep([{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }]))[1], '[fd00::1]:80');
  assert.equal(cells('', 'endpoints', ep([{ addresses: [{ ip: '10.0.0.9' }] }]))[1], '10.0.0.9', 'headless, no ports');
  assert.equal(cells('', 'endpoints', ep([{ notReadyAddresses: [{ ip: '10.0.0.9' }], ports: [{ port: 80 }] }]))[1], '');
});

test('endpointslices: address type, ports, endpoints', () => {
  assert.deepEqual(header('discovery.k8s.io', 'endpointslices'), [
    ['Name', 'string', 0],
    ['AddressType', 'string', 0],
    ['Ports', 'string', 0],
    ['Endpoints', 'string', 0],
    ['Age', 'string', 0],
  ]);
  const slice: EndpointSlice = {
    metadata: { name: 'web-abc12', creationTimestamp: '2024-05-01T11:59:00Z' },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics' }],
    endpoints: [{ addresses: ['10.244.0.5'] }, { addresses: ['10.244.1.7'] }, { addresses: ['10.244.2.3'] }, { addresses: ['10.244.3.4'] }],
  };
  assert.deepEqual(cells('discovery.k8s.io', 'endpointslices', slice), ['web-abc12', 'IPv4', '8080,metrics', '10.244.0.5,10.244.1.7,10.244.2.3 + 1 more...', '60s']);
  const empty: EndpointSlice = { metadata: { name: 'e' }, addressType: 'IPv6', endpoints: [] };
  assert.deepEqual(cells('discovery.k8s.io', 'endpointslices', empty), ['e', 'IPv6', '<unset>', '<unset>', '<unknown>']);
});
