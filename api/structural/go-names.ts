// How Go's encoding/json (as forked in sigs.k8s.io/json, which kube-apiserver
// decodes request bodies with) names things in its type errors:
//
//   json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.name of type string
//
// "Container" is the innermost struct holding the field, the dotted part is
// every struct field name from the root (no list indices, no map keys), and
// the type is Go's reflect.Type string (v1.PodSpec, []v1.Container,
// map[string]string, int32, []uint8 ...).

import type { Model, Type } from '../schema/dsl.ts';

/** "io.k8s.api.core.v1.Container" -> "Container" */
export function goStructName(model: Model): string {
  return model.name.slice(model.name.lastIndexOf('.') + 1);
}

/** "io.k8s.api.core.v1.Container" -> "v1.Container" */
function goQualified(name: string): string {
  const parts = name.split('.');
  return parts.length >= 2 ? `${parts[parts.length - 2]}.${parts[parts.length - 1]}` : name;
}

export function goTypeName(type: Type): string {
  switch (type.kind) {
    case 'string':
      return type.format === 'byte' ? '[]uint8' : 'string';
    case 'integer':
      return type.format;
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return `[]${goTypeName(type.items)}`;
    case 'map':
      return `map[string]${goTypeName(type.values)}`;
    case 'ref':
      return goQualified(type.model().name);
    case 'quantity':
      return 'resource.Quantity';
    case 'int-or-string':
      return 'intstr.IntOrString';
    case 'time':
      return type.micro ? 'v1.MicroTime' : 'v1.Time';
    case 'bytes':
      return '[]uint8';
    case 'any':
      return 'runtime.RawExtension';
  }
}

/** The JSON kind word Go puts in "cannot unmarshal <kind>" (for a non-null value). */
export function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}

/** Where a decode error happened, as Go's errorContext tracks it. */
export interface GoContext {
  /** Innermost struct whose field is being decoded ("" at the root). */
  struct: string;
  /** JSON names of the struct fields from the root. */
  fields: readonly string[];
}

export function unmarshalTypeError(what: string, goType: string, ctx: GoContext): string {
  if (ctx.struct || ctx.fields.length > 0) {
    return `json: cannot unmarshal ${what} into Go struct field ${ctx.struct}.${ctx.fields.join('.')} of type ${goType}`;
  }
  return `json: cannot unmarshal ${what} into Go value of type ${goType}`;
}
