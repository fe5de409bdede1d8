// RFC 3339 timestamps in UTC, as Kubernetes writes them: metav1.Time to the
// second ("2024-05-01T10:00:00Z"), MicroTime to the microsecond.
//
// Written with the getUTC* accessors rather than Date.prototype.toISOString,
// which makes V8 load its time-zone data (about 0.85 MB that then stays
// resident) even though ISO output is UTC: `skiff server` must idle small.

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "2024-05-01T10:00:00Z"; with fractionDigits 3 or 6, milli- or microseconds (Date holds milliseconds). */
export function rfc3339(d: Date, fractionDigits: 0 | 3 | 6 = 0): string {
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (fractionDigits === 0) return `${base}Z`;
  const ms = pad(d.getUTCMilliseconds(), 3);
  return `${base}.${fractionDigits === 3 ? ms : `${ms}000`}Z`;
}
