// Duplicate keys in raw JSON text. JSON.parse keeps the last of two equal
// keys silently; Kubernetes' strict decoder reports each repeat as
// `duplicate field "<path>"`, in struct fields and map keys alike, but not
// inside fields it does not decode (unknown fields, RawExtension).

import type { Model, Type } from '../schema/dsl.ts';
import { parsePrefix, strictPath, type Segment } from './path.ts';

class Scanner {
  pos = 0;
  readonly found: string[] = [];

  constructor(readonly text: string) {}

  ws(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos] as string)) this.pos++;
  }

  peek(): string {
    this.ws();
    return this.text[this.pos] ?? '';
  }

  string(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') this.pos += this.text[this.pos] === '\\' ? 2 : 1;
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  /** Skips a scalar literal (number, true, false, null). */
  literal(): void {
    while (this.pos < this.text.length && !',]} \t\r\n'.includes(this.text[this.pos] as string)) this.pos++;
  }

  /** Reads one value; `type` is what the model says it is (undefined: not decoded). */
  value(type: Type | undefined, segs: Segment[]): void {
    const c = this.peek();
    if (c === '{') this.object(type, segs);
    else if (c === '[') this.array(type, segs);
    else if (c === '"') this.string();
    else this.literal();
  }

  object(type: Type | undefined, segs: Segment[]): void {
    const model = type?.kind === 'ref' ? type.model() : undefined;
    const values = type?.kind === 'map' ? type.values : undefined;
    const tracked = model !== undefined || values !== undefined;
    const seen = new Set<string>();
    this.pos++;
    while (this.peek() !== '}' && this.pos < this.text.length) {
      const key = this.string();
      this.peek();
      this.pos++; // ':'
      let next: Type | undefined;
      let seg: Segment = { key };
      if (model) {
        next = Object.hasOwn(model.properties, key) ? model.properties[key]?.type : undefined;
        seg = { field: key };
      } else next = values;
      if (tracked && (model === undefined || next !== undefined)) {
        if (seen.has(key)) {
          segs.push(seg);
          this.found.push(strictPath(segs));
          segs.pop();
        }
        seen.add(key);
      }
      segs.push(seg);
      this.value(tracked ? next : undefined, segs);
      segs.pop();
      if (this.peek() === ',') this.pos++;
    }
    this.pos++;
  }

  array(type: Type | undefined, segs: Segment[]): void {
    const items = type?.kind === 'array' ? type.items : undefined;
    this.pos++;
    for (let i = 0; this.peek() !== ']' && this.pos < this.text.length; i++) {
      segs.push({ index: i });
      this.value(items, segs);
      segs.pop();
      if (this.peek() === ',') this.pos++;
    }
    this.pos++;
  }
}

/** Strict-decoding paths of repeated keys in `json` (text that JSON.parse accepts). */
export function duplicateFields(model: Model, json: string, pathPrefix?: string): string[] {
  const s = new Scanner(json);
  s.value({ kind: 'ref', model: () => model }, parsePrefix(pathPrefix));
  return [...new Set(s.found)];
}
