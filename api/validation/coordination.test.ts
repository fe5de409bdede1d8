import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorString } from '../field-error.ts';
import { validateLease } from './coordination.ts';

test('leases: positive duration, non-negative transitions', () => {
  const lease = { metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 } };
  assert.deepEqual(validateLease(lease), []);
  assert.deepEqual(validateLease({ ...lease, spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } }).map(errorString), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
  ]);
});
