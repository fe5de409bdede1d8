// The scheduling decision over hand-built snapshots: each filter with the
// reason Kubernetes gives, the FitError message, and the scores that choose
// between nodes that fit.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../client/types.ts';
import { snapshot } from './node-info.ts';
import { podRequests } from './resources.ts';
import { balancedAllocation, leastAllocated } from './scores.ts';
import { NO_NODES, schedulePod } from './schedule.ts';

interface NodeOpts {
  labels?: Record<string, string>;
  spec?: Record<string, unknown>;
  allocatable?: Record<string, string>;
  ready?: 'True' | 'False' | 'Unknown' | null;
}

function node(name: string, o: NodeOpts = {}): KObject {
  const ready = o.ready === undefined ? 'True' : o.ready;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: o.spec ?? {},
    status: {
      allocatable: o.allocatable ?? { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '10Gi' },
      conditions: ready === null ? [] : [{ type: 'Ready', status: ready }],
    },
  };
}

function pod(name: string, spec: Record<string, unknown> = {}, requests?: Record<string, string>, extra: Partial<KObject> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox', ...(requests ? { resources: { requests } } : {}) }], ...spec },
    ...extra,
  };
}

const on = (p: KObject, nodeName: string): KObject => ({ ...p, spec: { ...(p.spec as object), nodeName } });

/** The decision for `p` over `nodes` with `running` pods assigned. */
const decide = (p: KObject, nodes: KObject[], running: KObject[] = []) => schedulePod(p, snapshot(nodes, running), () => 0);

const unschedulable = (reasons: string, preemption: string, n = 1) =>
  ({ unschedulable: `0/${n} nodes are available: ${reasons}. preemption: 0/${n} nodes are available: ${preemption}..` });
const NOT_HELPFUL = '1 Preemption is not helpful for scheduling';
const NO_VICTIMS = '1 No preemption victims found for incoming pod';

