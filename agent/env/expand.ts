// $(VAR) expansion in env values, command and args, exactly as Kubernetes'
// third_party/forked/golang/expansion: `$(NAME)` becomes the variable's value
// when it is defined and stays as written when it is not; `$$` is an escaped
// `$`; a `$` followed by anything else, or an unterminated `$(`, is kept.
//
// Example: with A=1, "x$(A)y $(B) $$(A) $" → "x1y $(B) $(A) $".

export type Lookup = (name: string) => string | undefined;

export function expand(input: string, lookup: Lookup): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') out += '$';
    else if (rest[0] === '(') {
      const close = rest.indexOf(')');
      if (close === -1) out += '$(';
      else {
        const name = rest.slice(1, close);
        const value = lookup(name);
        out += value ?? `$(${name})`;
        advance = close + 1;
      }
    } else out += `$${rest[0]}`;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

