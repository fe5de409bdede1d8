// Message fragments shared by Kubernetes validators (apimachinery util/validation and
// api/validation), worded exactly as upstream so clients see the same text.

export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';
export const IS_NOT_POSITIVE_ERROR_MSG = 'must be greater than zero';
export const IS_NOT_INTEGER_ERROR_MSG = 'must be an integer';
export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';

export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

export function emptyError(): string {
  return 'must be non-empty';
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** "msg (e.g. 'a' or 'b', regex used for validation is 'fmt')" */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  // Upstream appends "'x', " per example and joins with " or ", hence the double space.
  const eg = examples.map((e) => `'${e}', `).join(' or ');
  return `${msg} (e.g. ${eg}regex used for validation is '${fmt}')`;
}
