// Decodes one protobuf message by walking a DSL model (each Prop's `proto`
// field number), into the object Kubernetes' JSON encoding would carry.
//
// Go's generated marshallers always write non-pointer scalars, so zero values
// arrive on the wire that JSON (omitempty) would leave out. On singular
// fields they are dropped here: empty strings, empty lists and maps, and
// zero numbers / false bools where the Prop says `omitZero`. Unknown field
// numbers are skipped. A non-repeated message field that occurs twice is
// merged, as protobuf specifies (its chunks are decoded as one).
//
// Go structs embedded inline (core/v1 VolumeSource, ProbeHandler,
// LocalObjectReference...) are flat in JSON and in the models but one nested
// message on the wire; each model lists them (Model.protoEmbedded),
// and their fields are decoded from that message into the outer object.

import { protoEmbeddings, type Model, type Prop, type Type } from '../../api/schema/dsl.ts';
import { decodeUtf8, ProtobufDecodeError, Reader, WIRE_BYTES, WIRE_FIXED64, WIRE_VARINT } from './wire.ts';
import { rfc3339 } from '../../api/time.ts';

type Json = unknown;

const MESSAGE_KINDS = new Set<Type['kind']>(['ref', 'quantity', 'int-or-string', 'time', 'any']);

const isBytes = (type: Type) => type.kind === 'bytes' || (type.kind === 'string' && type.format === 'byte');

function wireOf(type: Type): number {
  if (MESSAGE_KINDS.has(type.kind) || type.kind === 'string' || type.kind === 'bytes') return WIRE_BYTES;
  if (type.kind === 'number') return WIRE_FIXED64;
  return WIRE_VARINT;
}

/** How a model's fields sit on the wire: direct fields, and embedded structs by field number. */
interface Layout {
  fields: Map<number, [string, Prop]>;
  embedded: Map<number, Model>;
}

const layouts = new WeakMap<Model, Layout>();

function layoutOf(model: Model): Layout {
  let layout = layouts.get(model);
  if (layout) return layout;
  layout = { fields: new Map(), embedded: new Map() };
  const inside = new Set<string>();
  for (const e of protoEmbeddings(model)) {
    const properties = Object.fromEntries(Object.entries(model.properties).filter(([name]) => e.properties.includes(name)));
    layout.embedded.set(e.field, { name: `${model.name}.${e.name}`, description: '', properties });
    for (const name of e.properties) inside.add(name);
  }
  for (const [name, prop] of Object.entries(model.properties)) {
    if (prop.proto !== undefined && !inside.has(name)) layout.fields.set(prop.proto, [name, prop]);
  }
  layouts.set(model, layout);
  return layout;
}

function expectWire(actual: number, type: Type, path: string): void {
  const expected = wireOf(type);
  if (actual !== expected) throw new ProtobufDecodeError(`field ${path}: wire type ${actual}, expected ${expected}`);
}

