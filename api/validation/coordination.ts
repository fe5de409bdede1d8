// coordination.k8s.io/v1 Lease (pkg/apis/coordination/validation).

import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { FieldError } from '../field-error.ts';
import { invalid } from '../field-error.ts';
import { IS_NEGATIVE_ERROR_MSG } from './messages.ts';
import { nameIsDnsSubdomain } from './names.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';

export function validateLease(lease: Lease, old?: Lease): FieldError[] {
  const errs = old ? validateObjectMetaUpdate(lease.metadata, old.metadata) : validateObjectMeta(lease.metadata, { namespaced: true, nameFn: nameIsDnsSubdomain });
  const spec = lease.spec ?? {};
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0) {
    errs.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions < 0) {
    errs.push(invalid('spec.leaseTransitions', spec.leaseTransitions, IS_NEGATIVE_ERROR_MSG));
  }
  return errs;
}
