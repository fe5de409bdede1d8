// The query parameters of a write that concern field management, checked as
// Kubernetes checks CreateOptions, UpdateOptions and PatchOptions:
// fieldManager (at most 128 printable characters; required for apply; by
// default the User-Agent's product name, e.g. "kubectl") and force (apply
// only).

import type { FieldError } from '../../api/field-error.ts';
import { errors } from '../errors.ts';

export const FIELD_MANAGER_MAX_LENGTH = 128;

export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

export interface ManagerOptions {
  /** The manager the write is recorded under. */
  manager: string;
  /** force=true on an apply patch. */
  force: boolean;
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** The User-Agent up to its first "/", without unprintable characters, cut to 128 bytes (upstream's prefixFromUserAgent). */
export function managerFromUserAgent(userAgent: string | undefined): string {
  let out = '';
  for (const ch of (userAgent ?? '').split('/')[0]!) {
    if (!PRINTABLE.test(ch)) continue;
    if (Buffer.byteLength(out + ch) > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
  }
  return out;
}

function fieldManagerErrors(fieldManager: string): FieldError[] {
  const errs: FieldError[] = [];
  if (Buffer.byteLength(fieldManager) > FIELD_MANAGER_MAX_LENGTH) {
    errs.push({ type: 'FieldValueTooLong', field: 'fieldManager', value: fieldManager, detail: `may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes` });
  }
  let offset = 0;
  for (const ch of fieldManager) {
    if (!PRINTABLE.test(ch)) {
      const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errs.push({ type: 'FieldValueInvalid', field: 'fieldManager', value: fieldManager, detail: `invalid character U+${code} (at position ${offset})` });
    }
    offset += Buffer.byteLength(ch);
  }
  return errs;
}

/** Go's strconv.ParseBool, as query parameters are decoded. */
function parseBool(name: string, v: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw errors.badRequest(`invalid value for ${name}: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

/**
 * The manager and force of a write. Throws 422 Invalid
 * (`PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch`)
 * or 400 for a force that is not a boolean.
 */
export function managerOptions(query: URLSearchParams, userAgent: string | undefined, kind: OptionsKind, apply = false): ManagerOptions {
  const fieldManager = query.get('fieldManager') ?? '';
  const forceParam = query.get('force');
  const force = forceParam === null ? undefined : parseBool('force', forceParam);
  const errs: FieldError[] = [];
  if (kind === 'PatchOptions' && !apply && force !== undefined) errs.push({ type: 'FieldValueForbidden', field: 'force', detail: 'may not be specified for non-apply patch' });
  if (apply && fieldManager === '') errs.push({ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' });
  errs.push(...fieldManagerErrors(fieldManager));
  if (errs.length) throw errors.invalid('meta.k8s.io', kind, '', errs);
  return { manager: fieldManager || managerFromUserAgent(userAgent), force: force ?? false };
}
