import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../../client/types.ts';
import { parseResolvConf, podDns, podHostnameAndDomain, podSandboxConfig } from './sandbox-config.ts';

const cluster = { dnsIp: '10.96.0.10', domain: 'cluster.local' };
const HOST = '# generated\nnameserver 192.168.1.1\nnameserver 192.168.1.2\nsearch example.com. corp.example\noptions timeout:2 rotate\n';
const pod = (spec: Record<string, unknown>, name = 'web-1'): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', uid: 'u1' }, spec: { containers: [], ...spec } });

describe('pod sandbox config', () => {
  it('parses resolv.conf as the kubelet does', () => {
    assert.deepEqual(parseResolvConf(HOST), { nameservers: ['192.168.1.1', '192.168.1.2'], searches: ['example.com', 'corp.example'], options: ['timeout:2', 'rotate'] });
  });

  it('ClusterFirst: the cluster DNS, the namespace search path then the host searches, ndots:5', () => {
    assert.deepEqual(podDns(pod({}), cluster, HOST).dns, {
      nameservers: ['10.96.0.10'],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'example.com', 'corp.example'],
      options: ['ndots:5'],
    });
  });

  it('ClusterFirst on the host network falls back to Default; ClusterFirstWithHostNet does not', () => {
    assert.deepEqual(podDns(pod({ hostNetwork: true }), cluster, HOST).dns, parseResolvConf(HOST));
    assert.deepEqual(podDns(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), cluster, HOST).dns.nameservers, ['10.96.0.10']);
    assert.deepEqual(podDns(pod({ dnsPolicy: 'Default' }), cluster, HOST).dns, parseResolvConf(HOST));
  });

  it('None takes only dnsConfig; dnsConfig is appended without duplicates and its options override by name', () => {
    const none = podDns(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'edns0' }] } }), cluster, HOST).dns;
    assert.deepEqual(none, { nameservers: ['1.1.1.1'], searches: ['a.example'], options: ['edns0'] });
    const merged = podDns(pod({ dnsConfig: { nameservers: ['10.96.0.10', '1.1.1.1'], searches: ['cluster.local', 'x.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }), cluster, '').dns;
    assert.deepEqual(merged, {
      nameservers: ['10.96.0.10', '1.1.1.1'],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'x.example'],
      options: ['ndots:2', 'edns0'],
    });
  });

  it('more than three nameservers are cut, with the kubelet\'s warning', () => {
    const r = podDns(pod({ dnsPolicy: 'Default', dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8'] } }), cluster, HOST);
    assert.deepEqual(r.dns.nameservers, ['192.168.1.1', '192.168.1.2', '1.1.1.1']);
    assert.deepEqual(r.warnings, ['Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 192.168.1.1 192.168.1.2 1.1.1.1']);
  });

  it('host name: spec.hostname or the pod name cut to 63; domain from the subdomain', () => {
    assert.deepEqual(podHostnameAndDomain(pod({}), 'cluster.local'), { hostname: 'web-1' });
    assert.deepEqual(podHostnameAndDomain(pod({ hostname: 'db-0', subdomain: 'db' }), 'cluster.local'), { hostname: 'db-0', hostDomain: 'db.shop.svc.cluster.local' });
    assert.equal(podHostnameAndDomain(pod({}, `${'a'.repeat(62)}-bcd`), 'cluster.local').hostname, 'a'.repeat(62));
  });

  it('carries host aliases and the host network flag', () => {
    const { config } = podSandboxConfig(pod({ hostNetwork: true, hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo', 'bar'] }] }), cluster, HOST);
    assert.equal(config.hostNetwork, true);
    assert.deepEqual(config.hostAliases, [{ ip: '10.1.2.3', hostnames: ['foo', 'bar'] }]);
    assert.equal(config.podUid, 'u1');
  });
});
