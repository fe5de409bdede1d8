// Structural check of a parsed JSON request body against a model: the work
// Go's JSON decoder does for kube-apiserver before any validation runs.
//
// What it reports, and how:
//   - typeErrors: a value of the wrong JSON type (or a malformed quantity,
//     timestamp or base64 string). `field` is the field.Path of the value,
//     `value` the value, and `detail` the exact message Kubernetes' decoder
//     produces, e.g.
//       json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.name of type string
//     Kubernetes answers such a body with 400 BadRequest, message
//       `<Kind> in version "<version>" cannot be handled as a <Kind>: <detail>`
//     using only the first error; typeErrors[0] is the one Kubernetes would
//     report (errors of quantity, int-or-string and time fields abort Go's
//     decoding at once, so they come first).
//   - unknownFields: the strict-decoding path of each field the model does
//     not have, e.g. spec.template.spec.containers[0].imagex (map keys as
//     `.key`). Kubernetes reports them, under fieldValidation=Strict, as
//     `strict decoding error: unknown field "<path>", unknown field "<path>"`
//     (400), and under Warn as one warning each: `unknown field "<path>"`.
//   - duplicateFields, when the raw JSON text is given: `duplicate field "<path>"`.
//
// `null` is accepted everywhere (it means unset), including as a list item,
// which Go decodes as the item's zero value.

import type { Model, Type } from '../schema/dsl.ts';
import { typeInvalid, type FieldError } from '../field-error.ts';
import { fieldPath, parsePrefix, strictPath, type Segment } from './path.ts';
import { goStructName, goTypeName, jsonKind, unmarshalTypeError, type GoContext } from './go-names.ts';
import { rfc3339Error } from './go-time.ts';
import { base64Error } from './go-base64.ts';
import { quantityError } from './quantity.ts';
import { duplicateFields } from './duplicates.ts';

export interface StructureResult {
  typeErrors: FieldError[];
  unknownFields: string[];
  duplicateFields?: string[];
}

export interface CheckOptions {
  /** Path of `obj` inside a larger object, e.g. "spec" (paths in the result start with it). */
  pathPrefix?: string;
  /** The raw JSON text `obj` was parsed from; enables duplicate-field detection. */
  rawJson?: string;
}

const INT_RANGE = {
  int32: [-2147483648, 2147483647],
  int64: [-9223372036854775808, 9223372036854775807],
} as const;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function hasProp(model: Model, key: string): boolean {
  return Object.hasOwn(model.properties, key);
}

class Checker {
  /** Errors that abort Go's decoding (custom unmarshalers): reported first. */
  readonly fatal: FieldError[] = [];
  readonly saved: FieldError[] = [];
  readonly unknown: string[] = [];

  typeError(fatal: boolean, segs: readonly Segment[], value: unknown, detail: string): void {
    (fatal ? this.fatal : this.saved).push(typeInvalid(fieldPath(segs), value, detail));
  }

  model(model: Model, obj: Record<string, unknown>, segs: Segment[], ctx: GoContext): void {
    const struct = goStructName(model);
    for (const [key, value] of Object.entries(obj)) {
      const prop = hasProp(model, key) ? model.properties[key] : undefined;
      segs.push({ field: key });
      if (prop) this.value(prop.type, value, segs, { struct, fields: [...ctx.fields, key] });
      else this.unknown.push(strictPath(segs));
      segs.pop();
    }
  }

  value(type: Type, value: unknown, segs: Segment[], ctx: GoContext): void {
    if (value === null || value === undefined) return;
    const mismatch = (what = jsonKind(value), goType = goTypeName(type)) =>
      this.typeError(false, segs, value, unmarshalTypeError(what, goType, ctx));
    switch (type.kind) {
      case 'string':
        if (typeof value !== 'string') return mismatch();
        if (type.format === 'byte') this.base64(value, segs);
        return;
      case 'integer': {
        if (typeof value !== 'number') return mismatch();
        const [min, max] = INT_RANGE[type.format];
        if (!Number.isInteger(value) || value < min || value > max) mismatch(`number ${value}`);
        return;
      }
      case 'number':
        if (typeof value !== 'number') mismatch();
        return;
      case 'boolean':
        if (typeof value !== 'boolean') mismatch();
        return;
      case 'array':
        if (!Array.isArray(value)) return mismatch();
        value.forEach((item, i) => {
          segs.push({ index: i });
          this.value(type.items, item, segs, ctx);
          segs.pop();
        });
        return;
      case 'map':
        if (!isPlainObject(value)) return mismatch();
        for (const [k, v] of Object.entries(value)) {
          segs.push({ key: k });
          this.value(type.values, v, segs, ctx);
          segs.pop();
        }
        return;
      case 'ref':
        if (!isPlainObject(value)) return mismatch();
        this.model(type.model(), value, segs, ctx);
        return;
      case 'quantity': {
        const err = typeof value === 'string' || typeof value === 'number' ? quantityError(value) : quantityError(JSON.stringify(value));
        if (err) this.typeError(true, segs, value, err);
        return;
      }
      case 'int-or-string':
        if (typeof value === 'string') return;
        if (typeof value === 'number' && Number.isInteger(value) && value >= INT_RANGE.int32[0] && value <= INT_RANGE.int32[1]) return;
        this.typeError(true, segs, value, unmarshalTypeError(typeof value === 'number' ? `number ${value}` : jsonKind(value), 'int32', ctx));
        return;
      case 'time': {
        if (typeof value !== 'string') return this.typeError(true, segs, value, unmarshalTypeError(jsonKind(value), 'string', ctx));
        const err = rfc3339Error(value, type.micro);
        if (err) this.typeError(true, segs, value, err);
        return;
      }
      case 'bytes':
        if (typeof value !== 'string') return mismatch();
        this.base64(value, segs);
        return;
      case 'any':
        return;
    }
  }

  base64(value: string, segs: readonly Segment[]): void {
    const err = base64Error(value);
    if (err) this.typeError(false, segs, value, err);
  }
}

/** Walks a parsed JSON body against `model`; see the header for what is reported. */
export function checkStructure(model: Model, obj: unknown, opts: CheckOptions = {}): StructureResult {
  const segs = parsePrefix(opts.pathPrefix);
  const ctx: GoContext = { struct: '', fields: segs.flatMap((s) => ('field' in s ? [s.field] : [])) };
  const c = new Checker();
  c.value({ kind: 'ref', model: () => model }, obj, segs, ctx);
  const result: StructureResult = { typeErrors: [...c.fatal, ...c.saved], unknownFields: c.unknown };
  if (opts.rawJson !== undefined) result.duplicateFields = duplicateFields(model, opts.rawJson, opts.pathPrefix);
  return result;
}
