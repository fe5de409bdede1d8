import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeFieldValue, fieldSelectorToString, matchesFields, parseFieldSelector } from './field.ts';
import { SelectorError } from './selector-error.ts';

const parseError = (s: string, message: string): void => {
  assert.throws(() => parseFieldSelector(s), (e: unknown) => e instanceof SelectorError && e.message === message);
};

test('=, == and != terms, sorted, empty terms skipped', () => {
  assert.deepEqual(parseFieldSelector('status.phase!=Running,,metadata.name==web,spec.nodeName=n1'), [
    { field: 'metadata.name', operator: '=', value: 'web' },
    { field: 'spec.nodeName', operator: '=', value: 'n1' },
    { field: 'status.phase', operator: '!=', value: 'Running' },
  ]);
  assert.deepEqual(parseFieldSelector(''), []);
});

test('the first operator splits the term; the value may be empty', () => {
  assert.deepEqual(parseFieldSelector('a==b'), [{ field: 'a', operator: '=', value: 'b' }]);
  assert.deepEqual(parseFieldSelector('a='), [{ field: 'a', operator: '=', value: '' }]);
  assert.deepEqual(parseFieldSelector('a!='), [{ field: 'a', operator: '!=', value: '' }]);
  assert.deepEqual(parseFieldSelector(' a = b '), [{ field: ' a ', operator: '=', value: ' b ' }], 'no trimming');
});

test('escaped commas, equals signs and backslashes in values', () => {
  const sel = parseFieldSelector('involvedObject.fieldPath=spec.containers{a\\,b}');
  assert.deepEqual(sel, [{ field: 'involvedObject.fieldPath', operator: '=', value: 'spec.containers{a,b}' }]);
  assert.deepEqual(parseFieldSelector('a=x\\=y\\\\z'), [{ field: 'a', operator: '=', value: 'x=y\\z' }]);
  assert.equal(escapeFieldValue('x=y,z\\'), 'x\\=y\\,z\\\\');
  assert.equal(fieldSelectorToString(parseFieldSelector('a=x\\=y,b!=c')), 'a=x\\=y,b!=c');
});

test('grammar errors', () => {
  parseError('metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'");
  parseError('a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'");
  parseError('a=b=c', 'invalid field selector: unescaped character in value: 61');
  parseError('a=x\\y', 'invalid field selector: invalid escape sequence: \\y');
  parseError('a=x\\', 'invalid field selector: invalid escape sequence: \\');
});

test('matching: a missing field reads as ""', () => {
  const fields = { 'metadata.name': 'web', 'status.phase': 'Running' };
  assert.equal(matchesFields(parseFieldSelector('metadata.name=web,status.phase=Running'), fields), true);
  assert.equal(matchesFields(parseFieldSelector('status.phase!=Running'), fields), false);
  assert.equal(matchesFields(parseFieldSelector('spec.nodeName='), fields), true);
  assert.equal(matchesFields(parseFieldSelector('constructor='), fields), true);
  assert.equal(matchesFields(parseFieldSelector('spec.nodeName!=n1'), fields), true);
  assert.equal(matchesFields([], fields), true);
});
