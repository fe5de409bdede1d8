// A pod's status as the kubelet reports it (generateAPIPodStatus), computed
// from the spec, the runtime's container instances and what the worker
// knows (waiting reasons, probe results). Pure: the worker writes the result
// only when it differs from what is stored.

import { podQosClass } from '../../apiserver/registry/strategy.ts';
import { timestamp } from '../../apiserver/registry/object.ts';
import type { KObject } from '../../client/types.ts';
import type { ContainerStatus } from '../runtimes/types.ts';
import type { Container, PodSpec } from '../pod-types.ts';

export interface StatusInput {
  pod: KObject;
  now: Date;
  hostIP: string;
  /** The sandbox's IP while the pod has a sandbox. */
  podIP?: string;
  /** Runtime instances per container name, newest first. */
  instances: Map<string, ContainerStatus[]>;
  /** A container that is not running and waits for a reason (CrashLoopBackOff, CreateContainerConfigError). */
  waiting: Map<string, { reason: string; message?: string }>;
  /** Containers whose readiness (and startup) probes passed; without probes, running is enough. */
  ready: Set<string>;
  started: Set<string>;
  /** The pod failed as a whole (activeDeadlineSeconds): phase Failed with this reason and message. */
  podFailure?: { reason: string; message: string };
}

export interface ContainerStateJson {
  waiting?: { reason: string; message?: string };
  running?: { startedAt: string };
  terminated?: { exitCode: number; signal?: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string; containerID?: string };
}

export interface ApiContainerStatus {
  name: string;
  state: ContainerStateJson;
  lastState: ContainerStateJson;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started: boolean;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; recursiveReadOnly?: string }[];
}

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime: null;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'];

const ts = (d: Date | undefined): string | undefined => (d ? timestamp(new Date(d)) : undefined);

function terminatedState(c: ContainerStatus): ContainerStateJson {
  return {
    terminated: {
      exitCode: c.exitCode ?? 0,
      ...(c.reason ? { reason: c.reason } : { reason: (c.exitCode ?? 0) === 0 ? 'Completed' : 'Error' }),
      ...(c.message ? { message: c.message } : {}),
      ...(c.startedAt ? { startedAt: ts(c.startedAt) } : {}),
      ...(c.finishedAt ? { finishedAt: ts(c.finishedAt) } : {}),
      containerID: `process://${c.id}`,
    },
  };
}

function stateOf(c: ContainerStatus): ContainerStateJson {
  if (c.state === 'running') return { running: { startedAt: ts(c.startedAt ?? c.createdAt)! } };
  if (c.state === 'exited') return terminatedState(c);
  return { waiting: { reason: 'ContainerCreating' } };
}

function containerStatuses(containers: Container[], input: StatusInput, defaultWaiting: string): ApiContainerStatus[] {
  return containers.map((spec) => {
    const inst = input.instances.get(spec.name) ?? [];
    const latest = inst[0];
    const waiting = input.waiting.get(spec.name);
    const s: ApiContainerStatus = {
      name: spec.name,
      state: { waiting: { reason: defaultWaiting } },
      lastState: {},
      ready: false,
      restartCount: 0,
      image: spec.image ?? '',
      imageID: '',
      started: false,
    };
    if (latest) {
      s.state = stateOf(latest);
      s.restartCount = latest.attempt;
      s.imageID = latest.imageId;
      s.containerID = `process://${latest.id}`;
      if (inst[1]?.state === 'exited') s.lastState = terminatedState(inst[1]);
      if (spec.volumeMounts?.length) {
        s.volumeMounts = spec.volumeMounts.map((m) => ({ name: m.name, mountPath: m.mountPath, ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}) }));
      }
      if (latest.state === 'running') {
        s.started = input.started.has(spec.name);
        s.ready = input.ready.has(spec.name);
      }
    }
    if (waiting && latest?.state !== 'running') {
      if (s.state.terminated) s.lastState = s.state;
      s.state = { waiting: { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) } };
    }
    return s;
  });
}

/** The phase from container states (the kubelet's getPhase). */
export function podPhase(spec: PodSpec, init: ApiContainerStatus[], main: ApiContainerStatus[]): string {
  const policy = spec.restartPolicy ?? 'Always';
  for (const [i, s] of init.entries()) {
    const c = spec.initContainers![i];
    if (c.restartPolicy === 'Always') {
      if (!s.started) return 'Pending';
      continue;
    }
    if (s.state.terminated?.exitCode === 0) continue;
    if (policy === 'Never' && s.state.terminated) return 'Failed';
    if (policy === 'Never' && s.state.waiting && s.lastState.terminated && s.lastState.terminated.exitCode !== 0) return 'Failed';
    return 'Pending';
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of main) {
    if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState.terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'OnFailure') return 'Running';
    return 'Failed';
  }
  return 'Pending';
}

