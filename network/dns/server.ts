// The cluster DNS server: UDP and TCP (RFC 1035 two-byte length prefix) on
// each listen address. Names in the cluster domain, and PTR names of cluster
// IPs, are answered at once from the Service and EndpointSlice informers'
// caches (records.ts, answer.ts); everything else is forwarded upstream
// (forward.ts) through a reply cache (cache.ts), SERVFAIL when no upstream
// answers. Undecodable input gets FORMERR or is dropped; it never takes the
// server down.

import { createSocket, type Socket } from 'node:dgram';
import { createServer, isIP, type Server, type Socket as TcpSocket } from 'node:net';
import dnsPacket, { type Answer, type DecodedPacket } from 'dns-packet';
import type { InformerFactory } from '../../client/informer.ts';
import { R } from '../../client/resources.ts';
import { DEFAULT_CLUSTER_NETWORK } from '../types.ts';
import { answerCluster, answerReverse, rotateAddresses, type ClusterAnswer, type ZoneConfig } from './answer.ts';
import { ReplyCache } from './cache.ts';
import { Forwarder } from './forward.ts';
import { inZone, ipv4FromReverse, normalizeName } from './names.ts';
import { ClusterRecords } from './records.ts';
import { DnsConfigError, hostUpstreams, parseHostPort, type HostPort } from './upstreams.ts';
import { encodableName, encodeReply, headerOnlyReply, truncatedReply, udpLimit, type Rcode } from './wire.ts';

/** CoreDNS's default TTL for cluster records. */
export const CLUSTER_TTL = 5;
const TCP_IDLE_MS = 10_000;
const TCP_MAX_CONNECTIONS = 256;

export interface DnsServerOptions {
  /** The shared informer factory: the server reads Services and EndpointSlices through it. */
  informers: InformerFactory;
  /** Default: the cluster DNS address, 10.96.0.10:53. Port 0 picks one free port shared by UDP and TCP. */
  listen?: HostPort[];
  /** Default: cluster.local. */
  domain?: string;
  /** "host:port" strings; default: the host's /etc/resolv.conf nameservers, without the cluster DNS IP. */
  upstreams?: string[];
  /** How long to wait for one upstream before trying the next (default 2000 ms). */
  upstreamTimeoutMs?: number;
  log?: (msg: string, err?: unknown) => void;
  /** The clock of the upstream reply cache (milliseconds; tests pass their own). */
  now?: () => number;
}

export interface DnsServer {
  /** The bound addresses (the real port when 0 was asked). */
  addresses: HostPort[];
  close(): Promise<void>;
}

type Reply = Buffer | undefined;

export async function startDnsServer(opts: DnsServerOptions): Promise<DnsServer> {
  const log = opts.log ?? (() => {});
  const listen = opts.listen ?? [{ host: DEFAULT_CLUSTER_NETWORK.dnsIp, port: 53 }];
  for (const l of listen) if (!isIP(l.host)) throw new DnsConfigError(`invalid listen address ${JSON.stringify(l.host)}`);
  const zone = normalizeName(opts.domain ?? DEFAULT_CLUSTER_NETWORK.domain);
  const skip = [{ host: DEFAULT_CLUSTER_NETWORK.dnsIp, port: 0 }, ...listen];
  const upstreams = opts.upstreams ? opts.upstreams.map((u) => parseHostPort(u)) : hostUpstreams(skip);
  const forwarder = new Forwarder(upstreams, opts.upstreamTimeoutMs ?? 2000, log);

  const records = new ClusterRecords();
  const services = opts.informers.for(R.services);
  const slices = opts.informers.for(R.endpointslices);
  records.attach(services, slices);
  await Promise.all([services.start(), slices.start()]);

  const cfg: ZoneConfig = { zone, nameserverIps: listen.map((l) => l.host).filter((h) => isIP(h) === 4), ttl: CLUSTER_TTL };
  const handler = new QueryHandler(records, cfg, forwarder, new ReplyCache(opts.now), log);

  const udp: Socket[] = [];
  const tcp: Server[] = [];
  const conns = new Set<TcpSocket>();
  const addresses: HostPort[] = [];
  let closing: Promise<void> | undefined;
  const closeAll = () =>
    (closing ??= (async () => {
      records.stop();
      for (const s of udp) s.close();
      for (const c of conns) c.destroy();
      await Promise.all(tcp.map((s) => new Promise<void>((res) => s.close(() => res()))));
    })());
  try {
    for (const l of listen) {
      const bound = await bindPair(l, (msg, viaUdp) => handler.handle(msg, viaUdp), conns, log);
      udp.push(bound.udp);
      tcp.push(bound.tcp);
      addresses.push({ host: l.host, port: bound.port });
    }
  } catch (e) {
    await closeAll();
    throw e;
  }
  log(`dns: serving ${zone} on ${addresses.map((a) => `${a.host}:${a.port}`).join(', ')}; upstreams ${upstreams.map((u) => `${u.host}:${u.port}`).join(', ') || 'none'}`);
  return { addresses, close: closeAll };
}