describe('filters', () => {
  it('no nodes at all', () => {
    assert.deepEqual(decide(pod('p'), []), { unschedulable: NO_NODES });
  });

  it('a cordoned node takes only pods tolerating node.kubernetes.io/unschedulable', () => {
    const cordoned = node('n1', { spec: { unschedulable: true } });
    assert.deepEqual(decide(pod('p'), [cordoned]), unschedulable('1 node(s) were unschedulable', NOT_HELPFUL));
    const tolerant = pod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
    assert.deepEqual(decide(tolerant, [cordoned]), { node: 'n1' });
  });

  it('a node that is not Ready carries the not-ready or unreachable taint', () => {
    assert.deepEqual(decide(pod('p'), [node('n1', { ready: 'False' })]), unschedulable('1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }', NOT_HELPFUL));
    assert.deepEqual(decide(pod('p'), [node('n1', { ready: 'Unknown' })]), unschedulable('1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }', NOT_HELPFUL));
    assert.deepEqual(decide(pod('p'), [node('n1', { ready: null })]), unschedulable('1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }', NOT_HELPFUL));
    const tolerant = pod('p', { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] });
    assert.deepEqual(decide(tolerant, [node('n1', { ready: 'False' })]), { node: 'n1' });
  });

  it('NoSchedule and NoExecute taints need a toleration; PreferNoSchedule does not', () => {
    const tainted = (effect: string) => node('n1', { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect }] } });
    for (const effect of ['NoSchedule', 'NoExecute']) {
      assert.deepEqual(decide(pod('p'), [tainted(effect)]), unschedulable('1 node(s) had untolerated taint {dedicated: gpu}', NOT_HELPFUL));
    }
    assert.deepEqual(decide(pod('p'), [tainted('PreferNoSchedule')]), { node: 'n1' });
    const tolerating = (t: Record<string, unknown>) => decide(pod('p', { tolerations: [t] }), [tainted('NoSchedule')]);
    assert.deepEqual(tolerating({ key: 'dedicated', operator: 'Equal', value: 'gpu' }), { node: 'n1' });
    assert.deepEqual(tolerating({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }), { node: 'n1' }, 'operator defaults to Equal');
    assert.deepEqual(tolerating({ key: 'dedicated', operator: 'Exists' }), { node: 'n1' });
    assert.deepEqual(tolerating({ operator: 'Exists' }), { node: 'n1' }, 'an empty key with Exists tolerates everything');
    assert.ok('unschedulable' in tolerating({ key: 'dedicated', operator: 'Equal', value: 'cpu' }));
    assert.ok('unschedulable' in tolerating({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }), 'another effect');
  });

  it('nodeSelector and required node affinity: every operator, matchFields on metadata.name', () => {
    const n = node('n1', { labels: { zone: 'a', gen: '5' } });
    const miss = unschedulable("1 node(s) didn't match Pod's node affinity/selector", NOT_HELPFUL);
    assert.deepEqual(decide(pod('p', { nodeSelector: { zone: 'a' } }), [n]), { node: 'n1' });
    assert.deepEqual(decide(pod('p', { nodeSelector: { zone: 'b' } }), [n]), miss);
    const affinity = (...terms: unknown[]) => pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
    const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });
    const cases: [unknown, boolean][] = [
      [expr('zone', 'In', ['a', 'b']), true],
      [expr('zone', 'In', ['b']), false],
      [expr('zone', 'NotIn', ['b']), true],
      [expr('zone', 'NotIn', ['a']), false],
      [expr('missing', 'NotIn', ['a']), true],
      [expr('zone', 'Exists'), true],
      [expr('missing', 'Exists'), false],
      [expr('missing', 'DoesNotExist'), true],
      [expr('zone', 'DoesNotExist'), false],
      [expr('gen', 'Gt', ['4']), true],
      [expr('gen', 'Gt', ['5']), false],
      [expr('gen', 'Lt', ['6']), true],
      [expr('zone', 'Lt', ['6']), false],
      [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }, true],
      [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] }, false],
      [{}, false],
    ];
    for (const [term, fits] of cases) assert.deepEqual(decide(affinity(term), [n]), fits ? { node: 'n1' } : miss, JSON.stringify(term));
    assert.deepEqual(decide(affinity(expr('zone', 'In', ['b']), expr('gen', 'Exists')), [n]), { node: 'n1' }, 'terms are ORed');
    assert.deepEqual(decide(affinity({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gen', operator: 'Gt', values: ['9'] }] }), [n]), miss, 'requirements are ANDed');
  });

  it('host ports clash on the same protocol, port and address (0.0.0.0 covers all)', () => {
    const withPort = (name: string, port: Record<string, unknown>) => pod(name, { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, ...port }] }] });
    const running = on(withPort('web', { hostPort: 8080 }), 'n1');
    const busy = unschedulable("1 node(s) didn't have free ports for the requested pod ports", NO_VICTIMS);
    assert.deepEqual(decide(withPort('p', { hostPort: 8080 }), [node('n1')], [running]), busy);
    assert.deepEqual(decide(withPort('p', { hostPort: 8080, hostIP: '10.0.0.1' }), [node('n1')], [running]), busy);
    assert.deepEqual(decide(withPort('p', { hostPort: 8080, protocol: 'UDP' }), [node('n1')], [running]), { node: 'n1' });
    assert.deepEqual(decide(withPort('p', { hostPort: 8081 }), [node('n1')], [running]), { node: 'n1' });
    const onIp = on(withPort('web', { hostPort: 8080, hostIP: '10.0.0.1' }), 'n1');
    assert.deepEqual(decide(withPort('p', { hostPort: 8080, hostIP: '10.0.0.2' }), [node('n1')], [onIp]), { node: 'n1' });
    assert.deepEqual(decide(withPort('p', { containerPort: 80 }), [node('n1')], [running]), { node: 'n1' }, 'no hostPort, no clash');
  });

  it('resources: requests of unfinished pods on the node count against allocatable', () => {
    const n = node('n1', { allocatable: { cpu: '2', memory: '1Gi', pods: '3', 'ephemeral-storage': '1Gi', 'example.com/gpu': '1' } });
    const running = [on(pod('a', {}, { cpu: '1500m', memory: '512Mi' }), 'n1'), on(pod('done', {}, { cpu: '2' }, { status: { phase: 'Succeeded' } }), 'n1')];
    assert.deepEqual(decide(pod('p', {}, { cpu: '500m' }), [n], running), { node: 'n1' }, 'finished pods hold nothing');
    assert.deepEqual(decide(pod('p', {}, { cpu: '501m', memory: '600Mi' }), [n], running), unschedulable('1 Insufficient cpu, 1 Insufficient memory', NO_VICTIMS));
    assert.deepEqual(decide(pod('p', {}, { 'ephemeral-storage': '2Gi' }), [n], running), unschedulable('1 Insufficient ephemeral-storage', NO_VICTIMS));
    assert.deepEqual(decide(pod('p', {}, { 'example.com/gpu': '2' }), [n], running), unschedulable('1 Insufficient example.com/gpu', NO_VICTIMS));
    const full = [...running, on(pod('b'), 'n1'), on(pod('c'), 'n1')];
    assert.deepEqual(decide(pod('p'), [n], full), unschedulable('1 Too many pods', NO_VICTIMS));
    const withInit = pod('p', { initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '1' } } }] }, { cpu: '100m' });
    assert.equal(podRequests(withInit).get('cpu'), 1000, 'the init container peak counts');
    assert.deepEqual(decide(withInit, [n], running), unschedulable('1 Insufficient cpu', NO_VICTIMS));
  });

  it('counts reasons over nodes, sorted, with preemption per node and preemptionPolicy Never', () => {
    const nodes = [node('a', { allocatable: { cpu: '1', memory: '1Gi', pods: '10' } }), node('b', { allocatable: { cpu: '1', memory: '1Gi', pods: '10' } }), node('c', { labels: { zone: 'x' }, spec: { unschedulable: true } })];
    const p = pod('p', {}, { cpu: '2' });
    assert.deepEqual(decide(p, nodes), {
      unschedulable:
        '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..',
    });
    const never = pod('p', { preemptionPolicy: 'Never' }, { cpu: '2' });
    assert.deepEqual(decide(never, nodes), {
      unschedulable: '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..',
    });
  });
});

