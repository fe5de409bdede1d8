// PATCH bodies: picks the format by Content-Type, parses the body and applies
// it. Server-side apply (application/apply-patch+yaml) is a supported type
// but is not a patch format here: the caller handles it (see isApplyPatch).

import type { Model } from '../../api/schema/dsl.ts';
import { applyJsonPatch } from './json-patch.ts';
import { isObject, jsonKind } from './json-value.ts';
import type { JsonObject } from './json-value.ts';
import { applyMergePatch } from './merge-patch.ts';
import { PatchError } from './patch-error.ts';
import { strategicMergePatch } from './strategic-merge.ts';

export { PatchError } from './patch-error.ts';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

/** The patch types of a built-in resource, in the order Kubernetes lists them (endpoints/installer.go). */
export const SUPPORTED_PATCH_TYPES: readonly string[] = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH];

/** The media type of a Content-Type header value: parameters such as charset dropped, lower case. */
export function patchMediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/** Server-side apply, which the caller handles instead of applyPatch. */
export function isApplyPatch(contentType: string): boolean {
  return patchMediaType(contentType) === APPLY_PATCH;
}

/**
 * Parses `patchBody` and applies it to `original` by the rules of its
 * Content-Type; `model` describes the object for strategic merge patch.
 * Returns the patched object; `original` is not modified.
 * Throws PatchError: 415 for a type that is not a patch format, 400 for a
 * body that does not parse or has the wrong shape, 413 or 422 when the patch
 * cannot be applied.
 */
export function applyPatch(contentType: string, original: object, patchBody: Buffer | string, model?: Model): JsonObject {
  const type = patchMediaType(contentType);
  if (type === APPLY_PATCH) throw new Error('applyPatch: server-side apply (application/apply-patch+yaml) is handled by the caller');
  if (!SUPPORTED_PATCH_TYPES.includes(type)) throw PatchError.unsupportedMediaType(SUPPORTED_PATCH_TYPES);
  const body = parseBody(patchBody);
  if (type === STRATEGIC_MERGE_PATCH) return strategicMergePatch(original, body, model);
  const patched = type === JSON_PATCH ? applyJsonPatch(original, body) : applyMergePatch(original, mergePatchObject(body));
  if (!isObject(patched)) throw PatchError.invalid(`the patched object is a JSON ${jsonKind(patched)}, not an object`);
  return patched;
}

function parseBody(body: Buffer | string): unknown {
  try {
    return JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (e) {
    throw PatchError.badRequest(`error decoding patch: ${(e as Error).message}`);
  }
}

/** A merge patch for an object must be an object; Kubernetes refuses anything else while decoding it. */
function mergePatchObject(body: unknown): JsonObject {
  if (body === null) throw PatchError.badRequest('Invalid JSON Patch');
  if (!isObject(body)) throw PatchError.badRequest(`error decoding patch: json: cannot unmarshal ${jsonKind(body)} into Go value of type map[string]interface {}`);
  return body;
}
