// pods/binding over a real registry and store, reached as the scheduler
// reaches it: LocalClient.createSubresource.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { LocalClient } from '../../client/local.ts';
import { R } from '../../client/resources.ts';
import { ApiError } from '../errors.ts';
import { bindPod } from './pod-binding.ts';
import { registerPodSubresources } from './pod-eviction.ts';
import { FIXED_NOW, useTempRegistry } from './test-registry.ts';

const fx = useTempRegistry('pod-binding');
const LATER = new Date(FIXED_NOW.getTime() + 60_000);
before(() => registerPodSubresources(() => LATER));

const pod = (name: string, spec: Record<string, unknown> = {}) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } });
const binding = (name: string, node: string, meta: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Binding',
  metadata: { name, ...meta },
  target: { apiVersion: 'v1', kind: 'Node', name: node },
});

async function rejects(p: Promise<unknown>, code: number, message: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    return true;
  });
}

describe('pods/binding', () => {
  it('sets spec.nodeName and PodScheduled=True in one write, and answers 201 Success', async () => {
    const client = new LocalClient(fx.registry, 'default-scheduler');
    const created = await client.create(R.pods, 'default', pod('p'));
    const res = await client.createSubresource(R.pods, 'default', 'p', 'binding', binding('p', 'node-1', { annotations: { 'example.com/a': 'b' } }));
    assert.deepEqual(res, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const bound = await client.get(R.pods, 'default', 'p');
    assert.equal((bound.spec as { nodeName: string }).nodeName, 'node-1');
    assert.deepEqual((bound.status as { conditions: unknown }).conditions, [
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-05-01T10:01:00Z' },
    ]);
    assert.deepEqual(bound.metadata.annotations, { 'example.com/a': 'b' });
    assert.equal(Number(bound.metadata.resourceVersion), Number(created.metadata.resourceVersion) + 1, 'one write');
    assert.deepEqual(bound.metadata.managedFields, created.metadata.managedFields, 'managedFields untouched, as upstream');
  });

  it('refuses a pod that is already assigned, even to the same node (409 on pods/binding)', async () => {
    await fx.registry.create(R.pods, 'default', pod('p', { nodeName: 'node-1' }));
    await rejects(bindPod(fx.registry, 'default', 'p', binding('p', 'node-2')), 409, 'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "node-1"');
    await rejects(bindPod(fx.registry, 'default', 'p', binding('p', 'node-1')), 409, 'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "node-1"');
  });

  it('404 for a missing pod; 400 for a Binding naming another pod; 422 without a target node', async () => {
    await rejects(bindPod(fx.registry, 'default', 'nope', binding('nope', 'node-1')), 404, 'pods "nope" not found');
    await fx.registry.create(R.pods, 'default', pod('p'));
    await rejects(bindPod(fx.registry, 'default', 'p', binding('q', 'node-1')), 400, 'name in URL does not match name in Binding object');
    await rejects(bindPod(fx.registry, 'default', 'p', { metadata: { name: 'p' }, target: { kind: 'Pod' } }), 422, 'Binding "p" is invalid: [target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>", target.name: Required value]');
  });

  it('honours uid and resourceVersion preconditions, refuses pods being deleted or gated, and writes nothing on dry run', async () => {
    const p = await fx.registry.create(R.pods, 'default', pod('p'));
    await rejects(bindPod(fx.registry, 'default', 'p', binding('p', 'n', { uid: 'other' })), 409, `Operation cannot be fulfilled on pods "p": Precondition failed: UID in precondition: other, UID in object meta: ${p.metadata.uid}`);
    await rejects(bindPod(fx.registry, 'default', 'p', binding('p', 'n', { resourceVersion: '1' })), 409, `Operation cannot be fulfilled on pods "p": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${p.metadata.resourceVersion}`);
    await bindPod(fx.registry, 'default', 'p', binding('p', 'n'), { dryRun: true });
    assert.deepEqual(await fx.registry.get(R.pods, 'default', 'p'), p);
    await fx.registry.create(R.pods, 'default', pod('gated', { schedulingGates: [{ name: 'example.com/wait' }] }));
    await rejects(bindPod(fx.registry, 'default', 'gated', binding('gated', 'n')), 409, 'Operation cannot be fulfilled on pods/binding "gated": pod gated has non-empty .spec.schedulingGates');
    await fx.registry.create(R.pods, 'default', { ...pod('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await fx.registry.delete(R.pods, 'default', 'held');
    await rejects(bindPod(fx.registry, 'default', 'held', binding('held', 'n')), 409, 'Operation cannot be fulfilled on pods/binding "held": pod held is being deleted, cannot be assigned to a host');
  });
});
