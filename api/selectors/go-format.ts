// The two Go renderings that selector error messages embed: %q of a string
// (strconv.Quote) and %#v of a []string, as field.Error prints bad values.

const NAMED_ESCAPES: Record<string, string> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (NAMED_ESCAPES[ch] !== undefined) out += NAMED_ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** %#v of a []string: `[]string{"a", "b"}`, `[]string{}`, or `[]string(nil)` for a nil slice. */
export function goStringSlice(values: readonly string[] | null): string {
  if (values === null) return '[]string(nil)';
  return `[]string{${values.map(goQuote).join(', ')}}`;
}

/** field.Invalid(path, value, detail).Error(): `path: Invalid value: "v": detail`. */
export function invalidValue(path: string, rendered: string, detail: string): string {
  return `${path}: Invalid value: ${rendered}: ${detail}`;
}

/** utilerrors.NewAggregate(errs).Error(): one message alone, several de-duplicated in brackets. */
export function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}
