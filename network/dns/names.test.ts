// Query names split as CoreDNS's kubernetes plugin splits them (parse.go).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inZone, ipv4FromDashed, ipv4FromReverse, normalizeName, parseClusterName, reverseName } from './names.ts';

const Z = 'cluster.local';

describe('cluster names', () => {
  it('splits service, endpoint, port and pod names', () => {
    assert.deepEqual(parseClusterName('web.default.svc.cluster.local', Z), { kind: 'service', namespace: 'default', service: 'web' });
    assert.deepEqual(parseClusterName('db-0.db.default.svc.cluster.local', Z), { kind: 'service', namespace: 'default', service: 'db', endpoint: 'db-0' });
    assert.deepEqual(parseClusterName('_http._tcp.web.ns1.svc.cluster.local', Z), { kind: 'service', namespace: 'ns1', service: 'web', port: 'http', protocol: 'tcp' });
    assert.deepEqual(parseClusterName('10-42-0-5.default.pod.cluster.local', Z), { kind: 'pod', namespace: 'default', ip: '10.42.0.5' });
  });

  it('tells the zone’s own names, empty names and invalid names apart', () => {
    assert.deepEqual(parseClusterName('cluster.local', Z), { kind: 'apex' });
    assert.deepEqual(parseClusterName('dns-version.cluster.local', Z), { kind: 'dns-version' });
    assert.deepEqual(parseClusterName('ns.dns.cluster.local', Z), { kind: 'nameserver' });
    for (const n of ['svc.cluster.local', 'pod.cluster.local', 'default.svc.cluster.local', 'default.pod.cluster.local']) assert.deepEqual(parseClusterName(n, Z), { kind: 'empty' }, n);
    for (const n of ['a.b.c.web.default.svc.cluster.local', 'web.default.nodes.cluster.local', 'x.10-42-0-5.default.pod.cluster.local', '10-42-0-256.default.pod.cluster.local', 'web..svc.cluster.local']) {
      assert.deepEqual(parseClusterName(n, Z), { kind: 'invalid' }, n);
    }
  });

  it('normalizes case and the trailing dot; checks the zone on label boundaries', () => {
    assert.equal(normalizeName('WEB.Default.svc.Cluster.Local.'), 'web.default.svc.cluster.local');
    assert.equal(inZone('web.default.svc.cluster.local', Z), true);
    assert.equal(inZone('cluster.local', Z), true);
    assert.equal(inZone('notcluster.local', Z), false);
  });

  it('reads dashed and reverse IPv4 names', () => {
    assert.equal(ipv4FromDashed('10-0-0-1'), '10.0.0.1');
    assert.equal(ipv4FromDashed('10-0-0'), undefined);
    assert.equal(ipv4FromDashed('10-0-0-01'), undefined);
    assert.equal(ipv4FromReverse('5.0.42.10.in-addr.arpa'), '10.42.0.5');
    assert.equal(ipv4FromReverse('0.42.10.in-addr.arpa'), undefined);
    assert.equal(reverseName('10.42.0.5'), '5.0.42.10.in-addr.arpa');
  });
});
