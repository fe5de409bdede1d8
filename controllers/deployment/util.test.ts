// The rollout arithmetic: fenceposts and their rounding, the new
// ReplicaSet's next size, proportional shares, revision history.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getProportion, maxSurge, maxUnavailable, newRSNewReplicas, resolveFenceposts, setNewReplicaSetAnnotations, type D, type RS } from './util.ts';

const d = (replicas: number, maxSurgeV: number | string, maxUnavailableV: number | string, status: Record<string, number> = {}): D =>
  ({
    metadata: { name: 'web', annotations: { team: 'a', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
    spec: { replicas, selector: {}, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: maxSurgeV, maxUnavailable: maxUnavailableV } } },
    status,
  }) as D;
const rs = (replicas: number, annotations: Record<string, string> = {}): RS => ({ metadata: { name: `rs-${replicas}`, annotations }, spec: { replicas, selector: {} } }) as RS;

describe('rollout arithmetic', () => {
  it('rounds maxSurge up and maxUnavailable down', () => {
    assert.deepEqual(resolveFenceposts(d(10, '25%', '25%')), { surge: 3, unavailable: 2 });
    assert.deepEqual(resolveFenceposts(d(5, '25%', '25%')), { surge: 2, unavailable: 1 });
    assert.deepEqual(resolveFenceposts(d(3, '10%', '10%')), { surge: 1, unavailable: 0 });
  });

  it('makes maxUnavailable 1 when both resolve to 0, and caps it at replicas', () => {
    assert.deepEqual(resolveFenceposts(d(2, 0, '10%')), { surge: 0, unavailable: 1 });
    assert.equal(maxUnavailable(d(2, 0, 5)), 2);
    assert.equal(maxUnavailable(d(0, 1, 1)), 0);
    const recreate = { ...d(3, 1, 1), spec: { ...d(3, 1, 1).spec!, strategy: { type: 'Recreate' } } } as D;
    assert.equal(maxSurge(recreate), 0);
    assert.equal(maxUnavailable(recreate), 0);
  });

  it('sizes the new ReplicaSet up to replicas+maxSurge pods in all', () => {
    const dep = d(10, 3, 2);
    const newRS = rs(0);
    assert.equal(newRSNewReplicas(dep, [rs(10), newRS], newRS), 3);
    const grown = rs(3);
    assert.equal(newRSNewReplicas(dep, [rs(10), grown], grown), 3, 'at the surge limit');
    const almost = rs(8);
    assert.equal(newRSNewReplicas(dep, [rs(2), almost], almost), 10, 'never beyond replicas');
  });

  it('shares a scaling event in proportion to the sizes before it (max-replicas annotation)', () => {
    // 10 → 15 replicas, maxSurge 3: 18 allowed, 13 there (old 8, new 5): 5 to add.
    const dep = d(15, 3, 2);
    const old = rs(8, { 'deployment.kubernetes.io/max-replicas': '13' });
    const nu = rs(5, { 'deployment.kubernetes.io/max-replicas': '13' });
    const first = getProportion(old, dep, 5, 0);
    assert.equal(first, 3);
    assert.equal(getProportion(nu, dep, 5, first), 2);
    // Scaling to zero removes everything.
    assert.equal(getProportion(rs(4), d(0, 3, 2), -4, 0), -4);
  });

  it('copies the deployment annotations (not the bookkeeping ones) and keeps the revision history on rollback', () => {
    const dep = d(3, 1, 0);
    const created = rs(0);
    setNewReplicaSetAnnotations(dep, created, 1, false);
    assert.deepEqual(created.metadata.annotations, {
      team: 'a',
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    const reused = rs(0, { 'deployment.kubernetes.io/revision': '2', 'deployment.kubernetes.io/revision-history': '1' });
    assert.ok(setNewReplicaSetAnnotations(dep, reused, 5, true));
    assert.equal(reused.metadata.annotations!['deployment.kubernetes.io/revision'], '5');
    assert.equal(reused.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1,2');
    assert.ok(!setNewReplicaSetAnnotations(dep, reused, 5, true), 'nothing left to change');
  });
});
