// Kubernetes' protobuf envelope (application/vnd.kubernetes.protobuf):
//
//   6b 38 73 00                 magic "k8s\0"
//   runtime.Unknown {
//     1: TypeMeta { 1: apiVersion, 2: kind }
//     2: raw            the object's own message
//     3: contentEncoding
//     4: contentType
//   }
//
// decodeProtobufObject turns such a request body into the plain JSON object
// the same request would have carried as application/json.

import type { Model } from '../../api/schema/dsl.ts';
import { decodeMessage } from './decode.ts';
import { decodeUtf8, ProtobufDecodeError, Reader, WIRE_BYTES } from './wire.ts';

export { ProtobufDecodeError } from './wire.ts';

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

interface Unknown {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
}

function readUnknown(body: Uint8Array): Unknown {
  const out: Unknown = { apiVersion: '', kind: '', raw: new Uint8Array(), contentEncoding: '' };
  const r = new Reader(body, MAGIC.length);
  while (!r.done) {
    const { field, wire } = r.tag();
    if (wire !== WIRE_BYTES || field > 4) {
      r.skip(wire);
      continue;
    }
    const bytes = r.bytes();
    if (field === 1) {
      const tm = new Reader(bytes);
      while (!tm.done) {
        const t = tm.tag();
        if (t.wire !== WIRE_BYTES) tm.skip(t.wire);
        else if (t.field === 1) out.apiVersion = decodeUtf8(tm.bytes());
        else if (t.field === 2) out.kind = decodeUtf8(tm.bytes());
        else tm.skip(t.wire);
      }
    } else if (field === 2) out.raw = bytes;
    else if (field === 3) out.contentEncoding = decodeUtf8(bytes);
  }
  return out;
}

/**
 * Decodes a Kubernetes protobuf request body. `resolve` names the model of
 * the apiVersion/kind in the envelope; those two are put on the result.
 * Throws ProtobufDecodeError for anything malformed or unknown.
 */
export function decodeProtobufObject(
  body: Uint8Array,
  resolve: (apiVersion: string, kind: string) => Model | undefined,
): Record<string, unknown> {
  if (body.length < MAGIC.length || MAGIC.some((b, i) => body[i] !== b)) {
    throw new ProtobufDecodeError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  const env = readUnknown(body);
  if (env.contentEncoding) throw new ProtobufDecodeError(`unsupported protobuf content encoding "${env.contentEncoding}"`);
  if (!env.kind) throw new ProtobufDecodeError('Object \'Kind\' is missing in the protobuf envelope');
  const model = resolve(env.apiVersion, env.kind);
  if (!model) throw new ProtobufDecodeError(`no kind "${env.kind}" is registered for version "${env.apiVersion}"`);
  return { apiVersion: env.apiVersion, kind: env.kind, ...decodeMessage(model, env.raw) };
}
