// Turns a request body into an object of the addressed kind: decoding
// (JSON, YAML, protobuf), the apiVersion/kind check, and structural checks
// under the request's fieldValidation (Strict rejects unknown fields, Warn
// reports them in Warning headers, Ignore drops them silently).

import { findByKind, groupVersion, RESOURCES, type ResourceInfo } from '../../api/kinds.ts';
import type { Model } from '../../api/schema/dsl.ts';
import { checkStructure, normalize, pruneUnknown } from '../../api/structural/index.ts';
import { errors } from '../errors.ts';
import { mediaType, parseText, PROTOBUF } from '../http/body.ts';
import { decodeProtobufObject } from '../protobuf/index.ts';
import { isObject, type KObject } from '../registry/object.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidationOf(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw errors.badRequest(`fieldValidation parameter unsupported: ${v}`);
}

export const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', PROTOBUF];

function resolveModel(apiVersion: string, kind: string): Model | undefined {
  return findByKind(apiVersion, kind)?.model ?? RESOURCES.find((r) => r.model.gvk?.some((g) => groupVersion(g) === apiVersion && g.kind === kind))?.model;
}

/** Decodes the body into a plain value (object expected) by its content type. */
export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  return decodeBodyWithText(body, contentType).value;
}

/** Like decodeBody, also returning the JSON text (for duplicate-field checks) when the body was JSON. */
export function decodeBodyWithText(body: Buffer, contentType: string | undefined): { value: unknown; json?: string } {
  const type = mediaType(contentType) || 'application/json';
  if (type === PROTOBUF) {
    try {
      return { value: decodeProtobufObject(body, resolveModel) };
    } catch (e) {
      throw errors.badRequest(`failed to decode protobuf body: ${(e as Error).message}`);
    }
  }
  if (type !== 'application/json' && type !== 'application/yaml') throw errors.unsupportedMediaType(type, OBJECT_MEDIA_TYPES);
  const value = parseText(body, type);
  return type === 'application/json' ? { value, json: body.toString('utf8') } : { value };
}

/**
 * Checks that value is an object of the expected kind and structurally valid
 * under fieldValidation. Returns the object (unknown fields dropped unless
 * Strict, which rejects them) and the warnings to send.
 */
export function checkObject(
  value: unknown,
  expected: { group: string; version: string; kind: string; model: Model },
  validation: FieldValidation,
  rawJson?: string,
): { object: KObject; warnings: string[] } {
  if (!isObject(value)) throw errors.badRequest(`the body of the request is not a ${expected.kind} object`);
  const gv = groupVersion(expected);
  // Like Kubernetes' decoder, the endpoint supplies a missing apiVersion or kind (typed clients omit them).
  if (value.kind === undefined || value.kind === '') value.kind = expected.kind;
  if (value.apiVersion === undefined || value.apiVersion === '') value.apiVersion = gv;
  if (value.apiVersion !== gv) {
    throw errors.badRequest(`the API version in the data (${String(value.apiVersion)}) does not match the expected API version (${gv})`);
  }
  if (value.kind !== expected.kind) throw errors.badRequest(`the kind in the data (${String(value.kind)}) does not match the expected kind (${expected.kind})`);
  const result = checkStructure(expected.model, value, validation === 'Ignore' ? {} : { rawJson });
  if (result.typeErrors.length) {
    // Like Kubernetes' decoder, report the first type error.
    throw errors.badRequest(`${expected.kind} in version "${expected.version}" cannot be handled as a ${expected.kind}: ${result.typeErrors[0]!.detail}`);
  }
  const problems = [...result.unknownFields.map((f) => `unknown field "${f}"`), ...(result.duplicateFields ?? []).map((f) => `duplicate field "${f}"`)];
  if (problems.length && validation === 'Strict') throw errors.badRequest(`strict decoding error: ${problems.join(', ')}`);
  const object = normalize(expected.model, result.unknownFields.length ? pruneUnknown(expected.model, value) : value) as KObject;
  if (!isObject(object.metadata)) object.metadata = {};
  return { object, warnings: validation === 'Warn' ? problems : [] };
}

export function expectedOf(info: ResourceInfo) {
  return { group: info.group, version: info.version, kind: info.kind, model: info.model };
}
