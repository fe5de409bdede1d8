// Named schemas with no DSL model behind them: the apimachinery types that
// JSON carries as a string (or number). Their v2 and v3 forms differ the
// way upstream publishes them.

import type { Type } from '../schema/dsl.ts';

export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
export const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';

type Schema = Record<string, unknown>;

/** The named scalar a type is published as, if any. */
export function scalarName(type: Type): string | undefined {
  switch (type.kind) {
    case 'quantity':
      return QUANTITY;
    case 'int-or-string':
      return INT_OR_STRING;
    case 'time':
      return type.micro ? MICRO_TIME : TIME;
    default:
      return undefined;
  }
}

export function scalarSchema(name: string, v: 2 | 3): Schema {
  switch (name) {
    case QUANTITY: {
      const description =
        'Quantity is a fixed-point representation of a number, such as "100m", "1.5Gi" or "2". In JSON it is a string (or a number).';
      return v === 3 ? { description, oneOf: [{ type: 'string' }, { type: 'number' }] } : { description, type: 'string' };
    }
    case INT_OR_STRING: {
      const description = 'IntOrString is a type that can hold an int32 or a string. In JSON it is the inner value: a number or a string.';
      return v === 3
        ? { description, format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] }
        : { description, format: 'int-or-string', type: 'string' };
    }
    case TIME:
      return { description: 'Time is a timestamp in RFC 3339 form, with second precision, in UTC.', format: 'date-time', type: 'string' };
    case MICRO_TIME:
      return { description: 'MicroTime is a timestamp in RFC 3339 form, with microsecond precision, in UTC.', format: 'date-time', type: 'string' };
    default:
      throw new Error(`unknown scalar schema ${name}`);
  }
}
