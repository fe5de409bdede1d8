// core/v1 ConfigMap and Secret (pkg/apis/core/validation).

import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../field-error.ts';
import { forbidden, invalid, required, tooLong } from '../field-error.ts';
import { semanticEqual } from './equality.ts';
import { isConfigMapKey } from './formats.ts';
import { nameIsDnsSubdomain } from './names.ts';
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { key } from './path.ts';

/** Data of a ConfigMap or Secret is limited to 1 MiB. */
export const MAX_SECRET_SIZE = 1024 * 1024;
const IMMUTABLE_MSG = 'field is immutable when `immutable` is set';

/** The decoded size of base64 data (JSON carries []byte fields as base64). */
function decodedLength(b64: string): number {
  return Buffer.from(b64, 'base64').length;
}

function validateImmutableData(fields: ReadonlyArray<readonly [string, unknown, unknown]>, immutable: boolean | undefined, wasImmutable: boolean | undefined): FieldError[] {
  if (!wasImmutable) return [];
  const errs: FieldError[] = [];
  if (!immutable) errs.push(forbidden('immutable', IMMUTABLE_MSG));
  for (const [path, now, before] of fields) if (!semanticEqual(now, before)) errs.push(forbidden(path, IMMUTABLE_MSG));
  return errs;
}

export function validateConfigMap(cm: ConfigMap, old?: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  if (old) {
    errs.push(...validateObjectMetaUpdate(cm.metadata, old.metadata));
    errs.push(
      ...validateImmutableData(
        [
          ['data', cm.data, old.data],
          ['binaryData', cm.binaryData, old.binaryData],
        ],
        cm.immutable,
        old.immutable,
      ),
    );
  }
  errs.push(...validateObjectMeta(cm.metadata, { namespaced: true, nameFn: nameIsDnsSubdomain }));
  let size = 0;
  for (const [k, v] of Object.entries(cm.data ?? {})) {
    errs.push(...isConfigMapKey(k).map((msg) => invalid(key('data', k), k, msg)));
    if (cm.binaryData && k in cm.binaryData) errs.push(invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(v);
  }
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) {
    errs.push(...isConfigMapKey(k).map((msg) => invalid(key('binaryData', k), k, msg)));
    size += decodedLength(v);
  }
  // Upstream reports the whole object (an empty path) as too long.
  if (size > MAX_SECRET_SIZE) errs.push(tooLong('', '', MAX_SECRET_SIZE));
  return errs;
}

/** Keys that must be present in the data of a Secret of a given type. */
function validateSecretType(secret: Secret): FieldError[] {
  const data = secret.data ?? {};
  const has = (k: string) => k in data;
  const requireKey = (k: string) => (has(k) ? [] : [required(key('data', k))]);
  const requireJson = (k: string): FieldError[] => {
    if (!has(k)) return [required(key('data', k))];
    try {
      JSON.parse(Buffer.from(data[k], 'base64').toString('utf8'));
      return [];
    } catch (e) {
      return [invalid(key('data', k), '<secret contents redacted>', (e as Error).message)];
    }
  };
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      return secret.metadata?.annotations?.['kubernetes.io/service-account.name']
        ? []
        : [required('metadata.annotations[kubernetes.io/service-account.name]')];
    case 'kubernetes.io/dockercfg':
      return requireJson('.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return requireJson('.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      // Either may be empty, but one of the two must be present.
      return has('username') || has('password') ? [] : [required(key('data', 'username')), required(key('data', 'password'))];
    case 'kubernetes.io/ssh-auth':
      return data['ssh-privatekey'] ? [] : [required(key('data', 'ssh-privatekey'))];
    case 'kubernetes.io/tls':
      return [...requireKey('tls.crt'), ...requireKey('tls.key')];
    default:
      return [];
  }
}

export function validateSecret(secret: Secret, old?: Secret): FieldError[] {
  const errs: FieldError[] = [];
  if (old) {
    errs.push(...validateObjectMetaUpdate(secret.metadata, old.metadata));
    errs.push(...validateImmutableField(secret.type, old.type, 'type'));
    errs.push(...validateImmutableData([['data', secret.data, old.data]], secret.immutable, old.immutable));
  }
  errs.push(...validateObjectMeta(secret.metadata, { namespaced: true, nameFn: nameIsDnsSubdomain }));
  let size = 0;
  for (const [k, v] of Object.entries(secret.data ?? {})) {
    errs.push(...isConfigMapKey(k).map((msg) => invalid(key('data', k), k, msg)));
    size += decodedLength(v);
  }
  if (size > MAX_SECRET_SIZE) errs.push(tooLong('data', '', MAX_SECRET_SIZE));
  errs.push(...validateSecretType(secret));
  return errs;
}
