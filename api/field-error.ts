// Field errors in the shape of k8s.io/apimachinery/pkg/util/validation/field.
// They become `details.causes[]` of a 422 Invalid Status:
//   {reason: type, field, message: "Invalid value: -1: must be greater than or equal to 0"}
// and the Status message "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: ...".

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueForbidden'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  /** Dotted path with list indices and map keys, e.g. spec.template.spec.containers[0].image */
  field: string;
  /** The detail after the type's own words, e.g. "must be greater than or equal to 0". */
  detail: string;
  /** The offending value, printed for Invalid/NotSupported/Duplicate/TypeInvalid. */
  value?: unknown;
  /** For NotSupported: the accepted values. */
  supported?: readonly string[];
}

export const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail });
export const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
export const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  supported,
  detail: '',
});
export const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value, detail: '' });
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
export const tooLong = (field: string, value: unknown, max: number): FieldError => ({
  type: 'FieldValueTooLong',
  field,
  value,
  detail: `may not be more than ${max} bytes`,
});
export const typeInvalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueTypeInvalid', field, value, detail });

/** Renders a value as Go's %#v-ish quoting that Kubernetes messages use: strings quoted, numbers bare. */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The message of one cause, as Kubernetes words it (field.Error.ErrorBody). */
export function errorBody(e: FieldError): string {
  switch (e.type) {
    case 'FieldValueRequired':
      return e.detail ? `Required value: ${e.detail}` : 'Required value';
    case 'FieldValueForbidden':
      return e.detail ? `Forbidden: ${e.detail}` : 'Forbidden';
    case 'FieldValueTooLong':
      return `Too long: ${e.detail}`;
    case 'FieldValueTooMany':
      return `Too many: ${e.detail}`;
    case 'FieldValueNotSupported': {
      const list = (e.supported ?? []).map((s) => JSON.stringify(s)).join(', ');
      return `Unsupported value: ${renderValue(e.value)}: supported values: ${list}`;
    }
    case 'FieldValueDuplicate':
      return `Duplicate value: ${renderValue(e.value)}`;
    case 'FieldValueTypeInvalid':
      return `Invalid value: ${renderValue(e.value)}: ${e.detail}`;
    case 'FieldValueInvalid':
      return e.detail ? `Invalid value: ${renderValue(e.value)}: ${e.detail}` : `Invalid value: ${renderValue(e.value)}`;
  }
}

/** "spec.replicas: Invalid value: -1: must be ..." */
export function errorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}
