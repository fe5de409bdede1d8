import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import { errorString } from '../field-error.ts';
import { defaultSecret } from '../defaults/core.ts';
import { validateConfigMap, validateSecret } from './config.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('config map keys and the 1 MiB limit', () => {
  const cm: ConfigMap = { metadata: { name: 'app', namespace: 'default' }, data: { 'app.properties': 'a=b', 'bad/key': 'x' } };
  assert.deepEqual(validateConfigMap(cm).map(errorString), [
    "data[bad/key]: Invalid value: \"bad/key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  ]);
  const big: ConfigMap = { metadata: { name: 'big', namespace: 'default' }, data: { a: 'x'.repeat(1024 * 1024) }, binaryData: { b: b64('y') } };
  assert.deepEqual(validateConfigMap(big), [{ type: 'FieldValueTooLong', field: '', value: '', detail: 'may not be more than 1048576 bytes' }]);
  const dup: ConfigMap = { metadata: { name: 'd', namespace: 'default' }, data: { k: 'x' }, binaryData: { k: b64('y') } };
  assert.deepEqual(validateConfigMap(dup).map(errorString), ['data[k]: Invalid value: "k": duplicate of key present in binaryData']);
});

test('immutable config maps keep their data', () => {
  const old: ConfigMap = { metadata: { name: 'app', namespace: 'default' }, immutable: true, data: { a: '1' } };
  assert.deepEqual(validateConfigMap({ ...old, data: { a: '1' } }, old), []);
  assert.deepEqual(validateConfigMap({ ...old, data: { a: '2' } }, old).map(errorString), ['data: Forbidden: field is immutable when `immutable` is set']);
  assert.deepEqual(validateConfigMap({ ...old, immutable: false }, old).map(errorString), ['immutable: Forbidden: field is immutable when `immutable` is set']);
});

test('secrets: keys, and the keys their type requires', () => {
  const tls: Secret = { metadata: { name: 'tls', namespace: 'default' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64('cert') } };
  assert.deepEqual(validateSecret(tls).map(errorString), ['data[tls.key]: Required value']);
  const docker: Secret = { metadata: { name: 'reg', namespace: 'default' }, type: 'kubernetes.io/dockerconfigjson', data: {} };
  assert.deepEqual(validateSecret(docker).map(errorString), ['data[.dockerconfigjson]: Required value']);
  const badJson: Secret = { ...docker, data: { '.dockerconfigjson': b64('{nope') } };
  assert.equal(validateSecret(badJson)[0].value, '<secret contents redacted>');
  const basic: Secret = { metadata: { name: 'b', namespace: 'default' }, type: 'kubernetes.io/basic-auth', data: {} };
  assert.deepEqual(validateSecret(basic).map(errorString), ['data[username]: Required value', 'data[password]: Required value']);
  const sa: Secret = { metadata: { name: 't', namespace: 'default' }, type: 'kubernetes.io/service-account-token' };
  assert.deepEqual(validateSecret(sa).map(errorString), ['metadata.annotations[kubernetes.io/service-account.name]: Required value']);
});

test('stringData is merged before validation and counts toward the keys', () => {
  const s: Secret = { metadata: { name: 'tls', namespace: 'default' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'c', 'tls.key': 'k' } };
  defaultSecret(s);
  assert.deepEqual(validateSecret(s), []);
});

test('secret type and immutable data cannot change', () => {
  const old: Secret = { metadata: { name: 's', namespace: 'default' }, type: 'Opaque', immutable: true, data: { a: b64('1') } };
  assert.deepEqual(validateSecret({ ...old, type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }, old).map(errorString), [
    'type: Invalid value: "kubernetes.io/tls": field is immutable',
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
});
