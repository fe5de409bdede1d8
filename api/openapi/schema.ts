// Schemas of DSL types and models, in OpenAPI v3 (components) or Swagger 2.0
// (definitions) form, with the Kubernetes extensions clients read:
// x-kubernetes-group-version-kind, -patch-strategy, -patch-merge-key,
// -list-type, -list-map-keys.
//
// References to named schemas follow upstream's shapes: in v3 a property is
// {allOf: [{$ref}], description} and a list item of a struct
// {allOf: [{$ref}], default: {}}; in v2 a property is {$ref, description}.

import type { Model, Prop, Type } from '../schema/dsl.ts';
import { scalarName } from './scalars.ts';

export type Schema = Record<string, unknown>;

export interface Dialect {
  v: 2 | 3;
  /** "#/components/schemas/<name>" or "#/definitions/<name>". */
  ref(name: string): string;
}

export const V3: Dialect = { v: 3, ref: (name) => `#/components/schemas/${name}` };
export const V2: Dialect = { v: 2, ref: (name) => `#/definitions/${name}` };

/** Where a type appears: as a property, a list item or a map value. */
type Use = 'prop' | 'item' | 'value';

function refTo(d: Dialect, name: string, use: Use, struct: boolean): Schema {
  const ref = { $ref: d.ref(name) };
  if (d.v === 2) return ref;
  if (use === 'prop') return { allOf: [ref] };
  return struct ? { allOf: [ref], default: {} } : ref;
}

function arraySchema(d: Dialect, type: Extract<Type, { kind: 'array' }>): Schema {
  const s: Schema = { type: 'array', items: typeSchema(d, type.items, 'item') };
  if (type.listMapKeys) s['x-kubernetes-list-map-keys'] = [...type.listMapKeys];
  if (type.listType) s['x-kubernetes-list-type'] = type.listType;
  if (type.patchMergeKey) s['x-kubernetes-patch-merge-key'] = type.patchMergeKey;
  if (type.patchStrategy) s['x-kubernetes-patch-strategy'] = type.patchStrategy;
  return s;
}

export function typeSchema(d: Dialect, type: Type, use: Use): Schema {
  const scalar = scalarName(type);
  if (scalar) return refTo(d, scalar, use, false);
  switch (type.kind) {
    case 'string': {
      const s: Schema = { type: 'string' };
      if (type.format) s.format = type.format;
      if (type.enum) s.enum = [...type.enum];
      return s;
    }
    case 'integer':
      return { type: 'integer', format: type.format };
    case 'number':
      return { type: 'number', format: 'double' };
    case 'boolean':
      return { type: 'boolean' };
    case 'bytes':
      return { type: 'string', format: 'byte' };
    case 'any':
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    case 'array':
      return arraySchema(d, type);
    case 'map':
      return { type: 'object', additionalProperties: typeSchema(d, type.values, 'value') };
    case 'ref':
      return refTo(d, type.model().name, use, true);
    default:
      throw new Error(`no schema for type ${type.kind}`);
  }
}

function propSchema(d: Dialect, prop: Prop): Schema {
  const s: Schema = { ...typeSchema(d, prop.type, 'prop'), description: prop.description };
  const strategy = prop.patchStrategy ?? (prop.type.kind === 'ref' ? prop.type.model().patchStrategy : undefined);
  if (strategy) s['x-kubernetes-patch-strategy'] = strategy;
  return s;
}

export function modelSchema(d: Dialect, m: Model): Schema {
  const s: Schema = { description: m.description, type: 'object' };
  const entries = Object.entries(m.properties);
  if (entries.length) s.properties = Object.fromEntries(entries.map(([k, prop]) => [k, propSchema(d, prop)]));
  const required = entries.filter(([, prop]) => prop.required).map(([k]) => k);
  if (required.length) s.required = required;
  if (m.gvk?.length) s['x-kubernetes-group-version-kind'] = m.gvk.map((g) => ({ group: g.group, kind: g.kind, version: g.version }));
  return s;
}