/** A scalar (varint, fixed64 or string/bytes payload) of `type`. */
function readScalar(type: Type, r: Reader): Json {
  if (isBytes(type)) return Buffer.from(r.bytes()).toString('base64');
  switch (type.kind) {
    case 'string':
      return decodeUtf8(r.bytes());
    case 'integer':
      return type.format === 'int32' ? r.int32() : r.int64();
    case 'number':
      return r.double();
    case 'boolean':
      return r.bool();
    default:
      throw new ProtobufDecodeError(`type ${type.kind} is not a scalar`);
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  return Buffer.concat(chunks);
}

/** Fields of a small fixed message (Quantity, IntOrString, Time, RawExtension). */
function readFields(bytes: Uint8Array): Map<number, bigint | Uint8Array> {
  const out = new Map<number, bigint | Uint8Array>();
  const r = new Reader(bytes);
  while (!r.done) {
    const { field, wire } = r.tag();
    if (wire === WIRE_VARINT) out.set(field, r.varint());
    else if (wire === WIRE_BYTES) out.set(field, r.bytes());
    else r.skip(wire);
  }
  return out;
}

const bigintOf = (v: bigint | Uint8Array | undefined): bigint => (typeof v === 'bigint' ? v : 0n);
const bytesOf = (v: bigint | Uint8Array | undefined): Uint8Array => (v instanceof Uint8Array ? v : new Uint8Array());

function formatTime(seconds: bigint, nanos: number, micro: boolean): string {
  const ms = Number(seconds) * 1000;
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) throw new ProtobufDecodeError(`time out of range: ${seconds}s`);
  const base = rfc3339(date).slice(0, 19);
  if (!micro) return `${base}Z`;
  return `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** A message-encoded value; undefined when it means "unset". */
function readMessage(type: Type, bytes: Uint8Array, path: string): Json {
  switch (type.kind) {
    case 'ref':
      return decodeMessage(type.model(), bytes, path);
    case 'quantity': {
      const s = readFields(bytes).get(1);
      return s instanceof Uint8Array ? decodeUtf8(s) : '0';
    }
    case 'int-or-string': {
      const f = readFields(bytes);
      if (bigintOf(f.get(1)) === 1n) return decodeUtf8(bytesOf(f.get(3)));
      return Number(BigInt.asIntN(32, bigintOf(f.get(2))));
    }
    case 'time': {
      // An empty message is the zero time (unset). metav1.Time keeps whole seconds only.
      if (bytes.length === 0) return undefined;
      const f = readFields(bytes);
      const nanos = Number(BigInt.asIntN(32, bigintOf(f.get(2))));
      return formatTime(BigInt.asIntN(64, bigintOf(f.get(1))), nanos, type.micro === true);
    }
    case 'any': {
      const raw = bytesOf(readFields(bytes).get(1));
      if (raw.length === 0) return undefined;
      try {
        return JSON.parse(decodeUtf8(raw)) as Json;
      } catch {
        throw new ProtobufDecodeError(`field ${path}: raw extension is not JSON`);
      }
    }
    default:
      throw new ProtobufDecodeError(`type ${type.kind} is not a message`);
  }
}

/** One value of `type` at the reader's position (a list item or map value). */
function readValue(type: Type, wire: number, r: Reader, path: string): Json {
  expectWire(wire, type, path);
  return MESSAGE_KINDS.has(type.kind) ? readMessage(type, r.bytes(), path) : readScalar(type, r);
}

/** Zero value of a map value whose entry omitted field 2. */
function zeroOf(type: Type, path: string): Json {
  if (isBytes(type) || type.kind === 'string') return '';
  if (MESSAGE_KINDS.has(type.kind)) return readMessage(type, new Uint8Array(), path) ?? null;
  if (type.kind === 'boolean') return false;
  return 0;
}

function readMapEntry(values: Type, bytes: Uint8Array, path: string): [string, Json] {
  const r = new Reader(bytes);
  let key = '';
  let value: Json;
  let seen = false;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE_BYTES) key = decodeUtf8(r.bytes());
    else if (field === 2) {
      value = readValue(values, wire, r, `${path}[${key}]`);
      seen = true;
    } else r.skip(wire);
  }
  return [key, seen ? value : zeroOf(values, `${path}[${key}]`)];
}

type Slot = { list: Json[] } | { map: Record<string, Json> } | { chunks: Uint8Array[] } | { scalar: Json };

function readField(prop: Prop, wire: number, r: Reader, slot: Slot | undefined, path: string): Slot {
  const type = prop.type;
  if (type.kind === 'array') {
    const list = slot && 'list' in slot ? slot.list : [];
    const items = type.items;
    if (items.kind === 'array' || items.kind === 'map') throw new ProtobufDecodeError(`field ${path}: nested lists are not supported`);
    if (wire === WIRE_BYTES && wireOf(items) !== WIRE_BYTES) {
      // Packed repeated scalars.
      const packed = r.bytes();
      const pr = new Reader(packed);
      while (!pr.done) list.push(readScalar(items, pr));
    } else list.push(readValue(items, wire, r, `${path}[${list.length}]`));
    return { list };
  }
  if (type.kind === 'map') {
    const map = slot && 'map' in slot ? slot.map : {};
    if (wire !== WIRE_BYTES) throw new ProtobufDecodeError(`field ${path}: wire type ${wire}, expected ${WIRE_BYTES}`);
    const [k, v] = readMapEntry(type.values, r.bytes(), path);
    map[k] = v;
    return { map };
  }
  expectWire(wire, type, path);
  if (MESSAGE_KINDS.has(type.kind)) {
    const chunks = slot && 'chunks' in slot ? slot.chunks : [];
    chunks.push(r.bytes());
    return { chunks };
  }
  return { scalar: readScalar(type, r) };
}

/** The JSON value of a finished slot, or undefined when JSON would omit it. */
function finish(prop: Prop, slot: Slot, path: string): Json {
  if ('list' in slot) return slot.list.length > 0 ? slot.list : undefined;
  if ('map' in slot) return Object.keys(slot.map).length > 0 ? slot.map : undefined;
  if ('chunks' in slot) return readMessage(prop.type, concat(slot.chunks), path);
  const v = slot.scalar;
  if (v === '') return undefined;
  if (prop.omitZero && (v === 0 || v === false)) return undefined;
  return v;
}

/** Decodes `bytes` as the message `model` describes. `path` names it in errors. */
export function decodeMessage(model: Model, bytes: Uint8Array, path = ''): Record<string, Json> {
  const layout = layoutOf(model);
  const slots = new Map<string, Slot>();
  const embedded = new Map<Model, Uint8Array[]>();
  const r = new Reader(bytes);
  while (!r.done) {
    const { field, wire } = r.tag();
    const entry = layout.fields.get(field);
    const inner = layout.embedded.get(field);
    if (entry) {
      const [name, prop] = entry;
      slots.set(name, readField(prop, wire, r, slots.get(name), path ? `${path}.${name}` : name));
    } else if (inner && wire === WIRE_BYTES) {
      embedded.set(inner, [...(embedded.get(inner) ?? []), r.bytes()]);
    } else r.skip(wire);
  }
  const flat: Record<string, Json> = {};
  for (const [inner, chunks] of embedded) Object.assign(flat, decodeMessage(inner, concat(chunks), path));
  const out: Record<string, Json> = {};
  for (const [name, prop] of Object.entries(model.properties)) {
    const slot = slots.get(name);
    const value = slot ? finish(prop, slot, path ? `${path}.${name}` : name) : flat[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
