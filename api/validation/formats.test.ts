import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isConfigMapKey, isDomainPrefixedPath, isEnvVarName, isValidPercent, isValidPortName, isValidPortNum } from './formats.ts';

test('environment variable names', () => {
  assert.deepEqual(isEnvVarName('MY_VAR.name-1'), []);
  assert.deepEqual(isEnvVarName('1VAR'), [
    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
  ]);
  assert.deepEqual(isEnvVarName('..x'), ["must not start with '..'"]);
});

test('config keys', () => {
  assert.deepEqual(isConfigMapKey('app.properties'), []);
  assert.deepEqual(isConfigMapKey('a/b'), [
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  ]);
  assert.deepEqual(isConfigMapKey('.'), ["must not be '.'"]);
  assert.deepEqual(isConfigMapKey('k'.repeat(254)), ['must be no more than 253 characters']);
});

test('port names (IANA_SVC_NAME) and numbers', () => {
  assert.deepEqual(isValidPortName('http'), []);
  assert.deepEqual(isValidPortName('8080'), ['must contain at least one letter (a-z)']);
  assert.deepEqual(isValidPortName('a--b'), ['must not contain consecutive hyphens']);
  assert.deepEqual(isValidPortName('-web'), ['must not begin or end with a hyphen']);
  assert.deepEqual(isValidPortName('HTTP'), ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)']);
  assert.deepEqual(isValidPortName('a-very-long-port-name'), ['must be no more than 15 characters']);
  assert.deepEqual(isValidPortNum(65535), []);
  assert.deepEqual(isValidPortNum(0), ['must be between 1 and 65535, inclusive']);
  assert.deepEqual(isValidPortNum(70000), ['must be between 1 and 65535, inclusive']);
});

test('percents', () => {
  assert.deepEqual(isValidPercent('25%'), []);
  assert.deepEqual(isValidPercent('25'), [
    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
  ]);
});

test('domain-prefixed paths', () => {
  assert.deepEqual(isDomainPrefixedPath('spec.controller', 'skiff.dev/ingress'), []);
  assert.deepEqual(isDomainPrefixedPath('spec.controller', ''), [{ type: 'FieldValueRequired', field: 'spec.controller', detail: '' }]);
  assert.deepEqual(isDomainPrefixedPath('spec.controller', 'nginx'), [
    { type: 'FieldValueInvalid', field: 'spec.controller', value: 'nginx', detail: 'must be a domain-prefixed path (such as "acme.io/foo")' },
  ]);
  assert.equal(isDomainPrefixedPath('spec.controller', 'Acme.io/x')[0].value, 'Acme.io');
});
