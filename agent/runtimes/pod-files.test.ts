import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hostsFile, resolvConf } from './pod-files.ts';

const base = { podUid: 'u', namespace: 'shop', name: 'web-1' };

describe('pod files', () => {
  it("a pod's hosts file is the kubelet's managed one, with its domain and host aliases", () => {
    const text = hostsFile({ ...base, hostname: 'db-0', hostDomain: 'db.shop.svc.cluster.local', hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo', 'bar'] }] }, '10.42.0.7');
    assert.equal(
      text,
      '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
        '10.42.0.7\tdb-0.db.shop.svc.cluster.local\tdb-0\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo\n10.1.2.3\tbar\n',
    );
    assert.match(hostsFile(base, '10.42.0.8'), /\n10\.42\.0\.8\tweb-1\n$/);
  });

  it("a host-network pod gets the host's hosts file under the host-network header", () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-hosts-'));
    try {
      writeFileSync(join(dir, 'hosts'), '127.0.0.1 localhost\n');
      assert.equal(hostsFile({ ...base, hostNetwork: true }, '127.0.0.1', join(dir, 'hosts')), '# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resolv.conf: search, nameservers, options', () => {
    assert.equal(
      resolvConf({ nameservers: ['10.96.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local'], options: ['ndots:5'] }),
      'search shop.svc.cluster.local svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
    assert.equal(resolvConf({ nameservers: [], searches: [], options: [] }), '');
  });
});
