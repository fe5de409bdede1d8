// Pod status as the kubelet computes it: phase, conditions with stable
// transition times, container states with waiting overrides and lastState.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../../client/types.ts';
import type { ContainerStatus } from '../runtimes/types.ts';
import { computePodStatus, type StatusInput } from './pod-status.ts';

const T0 = new Date('2024-05-01T10:00:00Z');
const T1 = new Date('2024-05-01T10:01:00Z');

function pod(spec: Record<string, unknown>, status?: Record<string, unknown>): KObject {
  return { metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { restartPolicy: 'Always', containers: [{ name: 'app', image: 'busybox' }], ...spec }, status };
}

function inst(name: string, attempt: number, state: ContainerStatus['state'], exitCode?: number): ContainerStatus {
  return {
    id: `${name}-${attempt}`, podUid: 'u', sandboxId: 's', name, attempt, state, image: 'busybox', imageId: 'busybox',
    createdAt: T0, startedAt: T0, ...(state === 'exited' ? { finishedAt: T0, exitCode } : {}), logPath: '/x',
  };
}

function input(p: KObject, over: Partial<StatusInput> = {}): StatusInput {
  return { pod: p, now: T0, hostIP: '127.0.0.1', podIP: '127.0.0.1', instances: new Map(), waiting: new Map(), ready: new Set(), started: new Set(), ...over };
}

const cond = (s: Record<string, unknown>, type: string) => (s.conditions as { type: string; status: string; reason?: string; message?: string; lastTransitionTime: string }[]).find((c) => c.type === type)!;

