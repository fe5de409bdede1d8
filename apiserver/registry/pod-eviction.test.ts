// pods/eviction over a real registry and store: the pod is marked
// DisruptionTarget and deleted with the Eviction's deleteOptions.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { LocalClient } from '../../client/local.ts';
import { R } from '../../client/resources.ts';
import { ApiError } from '../errors.ts';
import { evictPod, registerPodSubresources } from './pod-eviction.ts';
import { FIXED_NOW, useTempRegistry } from './test-registry.ts';

const fx = useTempRegistry('pod-eviction');
before(() => registerPodSubresources());

const pod = (name: string, spec: Record<string, unknown> = {}) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } });
const eviction = (name: string, deleteOptions?: Record<string, unknown>) => ({
  apiVersion: 'policy/v1',
  kind: 'Eviction',
  metadata: { name, namespace: 'default' },
  ...(deleteOptions ? { deleteOptions } : {}),
});

async function exists(name: string): Promise<boolean> {
  try {
    await fx.registry.get(R.pods, 'default', name);
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.code === 404) return false;
    throw e;
  }
}

describe('pods/eviction', () => {
  it('deletes an unassigned pod at once and answers 201 Success', async () => {
    const client = new LocalClient(fx.registry, 'kubectl');
    await client.create(R.pods, 'default', pod('p'));
    const res = await client.createSubresource(R.pods, 'default', 'p', 'eviction', eviction('p'));
    assert.deepEqual(res, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    assert.equal(await exists('p'), false);
  });

  it('marks a running pod DisruptionTarget and deletes it with the grace period asked for', async () => {
    await fx.registry.create(R.pods, 'default', pod('run', { nodeName: 'node-1', terminationGracePeriodSeconds: 30 }));
    await evictPod(fx.registry, 'default', 'run', eviction('run', { gracePeriodSeconds: 5 }), { manager: 'kubectl', now: () => FIXED_NOW });
    const p = await fx.registry.get(R.pods, 'default', 'run');
    assert.equal(p.metadata.deletionGracePeriodSeconds, 5);
    assert.ok(p.metadata.deletionTimestamp);
    const cond = (p.status as { conditions: { type: string }[] }).conditions.find((c) => c.type === 'DisruptionTarget');
    assert.deepEqual(cond, { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });
  });

  it('honours preconditions and dry run, 404s a missing pod and 400s a mismatched name', async () => {
    const p = await fx.registry.create(R.pods, 'default', pod('p', { nodeName: 'node-1' }));
    await assert.rejects(evictPod(fx.registry, 'default', 'p', eviction('p', { preconditions: { uid: 'other' } })), (e: ApiError) => e.code === 409 && e.message.includes('the UID in the precondition (other) does not match'));
    // A resourceVersion precondition that holds survives the eviction's own condition write.
    await evictPod(fx.registry, 'default', 'p', eviction('p', { dryRun: ['All'] }));
    assert.deepEqual(await fx.registry.get(R.pods, 'default', 'p'), p, 'dry run writes nothing');
    await evictPod(fx.registry, 'default', 'p', eviction('p', { gracePeriodSeconds: 0, preconditions: { resourceVersion: p.metadata.resourceVersion } }));
    assert.equal(await exists('p'), false);
    await assert.rejects(evictPod(fx.registry, 'default', 'p', eviction('p')), (e: ApiError) => e.code === 404 && e.message === 'pods "p" not found');
    await assert.rejects(evictPod(fx.registry, 'default', 'p', eviction('q')), (e: ApiError) => e.code === 400 && e.message === 'name in URL does not match name in Eviction object');
  });
});
