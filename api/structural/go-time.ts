// RFC 3339 time checking with Go's time.Parse error wording, which is what
// metav1.Time (layout RFC3339) and metav1.MicroTime (RFC3339Micro, exactly six
// fractional digits) return from UnmarshalJSON for a bad timestamp:
//
//   parsing time "2024-13-01T00:00:00Z": month out of range
//   parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"

type Step =
  | { literal: string }
  | { num: 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second'; digits: number; std: string }
  | { micros: true }
  | { zone: true };

const DATE_TIME: readonly Step[] = [
  { num: 'year', digits: 4, std: '2006' },
  { literal: '-' },
  { num: 'month', digits: 2, std: '01' },
  { literal: '-' },
  { num: 'day', digits: 2, std: '02' },
  { literal: 'T' },
  { num: 'hour', digits: 2, std: '15' },
  { literal: ':' },
  { num: 'minute', digits: 2, std: '04' },
  { literal: ':' },
  { num: 'second', digits: 2, std: '05' },
];
const TIME = { layout: '2006-01-02T15:04:05Z07:00', steps: [...DATE_TIME, { zone: true }] as readonly Step[] };
const MICRO_TIME = { layout: '2006-01-02T15:04:05.000000Z07:00', steps: [...DATE_TIME, { micros: true }, { zone: true }] as readonly Step[] };

const LIMITS: Record<string, number> = { month: 12, hour: 23, minute: 59, second: 59 };

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The layout text from a step onwards, as Go prints it in "cannot parse ... as ...". */
function layoutFrom(steps: readonly Step[], i: number): string {
  const s = steps[i];
  if (!s) return '';
  if ('literal' in s) {
    let out = '';
    for (let j = i; j < steps.length; j++) {
      const t = steps[j];
      if (!t || !('literal' in t)) break;
      out += t.literal;
    }
    return out;
  }
  if ('micros' in s) return '.000000';
  return 'zone' in s ? 'Z07:00' : s.std;
}

/** Returns Go's error message for an invalid RFC 3339 timestamp, or undefined when it parses. */
export function rfc3339Error(value: string, micro = false): string | undefined {
  const { layout, steps } = micro ? MICRO_TIME : TIME;
  const q = JSON.stringify(value);
  const cannot = (rest: string, i: number) =>
    `parsing time ${q} as "${layout}": cannot parse ${JSON.stringify(rest)} as "${layoutFrom(steps, i)}"`;
  let rest = value;
  const parts: Record<string, number> = {};
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as Step;
    if ('literal' in step) {
      if (!rest.startsWith(step.literal)) return cannot(rest, i);
      rest = rest.slice(step.literal.length);
    } else if ('num' in step) {
      const digits = rest.slice(0, step.digits);
      if (!/^\d+$/.test(digits) || digits.length !== step.digits) return cannot(rest, i);
      const n = Number(digits);
      rest = rest.slice(step.digits);
      const max = LIMITS[step.num];
      if ((max !== undefined && n > max) || (step.num === 'month' && n < 1)) return `parsing time ${q}: ${step.num} out of range`;
      parts[step.num] = n;
      if (step.num === 'second' && !micro) {
        const frac = /^[.,]\d+/.exec(rest);
        if (frac) rest = rest.slice(frac[0].length);
      }
    } else if ('micros' in step) {
      if (!/^[.,]\d{6}/.test(rest)) return cannot(rest, i);
      rest = rest.slice(7);
    } else {
      const zone = /^(Z|[+-]\d{2}:\d{2})/.exec(rest);
      if (!zone) return cannot(rest, i);
      const z = zone[0];
      if (z !== 'Z' && (Number(z.slice(1, 3)) > 23 || Number(z.slice(4, 6)) > 59)) return `parsing time ${q}: time zone offset out of range`;
      rest = rest.slice(z.length);
    }
  }
  if (rest) return `parsing time ${q}: extra text: ${JSON.stringify(rest)}`;
  const day = parts.day ?? 0;
  if (day < 1 || day > daysIn(parts.month ?? 1, parts.year ?? 0)) return `parsing time ${q}: day out of range`;
  return undefined;
}
