// Label selectors as k8s.io/apimachinery/pkg/labels implements them: the string
// grammar of `?labelSelector=` and `kubectl -l`, the metav1.LabelSelector of
// object specs, matching, and the canonical string form (requirements sorted by
// key, set values sorted) that the Selector column and Scale status.selector show.

import type { LabelSelector as K8sLabelSelector } from 'kubernetes-types/meta/v1.js';
import { SelectorError } from './selector-error.ts';
import { aggregate, goQuote, goStringSlice, invalidValue } from './go-format.ts';
import { labelValueErrors, qualifiedNameErrors } from './label-syntax.ts';

/** selection.Operator values. "!" is DoesNotExist. */
export type LabelOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

export interface LabelSelector {
  /** ANDed; sorted by key. */
  readonly requirements: readonly LabelRequirement[];
  /** The selector of an absent metav1.LabelSelector: it matches nothing. */
  readonly matchesNothing: boolean;
}

export const EVERYTHING: LabelSelector = { requirements: [], matchesNothing: false };
export const NOTHING: LabelSelector = { requirements: [], matchesNothing: true };

const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

// ---------------------------------------------------------------- requirements

/**
 * labels.NewRequirement: the requirement, or the aggregated field errors as
 * Kubernetes words them ("key: Invalid value: ...", "values[0][app]: ...").
 */
