// resource.Quantity acceptance, following ParseQuantity's scanner, with the
// errors it returns (a bad quantity in a request body fails decoding with them).

import { QUANTITY_FORMAT_ERROR } from '../validation/quantity.ts';

export { QUANTITY_FORMAT_ERROR };
const SUFFIX_ERROR = "unable to parse quantity's suffix";

const SUFFIX = /^(|[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)$/;
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** The quantity's suffix, or undefined when the text is malformed. */
function scanSuffix(s: string): string | undefined {
  let pos = 0;
  if (s[0] === '-' || s[0] === '+') pos++;
  while (isDigit(s[pos])) pos++;
  if (s[pos] === '.') {
    pos++;
    while (isDigit(s[pos])) pos++;
  }
  const start = pos;
  while (pos < s.length && 'eEinumkKMGTP'.includes(s[pos] as string)) pos++;
  if (s[pos] === '-' || s[pos] === '+') pos++;
  while (isDigit(s[pos])) pos++;
  return pos === s.length ? s.slice(start) : undefined;
}

/** The error for a quantity given as a JSON string or number, or undefined when it parses. */
export function quantityError(value: string | number): string | undefined {
  const s = typeof value === 'number' ? String(value) : value.trim();
  if (s === '') return QUANTITY_FORMAT_ERROR;
  const suffix = scanSuffix(s);
  if (suffix === undefined) return QUANTITY_FORMAT_ERROR;
  return SUFFIX.test(suffix) ? undefined : SUFFIX_ERROR;
}
