// Prefix scans as index ranges. SQLite compares TEXT with memcmp over UTF-8,
// which orders strings by Unicode code point, so "every key starting with P"
// is exactly the half-open range [P, P') where P' is P with its last code
// point incremented (dropping trailing U+10FFFF, which cannot be incremented).
//   "/a/b/"  -> ["/a/b/", "/a/b0")   ('/' + 1 = '0')
//   ""       -> ["", none)           (everything)

export interface KeyRange {
  /** Inclusive lower bound. */
  from: string;
  /** Exclusive upper bound; undefined when the range is unbounded above. */
  to: string | undefined;
}

export function prefixRange(prefix: string): KeyRange {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Skip the surrogate block: it holds no code points of its own.
      points.push(String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1));
      return { from: prefix, to: points.join('') };
    }
  }
  return { from: prefix, to: undefined };
}

/** Orders keys as SQLite does (UTF-8 bytes), unlike `<` on JS strings (UTF-16 units). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
