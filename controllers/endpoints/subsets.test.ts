// Truncation of Endpoints over capacity, as Kubernetes' truncateEndpoints
// shares the 1000 addresses out between subsets.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { truncateSubsets, type Subset } from './subsets.ts';

const addrs = (n: number, base: number) => Array.from({ length: n }, (_, i) => ({ ip: `10.42.${(base + i) >> 8}.${(base + i) & 255}`, targetRef: { kind: 'Pod' as const, namespace: 'd', name: `p${base + i}`, uid: `u${base + i}` } }));

describe('truncateSubsets', () => {
  it('leaves 1000 addresses alone', () => {
    assert.equal(truncateSubsets([{ addresses: addrs(600, 0), notReadyAddresses: addrs(400, 600) }]), false);
  });

  it('cuts not-ready addresses first, in proportion per subset', () => {
    const subsets: Subset[] = [
      { addresses: addrs(500, 0), notReadyAddresses: addrs(300, 500) },
      { addresses: addrs(400, 800), notReadyAddresses: addrs(100, 1200) },
    ];
    assert.equal(truncateSubsets(subsets), true);
    assert.deepEqual(subsets.map((s) => [s.addresses?.length, s.notReadyAddresses?.length]), [[500, 75], [400, 25]]);
  });

  it('drops every not-ready address and cuts ready ones when those alone exceed it', () => {
    const subsets: Subset[] = [
      { addresses: addrs(900, 0), notReadyAddresses: addrs(10, 900) },
      { addresses: addrs(300, 1000) },
    ];
    assert.equal(truncateSubsets(subsets), true);
    assert.deepEqual(subsets.map((s) => [s.addresses?.length, s.notReadyAddresses?.length]), [[750, undefined], [250, undefined]]);
  });
});
