// A body as Kubernetes' decode-then-encode round trip leaves it, run after
// the structural check so that everything downstream sees it that way:
//   - a null field is unset, and a null list item or map value becomes the
//     zero value of its type ({} for a struct, "" for a string, 0, false);
//   - quantities take their canonical form ("0.5" is stored as "500m",
//     "1.5Gi" as "1536Mi"), as resource.Quantity serialises itself.

import type { Model, Type } from '../schema/dsl.ts';
import { formatQuantity, parseQuantityWithFormat } from '../validation/quantity.ts';
import { hasProp, isPlainObject } from './check.ts';

function zeroOf(type: Type): unknown {
  switch (type.kind) {
    case 'string':
    case 'bytes':
    case 'time':
    case 'int-or-string':
    case 'quantity':
      return type.kind === 'int-or-string' ? 0 : type.kind === 'quantity' ? '0' : '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'ref':
    case 'map':
      return {};
    case 'array':
      return [];
    case 'any':
      return null;
  }
}

function canonicalQuantity(value: unknown): unknown {
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  const q = parseQuantityWithFormat(typeof value === 'string' ? value.trim() : value);
  return q ? formatQuantity(q.value, q.format) : value;
}

function normalizeValue(type: Type, value: unknown): unknown {
  switch (type.kind) {
    case 'quantity':
      return canonicalQuantity(value);
    case 'ref':
      return isPlainObject(value) ? normalizeModel(type.model(), value) : value;
    case 'array':
      return Array.isArray(value) ? value.map((v) => (v === null ? zeroOf(type.items) : normalizeValue(type.items, v))) : value;
    case 'map':
      if (!isPlainObject(value)) return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null ? zeroOf(type.values) : normalizeValue(type.values, v)]));
    default:
      return value;
  }
}

function normalizeModel(model: Model, obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value === null) continue;
    const prop = hasProp(model, key) ? model.properties[key] : undefined;
    out[key] = prop ? normalizeValue(prop.type, value) : value;
  }
  return out;
}

/** A copy of obj as Kubernetes would store it (see above). */
export function normalize<T = unknown>(model: Model, obj: T): T {
  return normalizeValue({ kind: 'ref', model: () => model }, obj) as T;
}
