import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorString } from '../field-error.ts';
import { validateCoreEvent, validateEventsEvent } from './events.ts';

test('core events: the involved object lives in the event namespace', () => {
  const ok = {
    metadata: { name: 'web.17a', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
    reason: 'Started',
    message: 'Started container',
  };
  assert.deepEqual(validateCoreEvent(ok), []);
  assert.deepEqual(validateCoreEvent({ ...ok, involvedObject: { kind: 'Pod', name: 'web', namespace: 'other' } }).map(errorString), [
    'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
  ]);
  assert.deepEqual(validateCoreEvent({ ...ok, metadata: { name: 'n', namespace: 'team' }, involvedObject: { kind: 'Node', name: 'n' } }).map(errorString), [
    'involvedObject.namespace: Invalid value: "": does not match event.namespace',
  ]);
});

test('new-style core events need reporting fields', () => {
  const e = {
    metadata: { name: 'x', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
    eventTime: '2024-01-01T00:00:00.000000Z',
  };
  assert.deepEqual(validateCoreEvent(e).map(errorString), [
    'reportingController: Required value',
    "reportingController: Invalid value: \"\": name part must be non-empty",
    "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    'reportingInstance: Required value',
    'action: Required value',
    'reason: Required value',
  ]);
});

test('events.k8s.io events get the strict checks', () => {
  const e = {
    metadata: { name: 'web.17a', namespace: 'default' },
    regarding: { kind: 'Pod', name: 'web', namespace: 'default' },
    eventTime: '2024-01-01T00:00:00.000000Z',
    reportingController: 'skiff.dev/scheduler',
    reportingInstance: 'skiff-1',
    action: 'Binding',
    reason: 'Scheduled',
    type: 'Normal',
    note: 'assigned',
  };
  assert.deepEqual(validateEventsEvent(e), []);
  assert.deepEqual(validateEventsEvent({ ...e, type: 'Info', deprecatedCount: 2 }).map(errorString), [
    'type: Invalid value: "": has invalid value: Info',
    'count: Invalid value: "": needs to be unset',
  ]);
  assert.deepEqual(validateEventsEvent({ ...e, note: 'changed' }, e).map(errorString), ['message: Invalid value: "changed": field is immutable']);
});
