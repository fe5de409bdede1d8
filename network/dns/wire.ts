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

// dns-packet encodes each record but never compresses names; the owner names
// are compressed here (a pointer to an earlier occurrence of the same name
// or suffix), which fits about three times as many A records in 512 bytes.
const codec = dnsPacket as unknown as {
  answer: { encode(a: Answer): Buffer };
  name: { encodingLength(n: string): number };
};

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

/** Writes a reply section by section, compressing owner names, within a byte limit. */
class ReplyWriter {
  private readonly chunks: Buffer[] = [];
  private readonly names = new Map<string, number>();
  length = 0;
  readonly counts = [0, 0, 0, 0];

  constructor(private readonly limit: number) {}

  private push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }

  /** A name as labels and pointers; the suffixes it introduces are returned so a record that does not fit can take them back. */
  private nameBytes(name: string, at: number): { bytes: Buffer; added: string[] } {
    const labels = name === '.' || name === '' ? [] : name.replace(/\.$/, '').split('.');
    const parts: Buffer[] = [];
    const added: string[] = [];
    let offset = at;
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.');
      const ptr = this.names.get(suffix);
      if (ptr !== undefined) {
        parts.push(Buffer.from([0xc0 | (ptr >> 8), ptr & 0xff]));
        return { bytes: Buffer.concat(parts), added };
      }
      if (offset < 0x3fff) {
        this.names.set(suffix, offset);
        added.push(suffix);
      }
      const label = Buffer.from(labels[i]!);
      parts.push(Buffer.from([label.length]), label);
      offset += 1 + label.length;
    }
    parts.push(Buffer.from([0]));
    return { bytes: Buffer.concat(parts), added };
  }

  /** The question: its name (compressed for the records after it), type and class as the query had them. */
  question(raw: Buffer, q: Question): void {
    this.push(Buffer.alloc(12));
    const { bytes } = this.nameBytes(q.name, 12);
    this.push(bytes);
    // The type and class: the 4 bytes after the query's first name (a decoded query has them).
    const end = endOfName(raw, 12);
    this.push(Buffer.from(raw.subarray(end, end + 4)));
    this.counts[0] = 1;
  }

  /** Adds a record to section 1 (answer), 2 (authority) or 3 (additional) if it fits in `limit - reserve`; false otherwise. */
  record(section: 1 | 2 | 3, rr: Answer, reserve = 0): boolean {
    const full = codec.answer.encode(rr);
    const rest = full.subarray(codec.name.encodingLength(rr.name));
    const { bytes, added } = this.nameBytes(rr.name, this.length);
    if (this.length + bytes.length + rest.length + reserve > this.limit) {
      for (const n of added) this.names.delete(n);
      return false;
    }
    this.push(bytes);
    this.push(rest);
    this.counts[section]!++;
    return true;
  }

  finish(id: number, flags: number): Buffer {
    const out = Buffer.concat(this.chunks);
    out.writeUInt16BE(id, 0);
    out.writeUInt16BE(flags, 2);
    this.counts.forEach((c, i) => out.writeUInt16BE(c, 4 + 2 * i));
    return out;
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
