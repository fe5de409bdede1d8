import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode, rawWithResourceVersion } from './codec.ts';

const kv = (value: string, modRevision = 42) => ({ key: '/k', value, createRevision: 1, modRevision });

test('stored JSON has metadata first and no resourceVersion', () => {
  const text = encode({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' }, metadata: { name: 'x', resourceVersion: '7' } });
  assert.ok(text.startsWith('{"metadata":{"name":"x"}'));
  assert.deepEqual(decode(kv(text)), { metadata: { name: 'x', resourceVersion: '42' }, apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } });
});

test('the raw text with its resourceVersion parses to what decode gives', () => {
  for (const obj of [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { metadata: '{' } }, data: { '"metadata":{': '}' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} },
  ]) {
    const text = encode(obj);
    assert.deepEqual(JSON.parse(rawWithResourceVersion(kv(text))), decode(kv(text)));
  }
});

test('objects stored with another key order are still served correctly', () => {
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old' } });
  assert.deepEqual(JSON.parse(rawWithResourceVersion(kv(text, 5))), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old', resourceVersion: '5' } });
});
