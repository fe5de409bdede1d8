// Forwarding of queries outside the cluster domain to upstream resolvers, in
// order: over UDP from a fresh socket (random source port) with a fresh
// random ID, a reply accepted only from the upstream it was sent to with that
// ID; over TCP when the UDP reply is truncated; the next upstream on a
// timeout or error; at most MAX_IN_FLIGHT queries at once. The caller gets
// the upstream's reply bytes (ID restored) or undefined when none answered,
// and answers SERVFAIL then.

import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect, isIP } from 'node:net';
import type { HostPort } from './upstreams.ts';

const TC = 0x0200;

/** Queries upstream at once, at most; more get SERVFAIL at once (CoreDNS's forward max_concurrent), so a flood cannot exhaust sockets. */
const MAX_IN_FLIGHT = 1000;

export class Forwarder {
  private inFlight = 0;

  constructor(
    private readonly upstreams: HostPort[],
    private readonly timeoutMs: number,
    private readonly log: (msg: string, err?: unknown) => void,
  ) {}

  /** Sends a query (wire format) upstream; the reply carries the query's ID. */
  async exchange(query: Buffer): Promise<Buffer | undefined> {
    if (query.length < 12 || this.inFlight >= MAX_IN_FLIGHT) return undefined;
    this.inFlight++;
    try {
      return await this.tryEach(query);
    } finally {
      this.inFlight--;
    }
  }

  private async tryEach(query: Buffer): Promise<Buffer | undefined> {
    const id = query.readUInt16BE(0);
    for (const up of this.upstreams) {
      try {
        const wire = Buffer.from(query);
        const sentId = randomInt(65536);
        wire.writeUInt16BE(sentId, 0);
        let reply = await udpExchange(up, wire, sentId, this.timeoutMs);
        if (reply.readUInt16BE(2) & TC) reply = await tcpExchange(up, wire, sentId, this.timeoutMs);
        const out = Buffer.from(reply);
        out.writeUInt16BE(id, 0);
        return out;
      } catch (e) {
        this.log(`dns: upstream ${up.host}:${up.port} failed`, e);
      }
    }
    return undefined;
  }
}

function udpExchange(up: HostPort, wire: Buffer, id: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(isIP(up.host.split('%')[0]!) === 6 ? 'udp6' : 'udp4');
    let finished = false;
    const finish = (err: Error | undefined, reply?: Buffer) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.close();
      if (err) reject(err);
      else resolve(reply!);
    };
    const timer = setTimeout(() => finish(new Error(`no UDP reply within ${timeoutMs} ms`)), timeoutMs);
    sock.on('error', (e) => finish(e));
    sock.on('message', (msg, rinfo) => {
      if (msg.length < 12 || msg.readUInt16BE(0) !== id || !(msg.readUInt16BE(2) & 0x8000)) return;
      if (rinfo.port !== up.port || rinfo.address !== up.host.split('%')[0]) return;
      finish(undefined, msg);
    });
    sock.send(wire, up.port, up.host, (err) => {
      if (err) finish(err);
    });
  });
}

function tcpExchange(up: HostPort, wire: Buffer, id: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const conn = connect({ host: up.host, port: up.port });
    let buffered = Buffer.alloc(0);
    let finished = false;
    const finish = (err: Error | undefined, reply?: Buffer) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      conn.destroy();
      if (err) reject(err);
      else resolve(reply!);
    };
    const timer = setTimeout(() => finish(new Error(`no TCP reply within ${timeoutMs} ms`)), timeoutMs);
    conn.on('error', (e) => finish(e));
    conn.on('close', () => finish(new Error('upstream closed the TCP connection')));
    conn.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(wire.length);
      conn.write(Buffer.concat([len, wire]));
    });
    conn.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const msg = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + msg.length);
        if (msg.length >= 12 && msg.readUInt16BE(0) === id) return finish(undefined, msg);
      }
    });
  });
}
