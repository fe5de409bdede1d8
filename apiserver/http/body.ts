// Request bodies: read with a size cap (413 beyond 3 MiB, as Kubernetes),
// then decoded from JSON, YAML or Kubernetes protobuf.

import type { IncomingMessage } from 'node:http';
import { errors } from '../errors.ts';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(errors.tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(errors.tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => failed || resolve(Buffer.concat(chunks)));
    req.on('error', (e) => failed || reject(e));
  });
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

// The YAML parser is loaded on first use: kubectl and the client libraries
// send JSON, and an idle server should not carry it (nor node:module, which
// brings parts of the ES module loader).
const require = (id: string): unknown => process.getBuiltinModule('node:module').createRequire(import.meta.url)(id);
let yamlParse: typeof import('yaml').parse | undefined;

/** Parses JSON or YAML text into a value, mapping syntax errors to 400 BadRequest. */
export function parseText(body: Buffer, type: string): unknown {
  const text = body.toString('utf8');
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') {
    try {
      yamlParse ??= (require('yaml') as typeof import('yaml')).parse;
      return yamlParse(text, { maxAliasCount: 100 });
    } catch (e) {
      throw errors.badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw errors.badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}
