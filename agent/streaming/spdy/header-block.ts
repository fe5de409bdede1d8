// SPDY/3 header blocks: `count:32` then `len:32 name len:32 value` pairs
// (values with several entries are NUL-joined), zlib-compressed with the
// SPDY/3 dictionary as one continuous zlib stream per direction for the
// whole connection.
//
// Inflating the peer's blocks needs that shared stream state, so it runs
// through one streaming inflater, flushed after each block. Our own blocks
// are sent as stored (uncompressed) deflate blocks, each followed by an
// empty stored block (the sync-flush marker `00 00 00 ff ff`): valid zlib
// that any inflater reads block by block. Without the marker Go's inflater
// reads past the block and the next SYN_REPLY fails.

import type { Inflate } from 'node:zlib';

// zlib is loaded on the first SPDY stream, not with the streaming server: most
// clients speak WebSocket, and the module costs an idle server ~1 MB.
const zlib = () => process.getBuiltinModule('node:zlib');

/** The SPDY/3 header dictionary (draft-mbelshe-httpbis-spdy-00, 2.6.10.1): length-prefixed words, then a tail. */
export const SPDY3_DICTIONARY: Buffer = (() => {
  const words = [
    ...'options head post put delete trace accept accept-charset accept-encoding accept-language accept-ranges age allow authorization cache-control connection content-base content-encoding content-language content-length content-location content-md5 content-range content-type date etag expect expires from host if-match if-modified-since if-none-match if-range if-unmodified-since last-modified location max-forwards pragma proxy-authenticate proxy-authorization range referer retry-after server te trailer transfer-encoding upgrade user-agent vary via warning www-authenticate method get status'.split(' '),
    '200 OK',
    'version',
    'HTTP/1.1',
    ...'url public set-cookie keep-alive origin'.split(' '),
  ];
  const tail =
    '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
    '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized' +
    '403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
    'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
    'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript,public' +
    'privatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';
  const parts: Buffer[] = [];
  for (const w of words) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(w.length);
    parts.push(len, Buffer.from(w, 'latin1'));
  }
  parts.push(Buffer.from(tail, 'latin1'));
  return Buffer.concat(parts);
})();

export type Headers = Map<string, string[]>;

export function encodeHeaderBlock(headers: Iterable<[string, string]>): Buffer {
  const pairs = [...headers];
  const parts: Buffer[] = [u32be(pairs.length)];
  for (const [name, value] of pairs) {
    const n = Buffer.from(name.toLowerCase());
    const v = Buffer.from(value);
    parts.push(u32be(n.length), n, u32be(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(raw: Buffer): Headers {
  const headers: Headers = new Map();
  let pos = 0;
  const read = (): Buffer => {
    if (pos + 4 > raw.length) throw new Error('truncated SPDY header block');
    const len = raw.readUInt32BE(pos);
    pos += 4;
    if (pos + len > raw.length) throw new Error('truncated SPDY header block');
    const b = raw.subarray(pos, pos + len);
    pos += len;
    return b;
  };
  if (raw.length < 4) throw new Error('truncated SPDY header block');
  const count = raw.readUInt32BE(0);
  pos = 4;
  for (let i = 0; i < count; i++) {
    const name = read().toString('latin1').toLowerCase();
    const values = read().toString('utf8').split('\0');
    headers.set(name, [...(headers.get(name) ?? []), ...values]);
  }
  return headers;
}

function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** Our direction: stored deflate blocks, each followed by the sync-flush marker. */
export class HeaderCompressor {
  private started = false;

  compress(raw: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      parts.push(Buffer.from([0x78, 0x01])); // zlib header: deflate, no preset dictionary needed for stored blocks
      this.started = true;
    }
    for (let off = 0; off < raw.length || off === 0; off += 0xffff) {
      const piece = raw.subarray(off, off + 0xffff);
      const head = Buffer.alloc(5);
      head[0] = 0x00; // BFINAL=0, BTYPE=00 (stored)
      head.writeUInt16LE(piece.length, 1);
      head.writeUInt16LE(~piece.length & 0xffff, 3);
      parts.push(head, piece);
      if (raw.length === 0) break;
    }
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

/** The peer's direction: one inflater for the connection, flushed after each block. */
export class HeaderDecompressor {
  private readonly inflate: Inflate = zlib().createInflate({ dictionary: SPDY3_DICTIONARY });
  private failed?: Error;

  constructor() {
    this.inflate.on('error', (e) => (this.failed = e));
  }

  decompress(block: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      const out: Buffer[] = [];
      const onData = (d: Buffer) => out.push(d);
      const onError = (e: Error) => {
        this.inflate.off('data', onData);
        reject(e);
      };
      this.inflate.on('data', onData);
      this.inflate.once('error', onError);
      this.inflate.write(block);
      this.inflate.flush(zlib().constants.Z_SYNC_FLUSH, () => {
        // Output of this flush is emitted before its callback runs; let queued 'data' events land first.
        setImmediate(() => {
          this.inflate.off('data', onData);
          this.inflate.off('error', onError);
          if (this.failed) reject(this.failed);
          else resolve(Buffer.concat(out));
        });
      });
    });
  }

  close(): void {
    this.inflate.destroy();
  }
}
