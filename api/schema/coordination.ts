// coordination.k8s.io/v1: Lease.
//
// Field numbers follow upstream k8s.io/api/coordination/v1 (generated.proto).

import { model, p, t, typeMeta } from './dsl.ts';
import type { Model } from './dsl.ts';
import { ObjectMeta } from './meta.ts';

export const LeaseSpec: Model = model(
  'io.k8s.api.coordination.v1.LeaseSpec',
  'LeaseSpec is a specification of a Lease.',
  {
    holderIdentity: p(1, t.string(), 'Identity of the current holder of the lease.'),
    leaseDurationSeconds: p(2, t.int32(), 'Seconds candidates must wait, after the last observed renewTime, before forcing acquisition.'),
    acquireTime: p(3, t.microTime(), 'When the current lease was acquired.'),
    renewTime: p(4, t.microTime(), 'When the current holder last renewed the lease.'),
    leaseTransitions: p(5, t.int32(), 'Number of times the lease changed holders.'),
    strategy: p(6, t.string(), 'Strategy for picking the leader in coordinated leader election (alpha).'),
    preferredHolder: p(7, t.string(), 'Signals the holder that a better holder exists and the lease should be released; requires strategy.'),
  },
);

export const Lease: Model = model(
  'io.k8s.api.coordination.v1.Lease',
  'Lease defines a lease concept.',
  {
    ...typeMeta(),
    metadata: p(1, t.ref(() => ObjectMeta), "Standard object's metadata."),
    spec: p(2, t.ref(() => LeaseSpec), 'Specification of the Lease.'),
  },
  { gvk: [{ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' }] },
);