function newRequirement(key: string, operator: LabelOperator, values: readonly string[] | null): LabelRequirement | string {
  const errs: string[] = [];
  const keyErrs = qualifiedNameErrors(key);
  if (keyErrs.length) errs.push(invalidValue('key', goQuote(key), keyErrs.join('; ')));
  const vals = values ?? [];
  const rendered = goStringSlice(values);
  switch (operator) {
    case 'in':
    case 'notin':
      if (vals.length === 0) errs.push(invalidValue('values', rendered, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) errs.push(invalidValue('values', rendered, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) errs.push(invalidValue('values', rendered, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) errs.push(invalidValue('values', rendered, "for 'Gt', 'Lt' operators, exactly one value is required"));
      vals.forEach((v, i) => {
        if (!/^[+-]?\d+$/.test(v) || !isInt64(v)) {
          errs.push(invalidValue(`values[${i}]`, goQuote(v), "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
  }
  vals.forEach((v, i) => {
    const valueErrs = labelValueErrors(v);
    if (valueErrs.length) errs.push(invalidValue(`values[${i}][${key}]`, goQuote(v), valueErrs.join('; ')));
  });
  return errs.length ? aggregate(errs) : { key, operator, values: [...vals] };
}

function isInt64(v: string): boolean {
  const n = BigInt(v);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

function sortByKey(reqs: LabelRequirement[]): LabelRequirement[] {
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

// ---------------------------------------------------------------------- lexer

type Token =
  | 'end'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'identifier'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

interface Item {
  tok: Token;
  lit: string;
}

const LITERAL_TOKENS: Record<string, Token> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string): boolean => '=!(),><'.includes(ch);

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'end', lit: '' });
      return items;
    }
    if (isSpecial(s[pos])) {
      // Longest run of special characters that is still a token: "!=" but "!" "(".
      let lit = '';
      let buffer = '';
      while (pos < s.length && isSpecial(s[pos])) {
        buffer += s[pos];
        if (LITERAL_TOKENS[buffer] === undefined) break;
        lit = buffer;
        pos++;
      }
      items.push({ tok: LITERAL_TOKENS[lit], lit });
    } else {
      let lit = '';
      while (pos < s.length && !isSpecial(s[pos]) && !isWhitespace(s[pos])) lit += s[pos++];
      items.push({ tok: LITERAL_TOKENS[lit] ?? 'identifier', lit });
    }
  }
}

// --------------------------------------------------------------------- parser

const OPERATOR_TOKENS: Partial<Record<Token, LabelOperator>> = {
  in: 'in',
  '=': '=',
  '==': '==',
  '>': 'gt',
  '<': 'lt',
  notin: 'notin',
  '!=': '!=',
};

/** Where "in" and "notin" read as plain identifiers: keys and values. */
type Context = 'keyAndOperator' | 'values';

class Parser {
  private position = 0;

  constructor(private readonly items: Item[]) {}

  private token(item: Item, context: Context): Item {
    if (context === 'values' && (item.tok === 'in' || item.tok === 'notin')) return { tok: 'identifier', lit: item.lit };
    return item;
  }

  lookahead(context: Context): Item {
    return this.token(this.items[this.position], context);
  }

  consume(context: Context): Item {
    return this.token(this.items[this.position++], context);
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead('values');
      if (tok === 'end') return requirements;
      if (tok !== 'identifier' && tok !== '!') throw new SelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      const r = this.parseRequirement();
      if (typeof r === 'string') throw new SelectorError(`unable to parse requirement: ${r}`);
      requirements.push(r);
      const next = this.consume('values');
      if (next.tok === 'end') return requirements;
      if (next.tok !== ',') throw new SelectorError(`found '${next.lit}', expected: ',' or 'end of string'`);
      const after = this.lookahead('values');
      if (after.tok !== 'identifier' && after.tok !== '!') throw new SelectorError(`found '${after.lit}', expected: identifier after ','`);
    }
  }

  /** A requirement, or the message of why it is not one. */
  private parseRequirement(): LabelRequirement | string {
    let negated = false;
    let item = this.consume('values');
    if (item.tok === '!') {
      negated = true;
      item = this.consume('values');
    }
    if (item.tok !== 'identifier') return `found '${item.lit}', expected: identifier`;
    const key = item.lit;
    const keyErrs = qualifiedNameErrors(key);
    if (keyErrs.length) return invalidValue('<nil>', goQuote(key), keyErrs.join('; '));
    if (negated) return newRequirement(key, '!', []);
    const next = this.lookahead('values').tok;
    if (next === 'end' || next === ',') return newRequirement(key, 'exists', []);

    const op = this.consume('keyAndOperator');
    const operator = OPERATOR_TOKENS[op.tok];
    if (operator === undefined) return `found '${op.lit}', expected: ${BINARY_OPERATORS.join(', ')}`;
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    if (typeof values === 'string') return values;
    return newRequirement(key, operator, [...values].sort());
  }

  /** "(a,b)" → {a, b}; "()" → {""}; empty entries count as "". */
  private parseValues(): Set<string> | string {
    const open = this.consume('values');
    if (open.tok !== '(') return `found '${open.lit}' expected: '('`;
    const first = this.lookahead('values');
    if (first.tok === ')') {
      this.consume('values');
      return new Set(['']);
    }
    if (first.tok !== 'identifier' && first.tok !== ',') return `found '${first.lit}', expected: ',', ')' or identifier`;
    const values = new Set<string>();
    for (;;) {
      const item = this.consume('values');
      if (item.tok === 'identifier') {
        values.add(item.lit);
        const next = this.lookahead('values');
        if (next.tok === ',') continue;
        if (next.tok === ')') break;
        return `found '${next.lit}', expected: ',' or ')'`;
      }
      if (item.tok !== ',') return `found '${item.lit}', expected: ',', or identifier`;
      if (values.size === 0) values.add('');
      const next = this.lookahead('values').tok;
      if (next === ')') {
        values.add('');
        break;
      }
      if (next === ',') values.add('');
    }
    this.consume('values');
    return values;
  }

  private parseExactValue(): Set<string> | string {
    const next = this.lookahead('values').tok;
    if (next === 'end' || next === ',') return new Set(['']);
    const item = this.consume('values');
    if (item.tok === 'identifier') return new Set([item.lit]);
    return `found '${item.lit}', expected: identifier`;
  }
}

// ----------------------------------------------------------------------- API

/**
 * labels.Parse: "a=b", "a==b", "a!=b", "a in (x,y)", "a notin (x)", "a", "!a",
 * "a>1", "a<1", comma-separated; whitespace between tokens is ignored.
 * Throws SelectorError with Kubernetes' message.
 */
export function parseLabelSelector(s: string): LabelSelector {
  return { requirements: sortByKey(new Parser(lex(s)).parse()), matchesNothing: false };
}

const EXPRESSION_OPERATORS: Record<string, LabelOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * metav1.LabelSelectorAsSelector: absent → matches nothing; no labels and no
 * expressions → matches everything. Throws SelectorError for an unknown
 * operator or invalid keys and values.
 */
export function selectorFromLabelSelector(ls: K8sLabelSelector | null | undefined): LabelSelector {
  if (ls === null || ls === undefined) return NOTHING;
  const labels = Object.entries(ls.matchLabels ?? {});
  const expressions = ls.matchExpressions ?? [];
  if (labels.length + expressions.length === 0) return EVERYTHING;
  const requirements: LabelRequirement[] = [];
  const add = (r: LabelRequirement | string): void => {
    if (typeof r === 'string') throw new SelectorError(r);
    requirements.push(r);
  };
  for (const [k, v] of labels) add(newRequirement(k, '=', [v]));
  for (const expr of expressions) {
    const operator = EXPRESSION_OPERATORS[expr.operator];
    if (operator === undefined) throw new SelectorError(`${goQuote(expr.operator)} is not a valid label selector operator`);
    add(newRequirement(expr.key, operator, expr.values?.length ? expr.values : null));
  }
  return { requirements: sortByKey(requirements), matchesNothing: false };
}

function requirementMatches(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1 || !/^[+-]?\d+$/.test(value) || !isInt64(value)) return false;
      const actual = BigInt(value);
      const bound = BigInt(r.values[0]);
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

export function matches(sel: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (sel.matchesNothing) return false;
  const set = labels ?? {};
  return sel.requirements.every((r) => requirementMatches(r, set));
}

/** True when the selector does not restrict (the "nothing" selector does). */
export function isEmpty(sel: LabelSelector): boolean {
  return !sel.matchesNothing && sel.requirements.length === 0;
}

const OPERATOR_TEXT: Record<LabelOperator, string> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

function requirementString(r: LabelRequirement): string {
  if (r.operator === '!') return `!${r.key}`;
  if (r.operator === 'exists') return r.key;
  const values = r.values.length === 1 ? r.values[0] : [...r.values].sort().join(',');
  const set = r.operator === 'in' || r.operator === 'notin';
  return `${r.key}${OPERATOR_TEXT[r.operator]}${set ? `(${values})` : values}`;
}

/** Selector.String(): "app=web,tier in (a,b),!canary"; "" for everything and for nothing. */
export function selectorToString(sel: LabelSelector): string {
  return sel.requirements.map(requirementString).join(',');
}

/** The string of a metav1.LabelSelector, as Scale status.selector carries it. Throws SelectorError if invalid. */
export function labelSelectorToString(ls: K8sLabelSelector | null | undefined): string {
  return selectorToString(selectorFromLabelSelector(ls));
}

/** metav1.FormatLabelSelector, the printers' Selector column: "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(ls: K8sLabelSelector | null | undefined): string {
  try {
    return labelSelectorToString(ls) || '<none>';
  } catch (e) {
    if (e instanceof SelectorError) return '<error>';
    throw e;
  }
}

/** labels.FormatLabels of a plain map (a Service selector): "a=b,c=d" sorted by key, "<none>" when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | null | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels?.[k]}`).join(',');
}
