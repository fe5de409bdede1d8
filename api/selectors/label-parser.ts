// The string grammar of label selectors (labels.Parse): a lexer and the
// recursive-descent parser, with Kubernetes' error messages.

import { SelectorError } from './selector-error.ts';
import { goQuote, invalidValue } from './go-format.ts';
import { isQualifiedName } from '../validation/names.ts';
import { newRequirement, type LabelOperator, type LabelRequirement } from './label-requirement.ts';

const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

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
    const keyErrs = isQualifiedName(key);
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

/** The requirements of a selector string, in the order written. Throws SelectorError. */
export function parseRequirements(s: string): LabelRequirement[] {
  return new Parser(lex(s)).parse();
}