describe('scores', () => {
  it('least allocated prefers the emptier node', () => {
    const nodes = [node('busy'), node('idle')];
    const running = [on(pod('a', {}, { cpu: '3', memory: '6Gi' }), 'busy')];
    assert.deepEqual(decide(pod('p', {}, { cpu: '500m', memory: '512Mi' }), nodes, running), { node: 'idle' });
    const [busy] = snapshot(nodes, running);
    // cpu (4000-3500)*100/4000 = 12; memory (8Gi-6.5Gi)*100/8Gi = 18; mean 15.
    assert.equal(leastAllocated(pod('p', {}, { cpu: '500m', memory: '512Mi' }), busy!), 15);
  });

  it('balanced allocation prefers equal shares of cpu and memory, and skips pods requesting neither', () => {
    const [n] = snapshot([node('n1', { allocatable: { cpu: '4', memory: '4Gi', pods: '10' } })], []);
    assert.equal(balancedAllocation(pod('p', {}, { cpu: '2', memory: '2Gi' }), n!), 100);
    // cpu 50%, memory 10% (0.4Gi of 4Gi): 1 - 0.4/2 = 0.8.
    assert.equal(balancedAllocation(pod('p', {}, { cpu: '2', memory: '429496730' }), n!), 80);
    assert.equal(balancedAllocation(pod('p'), n!), undefined);
    // Same free share after placing the pod, but only the first stays balanced.
    const nodes = [node('lopsided', { allocatable: { cpu: '4', memory: '16Gi', pods: '10' } }), node('even', { allocatable: { cpu: '4', memory: '4Gi', pods: '10' } })];
    assert.deepEqual(decide(pod('p', {}, { cpu: '1', memory: '1Gi' }), nodes), { node: 'even' });
  });

  it('PreferNoSchedule taints and preferred node affinity steer the choice', () => {
    const nodes = [node('a', { spec: { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] } }), node('b')];
    assert.deepEqual(decide(pod('p'), nodes), { node: 'b' });
    assert.deepEqual(decide(pod('p', { tolerations: [{ key: 'spot', operator: 'Exists' }] }), nodes, [on(pod('x', {}, { cpu: '100m' }), 'b')]), { node: 'a' });
    const prefers = pod('p', {
      affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] } },
    });
    assert.deepEqual(decide(prefers, [node('a'), node('b', { labels: { disk: 'ssd' } })]), { node: 'b' });
  });

  it('ties go to a node at random', () => {
    const nodes = snapshot([node('a'), node('b')], []);
    const picked = new Set([0, 0.99].map((r) => (schedulePod(pod('p'), nodes, () => r) as { node: string }).node));
    assert.deepEqual([...picked].sort(), ['a', 'b']);
  });
});
