// Upstream addresses: the option's "host:port" strings and the host's resolv.conf.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DnsConfigError, hostUpstreams, nameserversOf, parseHostPort } from './upstreams.ts';

describe('upstreams', () => {
  it('parses IP and IP:port, IPv6 with brackets, and rejects anything else', () => {
    assert.deepEqual(parseHostPort('10.0.0.1'), { host: '10.0.0.1', port: 53 });
    assert.deepEqual(parseHostPort('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353 });
    assert.deepEqual(parseHostPort('::1'), { host: '::1', port: 53 });
    assert.deepEqual(parseHostPort('[::1]:5353'), { host: '::1', port: 5353 });
    for (const bad of ['dns.example.com', '10.0.0.1:0', '10.0.0.1:99999', '10.0.0.1:x', '']) {
      assert.throws(() => parseHostPort(bad), (e: DnsConfigError) => e instanceof DnsConfigError && e.code === 'DNS_BAD_ADDRESS', bad);
    }
  });

  it('reads nameservers from resolv.conf without the cluster DNS itself', async () => {
    const text = '# generated\nsearch example.com\nnameserver 10.96.0.10\nnameserver 10.255.255.53\n  nameserver   1.1.1.1  \nnameserver bogus\noptions ndots:5\n';
    assert.deepEqual(nameserversOf(text), ['10.96.0.10', '10.255.255.53', '1.1.1.1']);
    const dir = await mkdtemp(join(tmpdir(), 'skiff-dns-resolv-'));
    try {
      await writeFile(join(dir, 'resolv.conf'), text);
      const got = hostUpstreams([{ host: '10.96.0.10', port: 0 }, { host: '1.1.1.1', port: 5353 }], join(dir, 'resolv.conf'));
      assert.deepEqual(got, [{ host: '10.255.255.53', port: 53 }, { host: '1.1.1.1', port: 53 }]);
      assert.deepEqual(hostUpstreams([], join(dir, 'missing')), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
