import { test } from 'node:test';
import assert from 'node:assert/strict';
import { model, p, t, typeMeta, type Model } from '../../api/schema/dsl.ts';
import { decodeProtobufObject, ProtobufDecodeError } from './index.ts';
import { decodeMessage } from './decode.ts';
import { envelope, msg, packed } from './testdata/writer.ts';
import { Probe } from '../../api/schema/core/probe.ts';

const Meta: Model = model('test.Meta', '', {
  name: p(1, t.string(), ''),
  namespace: p(3, t.string(), ''),
  generation: p(7, t.int64(), '', { omitZero: true }),
  creationTimestamp: p(8, t.time(), ''),
  labels: p(11, t.map(t.string()), ''),
  renewTime: p(20, t.microTime(), ''),
});
const Port: Model = model('test.Port', '', {
  port: p(1, t.int32(), ''),
  target: p(2, t.intOrString(), ''),
  enabled: p(3, t.bool(), ''),
});
const Thing: Model = model(
  'test.Thing',
  '',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => Meta), ''),
    replicas: p(2, t.int32(), ''),
    offset: p(3, t.int64(), ''),
    paused: p(4, t.bool(), '', { omitZero: true }),
    ratio: p(5, t.double(), ''),
    ports: p(6, t.array(t.ref(() => Port)), ''),
    codes: p(7, t.array(t.int32()), ''),
    data: p(8, t.map(t.bytes()), ''),
    limits: p(9, t.map(t.quantity()), ''),
    raw: p(10, t.any(), ''),
    args: p(11, t.array(t.string()), ''),
    blob: p(12, t.bytes(), ''),
    minReady: p(13, t.int32(), '', { omitZero: true }),
    strategy: p(14, t.ref(() => Port), ''),
  },
  { gvk: [{ group: 'test', version: 'v1', kind: 'Thing' }] },
);

const resolve = (apiVersion: string, kind: string) => (apiVersion === 'test/v1' && kind === 'Thing' ? Thing : undefined);
const decode = (raw: Uint8Array) => decodeProtobufObject(envelope('test/v1', 'Thing', raw), resolve);

test('envelope: apiVersion and kind go on the result', () => {
  assert.deepEqual(decode(msg([[2, 3]])), { apiVersion: 'test/v1', kind: 'Thing', replicas: 3 });
});

test('zero values Go always writes are dropped the way JSON omitempty would', () => {
  const raw = msg([
    [1, [[1, 'x'], [3, ''], [7, 0], [8, []]]],
    [4, false],
    [13, 0],
    [2, 0],
    [14, []],
  ]);
  // replicas has no omitZero: a written 0 is kept; an empty message is {}; a zero time is unset.
  assert.deepEqual(decode(raw), { apiVersion: 'test/v1', kind: 'Thing', metadata: { name: 'x' }, replicas: 0, strategy: {} });
});

test('negative int32 and int64 arrive as 10-byte varints', () => {
  const raw = msg([
    [2, -5n],
    [3, -1234567890123n],
  ]);
  assert.equal(raw.length, 2 * 11);
  assert.deepEqual(decode(raw), { apiVersion: 'test/v1', kind: 'Thing', replicas: -5, offset: -1234567890123 });
});

test('doubles, bools, repeated messages, packed and unpacked repeated numbers', () => {
  const raw = msg([
    [5, 0.25, 'fixed64'],
    [4, true],
    [6, [[1, 80], [2, [[1, 0], [2, 8080]]], [3, true]]],
    [6, [[1, 443], [2, [[1, 1], [3, 'https']]]]],
    [7, 1],
    [7, packed([2, 3])],
    [11, 'a'],
    [11, ''],
  ]);
  assert.deepEqual(decode(raw), {
    apiVersion: 'test/v1',
    kind: 'Thing',
    ratio: 0.25,
    paused: true,
    ports: [{ port: 80, target: 8080, enabled: true }, { port: 443, target: 'https' }],
    codes: [1, 2, 3],
    args: ['a', ''],
  });
});

test('maps, bytes as base64, quantities, raw extensions', () => {
  const raw = msg([
    [8, [[1, 'k'], [2, Buffer.from('hello')]]],
    [8, [[1, 'empty']]],
    [9, [[1, 'cpu'], [2, [[1, '100m']]]]],
    [10, [[1, '{"a":[1,2]}']]],
    [12, Buffer.from([0xff, 0x00])],
  ]);
  assert.deepEqual(decode(raw), {
    apiVersion: 'test/v1',
    kind: 'Thing',
    data: { k: 'aGVsbG8=', empty: '' },
    limits: { cpu: '100m' },
    raw: { a: [1, 2] },
    blob: '/wA=',
  });
});

test('times: seconds for Time (nanos ignored, as metav1.Time does), microseconds for MicroTime', () => {
  const raw = msg([[1, [[8, [[1, 1767323045], [2, 999]]], [20, [[1, 1767323045], [2, 123456789]]]]]]);
  assert.deepEqual(decode(raw).metadata, { creationTimestamp: '2026-01-02T03:04:05Z', renewTime: '2026-01-02T03:04:05.123456Z' });
});

test('unknown field numbers are skipped whatever their wire type', () => {
  const raw = msg([
    [99, 7],
    [98, 'skip me'],
    [97, 1.5, 'fixed64'],
    [2, 1],
  ]);
  const withFixed32 = Uint8Array.from([...raw, (15 << 3) | 5, 1, 2, 3, 4]);
  assert.deepEqual(decode(withFixed32), { apiVersion: 'test/v1', kind: 'Thing', replicas: 1 });
});

test('a message field sent twice is merged', () => {
  const raw = msg([
    [1, [[1, 'a']]],
    [1, [[3, 'ns']]],
  ]);
  assert.deepEqual(decode(raw).metadata, { name: 'a', namespace: 'ns' });
});

test('errors: bad magic, truncation, unknown kind, wrong wire type', () => {
  assert.throws(() => decodeProtobufObject(Uint8Array.from([1, 2, 3, 4, 5]), resolve), ProtobufDecodeError);
  assert.throws(() => decodeProtobufObject(new Uint8Array(), resolve), /expected prefix/);
  const full = envelope('test/v1', 'Thing', msg([[1, [[1, 'name']]]]));
  assert.throws(() => decodeProtobufObject(full.subarray(0, full.length - 3), resolve), /truncated/);
  assert.throws(() => decodeProtobufObject(envelope('test/v2', 'Thing', new Uint8Array()), resolve), /no kind "Thing" is registered for version "test\/v2"/);
  assert.throws(() => decode(msg([[2, 'not a number']])), /field replicas: wire type 2, expected 0/);
  assert.throws(() => decodeMessage(Thing, Uint8Array.from([0x10, 0xff])), /truncated varint/);
});

test('embedded Go structs (core/v1 Probe handler) are one nested message on the wire, flat in JSON', () => {
  const raw = msg([
    [1, [[1, [[1, 'cat'], [1, '/tmp/ok']]], [2, [[1, '/healthz'], [2, [[1, 0], [2, 8080]]]]]]],
    [2, 5],
    [3, 0],
  ]);
  assert.deepEqual(decodeMessage(Probe, raw), { exec: { command: ['cat', '/tmp/ok'] }, httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 5 });
});