function condition(type: string, ok: boolean, reason?: string, message?: string): Omit<PodCondition, 'lastTransitionTime'> {
  return { type, status: ok ? 'True' : 'False', lastProbeTime: null, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

function initializedCondition(spec: PodSpec, init: ApiContainerStatus[], main: ApiContainerStatus[], phase: string): Omit<PodCondition, 'lastTransitionTime'> {
  if (!spec.initContainers?.length) return condition('Initialized', true);
  if (phase === 'Succeeded') return condition('Initialized', true, 'PodCompleted');
  if (main.some((s) => s.state.running || s.state.terminated || s.lastState.terminated)) return condition('Initialized', true);
  const incomplete = init
    .filter((s, i) => (spec.initContainers![i].restartPolicy === 'Always' ? !s.started : s.state.terminated?.exitCode !== 0))
    .map((s) => s.name);
  if (incomplete.length) return condition('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${incomplete.join(' ')}]`);
  return condition('Initialized', true);
}

function readyConditions(
  spec: PodSpec,
  init: ApiContainerStatus[],
  main: ApiContainerStatus[],
  phase: string,
  gates: string[],
  conditions: PodCondition[],
): Omit<PodCondition, 'lastTransitionTime'>[] {
  const unready = main.filter((s) => !s.ready).map((s) => s.name);
  for (const [i, s] of init.entries()) if (spec.initContainers![i].restartPolicy === 'Always' && !s.ready) unready.push(s.name);
  let containersReady: Omit<PodCondition, 'lastTransitionTime'>;
  if (phase === 'Succeeded') containersReady = condition('ContainersReady', false, 'PodCompleted');
  else if (unready.length) containersReady = condition('ContainersReady', false, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`);
  else containersReady = condition('ContainersReady', true);
  let ready = { ...containersReady, type: 'Ready' };
  if (containersReady.status === 'True') {
    // Readiness gates: conditions others set on the pod must be True as well.
    const messages: string[] = [];
    for (const g of gates) {
      const c = conditions.find((x) => x.type === g);
      if (!c) messages.push(`corresponding condition of pod readiness gate "${g}" does not exist.`);
      else if (c.status !== 'True') messages.push(`the status of pod readiness gate "${g}" is not "True", but ${c.status}`);
    }
    if (messages.length) ready = condition('Ready', false, 'ReadinessGatesNotReady', messages.join(', '));
  }
  return [ready, containersReady];
}

/** The status to report; `old` supplies lastTransitionTimes, startTime and conditions the kubelet does not own. */
export function computePodStatus(input: StatusInput): Record<string, unknown> {
  const { pod, now } = input;
  const spec = pod.spec as PodSpec;
  const old = (pod.status ?? {}) as { conditions?: PodCondition[]; startTime?: string; phase?: string; qosClass?: string; podIP?: string; reason?: string; message?: string };
  const hasInit = (spec.initContainers?.length ?? 0) > 0;
  const defaultWaiting = hasInit ? 'PodInitializing' : 'ContainerCreating';
  const init = containerStatuses(spec.initContainers ?? [], input, defaultWaiting);
  const main = containerStatuses(spec.containers ?? [], input, defaultWaiting);
  let phase = podPhase(spec, init, main);
  let failure = input.podFailure;
  if (failure) phase = 'Failed';
  // A finished pod stays finished, with its reason.
  if (old.phase === 'Succeeded' || old.phase === 'Failed') {
    phase = old.phase;
    if (old.reason) failure = { reason: old.reason, message: old.message ?? '' };
  }

  // The pod keeps its IP after its sandbox is gone (a finished pod).
  const podIP = input.podIP ?? old.podIP;
  const nowTs = timestamp(now);
  const fresh = [
    condition('PodReadyToStartContainers', input.podIP !== undefined),
    initializedCondition(spec, init, main, phase),
    ...readyConditions(spec, init, main, phase, (spec.readinessGates ?? []).map((g) => g.conditionType), old.conditions ?? []),
  ];
  const conditions: PodCondition[] = fresh.map((c) => {
    const prev = old.conditions?.find((o) => o.type === c.type);
    return { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : nowTs };
  });
  for (const c of old.conditions ?? []) if (!KUBELET_CONDITIONS.includes(c.type)) conditions.push(c);

  const status: Record<string, unknown> = {
    phase,
    ...(failure ? { reason: failure.reason, message: failure.message } : {}),
    conditions,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime: old.startTime ?? nowTs,
    ...(init.length ? { initContainerStatuses: init } : {}),
    containerStatuses: main,
    qosClass: old.qosClass ?? podQosClass(pod),
  };
  return status;
}
