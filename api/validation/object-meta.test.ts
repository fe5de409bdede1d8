import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorString } from '../field-error.ts';
import { nameIsDnsLabel, nameIsDnsSubdomain } from './names.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';

const namespaced = { namespaced: true, nameFn: nameIsDnsSubdomain };
const messages = (errs: ReturnType<typeof validateObjectMeta>) => errs.map(errorString);

test('a name or a generateName is required', () => {
  assert.deepEqual(validateObjectMeta({ namespace: 'default' }, namespaced), [
    { type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' },
  ]);
  assert.deepEqual(validateObjectMeta({ generateName: 'web-', namespace: 'default' }, namespaced), []);
  assert.deepEqual(messages(validateObjectMeta({ generateName: 'Web-', namespace: 'default' }, namespaced)), [
    `metadata.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  ]);
});

test('the name format is the kind’s', () => {
  assert.equal(validateObjectMeta({ name: 'a.b' }, { namespaced: false, nameFn: nameIsDnsLabel })[0].detail, 'must not contain dots');
  assert.deepEqual(validateObjectMeta({ name: 'a.b', namespace: 'x' }, namespaced), []);
});

test('namespace is required for namespaced kinds and forbidden for cluster-scoped ones', () => {
  assert.deepEqual(validateObjectMeta({ name: 'x' }, namespaced), [{ type: 'FieldValueRequired', field: 'metadata.namespace', detail: '' }]);
  assert.deepEqual(validateObjectMeta({ name: 'x', namespace: 'default' }, { namespaced: false, nameFn: nameIsDnsSubdomain }), [
    { type: 'FieldValueForbidden', field: 'metadata.namespace', detail: 'not allowed on this type' },
  ]);
  assert.equal(validateObjectMeta({ name: 'x', namespace: 'My_NS' }, namespaced)[0].field, 'metadata.namespace');
});

test('labels: keys are qualified names, values at most 63 of the label charset', () => {
  const errs = validateObjectMeta({ name: 'x', namespace: 'd', labels: { 'bad key!': 'ok', app: '-bad', ok: 'x'.repeat(64) } }, namespaced);
  assert.deepEqual(
    errs.map((e) => [e.type, e.field, e.value]),
    [
      ['FieldValueInvalid', 'metadata.labels', 'bad key!'],
      ['FieldValueInvalid', 'metadata.labels', '-bad'],
      ['FieldValueInvalid', 'metadata.labels', 'x'.repeat(64)],
    ],
  );
  assert.equal(errs[2].detail, 'must be no more than 63 characters');
});

test('annotations: key syntax (case-insensitive) and a 256 KiB total', () => {
  assert.deepEqual(validateObjectMeta({ name: 'x', namespace: 'd', annotations: { 'Example.com/Note': 'x' } }, namespaced), []);
  assert.equal(validateObjectMeta({ name: 'x', namespace: 'd', annotations: { 'a b': 'x' } }, namespaced)[0].field, 'metadata.annotations');
  const big = validateObjectMeta({ name: 'x', namespace: 'd', annotations: { big: 'x'.repeat(256 * 1024) } }, namespaced);
  assert.deepEqual(big, [{ type: 'FieldValueTooLong', field: 'metadata.annotations', value: '', detail: 'may not be more than 262144 bytes' }]);
});

test('owner references need apiVersion, kind, name and uid, and one controller at most', () => {
  const errs = validateObjectMeta(
    {
      name: 'x',
      namespace: 'd',
      ownerReferences: [
        { apiVersion: '', kind: '', name: '', uid: '' },
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
        { apiVersion: 'v1', kind: 'Event', name: 'e', uid: '3' },
      ],
    },
    namespaced,
  );
  assert.deepEqual(
    errs.map((e) => `${e.field}: ${e.detail}`),
    [
      'metadata.ownerReferences.apiVersion: version must not be empty',
      'metadata.ownerReferences.kind: must not be empty',
      'metadata.ownerReferences.name: must not be empty',
      'metadata.ownerReferences.uid: must not be empty',
      'metadata.ownerReferences: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b',
      'metadata.ownerReferences: /v1, Kind=Event is disallowed from being an owner',
    ],
  );
});

test('finalizers are qualified names; unprefixed ones must be standard', () => {
  assert.deepEqual(validateObjectMeta({ name: 'x', namespace: 'd', finalizers: ['example.com/cleanup', 'kubernetes', 'foregroundDeletion'] }, namespaced), []);
  assert.deepEqual(
    validateObjectMeta({ name: 'x', namespace: 'd', finalizers: ['custom'] }, namespaced).map((e) => [e.field, e.detail]),
    [['metadata.finalizers[0]', 'name is neither a standard finalizer name nor is it fully qualified']],
  );
  assert.equal(
    validateObjectMeta({ name: 'x', namespace: 'd', finalizers: ['orphan', 'foregroundDeletion'] }, namespaced)[0].detail,
    'finalizer orphan and foregroundDeletion cannot be both set',
  );
});

test('on update, name, namespace, uid and creationTimestamp are immutable', () => {
  const old = { name: 'a', namespace: 'd', uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z' };
  assert.deepEqual(validateObjectMetaUpdate({ ...old }, old), []);
  assert.deepEqual(
    validateObjectMetaUpdate({ name: 'b', namespace: 'e', uid: 'u2', creationTimestamp: '2025-01-01T00:00:00Z' }, old).map(errorString),
    [
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.namespace: Invalid value: "e": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
      'metadata.creationTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable',
    ],
  );
  // Left out, the server keeps them.
  assert.deepEqual(validateObjectMetaUpdate({ name: 'a', namespace: 'd' }, old), []);
});

test('no finalizers may be added to an object being deleted', () => {
  const old = { name: 'a', namespace: 'd', deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['example.com/a'] };
  assert.deepEqual(validateObjectMetaUpdate({ ...old, finalizers: ['example.com/a', 'example.com/b'] }, old), [
    {
      type: 'FieldValueForbidden',
      field: 'metadata.finalizers',
      detail: 'no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/b"}',
    },
  ]);
  assert.deepEqual(validateObjectMetaUpdate({ ...old, finalizers: [] }, old), []);
});
