// Building reply packets: rcodes and flags in the header, the EDNS OPT record
// echoed when the query had one, and UDP size limits (RFC 1035's 512 bytes,
// or what the client advertised with EDNS, at most 4096): an answer that does
// not fit is cut to what fits and flagged TC, so the client retries over TCP.

import dnsPacket, { type Answer, type DecodedPacket, type Packet, type Question } from 'dns-packet';

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

/** Encodes a reply to `query` (its ID, RD, question and EDNS), cut to `limit` bytes with TC when it does not fit. */
export function encodeReply(query: DecodedPacket, body: ReplyBody, limit: number): Buffer {
  const additionals = [...body.additionals];
  const hasOpt = query.additionals?.some((r) => r.type === 'OPT');
  const opt: Answer[] = hasOpt ? [{ type: 'OPT', name: '.', udpPayloadSize: ADVERTISED_UDP, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [];
  const packet: Packet = {
    type: 'response',
    id: query.id,
    flags: (query.flags! & RD) | RA | (body.authoritative ? AA : 0) | RCODE[body.rcode],
    questions: query.questions as Question[],
    answers: [...body.answers],
    authorities: [...body.authorities],
    additionals: [...additionals, ...opt],
  };
  const full = dnsPacket.encode(packet);
  if (full.length <= limit) return full;
  packet.additionals = opt;
  if (dnsPacket.encodingLength(packet) > limit) {
    packet.flags! |= TC;
    packet.authorities = [];
    while (packet.answers!.length > 0 && dnsPacket.encodingLength(packet) > limit) packet.answers!.pop();
  }
  return dnsPacket.encode(packet);
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
