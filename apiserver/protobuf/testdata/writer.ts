// Test helper: builds protobuf bytes by hand (field by field), for unit tests
// of the decoder with small models.

type Field = [field: number, value: bigint | number | boolean | string | Uint8Array | Field[], wire?: 'fixed64'];

function varint(v: bigint): number[] {
  let x = BigInt.asUintN(64, v);
  const out: number[] = [];
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x > 0n) b |= 0x80;
    out.push(b);
  } while (x > 0n);
  return out;
}

/** Encodes fields in order: numbers/bools/bigints as varints, strings/bytes/nested lists as length-delimited. */
export function msg(fields: Field[]): Uint8Array {
  const out: number[] = [];
  for (const [field, value, wire] of fields) {
    if (wire === 'fixed64') {
      out.push(...varint(BigInt(field * 8 + 1)));
      const b = Buffer.alloc(8);
      b.writeDoubleLE(Number(value));
      out.push(...b);
    } else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
      out.push(...varint(BigInt(field * 8)), ...varint(BigInt(typeof value === 'boolean' ? Number(value) : value)));
    } else {
      const bytes = typeof value === 'string' ? Buffer.from(value) : value instanceof Uint8Array ? value : msg(value);
      out.push(...varint(BigInt(field * 8 + 2)), ...varint(BigInt(bytes.length)), ...bytes);
    }
  }
  return Uint8Array.from(out);
}

/** A packed repeated varint payload. */
export function packed(values: number[]): Uint8Array {
  return Uint8Array.from(values.flatMap((v) => varint(BigInt(v))));
}

/** The Kubernetes envelope around an object message. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  return Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...msg([[1, [[1, apiVersion], [2, kind]]], [2, raw], [3, ''], [4, '']])]);
}
