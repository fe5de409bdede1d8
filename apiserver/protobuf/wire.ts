// A minimal protobuf wire-format reader. Hand-written rather than
// protobufjs's Reader so that 64-bit varints are exact (BigInt, then
// narrowed), every truncation is reported with its offset as a
// ProtobufDecodeError, and no generated descriptors are needed: the DSL
// models carry the field numbers.

export class ProtobufDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

export interface Tag {
  field: number;
  wire: number;
}

export class Reader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.end) throw new ProtobufDecodeError(`truncated ${what} at offset ${this.pos}`);
  }

  /** An unsigned varint of up to 64 bits. */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      this.need(1, 'varint');
      const b = this.buf[this.pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
    throw new ProtobufDecodeError(`varint longer than 10 bytes at offset ${this.pos}`);
  }

  /** A varint that must fit a small non-negative number (tags, lengths). */
  uint(): number {
    const v = this.varint();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtobufDecodeError(`length or tag too large at offset ${this.pos}`);
    return Number(v);
  }

  /** proto2 int32: negative values arrive as 10-byte two's complement varints. */
  int32(): number {
    return Number(BigInt.asIntN(32, this.varint()));
  }

  int64(): number {
    return Number(BigInt.asIntN(64, this.varint()));
  }

  bool(): boolean {
    return this.varint() !== 0n;
  }

  tag(): Tag {
    const v = this.uint();
    const field = Math.floor(v / 8);
    if (field === 0) throw new ProtobufDecodeError(`invalid field number 0 at offset ${this.pos}`);
    return { field, wire: v & 7 };
  }

  /** The payload of a length-delimited field. */
  bytes(): Uint8Array {
    const len = this.uint();
    this.need(len, 'length-delimited field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  double(): number {
    this.need(8, 'fixed64');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  /** Skips a value of the given wire type. */
  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.need(8, 'fixed64');
        this.pos += 8;
        return;
      case WIRE_BYTES:
        this.bytes();
        return;
      case WIRE_FIXED32:
        this.need(4, 'fixed32');
        this.pos += 4;
        return;
      default:
        throw new ProtobufDecodeError(`unsupported wire type ${wire} at offset ${this.pos}`);
    }
  }
}

const utf8 = new TextDecoder('utf-8');

/** Invalid UTF-8 becomes U+FFFD, as Go's JSON encoder would write it. */
export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
