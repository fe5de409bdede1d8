// Building reply packets: rcodes and flags in the header, the EDNS OPT record
// echoed when the query had one, and UDP size limits (RFC 1035's 512 bytes,
// or what the client advertised with EDNS, at most 4096): an answer that does
// not fit is cut to what fits and flagged TC, so the client retries over TCP.

import dnsPacket, { type Answer, type DecodedPacket, type Question } from 'dns-packet';

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
export type Rcode = keyof typeof RCODE;

const QR = 0x8000;
const OPCODE_MASK = 0x7800;
const RD = dnsPacket.RECURSION_DESIRED;
const RA = dnsPacket.RECURSION_AVAILABLE;
const AA = dnsPacket.AUTHORITATIVE_ANSWER;
const TC = dnsPacket.TRUNCATED_RESPONSE;

export const UDP_MIN = 512;
const UDP_MAX = 4096;
/** The UDP payload size this server advertises in its OPT record. */
const ADVERTISED_UDP = 1232;

/** The largest UDP reply a query allows: 512 without EDNS, else its advertised size within [512, 4096]. */
export function udpLimit(query: DecodedPacket): number {
  const opt = query.additionals?.find((r) => r.type === 'OPT');
  if (!opt || opt.type !== 'OPT') return UDP_MIN;
  return Math.min(UDP_MAX, Math.max(UDP_MIN, opt.udpPayloadSize));
}

/** A header-only reply (FORMERR, NOTIMP) for a query that could not be decoded, or undefined when it is no query at all. */
export function headerOnlyReply(raw: Buffer, rcode: Rcode): Buffer | undefined {
  if (raw.length < 12 || raw.readUInt16BE(2) & QR) return undefined;
  const out = Buffer.alloc(12);
  out.writeUInt16BE(raw.readUInt16BE(0), 0);
  const flags = raw.readUInt16BE(2);
  out.writeUInt16BE(QR | (flags & OPCODE_MASK) | (flags & RD) | RA | RCODE[rcode], 2);
  return out;
}

export interface ReplyBody {
  rcode: Rcode;
  authoritative: boolean;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

// dns-packet encodes records but never compresses names; here the owner
// names are compressed (a pointer to an earlier occurrence of the same name
// or suffix), which fits about three times as many A records in 512 bytes,
// and each reply is written into one buffer.
const codec = dnsPacket as unknown as {
  answer: { encode(a: Answer): Buffer };
  name: { encodingLength(n: string): number };
  record(type: string): { encode(data: unknown, buf: Buffer, offset: number): Buffer; encodingLength(data: unknown): number };
};

/** The types this server writes itself (others, from upstream, go through dns-packet whole). */
const TYPE_CODES: Record<string, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, TXT: 16, AAAA: 28, SRV: 33 };
const CLASS_IN = 1;

/** The offset just past the name that starts at `at` (labels, then a zero or a pointer). */
function endOfName(raw: Buffer, at: number): number {
  let i = at;
  while (i < raw.length) {
    const len = raw[i]!;
    if (len === 0) return i + 1;
    if ((len & 0xc0) === 0xc0) return i + 2;
    i += len + 1;
  }
  return i;
}

/** Whether every label of a decoded name fits the 63 bytes a label may have once encoded again. */
export function encodableName(name: string): boolean {
  return name === '.' || name.split('.').every((l) => Buffer.byteLength(l) <= 63);
}

/** Writes a reply record by record into one buffer of `limit` bytes, compressing owner names. */
class ReplyWriter {
  private readonly buf: Buffer;
  private readonly names = new Map<string, number>();
  private length = 0;
  private readonly counts = [0, 0, 0, 0];

  constructor(private readonly limit: number) {
    this.buf = Buffer.allocUnsafe(limit);
  }

  /** Writes a name at the end, as labels then a pointer to a known suffix; false when it would pass `max`. Suffixes it makes known are pushed on `added`. */
  private writeName(name: string, max: number, added: string[]): boolean {
    const n = name.endsWith('.') ? name.slice(0, -1) : name;
    let off = this.length;
    for (let pos = 0; pos < n.length; ) {
      const suffix = pos === 0 ? n : n.substring(pos);
      const ptr = this.names.get(suffix);
      if (ptr !== undefined) {
        if (off + 2 > max) return false;
        this.buf.writeUInt16BE(0xc000 | ptr, off);
        this.length = off + 2;
        return true;
      }
      let dot = n.indexOf('.', pos);
      if (dot < 0) dot = n.length;
      const label = n.substring(pos, dot);
      const len = Buffer.byteLength(label);
      if (off + 1 + len > max) return false;
      if (off < 0x3fff) {
        this.names.set(suffix, off);
        added.push(suffix);
      }
      this.buf[off] = len;
      this.buf.write(label, off + 1);
      off += 1 + len;
      pos = dot + 1;
    }
    if (off + 1 > max) return false;
    this.buf[off] = 0;
    this.length = off + 1;
    return true;
  }

