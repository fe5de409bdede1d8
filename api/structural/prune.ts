// A copy of a parsed JSON body without the fields its model does not know:
// what Kubernetes stores for a built-in kind under fieldValidation=Ignore or
// Warn (its decoder drops unknown fields). Values of the wrong type are left
// as they are (checkStructure reports them).

import type { Model, Type } from '../schema/dsl.ts';
import { hasProp, isPlainObject } from './check.ts';

const copy = (v: unknown): unknown => (typeof v === 'object' && v !== null ? structuredClone(v) : v);

function pruneValue(type: Type, value: unknown): unknown {
  switch (type.kind) {
    case 'ref':
      return isPlainObject(value) ? pruneModel(type.model(), value) : copy(value);
    case 'array':
      return Array.isArray(value) ? value.map((v) => pruneValue(type.items, v)) : copy(value);
    case 'map':
      if (!isPlainObject(value)) return copy(value);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pruneValue(type.values, v)]));
    default:
      return copy(value);
  }
}

function pruneModel(model: Model, obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    const prop = hasProp(model, key) ? model.properties[key] : undefined;
    if (prop) out[key] = pruneValue(prop.type, value);
  }
  return out;
}

export function pruneUnknown<T = unknown>(model: Model, obj: T): T {
  return pruneValue({ kind: 'ref', model: () => model }, obj) as T;
}
