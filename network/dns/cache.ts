// A cache of upstream replies, as CoreDNS's `cache 30` in front of its
// forward plugin: a reply is kept for the smallest TTL of its records (for a
// negative reply, its SOA's), at most 30 s, and served with the TTLs counted
// down. Truncated replies and server failures are not kept. Node programs
// resolve a name on every outgoing connection (no cache in getaddrinfo), so
// without this each request of a pod to an outside API costs upstream trips.

const MAX_TTL_S = 30;
const MAX_ENTRIES = 10_000;
const OPT = 41;
const SOA = 6;

interface Entry {
  reply: Buffer;
  /** Offsets of the TTL fields, with the TTL each had. */
  ttls: [offset: number, ttl: number][];
  storedAt: number;
  expires: number;
}

/** The offset just past the name at `at`; throws past the end. */
function skipName(buf: Buffer, at: number): number {
  let i = at;
  for (;;) {
    if (i >= buf.length) throw new RangeError('name runs past the end');
    const len = buf[i]!;
    if (len === 0) return i + 1;
    if ((len & 0xc0) === 0xc0) return i + 2;
    i += len + 1;
  }
}

/** The TTL fields of every record but OPT, and the SOA's minimum when the reply has one; undefined when malformed. */
function scan(reply: Buffer): { ttls: [number, number][]; soaMinimum?: number } | undefined {
  try {
    const qd = reply.readUInt16BE(4);
    const rrs = reply.readUInt16BE(6) + reply.readUInt16BE(8) + reply.readUInt16BE(10);
    let i = 12;
    for (let q = 0; q < qd; q++) i = skipName(reply, i) + 4;
    const ttls: [number, number][] = [];
    let soaMinimum: number | undefined;
    for (let r = 0; r < rrs; r++) {
      i = skipName(reply, i);
      const type = reply.readUInt16BE(i);
      const rdlength = reply.readUInt16BE(i + 8);
      if (i + 10 + rdlength > reply.length) return undefined;
      if (type !== OPT) {
        const ttl = reply.readUInt32BE(i + 4);
        ttls.push([i + 4, ttl]);
        if (type === SOA) soaMinimum = Math.min(ttl, reply.readUInt32BE(i + 10 + rdlength - 4));
      }
      i += 10 + rdlength;
    }
    return { ttls, soaMinimum };
  } catch {
    return undefined;
  }
}

export class ReplyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The key of a query: name (case-folded), type, class, and whether it has EDNS (the reply differs). */
  static key(name: string, type: string, klass: string, edns: boolean): string {
    return `${name.toLowerCase()}|${type}|${klass}|${edns ? 'e' : ''}`;
  }

  get(key: string, id: number): Buffer | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const now = this.now();
    if (now >= e.expires) {
      this.entries.delete(key);
      return undefined;
    }
    const elapsed = Math.floor((now - e.storedAt) / 1000);
    const out = Buffer.from(e.reply);
    out.writeUInt16BE(id, 0);
    for (const [offset, ttl] of e.ttls) out.writeUInt32BE(Math.max(0, ttl - elapsed), offset);
    return out;
  }

  /** Keeps a NOERROR or NXDOMAIN reply that is not truncated, for its TTL (at most 30 s). */
  put(key: string, reply: Buffer): void {
    if (reply.length < 12) return;
    const flags = reply.readUInt16BE(2);
    const rcode = flags & 0xf;
    if (flags & 0x0200 || (rcode !== 0 && rcode !== 3)) return;
    const s = scan(reply);
    if (!s) return;
    const answers = reply.readUInt16BE(6);
    const positive = rcode === 0 && answers > 0;
    const ttl = positive ? Math.min(...s.ttls.slice(0, answers).map(([, t]) => t)) : s.soaMinimum;
    if (ttl === undefined || ttl <= 0) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    const now = this.now();
    this.entries.delete(key);
    this.entries.set(key, { reply: Buffer.from(reply), ttls: s.ttls, storedAt: now, expires: now + Math.min(ttl, MAX_TTL_S) * 1000 });
  }
}
