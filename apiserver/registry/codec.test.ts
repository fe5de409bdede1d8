import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, decodeWritten, encode, rawWithResourceVersion } from './codec.ts';
import { clone } from './object.ts';

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

test('decodeWritten gives what decode gives for the value just written, key order included', () => {
  const special = JSON.parse('{"__proto__": {"x": 1}}');
  for (const obj of [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', resourceVersion: '3', labels: { a: 'b' } }, spec: { containers: [{ name: 'c', args: ['a', undefined] }], n: -0, f: NaN, gone: undefined } },
    { kind: 'ConfigMap', metadata: {}, data: { when: new Date(0) } },
    { kind: 'ConfigMap', metadata: { name: 'p' }, data: special },
    { kind: 'ConfigMap', metadata: { name: 'p' }, data: { toJSON: () => 'x' } },
  ]) {
    const written = kv(encode(obj as never), 9);
    const got = decodeWritten(obj as never, written);
    assert.equal(JSON.stringify(got), JSON.stringify(decode(written)));
    assert.deepEqual(got, decode(written));
  }
});

test('clone copies JSON data deeply, an own __proto__ included', () => {
  const obj = JSON.parse('{"metadata": {"labels": {"a": "b"}}, "list": [1, {"x": null}], "__proto__": {"y": 2}}');
  const c = clone(obj);
  assert.deepEqual(c, obj);
  assert.equal(Object.getPrototypeOf(c), Object.prototype);
  assert.ok(Object.hasOwn(c, '__proto__'));
  c.metadata.labels.a = 'z';
  assert.equal(obj.metadata.labels.a, 'b');
  assert.deepEqual(clone({ when: new Date(5) }), { when: new Date(5) });
  assert.throws(() => clone({ f: () => 1 }));
});
