// The scheduler over a real registry, store, LocalClient and informers:
// pods are bound through pods/binding, unschedulable pods get their
// condition and event and are placed once room appears.

import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, describe, it } from 'node:test';
import { ApiError } from '../apiserver/errors.ts';
import { registerPodSubresources } from '../apiserver/registry/pod-eviction.ts';
import { FIXED_NOW, useTempRegistry } from '../apiserver/registry/test-registry.ts';
import { EventRecorder } from '../client/events.ts';
import { InformerFactory } from '../client/informer.ts';
import { LocalClient } from '../client/local.ts';
import { R } from '../client/resources.ts';
import type { ResourceInfo } from '../api/kinds.ts';
import type { Client, ClientListOptions, ClientWatchHandlers, KObject } from '../client/types.ts';
import { Scheduler } from './scheduler.ts';

const fx = useTempRegistry('scheduler');
let client: LocalClient;
let informers: InformerFactory;
let scheduler: Scheduler;
const logged: string[] = [];

before(() => registerPodSubresources(() => FIXED_NOW));

beforeEach(async () => {
  logged.length = 0;
  client = new LocalClient(fx.registry, 'default-scheduler');
  informers = new InformerFactory(client);
  const recorder = new EventRecorder(client, { component: 'default-scheduler' }, () => FIXED_NOW);
  scheduler = new Scheduler(client, informers, { recorder, clock: () => FIXED_NOW, random: () => 0, log: (m, e) => logged.push(`${m}: ${String(e)}`) });
  await scheduler.start();
});

afterEach(() => {
  scheduler.stop();
  informers.stop();
});

function node(name: string, allocatable: Record<string, string> = { cpu: '4', memory: '8Gi', pods: '110' }): KObject {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: { capacity: allocatable, allocatable, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready' }] },
  };
}

