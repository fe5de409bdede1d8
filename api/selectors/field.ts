// Field selectors as k8s.io/apimachinery/pkg/fields parses them: comma-separated
// terms "field=value", "field==value" or "field!=value". In a value, "\," "\="
// and "\\" stand for the literal characters; an unescaped "," or "=" in a value
// is an error. Terms are kept sorted, as upstream sorts them before use.

import { SelectorError } from './selector-error.ts';

export { fieldsFor, validateFieldSelector } from './field-labels.ts';

export interface FieldRequirement {
  readonly field: string;
  /** "==" parses to "=": the two are the same term upstream. */
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** ANDed terms; empty matches everything. */
export type FieldSelector = readonly FieldRequirement[];

/** Splits on commas that are not escaped; the backslashes stay in the terms. */
function splitTerms(s: string): string[] {
  if (s === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < s.length; i++) {
    if (escaped) escaped = false;
    else if (s[i] === '\\') escaped = true;
    else if (s[i] === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** The first operator in the term splits it; "!=" and "==" win over "=" at the same place. */
function splitTerm(term: string): { field: string; operator: '=' | '!='; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), operator: op === '!=' ? '!=' : '=', rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function unescapeValue(s: string): string {
  let out = '';
  let escaped = false;
  for (const ch of s) {
    if (escaped) {
      if (ch !== '\\' && ch !== ',' && ch !== '=') throw new SelectorError(`invalid field selector: invalid escape sequence: \\${ch}`);
      out += ch;
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else if (ch === ',' || ch === '=') {
      // Go prints the rune with %v: its code point.
      throw new SelectorError(`invalid field selector: unescaped character in value: ${ch.codePointAt(0)}`);
    } else {
      out += ch;
    }
  }
  if (escaped) throw new SelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.ParseSelector. Throws SelectorError with Kubernetes' message. */
export function parseFieldSelector(s: string): FieldRequirement[] {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(s).sort()) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (parts === undefined) throw new SelectorError(`invalid selector: '${s}'; can't understand '${term}'`);
    requirements.push({ field: parts.field, operator: parts.operator, value: unescapeValue(parts.rhs) });
  }
  return requirements;
}

export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}

/** Selector.String(): "metadata.name=web,status.phase!=Running" with values escaped. */
export function fieldSelectorToString(sel: FieldSelector): string {
  return sel.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
}

/** A field the object does not offer reads as "" (fields.Set.Get). */
export function matchesFields(sel: FieldSelector, fields: Readonly<Record<string, string>>): boolean {
  return sel.every((r) => ((Object.hasOwn(fields, r.field) ? fields[r.field] : '') === r.value) === (r.operator === '='));
}
