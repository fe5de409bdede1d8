import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatLabelSelector,
  formatLabels,
  isEmpty,
  matches,
  NOTHING,
  parseLabelSelector,
  selectorFromLabelSelector,
  selectorToString,
  stringifySelector,
} from './label.ts';
import { SelectorError } from './selector-error.ts';

const parseError = (s: string, message: string): void => {
  assert.throws(() => parseLabelSelector(s), (e: unknown) => e instanceof SelectorError && e.message === message && e.code === 400);
};

test('equality forms, existence and negation', () => {
  const sel = parseLabelSelector('tier!=cache,app=web, env==prod ,canary,!legacy');
  assert.deepEqual(sel.requirements, [
    { key: 'app', operator: '=', values: ['web'] },
    { key: 'canary', operator: 'exists', values: [] },
    { key: 'env', operator: '==', values: ['prod'] },
    { key: 'legacy', operator: '!', values: [] },
    { key: 'tier', operator: '!=', values: ['cache'] },
  ]);
  assert.equal(stringifySelector(sel), 'app=web,canary,env==prod,!legacy,tier!=cache');
  assert.equal(matches(sel, { app: 'web', env: 'prod', canary: '' }), true);
  assert.equal(matches(sel, { app: 'web', env: 'prod', canary: '', tier: 'cache' }), false);
  assert.equal(matches(sel, { app: 'web', env: 'prod', canary: '', legacy: 'x' }), false);
  assert.equal(matches(sel, { app: 'web', env: 'prod' }), false);
});

test('set-based requirements: values sorted and de-duplicated, empty entries are ""', () => {
  const sel = parseLabelSelector('env in (prod, qa,prod),tier notin (cache)');
  assert.deepEqual(sel.requirements[0], { key: 'env', operator: 'in', values: ['prod', 'qa'] });
  assert.equal(stringifySelector(sel), 'env in (prod,qa),tier notin (cache)');
  assert.equal(matches(sel, { env: 'qa' }), true);
  assert.equal(matches(sel, { env: 'qa', tier: 'cache' }), false);
  assert.equal(matches(sel, { tier: 'web' }), false, 'in requires the key');
  assert.equal(matches(parseLabelSelector('tier notin (cache)'), {}), true, 'notin matches a missing key');
  assert.deepEqual(parseLabelSelector('x in (foo,,baz)').requirements[0].values, ['', 'baz', 'foo']);
  assert.deepEqual(parseLabelSelector('x in ()').requirements[0].values, ['']);
  assert.deepEqual(parseLabelSelector('x in (a,)').requirements[0].values, ['', 'a']);
  assert.deepEqual(parseLabelSelector('x=').requirements[0].values, ['']);
  assert.equal(matches(parseLabelSelector('x='), { x: '' }), true);
});

test('"in" and "notin" are plain words as keys and values', () => {
  const sel = parseLabelSelector('in in (in,notin)');
  assert.deepEqual(sel.requirements, [{ key: 'in', operator: 'in', values: ['in', 'notin'] }]);
});

test('gt and lt compare integers', () => {
  const sel = parseLabelSelector('replicas>2,weight<10');
  assert.equal(stringifySelector(sel), 'replicas>2,weight<10');
  assert.equal(matches(sel, { replicas: '3', weight: '9' }), true);
  assert.equal(matches(sel, { replicas: '2', weight: '9' }), false);
  assert.equal(matches(sel, { replicas: 'x', weight: '9' }), false);
  parseError('a>b', `unable to parse requirement: values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`);
});

test('empty selector matches everything', () => {
  const sel = parseLabelSelector('   ');
  assert.equal(isEmpty(sel), true);
  assert.equal(matches(sel, undefined), true);
  assert.equal(stringifySelector(sel), '');
});