function pod(name: string, requests?: Record<string, string>, spec: Record<string, unknown> = {}): KObject {
  return { metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox', ...(requests ? { resources: { requests } } : {}) }], ...spec } };
}

const getPod = (name: string) => fx.registry.get(R.pods, 'default', name);
const nodeOf = async (name: string) => ((await getPod(name)).spec as { nodeName?: string }).nodeName;
const scheduledCondition = async (name: string) =>
  ((await getPod(name)).status as { conditions?: Record<string, unknown>[] }).conditions?.find((c) => c.type === 'PodScheduled');

/** Waits (in small steps, with a generous bound) until cond holds. */
async function until(what: string, cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await cond()) return;
    await new Promise((res) => setTimeout(res, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function events(): Promise<{ reason: string; type: string; message: string; object: string; component: string }[]> {
  await scheduler.idle();
  const { items } = await client.list(R.events, { namespace: 'default' });
  return items.map((e) => ({
    reason: e.reason as string,
    type: e.type as string,
    message: e.message as string,
    object: (e.involvedObject as { name: string }).name,
    component: (e.source as { component: string }).component,
  }));
}

describe('Scheduler', () => {
  it('binds a new pod to the ready node, with PodScheduled=True and a Scheduled event', async () => {
    await client.create(R.nodes, undefined, node('node-1'));
    await client.create(R.pods, 'default', pod('web', { cpu: '100m' }));
    await until('the pod to be bound', async () => (await nodeOf('web')) === 'node-1');
    assert.deepEqual(await scheduledCondition('web'), { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-05-01T10:00:00Z' });
    assert.deepEqual(await events(), [
      { reason: 'Scheduled', type: 'Normal', message: 'Successfully assigned default/web to node-1', object: 'web', component: 'default-scheduler' },
    ]);
    assert.deepEqual(logged, []);
  });

  it('on start, decides only once both pods and nodes are listed: pending pods from before go straight to a node', async () => {
    scheduler.stop();
    informers.stop();
    await client.create(R.nodes, undefined, node('node-1'));
    await client.create(R.pods, 'default', pod('waiting'));
    informers = new InformerFactory(client);
    const recorder = new EventRecorder(client, { component: 'default-scheduler' }, () => FIXED_NOW);
    scheduler = new Scheduler(client, informers, { recorder, clock: () => FIXED_NOW, random: () => 0 });
    await scheduler.start();
    await until('the pod to be bound', async () => (await nodeOf('waiting')) === 'node-1');
    assert.deepEqual((await events()).map((e) => e.reason), ['Scheduled']);
  });

  it('leaves alone pods for other schedulers, pods with a node, and gated pods', async () => {
    await client.create(R.nodes, undefined, node('node-1'));
    await client.create(R.pods, 'default', pod('other', undefined, { schedulerName: 'my-scheduler' }));
    await client.create(R.pods, 'default', pod('gated', undefined, { schedulingGates: [{ name: 'example.com/wait' }] }));
    await client.create(R.pods, 'default', pod('pinned', undefined, { nodeName: 'elsewhere' }));
    await client.create(R.pods, 'default', pod('mine'));
    await until('the default pod to be bound', async () => (await nodeOf('mine')) === 'node-1');
    await scheduler.idle();
    assert.equal(await nodeOf('other'), undefined);
    assert.equal(await nodeOf('gated'), undefined);
    assert.equal(await nodeOf('pinned'), 'elsewhere');
    assert.deepEqual((await events()).map((e) => e.object), ['mine']);
  });

  it('marks a pod no node can take Unschedulable, with a FailedScheduling event, and places it when a node with room appears', async () => {
    await client.create(R.nodes, undefined, node('small', { cpu: '1', memory: '1Gi', pods: '110' }));
    await client.create(R.pods, 'default', pod('big', { cpu: '2' }));
    const message = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..';
    await until('the Unschedulable condition', async () => (await scheduledCondition('big'))?.status === 'False');
    assert.deepEqual(await scheduledCondition('big'), {
      type: 'PodScheduled',
      status: 'False',
      lastTransitionTime: '2024-05-01T10:00:00Z',
      reason: 'Unschedulable',
      message,
    });
    assert.deepEqual(await events(), [{ reason: 'FailedScheduling', type: 'Warning', message, object: 'big', component: 'default-scheduler' }]);

    await client.create(R.nodes, undefined, node('large', { cpu: '8', memory: '16Gi', pods: '110' }));
    await until('the pod to be bound to the new node', async () => (await nodeOf('big')) === 'large');
    assert.equal((await scheduledCondition('big'))?.status, 'True');
    assert.deepEqual((await events()).map((e) => e.reason).sort(), ['FailedScheduling', 'Scheduled']);
  });

  it('with no nodes, says so, and schedules once a node registers', async () => {
    await client.create(R.pods, 'default', pod('early'));
    await until('the Unschedulable condition', async () => (await scheduledCondition('early'))?.message === 'no nodes available to schedule pods');
    assert.equal((await scheduledCondition('early'))?.reason, 'Unschedulable');
    await client.create(R.nodes, undefined, node('node-1'));
    await until('the pod to be bound', async () => (await nodeOf('early')) === 'node-1');
  });

  it('counts a pod it just bound before the informer shows it, so two pods never take the last slot', async () => {
    // The informers here see pod updates late, as over a slow network: they are held back until the end.
    scheduler.stop();
    informers.stop();
    const held: (() => void)[] = [];
    let holding = true;
    const lagging: Client = Object.assign(Object.create(client) as LocalClient, {
      watch: (r: ResourceInfo, opts: ClientListOptions & { resourceVersion: string }, h: ClientWatchHandlers) =>
        client.watch(r, opts, {
          event: (type, obj) => {
            if (r === R.pods && type === 'MODIFIED' && holding) held.push(() => h.event(type, obj));
            else h.event(type, obj);
          },
          end: (err) => h.end(err),
        }),
    });
    informers = new InformerFactory(lagging);
    const recorder = new EventRecorder(client, { component: 'default-scheduler' }, () => FIXED_NOW);
    scheduler = new Scheduler(client, informers, { recorder, clock: () => FIXED_NOW, random: () => 0 });
    await scheduler.start();
    await client.create(R.nodes, undefined, node('node-1', { cpu: '1', memory: '1Gi', pods: '1' }));
    await client.create(R.pods, 'default', pod('a'));
    await client.create(R.pods, 'default', pod('b'));
    await until('one pod bound and the other refused', async () => {
      const placed = [await nodeOf('a'), await nodeOf('b')].filter(Boolean).length;
      const refused = [(await scheduledCondition('a'))?.reason, (await scheduledCondition('b'))?.reason].filter((r) => r === 'Unschedulable').length;
      return placed === 1 && refused === 1;
    });
    assert.ok(held.length > 0, 'the informer had not seen the binding when the second pod was decided');
    const loser = (await nodeOf('a')) ? 'b' : 'a';
    assert.equal((await scheduledCondition(loser))?.message, '0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..');
    holding = false;
    for (const release of held.splice(0)) release();
  });

  it('places a waiting pod when an assigned pod goes away', async () => {
    await client.create(R.nodes, undefined, node('node-1', { cpu: '1', memory: '1Gi', pods: '1' }));
    await client.create(R.pods, 'default', pod('first'));
    await until('the first pod to be bound', async () => (await nodeOf('first')) === 'node-1');
    await client.create(R.pods, 'default', pod('second'));
    await until('the Unschedulable condition', async () => (await scheduledCondition('second'))?.reason === 'Unschedulable');
    await client.delete(R.pods, 'default', 'first', { gracePeriodSeconds: 0 });
    await until('the waiting pod to be bound', async () => (await nodeOf('second')) === 'node-1');
  });

  it('chooses between two nodes by score: the emptier one', async () => {
    await client.create(R.nodes, undefined, node('busy'));
    await client.create(R.nodes, undefined, node('idle'));
    await client.create(R.pods, 'default', pod('hog', { cpu: '3', memory: '6Gi' }, { nodeName: 'busy' }));
    await client.create(R.pods, 'default', pod('new', { cpu: '500m', memory: '512Mi' }));
    await until('the pod to be bound', async () => (await nodeOf('new')) !== undefined);
    assert.equal(await nodeOf('new'), 'idle');
  });

  it('retries when a node changes: an uncordoned node takes the pod', async () => {
    const cordoned = node('node-1');
    cordoned.spec = { unschedulable: true };
    await client.create(R.nodes, undefined, cordoned);
    await client.create(R.pods, 'default', pod('p'));
    await until('the Unschedulable condition', async () => (await scheduledCondition('p'))?.status === 'False');
    assert.equal(
      (await scheduledCondition('p'))?.message,
      '0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..',
    );
    await client.patch(R.nodes, undefined, 'node-1', 'merge', { spec: { unschedulable: false } });
    await until('the pod to be bound', async () => (await nodeOf('p')) === 'node-1');
  });

  it('retries when the pod changes: a toleration added later lets it onto a tainted node', async () => {
    const tainted = node('gpu-1');
    tainted.spec = { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] };
    await client.create(R.nodes, undefined, tainted);
    await client.create(R.pods, 'default', pod('p'));
    await until('the Unschedulable condition', async () => (await scheduledCondition('p'))?.status === 'False');
    assert.equal(
      (await scheduledCondition('p'))?.message,
      '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..',
    );
    await client.patch(R.pods, 'default', 'p', 'strategic', { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] } });
    await until('the pod to be bound', async () => (await nodeOf('p')) === 'gpu-1');
  });

  it('a pod bound by someone else in the meantime is left as it is', async () => {
    await client.create(R.pods, 'default', pod('p'));
    await until('the Unschedulable condition', async () => (await scheduledCondition('p'))?.status === 'False');
    await client.createSubresource(R.pods, 'default', 'p', 'binding', { metadata: { name: 'p' }, target: { kind: 'Node', name: 'manual' } });
    await assert.rejects(
      client.createSubresource(R.pods, 'default', 'p', 'binding', { metadata: { name: 'p' }, target: { kind: 'Node', name: 'other' } }),
      (e: ApiError) => e.code === 409,
    );
    await client.create(R.nodes, undefined, node('node-1'));
    await scheduler.idle();
    assert.equal(await nodeOf('p'), 'manual');
    assert.deepEqual(logged, []);
  });
});