  /** Type, class, TTL and data of a record whose name is written; false when it would pass `max`. */
  private writeRest(rr: Answer, max: number): boolean {
    const code = TYPE_CODES[rr.type];
    if (code === undefined || rr.type === 'OPT' || ((rr.class ?? 'IN') !== 'IN') || rr.flush) {
      const full = codec.answer.encode(rr);
      const rest = full.subarray(codec.name.encodingLength(rr.name));
      if (this.length + rest.length > max) return false;
      rest.copy(this.buf, this.length);
      this.length += rest.length;
      return true;
    }
    const enc = codec.record(rr.type);
    const rdata = enc.encodingLength(rr.data);
    if (this.length + 8 + rdata > max) return false;
    this.buf.writeUInt16BE(code, this.length);
    this.buf.writeUInt16BE(CLASS_IN, this.length + 2);
    this.buf.writeUInt32BE(rr.ttl ?? 0, this.length + 4);
    enc.encode(rr.data, this.buf, this.length + 8);
    this.length += 8 + rdata;
    return true;
  }

  /** The header's room and the question: its name (a target for the records' pointers), type and class as the query had them. */
  question(raw: Buffer, q: Question): void {
    this.buf.fill(0, 0, 12);
    this.length = 12;
    this.writeName(q.name, this.limit, []);
    const end = endOfName(raw, 12);
    raw.copy(this.buf, this.length, end, end + 4);
    this.length += 4;
    this.counts[0] = 1;
  }

  /** Adds a record to section 1 (answer), 2 (authority) or 3 (additional) if it fits in `limit - reserve`; false otherwise. */
  record(section: 1 | 2 | 3, rr: Answer, reserve = 0): boolean {
    const max = this.limit - reserve;
    const start = this.length;
    const added: string[] = [];
    if (this.writeName(rr.name, max, added) && this.writeRest(rr, max)) {
      this.counts[section]!++;
      return true;
    }
    this.length = start;
    for (const n of added) this.names.delete(n);
    return false;
  }

  finish(id: number, flags: number): Buffer {
    this.buf.writeUInt16BE(id, 0);
    this.buf.writeUInt16BE(flags, 2);
    this.counts.forEach((c, i) => this.buf.writeUInt16BE(c, 4 + 2 * i));
    return this.buf.subarray(0, this.length);
  }
}

/**
 * Encodes a reply to `query` (`raw` is its wire form): its ID, RD, question
 * and EDNS. When the answer or authority records do not all fit in `limit`
 * bytes, those that fit are sent with TC; additional records that do not fit
 * are left out without TC (RFC 2181 section 9).
 */
export function encodeReply(raw: Buffer, query: DecodedPacket, body: ReplyBody, limit: number): Buffer {
  const hasOpt = query.additionals?.some((r) => r.type === 'OPT');
  const opt: Answer | undefined = hasOpt ? { type: 'OPT', name: '.', udpPayloadSize: ADVERTISED_UDP, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] } : undefined;
  const reserve = opt ? 11 : 0;
  const w = new ReplyWriter(limit);
  w.question(raw, query.questions![0]!);
  let flags = QR | (query.flags! & RD) | RA | (body.authoritative ? AA : 0) | RCODE[body.rcode];
  let fits = body.answers.every((rr) => w.record(1, rr, reserve));
  fits &&= body.authorities.every((rr) => w.record(2, rr, reserve));
  if (!fits) flags |= TC;
  else for (const rr of body.additionals) if (!w.record(3, rr, reserve)) break;
  if (opt) w.record(3, opt);
  return w.finish(query.id!, flags);
}

/** A forwarded reply too big for the client's UDP limit: its header and question only, flagged TC. */
export function truncatedReply(query: DecodedPacket, upstreamReply: Buffer): Buffer {
  const flags = upstreamReply.readUInt16BE(2);
  const hasOpt = query.additionals?.some((r) => r.type === 'OPT');
  return dnsPacket.encode({
    type: 'response',
    id: query.id,
    flags: (flags & 0x7fff) | TC,
    questions: query.questions as Question[],
    additionals: hasOpt ? [{ type: 'OPT', name: '.', udpPayloadSize: ADVERTISED_UDP, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [],
  });
}