/** Decodes a query and builds its reply; synchronous for cluster names, a promise when it goes upstream. */
class QueryHandler {
  /** Counts cluster replies, to rotate their addresses. */
  private turn = 0;

  constructor(
    private readonly records: ClusterRecords,
    private readonly cfg: ZoneConfig,
    private readonly forwarder: Forwarder,
    private readonly cache: ReplyCache,
    private readonly log: (msg: string, err?: unknown) => void,
  ) {}

  /** `udp`: the reply must fit the client's UDP limit. */
  handle(raw: Buffer, udp: boolean): Reply | Promise<Reply> {
    if (raw.length < 12 || raw.readUInt16BE(2) & 0x8000) return undefined;
    if (raw.readUInt16BE(2) & 0x7800) return headerOnlyReply(raw, 'NOTIMP');
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(raw);
    } catch {
      return headerOnlyReply(raw, 'FORMERR');
    }
    if (query.questions?.length !== 1 || !encodableName(query.questions[0]!.name)) return headerOnlyReply(raw, 'FORMERR');
    try {
      return this.answer(raw, query, udp ? udpLimit(query) : 65535);
    } catch (e) {
      this.log('dns: answering failed', e);
      return headerOnlyReply(raw, 'SERVFAIL');
    }
  }

  private answer(raw: Buffer, query: DecodedPacket, limit: number): Reply | Promise<Reply> {
    const q = query.questions![0]!;
    const name = normalizeName(q.name);
    if (inZone(name, this.cfg.zone)) {
      if ((q.class ?? 'IN') !== 'IN') return this.reply(raw, query, 'REFUSED', limit);
      const ans = answerCluster(this.records, this.cfg, q.name, q.type);
      if (ans.chase) return this.chase(raw, query, ans, limit);
      return this.clusterReply(raw, query, ans, limit);
    }
    const ip = q.type === 'PTR' ? ipv4FromReverse(name) : undefined;
    const ptr = ip ? answerReverse(this.records, this.cfg, q.name, ip) : undefined;
    if (ptr) return this.clusterReply(raw, query, ptr, limit);
    return this.forward(raw, query, limit);
  }

  private clusterReply(raw: Buffer, query: DecodedPacket, ans: ClusterAnswer, limit: number): Buffer {
    this.turn = (this.turn + 1) % 0x7fffffff;
    return encodeReply(raw, query, { authoritative: true, ...ans, answers: rotateAddresses(ans.answers, this.turn) }, limit);
  }

  private reply(raw: Buffer, query: DecodedPacket, rcode: Rcode, limit: number): Buffer {
    return encodeReply(raw, query, { rcode, authoritative: false, answers: [], authorities: [], additionals: [] }, limit);
  }

  /** From the cache at once when it has the reply, else upstream (and into the cache). */
  private forward(raw: Buffer, query: DecodedPacket, limit: number): Reply | Promise<Reply> {
    const q = query.questions![0]!;
    const key = ReplyCache.key(q.name, q.type, q.class ?? 'IN', query.additionals?.some((r) => r.type === 'OPT') ?? false);
    const cached = this.cache.get(key, query.id!);
    if (cached) return cached.length > limit ? truncatedReply(query, cached) : cached;
    return this.forwardUpstream(raw, query, limit, key);
  }

  private async forwardUpstream(raw: Buffer, query: DecodedPacket, limit: number, key: string): Promise<Reply> {
    const reply = await this.forwarder.exchange(raw);
    if (!reply) return this.reply(raw, query, 'SERVFAIL', limit);
    this.cache.put(key, reply);
    return reply.length > limit ? truncatedReply(query, reply) : reply;
  }

  /** An ExternalName pointing outside the zone: the CNAME, then the target's records from upstream. */
  private async chase(raw: Buffer, query: DecodedPacket, ans: ClusterAnswer, limit: number): Promise<Reply> {
    const target = ans.chase!;
    const wire = dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: target.name, type: target.type }] });
    const reply = await this.forwarder.exchange(wire);
    let extra: Answer[] = [];
    let rcode = ans.rcode;
    if (reply) {
      try {
        const decoded = dnsPacket.decode(reply);
        extra = (decoded.answers ?? []).filter((r) => r.type !== 'OPT');
        if ((decoded.flags! & 0xf) === 3) rcode = 'NXDOMAIN';
      } catch (e) {
        this.log(`dns: undecodable upstream reply for ${target.name}`, e);
      }
    }
    return encodeReply(raw, query, { ...ans, rcode, authoritative: false, answers: [...ans.answers, ...extra] }, limit);
  }
}