test('grammar errors carry the upstream messages', () => {
  parseError('a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
  parseError('a=b c', "found 'c', expected: ',' or 'end of string'");
  parseError('a=b,', "found '', expected: identifier after ','");
  parseError(',a', "found ',', expected: !, identifier, or 'end of string'");
  parseError('a in b', "unable to parse requirement: found 'b' expected: '('");
  parseError('a in (b', "unable to parse requirement: found '', expected: ',' or ')'");
  parseError('a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier");
  parseError('a in (b,=)', "unable to parse requirement: found '=', expected: ',', or identifier");
  parseError('a==(', "unable to parse requirement: found '(', expected: identifier");
  parseError('!=a', "found '!=', expected: !, identifier, or 'end of string'");
  parseError('! =a', "unable to parse requirement: found '=', expected: identifier");
  parseError('!a=b', "found '=', expected: ',' or 'end of string'");
});

test('invalid keys and values are field errors', () => {
  parseError(
    'a_=b',
    'unable to parse requirement: <nil>: Invalid value: "a_": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')',
  );
  parseError('/a', 'unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty');
  parseError(
    'Example.com/a',
    'unable to parse requirement: <nil>: Invalid value: "Example.com/a": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
  );
  parseError(
    'a/b/c',
    'unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\') with an optional DNS subdomain prefix and \'/\' (e.g. \'example.com/MyName\')',
  );
  parseError(`${'k'.repeat(64)}`, `unable to parse requirement: <nil>: Invalid value: "${'k'.repeat(64)}": name part must be no more than 63 characters`);
  parseError(
    'app=a%b',
    'unable to parse requirement: values[0][app]: Invalid value: "a%b": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')',
  );
  parseError(`app=${'v'.repeat(64)}`, `unable to parse requirement: values[0][app]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`);
  assert.equal(parseLabelSelector('example.com/tier=web').requirements[0].key, 'example.com/tier');
});

test('metav1.LabelSelector: absent matches nothing, empty matches everything', () => {
  assert.equal(selectorFromLabelSelector(undefined), NOTHING);
  assert.equal(matches(NOTHING, {}), false);
  assert.equal(isEmpty(NOTHING), false);
  const everything = selectorFromLabelSelector({});
  assert.equal(isEmpty(everything), true);
  assert.equal(matches(everything, { a: 'b' }), true);
});

test('metav1.LabelSelector: labels and expressions, sorted by key', () => {
  const ls = {
    matchLabels: { 'pod-template-hash': 'abc', app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['web', 'api'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'zone', operator: 'Exists' },
      { key: 'env', operator: 'NotIn', values: ['dev'] },
    ],
  };
  const sel = selectorFromLabelSelector(ls);
  assert.equal(stringifySelector(sel), 'app=web,!canary,env notin (dev),pod-template-hash=abc,tier in (api,web),zone');
  assert.equal(selectorToString(ls), stringifySelector(sel));
  assert.equal(matches(sel, { app: 'web', 'pod-template-hash': 'abc', tier: 'api', zone: 'a' }), true);
  assert.equal(matches(sel, { app: 'web', 'pod-template-hash': 'abc', tier: 'api' }), false);
  assert.equal(selectorToString({ matchLabels: { app: 'web', 'pod-template-hash': '5d4f' } }), 'app=web,pod-template-hash=5d4f');
});

test('metav1.LabelSelector validation errors', () => {
  const err = (ls: Parameters<typeof selectorFromLabelSelector>[0], message: string): void =>
    assert.throws(() => selectorFromLabelSelector(ls), (e: unknown) => e instanceof SelectorError && e.message === message);
  err({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] }, '"Equals" is not a valid label selector operator');
  err({ matchExpressions: [{ key: 'a', operator: 'In' }] }, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty");
  err({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['b'] }] }, 'values: Invalid value: []string{"b"}: values set must be empty for exists and does not exist');
  err(
    { matchLabels: { 'a b': 'c d' } },
    '[key: Invalid value: "a b": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\'), values[0][a b]: Invalid value: "c d": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')]',
  );
});

test('printer forms: <none> for empty, <error> for invalid', () => {
  assert.equal(formatLabelSelector({ matchLabels: { app: 'web' } }), 'app=web');
  assert.equal(selectorToString(undefined), '');
  assert.equal(selectorToString({}), '');
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(formatLabelSelector(undefined), '<none>');
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }), '<error>');
  assert.equal(formatLabels({ b: '2', a: '1' }), 'a=1,b=2');
  assert.equal(formatLabels(undefined), '<none>');
});
