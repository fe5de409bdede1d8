import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorString } from '../field-error.ts';
import { validateEnv, validateEnvFrom } from './env.ts';

test('env names and valueFrom sources', () => {
  const errs = validateEnv(
    [
      { name: 'OK', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['app']" } } },
      { name: '1BAD', value: 'x' },
      { name: 'A', value: 'x', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'B', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nope' } } },
      { name: 'C', valueFrom: {} },
      { name: 'D', valueFrom: { secretKeyRef: { name: 'creds', key: 'pass word' } } },
      { name: 'E', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.phase' } } },
      { name: 'F', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1Mi' } } },
      { name: '' },
    ],
    'env',
  ).map(errorString);
  assert.deepEqual(errs, [
    "env[1].name: Invalid value: \"1BAD\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
    'env[2].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
    'env[3].valueFrom.fieldRef.fieldPath: Invalid value: "spec.nope": error converting fieldPath: field label not supported: spec.nope',
    'env[4].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
    "env[5].valueFrom.secretKeyRef.key: Invalid value: \"pass word\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    'env[6].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
    "env[7].valueFrom.resourceFieldRef.divisor: Invalid value: \"limits.cpu\": only divisor's values 1m and 1 are supported with the cpu resource",
    'env[8].name: Required value',
  ]);
});

test('envFrom: a prefix and exactly one source', () => {
  assert.deepEqual(validateEnvFrom([{ configMapRef: { name: 'cfg' }, prefix: 'APP_' }], 'envFrom'), []);
  assert.deepEqual(validateEnvFrom([{ prefix: 'X' }, { configMapRef: { name: 'a' }, secretRef: { name: 'b' } }], 'envFrom').map(errorString), [
    'envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`',
    'envFrom: Invalid value: "": may not have more than one field specified at a time',
  ]);
});
