// The Service variables the kubelet injects: names and values as
// envvars.FromServices writes them, which Services count (the pod's
// namespace, default/kubernetes always, none without a cluster IP,
// enableServiceLinks: false), and how they meet the container's own env.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../../client/types.ts';
import type { Container } from '../pod-types.ts';
import { resolveEnv, type ObjectSource } from './resolve.ts';
import { serviceEnvVars } from './service-env.ts';

const svc = (namespace: string, name: string, clusterIP: string, ports: Record<string, unknown>[]): KObject => ({ metadata: { namespace, name }, spec: { clusterIP, ports } });

const services = [
  svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]),
  svc('shop', 'redis-primary', '10.96.0.20', [{ port: 6379, protocol: 'TCP' }]),
  svc('shop', 'dns', '10.96.0.30', [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]),
  svc('shop', 'headless', 'None', [{ port: 80, protocol: 'TCP' }]),
  svc('other', 'web', '10.96.0.40', [{ port: 80, protocol: 'TCP' }]),
];

describe('service environment variables', () => {
  it('are those of envvars.FromServices for the namespace and default/kubernetes', () => {
    const env = Object.fromEntries(serviceEnvVars(services, 'shop', true));
    assert.deepEqual(env, {
      DNS_SERVICE_HOST: '10.96.0.30',
      DNS_SERVICE_PORT: '53',
      DNS_SERVICE_PORT_DNS: '53',
      DNS_SERVICE_PORT_DNS_TCP: '53',
      DNS_PORT: 'udp://10.96.0.30:53',
      DNS_PORT_53_UDP: 'udp://10.96.0.30:53',
      DNS_PORT_53_UDP_PROTO: 'udp',
      DNS_PORT_53_UDP_PORT: '53',
      DNS_PORT_53_UDP_ADDR: '10.96.0.30',
      DNS_PORT_53_TCP: 'tcp://10.96.0.30:53',
      DNS_PORT_53_TCP_PROTO: 'tcp',
      DNS_PORT_53_TCP_PORT: '53',
      DNS_PORT_53_TCP_ADDR: '10.96.0.30',
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443',
      KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
      REDIS_PRIMARY_SERVICE_HOST: '10.96.0.20',
      REDIS_PRIMARY_SERVICE_PORT: '6379',
      REDIS_PRIMARY_PORT: 'tcp://10.96.0.20:6379',
      REDIS_PRIMARY_PORT_6379_TCP: 'tcp://10.96.0.20:6379',
      REDIS_PRIMARY_PORT_6379_TCP_PROTO: 'tcp',
      REDIS_PRIMARY_PORT_6379_TCP_PORT: '6379',
      REDIS_PRIMARY_PORT_6379_TCP_ADDR: '10.96.0.20',
    });
  });

  it('keep only the kubernetes Service with enableServiceLinks: false', () => {
    assert.deepEqual([...serviceEnvVars(services, 'shop', false).keys()].filter((k) => !k.startsWith('KUBERNETES_')), []);
    assert.ok(serviceEnvVars(services, 'shop', false).has('KUBERNETES_SERVICE_HOST'));
  });

  it('come before the container env, which can use them in $(VAR) and replaces one of the same name', async () => {
    const source: ObjectSource = { configMap: async () => undefined, secret: async () => undefined, services: () => services };
    const c: Container = { name: 'c', env: [{ name: 'REDIS_URL', value: 'redis://$(REDIS_PRIMARY_SERVICE_HOST):$(REDIS_PRIMARY_SERVICE_PORT)' }, { name: 'DNS_SERVICE_HOST', value: 'mine' }] };
    const pod: KObject = { metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [c] } };
    const info = { podIPs: ['10.42.0.2'], hostIPs: ['127.0.0.1'], allocatable: { cpu: '1', memory: '1Gi' } };
    const { env } = await resolveEnv(pod, c, info, source);
    const names = env.map((e) => e.name);
    assert.deepEqual(names.slice(-2), ['REDIS_URL', 'DNS_SERVICE_HOST'], "the container's own last");
    assert.equal(names.filter((n) => n === 'DNS_SERVICE_HOST').length, 1);
    const m = Object.fromEntries(env.map((e) => [e.name, e.value]));
    assert.equal(m.REDIS_URL, 'redis://10.96.0.20:6379');
    assert.equal(m.DNS_SERVICE_HOST, 'mine');
    assert.equal(m.KUBERNETES_SERVICE_PORT, '443');

    const off = await resolveEnv({ ...pod, spec: { containers: [c], enableServiceLinks: false } }, c, info, source);
    assert.equal(Object.fromEntries(off.env.map((e) => [e.name, e.value])).REDIS_URL, 'redis://$(REDIS_PRIMARY_SERVICE_HOST):$(REDIS_PRIMARY_SERVICE_PORT)');
  });
});