type Handle = (msg: Buffer, udp: boolean) => Reply | Promise<Reply>;

/** Binds UDP and TCP on one address and port; with port 0, UDP picks the port and TCP takes the same (retried if taken). */
async function bindPair(l: HostPort, handle: Handle, conns: Set<TcpSocket>, log: (msg: string, err?: unknown) => void): Promise<{ udp: Socket; tcp: Server; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const udp = await bindUdp(l, handle, log);
    const port = udp.address().port;
    try {
      const tcp = await bindTcp({ host: l.host, port }, handle, conns, log);
      return { udp, tcp, port };
    } catch (e) {
      udp.close();
      if (l.port !== 0 || attempt >= 10 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    }
  }
}

function bindUdp(l: HostPort, handle: Handle, log: (msg: string, err?: unknown) => void): Promise<Socket> {
  const sock = createSocket(isIP(l.host) === 6 ? 'udp6' : 'udp4');
  sock.on('message', (msg, rinfo) => {
    const send = (reply: Reply) => {
      if (!reply) return;
      try {
        sock.send(reply, rinfo.port, rinfo.address, (err) => err && log('dns: UDP send failed', err));
      } catch (e) {
        log('dns: UDP send failed', e); // the socket closed while the query was upstream
      }
    };
    const r = handle(msg, true);
    if (r instanceof Promise) r.then(send, (e) => log('dns: query failed', e));
    else send(r);
  });
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(l.port, l.host, () => {
      sock.off('error', reject);
      sock.on('error', (e) => log('dns: UDP socket error', e));
      resolve(sock);
    });
  });
}

function bindTcp(l: HostPort, handle: Handle, conns: Set<TcpSocket>, log: (msg: string, err?: unknown) => void): Promise<Server> {
  const server = createServer((conn) => {
    if (conns.size >= TCP_MAX_CONNECTIONS) return void conn.destroy();
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    conn.on('error', () => conn.destroy());
    conn.setTimeout(TCP_IDLE_MS, () => conn.destroy());
    conn.setNoDelay(true);
    let buffered = Buffer.alloc(0);
    const send = (reply: Reply) => {
      if (!reply || conn.destroyed) return;
      const len = Buffer.alloc(2);
      len.writeUInt16BE(reply.length);
      conn.write(Buffer.concat([len, reply]));
    };
    conn.on('data', (chunk) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      while (buffered.length >= 2) {
        const len = buffered.readUInt16BE(0);
        if (buffered.length < 2 + len) break;
        const msg = buffered.subarray(2, 2 + len);
        buffered = buffered.subarray(2 + len);
        const r = handle(msg, false);
        if (r instanceof Promise) r.then(send, (e) => log('dns: query failed', e));
        else send(r);
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: l.host, port: l.port, exclusive: true }, () => {
      server.off('error', reject);
      server.on('error', (e) => log('dns: TCP server error', e));
      resolve(server);
    });
  });
}
