// resource.Quantity: "<signed number><suffix>" where the suffix is a binary SI
// unit (Ki Mi Gi Ti Pi Ei), a decimal SI unit (n u m "" k M G T P E) or a
// decimal exponent (e3, E-2). Values are read as JS numbers, which is exact for
// every quantity people write for CPU, memory and storage.

export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Ti: 40, Gi: 30, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

export interface ParsedQuantity {
  value: number;
  format: QuantityFormat;
}

export function parseQuantityWithFormat(input: string | number): ParsedQuantity | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? { value: input, format: 'DecimalSI' } : undefined;
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(input);
  if (!m || m[2].length + (m[3] ?? '').length === 0) return undefined;
  const [, sign, whole, fraction = '', suffix] = m;
  let format: QuantityFormat;
  let exp10 = 0;
  let exp2 = 0;
  if (suffix in BINARY) {
    exp2 = BINARY[suffix];
    format = 'BinarySI';
  } else if (suffix in DECIMAL) {
    exp10 = DECIMAL[suffix];
    format = 'DecimalSI';
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    exp10 = Number(suffix.slice(1));
    format = 'DecimalExponent';
  } else {
    return undefined;
  }
  // Digits as an integer mantissa and a power of ten, so that scaling is one
  // correctly rounded operation ("300m" is exactly the double nearest 0.3).
  const mantissa = Number(`${whole}${fraction}`) * 2 ** exp2 * (sign === '-' ? -1 : 1);
  const exp = exp10 - fraction.length;
  const value = exp >= 0 ? mantissa * 10 ** exp : mantissa / 10 ** -exp;
  return Number.isFinite(value) ? { value: value === 0 ? 0 : value, format } : undefined;
}

/** The numeric value of a quantity ("500m" -> 0.5, "1Gi" -> 1073741824), or undefined if it is not one. */
export function parseQuantity(input: string | number): number | undefined {
  return parseQuantityWithFormat(input)?.value;
}

// The whole number x is within rounding error of, if any.
function nearWhole(x: number): number | undefined {
  const whole = Math.round(x);
  return whole !== 0 && Math.abs(x - whole) <= 1e-9 * Math.abs(whole) ? whole : undefined;
}

/**
 * The canonical text of a value, as Quantity.String() prints it: the largest
 * unit that keeps the mantissa whole ("500m", "2k", "1536", "512Mi", "3e3").
 * Binary values that are not whole multiples of 1024 print in decimal SI.
 */
export function formatQuantity(value: number, format: QuantityFormat = 'DecimalSI'): string {
  if (value === 0) return '0';
  if (format === 'BinarySI' && Number.isInteger(value)) {
    for (const [suffix, exp] of Object.entries(BINARY).sort((a, b) => b[1] - a[1])) {
      const mantissa = value / 2 ** exp;
      if (Number.isInteger(mantissa)) return `${mantissa}${suffix}`;
    }
    if (Math.abs(value) < 1024) return String(value);
  }
  for (let exp = 18; exp >= -9; exp -= 3) {
    const whole = nearWhole(exp >= 0 ? value / 10 ** exp : value * 10 ** -exp);
    if (whole !== undefined) {
      if (exp === 0) return String(whole);
      if (format === 'DecimalExponent') return `${whole}e${exp}`;
      const suffix = Object.keys(DECIMAL).find((s) => DECIMAL[s] === exp) ?? '';
      return `${whole}${suffix}`;
    }
  }
  // Finer than nano: Kubernetes rounds up to the nano scale.
  return `${Math.ceil(value * 1e9)}n`;
}