describe('computePodStatus', () => {
  it('a pod whose containers are being created is Pending with ContainerCreating, conditions in the kubelet order', () => {
    const s = computePodStatus(input(pod({}, { phase: 'Pending', qosClass: 'BestEffort', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: 'x', lastProbeTime: null }] })));
    assert.equal(s.phase, 'Pending');
    assert.deepEqual((s.conditions as { type: string }[]).map((c) => c.type), ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
    assert.deepEqual(cond(s, 'Ready'), { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
    const cs = (s.containerStatuses as Record<string, unknown>[])[0];
    assert.deepEqual(cs, { name: 'app', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0, image: 'busybox', imageID: '', started: false });
    assert.equal(s.startTime, '2024-05-01T10:00:00Z');
    assert.deepEqual(s.podIPs, [{ ip: '127.0.0.1' }]);
  });

  it('running and ready: Running, Ready True; lastTransitionTime moves only on change', () => {
    const first = computePodStatus(input(pod({}), { instances: new Map([['app', [inst('app', 0, 'running')]]]), ready: new Set(['app']), started: new Set(['app']) }));
    assert.equal(first.phase, 'Running');
    assert.equal(cond(first, 'Ready').status, 'True');
    const again = computePodStatus(input(pod({}, first), { now: T1, instances: new Map([['app', [inst('app', 0, 'running')]]]), ready: new Set(['app']), started: new Set(['app']) }));
    assert.equal(cond(again, 'Ready').lastTransitionTime, '2024-05-01T10:00:00Z');
    const unready = computePodStatus(input(pod({}, first), { now: T1, instances: new Map([['app', [inst('app', 0, 'running')]]]), started: new Set(['app']) }));
    assert.equal(cond(unready, 'Ready').lastTransitionTime, '2024-05-01T10:01:00Z');
    assert.equal(cond(unready, 'PodReadyToStartContainers').lastTransitionTime, '2024-05-01T10:00:00Z');
  });

  it('crash loop: waiting CrashLoopBackOff, lastState terminated, restartCount = attempt; phase Running', () => {
    const s = computePodStatus(input(pod({}), {
      instances: new Map([['app', [inst('app', 1, 'exited', 2), inst('app', 0, 'exited', 1)]]]),
      waiting: new Map([['app', { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app pod=p_default(u)' }]]),
    }));
    const cs = (s.containerStatuses as { state: Record<string, { reason: string; exitCode?: number }>; lastState: Record<string, { reason: string; exitCode?: number }>; restartCount: number }[])[0];
    assert.equal(cs.state.waiting.reason, 'CrashLoopBackOff');
    assert.equal(cs.lastState.terminated.exitCode, 2);
    assert.equal(cs.lastState.terminated.reason, 'Error');
    assert.equal(cs.restartCount, 1);
    assert.equal(s.phase, 'Running');
  });

  it('Never: Succeeded when every container exits 0, Failed otherwise; Ready False with PodCompleted', () => {
    const ok = computePodStatus(input(pod({ restartPolicy: 'Never' }), { instances: new Map([['app', [inst('app', 0, 'exited', 0)]]]) }));
    assert.equal(ok.phase, 'Succeeded');
    assert.equal(cond(ok, 'Ready').reason, 'PodCompleted');
    assert.equal((ok.containerStatuses as { state: { terminated: { reason: string } } }[])[0].state.terminated.reason, 'Completed');
    const bad = computePodStatus(input(pod({ restartPolicy: 'Never' }), { instances: new Map([['app', [inst('app', 0, 'exited', 3)]]]) }));
    assert.equal(bad.phase, 'Failed');
    const onFailure = computePodStatus(input(pod({ restartPolicy: 'OnFailure' }), { instances: new Map([['app', [inst('app', 0, 'exited', 3)]]]) }));
    assert.equal(onFailure.phase, 'Running');
  });

  it('init containers: Pending with PodInitializing and Initialized False until they succeed', () => {
    const spec = { initContainers: [{ name: 'init', image: 'busybox' }] };
    const s = computePodStatus(input(pod(spec), { instances: new Map([['init', [inst('init', 0, 'running')]]]) }));
    assert.equal(s.phase, 'Pending');
    assert.deepEqual(cond(s, 'Initialized').message, 'containers with incomplete status: [init]');
    assert.equal((s.containerStatuses as { state: { waiting: { reason: string } } }[])[0].state.waiting.reason, 'PodInitializing');
    const done = computePodStatus(input(pod(spec), { instances: new Map([['init', [inst('init', 0, 'exited', 0)]], ['app', [inst('app', 0, 'running')]]]), ready: new Set(['app']), started: new Set(['app']) }));
    assert.equal(done.phase, 'Running');
    assert.equal(cond(done, 'Initialized').status, 'True');
    const failed = computePodStatus(input(pod({ ...spec, restartPolicy: 'Never' }), { instances: new Map([['init', [inst('init', 0, 'exited', 1)]]]) }));
    assert.equal(failed.phase, 'Failed');
  });

  it('a config error shows as CreateContainerConfigError with the message', () => {
    const s = computePodStatus(input(pod({}), { waiting: new Map([['app', { reason: 'CreateContainerConfigError', message: 'configmap "x" not found' }]]) }));
    assert.deepEqual((s.containerStatuses as { state: unknown }[])[0].state, { waiting: { reason: 'CreateContainerConfigError', message: 'configmap "x" not found' } });
    assert.equal(s.phase, 'Pending');
  });

  it('readiness gates: Ready waits for the gate conditions others set', () => {
    const running = { instances: new Map([['app', [inst('app', 0, 'running')]]]), ready: new Set(['app']), started: new Set(['app']) };
    const gated = pod({ readinessGates: [{ conditionType: 'example.com/lb' }] });
    const missing = computePodStatus(input(gated, running));
    assert.deepEqual([cond(missing, 'Ready').status, cond(missing, 'Ready').reason, cond(missing, 'Ready').message], ['False', 'ReadinessGatesNotReady', 'corresponding condition of pod readiness gate "example.com/lb" does not exist.']);
    assert.equal(cond(missing, 'ContainersReady').status, 'True');
    const falseGate = pod({ readinessGates: [{ conditionType: 'example.com/lb' }] }, { conditions: [{ type: 'example.com/lb', status: 'False', lastTransitionTime: 'x', lastProbeTime: null }] });
    assert.equal(cond(computePodStatus(input(falseGate, running)), 'Ready').message, 'the status of pod readiness gate "example.com/lb" is not "True", but False');
    const ok = pod({ readinessGates: [{ conditionType: 'example.com/lb' }] }, { conditions: [{ type: 'example.com/lb', status: 'True', lastTransitionTime: 'x', lastProbeTime: null }] });
    const s = computePodStatus(input(ok, running));
    assert.equal(cond(s, 'Ready').status, 'True');
    assert.equal(cond(s, 'example.com/lb').status, 'True', 'conditions the kubelet does not own are kept');
  });
});
