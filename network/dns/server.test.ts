// The cluster DNS end to end: real Services and EndpointSlices written through
// the registry, the server on loopback, node's resolver (c-ares, no
// getaddrinfo) and raw dns-packet queries over UDP and TCP, the forwarding
// path against an upstream DNS server on loopback.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket, { type SrvAnswer, type StringAnswer } from 'dns-packet';
import { useTempRegistry } from '../../apiserver/registry/test-registry.ts';
import { R } from '../../client/resources.ts';
import type { KObject } from '../../client/types.ts';
import { aRecords, eventually, rcodeOf, tcpQuery, tcpRaw, udpQuery, udpRaw, withCluster } from './test-fixture.ts';

const fx = useTempRegistry('dns');

const ZONE = 'cluster.local';

function slice(name: string, service: string, endpoints: { ip: string; ready?: boolean; hostname?: string }[], ports = [{ name: 'pg', protocol: 'TCP', port: 5432 }]): KObject {
  return {
    metadata: { name, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({ addresses: [e.ip], conditions: { ready: e.ready ?? true }, ...(e.hostname ? { hostname: e.hostname } : {}) })),
    ports,
  } as KObject;
}

const rejectsWith = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: NodeJS.ErrnoException) => e.code === code);

describe('cluster DNS', () => {
  it('answers A, SRV and PTR for a ClusterIP Service, NXDOMAIN with the SOA for unknown names, NODATA for AAAA', async () => {
    await withCluster(fx.registry, async ({ client, informers, resolver, port }) => {
      // The server reads the factory's shared informers (started by it), not watches of its own.
      assert.equal(informers.for(R.services).synced, true);
      assert.equal(informers.for(R.endpointslices).synced, true);
      const svc = await client.create(R.services, 'default', {
        metadata: { name: 'web' },
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'dns', port: 53, protocol: 'UDP' }] },
      } as KObject);
      const ip = (svc.spec as { clusterIP: string }).clusterIP;
      assert.match(ip, /^10\.96\./);
      await eventually(async () => assert.deepEqual(await resolver.resolve4(`web.default.svc.${ZONE}`), [ip]), 'the Service A record');
      assert.deepEqual(await resolver.resolveSrv(`_http._tcp.web.default.svc.${ZONE}`), [{ name: `web.default.svc.${ZONE}`, port: 80, priority: 0, weight: 100 }]);
      assert.deepEqual(await resolver.resolveSrv(`_dns._udp.web.default.svc.${ZONE}`), [{ name: `web.default.svc.${ZONE}`, port: 53, priority: 0, weight: 100 }]);
      // The Service name itself has an SRV per port; the target's A is in the additional section.
      const srv = await tcpQuery(port, { questions: [{ type: 'SRV', name: `web.default.svc.${ZONE}` }] });
      assert.deepEqual(srv.answers!.map((r) => (r as SrvAnswer).data.port).sort(), [53, 80]);
      assert.deepEqual(srv.additionals!.map((r) => [r.name, (r as StringAnswer).data]), [[`web.default.svc.${ZONE}`, ip]]);
      await rejectsWith(resolver.resolveSrv(`_https._tcp.web.default.svc.${ZONE}`), 'ENOTFOUND');
      await rejectsWith(resolver.resolve6(`web.default.svc.${ZONE}`), 'ENODATA');
      assert.deepEqual(await resolver.reverse(ip), [`web.default.svc.${ZONE}`]);

      const nx = await tcpQuery(port, { questions: [{ type: 'A', name: `nope.default.svc.${ZONE}` }] });
      assert.equal(rcodeOf(nx), 3);
      assert.equal(nx.flag_aa, true);
      assert.equal(nx.answers!.length, 0);
      assert.equal(nx.authorities![0]!.type, 'SOA');
      assert.deepEqual({ ...(nx.authorities![0]!.data as object), serial: 0 }, {
        mname: `ns.dns.${ZONE}`, rname: `hostmaster.${ZONE}`, serial: 0, refresh: 7200, retry: 1800, expire: 86400, minimum: 5,
      });
      // Names are case-insensitive; the answer echoes the question's case; TTL is 5 s.
      const mixed = await udpQuery(port, { questions: [{ type: 'A', name: `WEB.Default.svc.${ZONE}` }] });
      assert.deepEqual(mixed.answers!.map((r) => [r.name, (r as StringAnswer).ttl, (r as StringAnswer).data]), [[`WEB.Default.svc.${ZONE}`, 5, ip]]);
      // Too many labels, and names outside svc/pod, do not exist.
      await rejectsWith(resolver.resolve4(`a.b.c.web.default.svc.${ZONE}`), 'ENOTFOUND');
      await rejectsWith(resolver.resolve4(`web.default.nodes.${ZONE}`), 'ENOTFOUND');

      await client.delete(R.services, 'default', 'web');
      await eventually(() => rejectsWith(resolver.resolve4(`web.default.svc.${ZONE}`), 'ENOTFOUND'), 'the deleted Service to go');
    });
  });

  it('resolves a headless Service to its ready endpoints, by hostname too, and follows readiness and publishNotReadyAddresses', async () => {
    await withCluster(fx.registry, async ({ client, resolver, port }) => {
      await client.create(R.services, 'default', { metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] } } as KObject);
      await client.create(R.endpointslices, 'default', slice('db-abc', 'db', [{ ip: '10.42.0.5', hostname: 'db-0' }, { ip: '10.42.0.6' }, { ip: '10.42.0.7', ready: false }]));
      const name = `db.default.svc.${ZONE}`;
      await eventually(async () => assert.deepEqual((await resolver.resolve4(name)).sort(), ['10.42.0.5', '10.42.0.6']), 'the endpoints');
      // Successive answers rotate the addresses (CoreDNS's loadbalance), so first-address clients spread.
      const firsts = new Set<string>();
      for (let i = 0; i < 4; i++) firsts.add((await resolver.resolve4(name))[0]!);
      assert.deepEqual([...firsts].sort(), ['10.42.0.5', '10.42.0.6']);
      assert.deepEqual(await resolver.resolve4(`db-0.${name}`), ['10.42.0.5']);
      assert.deepEqual(await resolver.resolve4(`10-42-0-6.${name}`), ['10.42.0.6']);
      await rejectsWith(resolver.resolve4(`10-42-0-7.${name}`), 'ENOTFOUND');
      const srv = await resolver.resolveSrv(`_pg._tcp.${name}`);
      assert.deepEqual(
        srv.sort((a, b) => a.name.localeCompare(b.name)),
        [
          { name: `10-42-0-6.${name}`, port: 5432, priority: 0, weight: 50 },
          { name: `db-0.${name}`, port: 5432, priority: 0, weight: 50 },
        ],
      );
      assert.deepEqual(await resolver.reverse('10.42.0.5'), [`db-0.${name}`]);
      const raw = await tcpQuery(port, { questions: [{ type: 'SRV', name: `_pg._tcp.${name}` }] });
      assert.deepEqual(raw.additionals!.map((r) => [r.name, (r as StringAnswer).data]).sort(), [[`10-42-0-6.${name}`, '10.42.0.6'], [`db-0.${name}`, '10.42.0.5']]);

      // An endpoint that stops being ready leaves the answers.
      await client.patch(R.endpointslices, 'default', 'db-abc', 'merge', {
        endpoints: [
          { addresses: ['10.42.0.5'], hostname: 'db-0', conditions: { ready: false } },
          { addresses: ['10.42.0.6'], conditions: { ready: true } },
          { addresses: ['10.42.0.7'], conditions: { ready: false } },
        ],
      });
      await eventually(async () => assert.deepEqual(await resolver.resolve4(name), ['10.42.0.6']), 'the not-ready endpoint to leave');
      await rejectsWith(resolver.resolve4(`db-0.${name}`), 'ENOTFOUND');

      // publishNotReadyAddresses publishes every endpoint.
      await client.patch(R.services, 'default', 'db', 'merge', { spec: { publishNotReadyAddresses: true } });
      await eventually(async () => assert.deepEqual((await resolver.resolve4(name)).sort(), ['10.42.0.5', '10.42.0.6', '10.42.0.7']), 'not-ready endpoints published');

      // Endpoints are merged from every slice of the Service.
      await client.create(R.endpointslices, 'default', slice('db-def', 'db', [{ ip: '10.42.0.8' }]));
      await eventually(async () => assert.equal((await resolver.resolve4(name)).length, 4), 'the second slice');
      await client.delete(R.endpointslices, 'default', 'db-def');
      await eventually(async () => assert.equal((await resolver.resolve4(name)).length, 3), 'the deleted slice to go');

      // A headless Service without ready endpoints exists: NODATA, not NXDOMAIN.
      await client.create(R.services, 'default', { metadata: { name: 'empty' }, spec: { clusterIP: 'None', selector: { app: 'x' } } } as KObject);
      await eventually(() => rejectsWith(resolver.resolve4(`empty.default.svc.${ZONE}`), 'ENODATA'), 'NODATA for an empty headless Service');

      await client.delete(R.services, 'default', 'db');
      await eventually(() => rejectsWith(resolver.resolve4(name), 'ENOTFOUND'), 'the deleted Service to go although its slice remains');
    });
  });

  it('answers an ExternalName Service with a CNAME, followed inside the cluster domain and upstream outside it', async () => {
    await withCluster(fx.registry, async ({ client, resolver }) => {
      const web = await client.create(R.services, 'default', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } as KObject);
      const ip = (web.spec as { clusterIP: string }).clusterIP;
      await client.create(R.services, 'default', { metadata: { name: 'alias' }, spec: { type: 'ExternalName', externalName: `web.default.svc.${ZONE}` } } as KObject);
      await client.create(R.services, 'default', { metadata: { name: 'outside' }, spec: { type: 'ExternalName', externalName: 'example.test' } } as KObject);
      await eventually(async () => assert.deepEqual(await resolver.resolveCname(`alias.default.svc.${ZONE}`), [`web.default.svc.${ZONE}`]), 'the CNAME');
      assert.deepEqual(await resolver.resolve4(`alias.default.svc.${ZONE}`), [ip]);
      await eventually(async () => assert.deepEqual(await resolver.resolveCname(`outside.default.svc.${ZONE}`), ['example.test']), 'the external CNAME');
      assert.deepEqual(await resolver.resolve4(`outside.default.svc.${ZONE}`), ['192.0.2.1']);
      await rejectsWith(resolver.resolveSrv(`outside.default.svc.${ZONE}`), 'ENODATA');
    });
  });

  it('answers pod names (pods insecure), the zone apex, dns-version and namespace names', async () => {
    await withCluster(fx.registry, async ({ resolver }) => {
      assert.deepEqual(await resolver.resolve4(`10-42-1-7.default.pod.${ZONE}`), ['10.42.1.7']);
      await rejectsWith(resolver.resolve4(`10-42-1-777.default.pod.${ZONE}`), 'ENOTFOUND');
      await rejectsWith(resolver.resolve6(`10-42-1-7.default.pod.${ZONE}`), 'ENODATA');
      assert.deepEqual(await resolver.resolveTxt(`dns-version.${ZONE}`), [['1.1.0']]);
      const soa = await resolver.resolveSoa(ZONE);
      assert.equal(soa.nsname, `ns.dns.${ZONE}`);
      assert.deepEqual(await resolver.resolve4(`ns.dns.${ZONE}`), ['127.0.0.1']);
      await rejectsWith(resolver.resolve4(`default.svc.${ZONE}`), 'ENODATA');
      await rejectsWith(resolver.resolve4(`svc.${ZONE}`), 'ENODATA');
    });
  });

  it('sets TC on a UDP answer over 512 bytes (or the EDNS size) and gives all of it over TCP', async () => {
    await withCluster(fx.registry, async ({ client, resolver, port }) => {
      const ips = Array.from({ length: 60 }, (_, i) => `10.42.2.${i + 1}`);
      await client.create(R.services, 'default', { metadata: { name: 'many' }, spec: { clusterIP: 'None', selector: { app: 'many' } } } as KObject);
      await client.create(R.endpointslices, 'default', slice('many-1', 'many', ips.map((ip) => ({ ip }))));
      const name = `many.default.svc.${ZONE}`;
      await eventually(async () => assert.equal((await tcpQuery(port, { questions: [{ type: 'A', name }] })).answers!.length, 60), 'the endpoints');
      const plain = await udpRaw(port, dnsPacket.encode({ type: 'query', id: 1, questions: [{ type: 'A', name }] }));
      assert.ok(plain!.length <= 512);
      const decoded = dnsPacket.decode(plain!);
      assert.equal(decoded.flag_tc, true);
      assert.ok(decoded.answers!.length < 60);
      const edns = await udpQuery(port, { questions: [{ type: 'A', name }], additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096 } as never] });
      assert.equal(edns.flag_tc, false);
      assert.equal(edns.answers!.length, 60);
      assert.ok(edns.additionals!.some((r) => r.type === 'OPT'));
      assert.deepEqual((await resolver.resolve4(name)).sort(), [...ips].sort());
    });
  });

  it('forwards other names upstream, over TCP when the UDP reply is truncated, and SERVFAILs when no upstream answers', async () => {
    await withCluster(fx.registry, async ({ resolver, port, upstream }) => {
      assert.deepEqual(await resolver.resolve4('example.test'), ['192.0.2.1']);
      await rejectsWith(resolver.resolve4('missing.test'), 'ENOTFOUND');
      assert.equal((await resolver.resolve4('big.example.test')).length, 100);
      const viaTcp = await tcpQuery(port, { questions: [{ type: 'A', name: 'big.example.test' }] });
      assert.equal(viaTcp.id, 4243);
      assert.equal(aRecords(viaTcp).length, 100);
      // A PTR for an IP the cluster does not own goes upstream too.
      await rejectsWith(resolver.reverse('192.0.2.99'), 'ENOTFOUND');
      assert.ok(upstream.asked.includes('99.2.0.192.in-addr.arpa'));
      assert.ok(!upstream.asked.some((n) => n.endsWith(ZONE)), 'cluster names never go upstream');
    });
    await withCluster(
      fx.registry,
      async ({ resolver }) => {
        await rejectsWith(resolver.resolve4('example.test'), 'ESERVFAIL');
      },
      { upstreams: ['127.0.0.1:9'], upstreamTimeoutMs: 200 },
    );
  });

  it('caches forwarded replies for their TTL, at most 30 s, counting the TTL down', async () => {
    let clock = 1_000_000;
    await withCluster(
      fx.registry,
      async ({ port, upstream }) => {
        const ask = async () => (await udpQuery(port, { questions: [{ type: 'A', name: 'example.test' }] })).answers as StringAnswer[];
        const asked = () => upstream.asked.filter((n) => n === 'example.test').length;
        assert.deepEqual((await ask()).map((r) => [r.data, r.ttl]), [['192.0.2.1', 60]]);
        clock += 10_000;
        assert.deepEqual((await ask()).map((r) => [r.data, r.ttl]), [['192.0.2.1', 50]]);
        assert.equal(asked(), 1);
        clock += 21_000;
        assert.deepEqual((await ask()).map((r) => [r.data, r.ttl]), [['192.0.2.1', 60]]);
        assert.equal(asked(), 2);
        // NXDOMAIN without an SOA to say for how long is not kept.
        await udpQuery(port, { questions: [{ type: 'A', name: 'missing.test' }] });
        await udpQuery(port, { questions: [{ type: 'A', name: 'missing.test' }] });
        assert.equal(upstream.asked.filter((n) => n === 'missing.test').length, 2);
      },
      { now: () => clock },
    );
  });

  it('survives malformed packets over UDP and TCP, keeps answering, and closes once however often asked', async () => {
    await withCluster(fx.registry, async ({ resolver, port, server }) => {
      const header = (id: number, flags: number, qd: number) => {
        const b = Buffer.alloc(12);
        b.writeUInt16BE(id, 0);
        b.writeUInt16BE(flags, 2);
        b.writeUInt16BE(qd, 4);
        return b;
      };
      // A header promising a question that is not there: FORMERR with the same ID.
      const formerr = dnsPacket.decode((await udpRaw(port, header(77, 0x0100, 1)))!);
      assert.equal(formerr.id, 77);
      assert.equal(rcodeOf(formerr), 1);
      // An unsupported opcode (STATUS): NOTIMP.
      assert.equal(rcodeOf(dnsPacket.decode((await udpRaw(port, header(78, 2 << 11, 0)))!)), 4);
      // A name whose compression pointer points at itself.
      const loop = Buffer.concat([header(79, 0, 1), Buffer.from([0xc0, 12, 0, 1, 0, 1])]);
      assert.equal(rcodeOf(dnsPacket.decode((await udpRaw(port, loop))!)), 1);
      // Responses, short packets and random bytes get no reply.
      assert.equal(await udpRaw(port, header(80, 0x8000, 0), 200), undefined);
      assert.equal(await udpRaw(port, Buffer.from([1, 2, 3]), 200), undefined);
      for (let i = 0; i < 50; i++) await udpRaw(port, Buffer.from(Array.from({ length: 12 + i * 7 }, (_, j) => (j * 131 + i * 17) & 0xff)), 20);
      // TCP: a garbage message, an empty one, then a good one on the same connection.
      const good = dnsPacket.streamEncode({ type: 'query', id: 81, questions: [{ type: 'A', name: `10-0-0-1.default.pod.${ZONE}` }] });
      const garbage = Buffer.concat([Buffer.from([0, 14]), header(82, 0, 3), Buffer.from([0xff, 0xff])]);
      const replies = await tcpRaw(port, Buffer.concat([garbage, Buffer.from([0, 0]), good]), 2);
      assert.deepEqual(replies.map((r) => dnsPacket.decode(r).id), [82, 81]);
      assert.deepEqual(aRecords(dnsPacket.decode(replies[1]!)), ['10.0.0.1']);
      // A connection that sends half a message and hangs up.
      await tcpRaw(port, Buffer.from([0, 40, 1, 2]), 0);
      assert.deepEqual(await resolver.resolve4(`10-0-0-2.default.pod.${ZONE}`), ['10.0.0.2']);
      await server.close();
      await server.close();
    });
  });
});
