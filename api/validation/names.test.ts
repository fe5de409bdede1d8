import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isPathSegmentName,
  isQualifiedName,
  isValidLabelValue,
  isWildcardDns1123Subdomain,
  nameIsDns1035Label,
  nameIsDnsSubdomain,
} from './names.ts';

test('DNS-1123 subdomain: upstream message with its regex and example', () => {
  assert.deepEqual(isDns1123Subdomain('example.com'), []);
  assert.deepEqual(isDns1123Subdomain('Bad_Name'), [
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  assert.equal(isDns1123Subdomain('a'.repeat(254))[0], 'must be no more than 253 characters');
});

test('DNS-1123 label: two examples joined as upstream does, dots reported as such', () => {
  assert.deepEqual(isDns1123Label('my-name'), []);
  assert.deepEqual(isDns1123Label('a.b'), ['must not contain dots']);
  assert.deepEqual(isDns1123Label('-x'), [
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.deepEqual(isDns1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
});

test('DNS-1035 label must start with a letter', () => {
  assert.deepEqual(isDns1035Label('web'), []);
  assert.deepEqual(isDns1035Label('1web'), [
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
});

test('qualified names: optional DNS prefix, name part of at most 63', () => {
  assert.deepEqual(isQualifiedName('app.kubernetes.io/name'), []);
  assert.deepEqual(isQualifiedName('MyName'), []);
  assert.deepEqual(isQualifiedName('/name'), ['prefix part must be non-empty']);
  assert.deepEqual(isQualifiedName('Example.com/x')[0].startsWith('prefix part a lowercase RFC 1123 subdomain'), true);
  assert.deepEqual(isQualifiedName('a/'), [
    'name part must be non-empty',
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  ]);
  assert.match(isQualifiedName('a/b/c')[0], /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
  assert.deepEqual(isQualifiedName('x'.repeat(64))[0], 'name part must be no more than 63 characters');
});

test('label values: empty or a qualified-name-like string of at most 63', () => {
  assert.deepEqual(isValidLabelValue(''), []);
  assert.deepEqual(isValidLabelValue('v1.2_3-x'), []);
  assert.equal(isValidLabelValue('-bad').length, 1);
  assert.match(isValidLabelValue('-bad')[0], /^a valid label must be an empty string or consist of/);
  assert.deepEqual(isValidLabelValue('x'.repeat(64)), ['must be no more than 63 characters']);
});

test('wildcard subdomains need exactly one leading "*."', () => {
  assert.deepEqual(isWildcardDns1123Subdomain('*.example.com'), []);
  assert.equal(isWildcardDns1123Subdomain('*.*.example.com').length, 1);
  assert.equal(isWildcardDns1123Subdomain('foo*.example.com').length, 1);
});

test('generateName prefixes may end in a dash', () => {
  assert.deepEqual(nameIsDnsSubdomain('web-', true), []);
  assert.equal(nameIsDnsSubdomain('web-', false).length, 1);
  assert.deepEqual(nameIsDns1035Label('svc-', true), []);
});

test('path segment names', () => {
  assert.deepEqual(isPathSegmentName('..'), ["may not be '..'"]);
  assert.deepEqual(isPathSegmentName('a/b%c'), ["may not contain '/'", "may not contain '%'"]);
  assert.deepEqual(isPathSegmentName('Deployment'), []);
});
