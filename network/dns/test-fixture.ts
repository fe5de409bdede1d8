// Test fixture for the cluster DNS: a real registry and informers, the
// server on 127.0.0.1 (port 0), a real upstream DNS server on loopback that
// answers from a fixed table (UDP replies over 512 bytes are truncated, as a
// real server's are, so the TCP fallback is exercised), node's resolver
// pointed at the server, and raw dns-packet queries over UDP and TCP.

import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { connect, createServer, type Server } from 'node:net';
import dnsPacket, { type Answer, type DecodedPacket, type Packet, type StringAnswer } from 'dns-packet';
import { InformerFactory } from '../../client/informer.ts';
import { LocalClient } from '../../client/local.ts';
import type { Registry } from '../../apiserver/registry/registry.ts';
import { startDnsServer, type DnsServer, type DnsServerOptions } from './server.ts';

export interface Upstream {
  port: number;
  /** Names asked, in order. */
  asked: string[];
  close(): Promise<void>;
}

/** A loopback DNS server answering A queries from `table` (name → IPs), NXDOMAIN otherwise. */
export async function startUpstream(table: Record<string, string[]>): Promise<Upstream> {
  const asked: string[] = [];
  const reply = (raw: Buffer, udp: boolean): Buffer => {
    const q = dnsPacket.decode(raw);
    const question = q.questions![0]!;
    asked.push(question.name);
    const ips = table[question.name.toLowerCase()];
    const answers: Answer[] = question.type === 'A' ? (ips ?? []).map((ip) => ({ type: 'A', name: question.name, ttl: 60, data: ip })) : [];
    const packet: Packet = { type: 'response', id: q.id, flags: dnsPacket.RECURSION_AVAILABLE | (ips ? 0 : 3), questions: q.questions, answers };
    const buf = dnsPacket.encode(packet);
    if (udp && buf.length > 512) return dnsPacket.encode({ ...packet, answers: [], flags: packet.flags! | dnsPacket.TRUNCATED_RESPONSE });
    return buf;
  };
  // UDP picks a free port and TCP takes the same one; another process may hold it for TCP, so try again.
  for (let attempt = 0; ; attempt++) {
    const udp = createSocket('udp4');
    udp.on('message', (msg, rinfo) => udp.send(reply(msg, true), rinfo.port, rinfo.address));
    await new Promise<void>((res) => udp.bind(0, '127.0.0.1', () => res()));
    const port = udp.address().port;
    const tcp = serveTcp(reply);
    try {
      await new Promise<void>((res, rej) => {
        tcp.once('error', rej);
        tcp.listen(port, '127.0.0.1', () => res());
      });
    } catch (e) {
      udp.close();
      if (attempt < 10) continue;
      throw e;
    }
    return {
      port,
      asked,
      close: async () => {
        udp.close();
        await new Promise<void>((res) => tcp.close(() => res()));
      },
    };
  }
}

function serveTcp(reply: (raw: Buffer, udp: boolean) => Buffer): Server {
  return createServer((conn) => {
    let buf = Buffer.alloc(0);
    conn.on('error', () => {});
    conn.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        const out = reply(msg, false);
        const len = Buffer.alloc(2);
        len.writeUInt16BE(out.length);
        conn.write(Buffer.concat([len, out]));
      }
    });
  });
}

export interface Cluster {
  client: LocalClient;
  informers: InformerFactory;
  server: DnsServer;
  port: number;
  resolver: Resolver;
  upstream: Upstream;
}

/** Runs `fn` with a DNS server over `registry`, and cleans everything up even when it fails. */
export async function withCluster(registry: Registry, fn: (c: Cluster) => Promise<void>, opts: Partial<DnsServerOptions> = {}): Promise<void> {
  const upstream = await startUpstream({ 'example.test': ['192.0.2.1'], 'big.example.test': Array.from({ length: 100 }, (_, i) => `198.51.100.${i + 1}`) });
  const client = new LocalClient(registry, 'dns-test');
  const informers = new InformerFactory(client);
  let server: DnsServer | undefined;
  try {
    server = await startDnsServer({ informers, listen: [{ host: '127.0.0.1', port: 0 }], upstreams: [`127.0.0.1:${upstream.port}`], upstreamTimeoutMs: 500, ...opts });
    const port = server.addresses[0]!.port;
    const resolver = new Resolver({ timeout: 3000, tries: 1 });
    resolver.setServers([`127.0.0.1:${port}`]);
    await fn({ client, informers, server, port, resolver, upstream });
  } finally {
    await server?.close();
    informers.stop();
    await upstream.close();
  }
}

/** Retries an assertion until it holds (the informers see writes through a watch, a moment later). */
export async function eventually(fn: () => Promise<void>, what = 'condition'): Promise<void> {
  let last: unknown;
  for (let i = 0; i < 250; i++) {
    try {
      await fn();
      return;
    } catch (e) {
      last = e;
      await new Promise((res) => setTimeout(res, 20));
    }
  }
  assert.fail(`timed out waiting for ${what}: ${String(last)}`);
}

/** Sends raw bytes over UDP; resolves with the reply, or undefined when none comes within `waitMs`. */
export function udpRaw(port: number, bytes: Buffer, waitMs = 1000): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock: Socket = createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      resolve(undefined);
    }, waitMs);
    sock.on('message', (msg) => {
      clearTimeout(timer);
      sock.close();
      resolve(msg);
    });
    sock.send(bytes, port, '127.0.0.1');
  });
}

export async function udpQuery(port: number, packet: Packet): Promise<DecodedPacket> {
  const reply = await udpRaw(port, dnsPacket.encode({ type: 'query', id: 4242, flags: dnsPacket.RECURSION_DESIRED, ...packet }));
  assert.ok(reply, 'no UDP reply');
  return dnsPacket.decode(reply);
}

/** Writes raw bytes on one TCP connection and collects every length-prefixed reply until `count` came or the server closes. */
export function tcpRaw(port: number, bytes: Buffer, count: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const conn = connect({ host: '127.0.0.1', port });
    const replies: Buffer[] = [];
    let buf = Buffer.alloc(0);
    const done = () => {
      conn.destroy();
      resolve(replies);
    };
    conn.on('error', reject);
    conn.on('close', done);
    conn.on('connect', () => (count === 0 ? conn.end(bytes) : conn.write(bytes)));
    conn.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        replies.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (replies.length >= count) done();
    });
  });
}

export async function tcpQuery(port: number, packet: Packet): Promise<DecodedPacket> {
  const wire = dnsPacket.streamEncode({ type: 'query', id: 4243, flags: dnsPacket.RECURSION_DESIRED, ...packet });
  const [reply] = await tcpRaw(port, wire, 1);
  assert.ok(reply, 'no TCP reply');
  return dnsPacket.decode(reply);
}

/** The rcode of a decoded reply (dns-packet puts it in the low bits of flags). */
export const rcodeOf = (p: DecodedPacket): number => p.flags! & 0xf;

/** The A addresses of a reply, sorted. */
export const aRecords = (p: DecodedPacket): string[] =>
  (p.answers ?? [])
    .filter((r) => r.type === 'A')
    .map((r) => (r as StringAnswer).data)
    .sort();
