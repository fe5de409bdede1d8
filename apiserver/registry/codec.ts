// How objects sit in the store: JSON without metadata.resourceVersion (the
// store's modRevision is the resourceVersion), with metadata written first so
// that a list can be served by splicing the stored text (rawWithResourceVersion)
// instead of parsing and re-serialising every object.

import type { KeyValue } from '../../store/types.ts';
import type { KObject } from './object.ts';

const PREFIX = '{"metadata":{';

export function encode(obj: KObject): string {
  const { metadata: withRv, ...rest } = obj;
  const { resourceVersion: _rv, ...metadata } = withRv;
  return JSON.stringify({ metadata, ...rest });
}

export function decode(kv: KeyValue): KObject {
  const obj = JSON.parse(kv.value) as KObject;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/**
 * decode(kv) for a kv just written with encode(obj): the same object, made
 * by copying obj as JSON would (several times faster than parsing the text
 * again). Falls back to parsing for values JSON would transform in ways the
 * copy does not follow (toJSON, class instances, bigint).
 */
export function decodeWritten(obj: KObject, kv: KeyValue): KObject {
  const { metadata: withRv, ...rest } = obj;
  const { resourceVersion: _rv, ...metadata } = withRv;
  let out: KObject;
  try {
    out = jsonCopy({ metadata, ...rest }) as KObject;
  } catch (e) {
    if (e !== NOT_PLAIN) throw e;
    return decode(kv);
  }
  out.metadata.resourceVersion = String(kv.modRevision);
  return out;
}

const NOT_PLAIN = new Error('not plain JSON data');

/** JSON.parse(JSON.stringify(v)) for plain data; throws NOT_PLAIN for anything else. */
function jsonCopy(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v + 0 : null; // -0 is written as 0
    case 'object': {
      if (v === null) return null;
      if (Array.isArray(v)) {
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          out[i] = x === undefined || typeof x === 'function' || typeof x === 'symbol' ? null : jsonCopy(x);
        }
        return out;
      }
      const proto = Object.getPrototypeOf(v);
      if ((proto !== Object.prototype && proto !== null) || 'toJSON' in v) throw NOT_PLAIN;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
        if (k === '__proto__') throw NOT_PLAIN; // an assignment would set the prototype
        out[k] = jsonCopy(x);
      }
      return out;
    }
    default:
      throw NOT_PLAIN;
  }
}

/** The stored JSON text with its resourceVersion, without parsing it. */
export function rawWithResourceVersion(kv: KeyValue): string {
  const v = kv.value;
  if (!v.startsWith(PREFIX)) return JSON.stringify(decode(kv)); // written before metadata came first
  const rv = `"resourceVersion":"${kv.modRevision}"`;
  return v[PREFIX.length] === '}' ? `${PREFIX}${rv}${v.slice(PREFIX.length)}` : `${PREFIX}${rv},${v.slice(PREFIX.length)}`;
}
