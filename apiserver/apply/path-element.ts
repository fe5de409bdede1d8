// One step of a field path, as structured-merge-diff (fieldpath.PathElement)
// models it: a field of a map or struct, the item of an associative list with
// the given key fields, the item of a set with the given value, or the item
// of an atomic list at an index. Each has a canonical string form, the key of
// FieldsV1 ("f:spec", `k:{"name":"nginx"}`, `v:"a"`, "i:0"), which is also
// how field sets index their nodes.

export interface KeyField {
  name: string;
  value: unknown;
}

export type PathElement =
  | { readonly field: string }
  | { readonly key: readonly KeyField[] }
  | { readonly value: unknown }
  | { readonly index: number };

export type Path = readonly PathElement[];

export function fieldElement(name: string): PathElement {
  return { field: name };
}

/** A key element; its fields are sorted by name, as upstream's KeyByFields does. */
export function keyElement(fields: readonly KeyField[]): PathElement {
  return { key: [...fields].sort((a, b) => compareStrings(a.name, b.name)) };
}

/** The FieldsV1 form: "f:name", `k:{"a":1}`, `v:"x"`, "i:3". */
export function serializeElement(pe: PathElement): string {
  if ('field' in pe) return fieldKey(pe.field);
  if ('key' in pe) return `k:${JSON.stringify(Object.fromEntries(pe.key.map((f) => [f.name, f.value])))}`;
  if ('value' in pe) return `v:${JSON.stringify(pe.value)}`;
  return `i:${pe.index}`;
}

/**
 * "f:" + name, memoized: field sets index their nodes by these strings, and a
 * string made once has its hash computed once, where a fresh concatenation is
 * hashed again at every lookup. Field names repeat (they come from schemas and
 * from a few label and annotation keys); the memo is bounded all the same.
 */
const FIELD_KEYS = new Map<string, string>();
const FIELD_KEYS_MAX = 8192;

function fieldKey(name: string): string {
  let key = FIELD_KEYS.get(name);
  if (key === undefined) {
    key = `f:${name}`;
    if (FIELD_KEYS.size < FIELD_KEYS_MAX) FIELD_KEYS.set(name, key);
  }
  return key;
}

/**
 * Parses a FieldsV1 key. Returns undefined for an element type this version
 * does not know (upstream drops those); throws on a malformed one.
 */
export function parseElement(s: string): PathElement | undefined {
  const body = s.slice(2);
  switch (s.slice(0, 2)) {
    case 'f:':
      return fieldElement(body);
    case 'k:': {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`invalid key element ${s}`);
      return keyElement(Object.entries(parsed).map(([name, value]) => ({ name, value })));
    }
    case 'v:':
      return { value: JSON.parse(body) };
    case 'i:': {
      const index = Number(body);
      if (!Number.isInteger(index) || index < 0) throw new Error(`invalid index element ${s}`);
      return { index };
    }
    default:
      return undefined;
  }
}

/** How a path element is printed in conflict messages (PathElement.String): ".spec", `[name="nginx"]`, `[="a"]`, "[0]". */
export function elementString(pe: PathElement): string {
  if ('field' in pe) return `.${pe.field}`;
  if ('key' in pe) return `[${pe.key.map((f) => `${f.name}=${valueString(f.value)}`).join(',')}]`;
  if ('value' in pe) return `[=${valueString(pe.value)}]`;
  return `[${pe.index}]`;
}

export function pathString(path: Path): string {
  return path.map(elementString).join('');
}

function valueString(v: unknown): string {
  return typeof v === 'string' || (typeof v === 'object' && v !== null) ? JSON.stringify(v) : String(v);
}

/** The total order of upstream's PathElement.Compare: fields, then keys, then values, then indices. */
export function compareElements(a: PathElement, b: PathElement): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if ('field' in a && 'field' in b) return compareStrings(a.field, b.field);
  if ('key' in a && 'key' in b) return compareKeys(a.key, b.key);
  if ('value' in a && 'value' in b) return compareValues(a.value, b.value);
  return (a as { index: number }).index - (b as { index: number }).index;
}

function rank(pe: PathElement): number {
  if ('field' in pe) return 0;
  if ('key' in pe) return 1;
  if ('value' in pe) return 2;
  return 3;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareKeys(a: readonly KeyField[], b: readonly KeyField[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareStrings(a[i]!.name, b[i]!.name) || compareValues(a[i]!.value, b[i]!.value);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** value.Compare's order across kinds: numbers, strings, booleans, then anything else by its JSON. */
function compareValues(a: unknown, b: unknown): number {
  const ka = valueRank(a);
  const kb = valueRank(b);
  if (ka !== kb) return ka - kb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return compareStrings(JSON.stringify(a), JSON.stringify(b));
}

function valueRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === 'object') return 4;
  return 5;
}
