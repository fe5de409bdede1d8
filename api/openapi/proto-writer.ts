// A minimal proto3 encoder: fields are written only when set (proto3 omits
// defaults), nested messages are built by callbacks.

export class ProtoWriter {
  private readonly out: number[] = [];

  private varint(v: number): void {
    let x = v;
    while (x > 0x7f) {
      this.out.push((x & 0x7f) | 0x80);
      x = Math.floor(x / 128);
    }
    this.out.push(x);
  }

  private bytes(field: number, b: Uint8Array | number[]): void {
    this.varint(field * 8 + 2);
    this.varint(b.length);
    for (const x of b) this.out.push(x);
  }

  string(field: number, s: string | undefined): this {
    if (s) this.bytes(field, Buffer.from(s, 'utf8'));
    return this;
  }

  strings(field: number, list: readonly string[] | undefined): this {
    for (const s of list ?? []) this.bytes(field, Buffer.from(s, 'utf8'));
    return this;
  }

  bool(field: number, b: boolean | undefined): this {
    if (b) {
      this.varint(field * 8);
      this.varint(1);
    }
    return this;
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const w = new ProtoWriter();
    build(w);
    this.bytes(field, w.out);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}
