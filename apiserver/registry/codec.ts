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

/** The stored JSON text with its resourceVersion, without parsing it. */
export function rawWithResourceVersion(kv: KeyValue): string {
  const v = kv.value;
  if (!v.startsWith(PREFIX)) return JSON.stringify(decode(kv)); // written before metadata came first
  const rv = `"resourceVersion":"${kv.modRevision}"`;
  return v[PREFIX.length] === '}' ? `${PREFIX}${rv}${v.slice(PREFIX.length)}` : `${PREFIX}${rv},${v.slice(PREFIX.length)}`;
}
