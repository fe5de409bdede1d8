// Go's base64.StdEncoding acceptance rules (padded; '\r' and '\n' skipped),
// with the offset its CorruptInputError reports: what a bad []byte field in a
// request body produces ("illegal base64 data at input byte 4").

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const isNewline = (c: string | undefined) => c === '\n' || c === '\r';

/** The offset of the first corrupt byte, or undefined when `s` decodes. */
export function base64ErrorOffset(s: string): number | undefined {
  let si = 0;
  while (si < s.length) {
    // One quantum of four symbols.
    let j = 0;
    for (; j < 4; j++) {
      if (si === s.length) {
        if (j === 0) return undefined;
        return si - j;
      }
      const c = s[si++] as string;
      if (ALPHABET.includes(c)) continue;
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== '=') return si - 1;
      // Padding: only after two or three symbols.
      if (j < 2) return si - 1;
      if (j === 2) {
        while (si < s.length && isNewline(s[si])) si++;
        if (si === s.length) return s.length;
        if (s[si] !== '=') return si - 1;
        si++;
      }
      while (si < s.length && isNewline(s[si])) si++;
      return si < s.length ? si : undefined;
    }
  }
  return undefined;
}

export function base64Error(s: string): string | undefined {
  const at = base64ErrorOffset(s);
  return at === undefined ? undefined : `illegal base64 data at input byte ${at}`;
}
