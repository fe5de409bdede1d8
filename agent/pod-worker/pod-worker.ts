// One pod's worker: a level-triggered sync that drives the runtime toward the
// pod's spec (the kubelet's SyncPod): sandbox, volumes, init containers in
// order, then app containers, restarts with crash back-off, probes and
// lifecycle hooks; and the pod's end: graceful termination on deletion and
// the final delete, or teardown when the pod is gone. The agent's queue
// never runs two syncs of one pod at once.

import { readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ApiError } from '../../apiserver/errors.ts';
import { jsonEqual } from '../../apiserver/registry/object.ts';
import { R } from '../../client/resources.ts';
import type { KObject } from '../../client/types.ts';
import { ContainerConfigError, resolveEnv } from '../env/resolve.ts';
import { FieldRefError, type PodRuntimeInfo } from '../env/field-ref.ts';
import { podDesc, type Container, type PodSpec } from '../pod-types.ts';
import { ContainerProbes } from '../probes/prober.ts';
import { RuntimeError, type ContainerStatus, type PodSandbox } from '../runtimes/types.ts';
import { computePodStatus } from '../status/pod-status.ts';
import { cleanupVolumes, prepareVolumes, VolumeError, type PreparedVolumes } from '../volumes/volumes.ts';
import { goDuration } from './backoff.ts';
import type { WorkerContext } from './context.ts';
import { runHook } from './hooks.ts';
import { containerConfig } from './container-config.ts';
import { podLogDir, pruneLogs } from './log-paths.ts';
import { podSandboxConfig, readHostResolvConf } from './sandbox-config.ts';
import { DEFAULT_CLUSTER_NETWORK } from '../../network/types.ts';
import { logTail } from './termination-message.ts';

/** How long a terminating pod waits to leave the proxies' rotation at most (the EndpointSlice controller normally takes milliseconds). */
const MAX_ROTATION_WAIT_SECONDS = 10;

/** The kubelet's minimum grace period after a preStop hook. */
const MIN_GRACE_SECONDS = 2;
/** Retry delay after a configuration or mount error. */
const RETRY_MS = 10_000;

type Instances = Map<string, ContainerStatus[]>;

function groupInstances(all: ContainerStatus[], uid: string): Instances {
  const m: Instances = new Map();
  for (const c of all) {
    if (c.podUid !== uid) continue;
    let list = m.get(c.name);
    if (!list) m.set(c.name, (list = []));
    list.push(c);
  }
  for (const list of m.values()) list.sort((a, b) => b.attempt - a.attempt);
  return m;
}

const isCode = (e: unknown, code: number): boolean => e instanceof ApiError && e.code === code;

function fieldPath(spec: PodSpec, c: Container): string {
  return spec.initContainers?.includes(c) ? `spec.initContainers{${c.name}}` : `spec.containers{${c.name}}`;
}

export class PodWorker {
  /** Why a container that is not running waits (CrashLoopBackOff, CreateContainerConfigError, ...). */
  private readonly waiting = new Map<string, { reason: string; message?: string }>();
  /** Probes per running container id. */
  private readonly probes = new Map<string, ContainerProbes>();
  private readonly notedVolumes = new Set<string>();
  /** Log tails of failed instances (FallbackToLogsOnError), by container id. */
  private readonly logMessages = new Map<string, string>();
  /** The pod's status as this worker last wrote it (as the API returned it). */
  private written: unknown;
  /** The pod's sandbox as this sync found or made it. */
  private sandboxId: string | undefined;

  constructor(
    private readonly ctx: WorkerContext,
    readonly uid: string,
  ) {}

  /** Whether this is the status this worker last wrote (an update that only brings it back needs no sync). */
  wrote(status: unknown): boolean {
    return this.written !== undefined && jsonEqual(status, this.written);
  }

  stopProbes(): void {
    for (const p of this.probes.values()) p.stop();
    this.probes.clear();
  }

  async sync(pod: KObject): Promise<void> {
    const { ctx } = this;
    if (pod.metadata.deletionTimestamp) return this.terminate(pod);
    const spec = pod.spec as PodSpec;
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return this.finished(pod);
    if (await this.deadlineExceeded(pod, spec)) return;

    let sandbox = (await ctx.runtime.listPodSandboxes()).find((s) => s.podUid === this.uid);
    sandbox ??= await this.runSandbox(pod);
    this.sandboxId = sandbox.id;
    const info: PodRuntimeInfo = { podIPs: [sandbox.ip], hostIPs: [ctx.hostIP], allocatable: ctx.allocatable() };

    let prepared: PreparedVolumes;
    try {
      prepared = await prepareVolumes(pod, ctx.dataDir, info, ctx.objects, ctx.clock.now());
      for (const n of prepared.notes) if (!this.notedVolumes.has(n)) (this.notedVolumes.add(n), ctx.log(`pod ${podDesc(pod)}: ${n}`));
    } catch (e) {
      if (!(e instanceof VolumeError)) throw e;
      ctx.recorder.event(pod, 'Warning', 'FailedMount', e.message);
      ctx.enqueue(this.uid, RETRY_MS);
      return this.writeStatus(pod, sandbox);
    }

    await this.handleProbeFailures(pod, spec);
    let instances = groupInstances(await ctx.runtime.listContainers({ podUid: this.uid }), this.uid);

    let initDone = true;
    for (const c of spec.initContainers ?? []) {
      const latest = instances.get(c.name)?.[0];
      if (c.restartPolicy === 'Always') {
        // A sidecar: started in order, kept running, and counts as initialized once started.
        if (!latest || latest.state === 'exited') await this.startOrBackOff(pod, c, latest, info, prepared);
        const now = groupInstances(await ctx.runtime.listContainers({ podUid: this.uid }), this.uid).get(c.name)?.[0];
        if (now?.state === 'running' && (this.probes.get(now.id)?.started ?? true)) continue;
        initDone = false;
        break;
      }
      if (latest?.state === 'exited' && latest.exitCode === 0) continue;
      initDone = false;
      if (latest?.state === 'running' || latest?.state === 'created') break;
      if (latest?.state === 'exited' && spec.restartPolicy === 'Never') break;
      await this.startOrBackOff(pod, c, latest, info, prepared);
      break;
    }
    if (initDone) {
      for (const c of spec.containers) {
        const latest = instances.get(c.name)?.[0];
        if (!latest) await this.startOrBackOff(pod, c, undefined, info, prepared);
        else if (latest.state === 'exited' && this.shouldRestart(spec, latest)) await this.startOrBackOff(pod, c, latest, info, prepared);
        else if (latest.state === 'running' && latest.image !== (c.image ?? '')) {
          // The image is the one mutable field of a container: a new one means a new instance.
          await this.killContainer(pod, c, latest.id, `Container ${c.name} definition changed, will be restarted`);
          await this.startContainer(pod, c, latest.attempt + 1, info, prepared);
        }
      }
    }
    instances = groupInstances(await ctx.runtime.listContainers({ podUid: this.uid }), this.uid);
    this.ensureProbes(pod, spec, instances, sandbox);
    await this.writeStatus(pod, sandbox, instances);
  }

  /** Makes the pod's sandbox (its network, hosts and DNS files); a failure is the kubelet's FailedCreatePodSandBox event, and the sync is retried. */
  private async runSandbox(pod: KObject): Promise<PodSandbox> {
    const { ctx } = this;
    const { config, warnings } = podSandboxConfig(pod, ctx.cluster ?? DEFAULT_CLUSTER_NETWORK, readHostResolvConf());
    for (const w of warnings) ctx.recorder.event(pod, 'Warning', 'DNSConfigForming', w);
    try {
      return await ctx.runtime.runPodSandbox(config);
    } catch (e) {
      ctx.recorder.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(e as Error).message}`);
      throw e;
    }
  }

  /** activeDeadlineSeconds passed since startTime: every container stops and the pod fails with DeadlineExceeded. */
  private async deadlineExceeded(pod: KObject, spec: PodSpec): Promise<boolean> {
    const deadline = spec.activeDeadlineSeconds;
    const startTime = (pod.status as { startTime?: string } | undefined)?.startTime;
    if (deadline === undefined || !startTime) return false;
    const left = Date.parse(startTime) + deadline * 1000 - this.ctx.clock.now().getTime();
    if (left > 0) {
      this.ctx.enqueue(this.uid, left);
      return false;
    }
    const message = 'Pod was active on the node longer than the specified deadline';
    this.ctx.recorder.event(pod, 'Normal', 'DeadlineExceeded', message);
    this.stopProbes();
    const instances = groupInstances(await this.ctx.runtime.listContainers({ podUid: this.uid }), this.uid);
    await Promise.all(
      [...spec.containers, ...(spec.initContainers ?? [])].map(async (c) => {
        const latest = instances.get(c.name)?.[0];
        if (latest?.state === 'running') await this.killContainer(pod, c, latest.id);
      }),
    );
    this.waiting.clear();
    const sandbox = (await this.ctx.runtime.listPodSandboxes()).find((s) => s.podUid === this.uid);
    await this.writeStatus(pod, sandbox, undefined, { reason: 'DeadlineExceeded', message });
    return true;
  }

  private shouldRestart(spec: PodSpec, latest: ContainerStatus): boolean {
    const policy = spec.restartPolicy ?? 'Always';
    return policy === 'Always' || (policy === 'OnFailure' && latest.exitCode !== 0);
  }

  /** Starts the container's next instance now, or records CrashLoopBackOff and comes back when the back-off ends. */
  private async startOrBackOff(pod: KObject, c: Container, latest: ContainerStatus | undefined, info: PodRuntimeInfo, prepared: PreparedVolumes): Promise<void> {
    const { ctx } = this;
    if (latest) {
      const key = `${this.uid}/${c.name}`;
      const finished = (latest.finishedAt ? new Date(latest.finishedAt) : ctx.clock.now()).getTime();
      const b = ctx.backoff.inBackOffSince(key, finished);
      if (b.wait) {
        const message = `back-off ${goDuration(ctx.backoff.get(key))} restarting failed container=${c.name} pod=${podDesc(pod)}`;
        const prev = this.waiting.get(c.name);
        if (prev?.reason !== 'CrashLoopBackOff' || prev.message !== message) {
          ctx.recorder.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podDesc(pod)}`, fieldPath(pod.spec as PodSpec, c));
        }
        this.waiting.set(c.name, { reason: 'CrashLoopBackOff', message });
        ctx.enqueue(this.uid, b.untilMs - ctx.clock.now().getTime());
        return;
      }
      ctx.backoff.next(key, finished);
    }
    await this.startContainer(pod, c, latest ? latest.attempt + 1 : 0, info, prepared);
  }

  private async startContainer(pod: KObject, c: Container, attempt: number, info: PodRuntimeInfo, prepared: PreparedVolumes): Promise<void> {
    const { ctx } = this;
    const spec = pod.spec as PodSpec;
    const fp = fieldPath(spec, c);
    const fail = (reason: string, message: string): void => {
      this.waiting.set(c.name, { reason, message });
      ctx.recorder.event(pod, 'Warning', 'Failed', `Error: ${message}`, fp);
      ctx.enqueue(this.uid, RETRY_MS);
    };
    // The image is "pulled" before the config is generated, as in the kubelet.
    ctx.recorder.event(pod, 'Normal', 'Pulled', `Container image "${c.image ?? ''}" already present on machine`, fp);
    let env: { name: string; value: string }[];
    try {
      const r = await resolveEnv(pod, c, info, ctx.objects);
      env = r.env;
      for (const w of r.warnings) ctx.recorder.event(pod, 'Warning', w.reason, w.message);
    } catch (e) {
      if (e instanceof ContainerConfigError || e instanceof FieldRefError) return fail('CreateContainerConfigError', e.message);
      throw e;
    }

    // Keep the previous instance (lastState, logs --previous); forget older ones. A first instance has none.
    if (attempt > 0) {
      const existing = groupInstances(await ctx.runtime.listContainers({ podUid: this.uid }), this.uid).get(c.name) ?? [];
      for (const old of existing.slice(1)) await ctx.runtime.removeContainer(old.id).catch(() => {});
    }
    const sandboxId = this.sandboxId ?? (await ctx.runtime.listPodSandboxes()).find((s) => s.podUid === this.uid)!.id;
    const config = containerConfig(pod, c, attempt, env, prepared, ctx.dataDir, sandboxId);
    if (attempt > 0) await pruneLogs(dirname(config.logPath), attempt - 1);
    let status: ContainerStatus;
    try {
      status = await ctx.runtime.startContainer(config);
    } catch (e) {
      if (e instanceof RuntimeError) return fail(e.code, e.message);
      throw e;
    }
    this.waiting.delete(c.name);
    ctx.recorder.event(pod, 'Normal', 'Created', `Created container: ${c.name}`, fp);
    ctx.recorder.event(pod, 'Normal', 'Started', `Started container ${c.name}`, fp);

    const postStart = c.lifecycle?.postStart;
    if (postStart) {
      const grace = spec.terminationGracePeriodSeconds ?? 30;
      const r = await runHook(postStart, ctx.runtime, ctx.clock, status.id, c, podDesc(pod), info.podIPs[0], grace * 1000);
      if (!r.ok) {
        ctx.recorder.event(pod, 'Warning', 'FailedPostStartHook', r.message, fp);
        await this.killContainer(pod, c, status.id, 'FailedPostStartHook');
        this.waiting.set(c.name, { reason: 'PostStartHookError', message: r.message });
      }
    }
  }

  /** preStop (within the grace period), then SIGTERM to the tree and SIGKILL when the grace period ends. */
  private async killContainer(pod: KObject, c: Container | undefined, id: string, message?: string, graceOverride?: number): Promise<void> {
    const { ctx } = this;
    const spec = pod.spec as PodSpec;
    const name = c?.name ?? id;
    this.probes.get(id)?.stop();
    this.probes.delete(id);
    if (c) ctx.recorder.event(pod, 'Normal', 'Killing', message ?? `Stopping container ${name}`, fieldPath(spec, c));
    let grace = graceOverride ?? pod.metadata.deletionGracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
    const preStop = c?.lifecycle?.preStop;
    if (preStop && grace > 0) {
      const started = Date.now();
      const sandbox = (await ctx.runtime.listPodSandboxes()).find((s) => s.podUid === this.uid);
      const r = await runHook(preStop, ctx.runtime, ctx.clock, id, c!, podDesc(pod), sandbox?.ip ?? ctx.hostIP, grace * 1000);
      if (!r.ok) ctx.recorder.event(pod, 'Warning', 'FailedPreStopHook', r.message, fieldPath(spec, c!));
      grace = Math.max(MIN_GRACE_SECONDS, grace - Math.floor((Date.now() - started) / 1000));
    }
    await ctx.runtime.stopContainer(id, grace);
  }

  /** A failed liveness or startup probe restarts its container. */
  private async handleProbeFailures(pod: KObject, spec: PodSpec): Promise<void> {
    for (const [id, p] of [...this.probes]) {
      const kind = p.failed;
      if (!kind) continue;
      if ((await this.ctx.runtime.containerStatus(id))?.state !== 'running') {
        // It ended on its own meanwhile; the restart follows the restart policy.
        p.stop();
        this.probes.delete(id);
        continue;
      }
      const probe = kind === 'liveness' ? p.container.livenessProbe : p.container.startupProbe;
      await this.killContainer(pod, p.container, id, `Container ${p.container.name} failed ${kind} probe, will be restarted`, probe?.terminationGracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30);
    }
  }

  private ensureProbes(pod: KObject, spec: PodSpec, instances: Instances, sandbox: PodSandbox): void {
    const running = new Map<string, { c: Container; inst: ContainerStatus }>();
    for (const c of [...(spec.initContainers ?? []).filter((x) => x.restartPolicy === 'Always'), ...spec.containers]) {
      const latest = instances.get(c.name)?.[0];
      if (latest?.state === 'running') running.set(latest.id, { c, inst: latest });
    }
    for (const [id, p] of [...this.probes]) {
      if (!running.has(id)) {
        p.stop();
        this.probes.delete(id);
      }
    }
    const reported = [...((pod.status as { containerStatuses?: { containerID?: string; ready?: boolean }[] } | undefined)?.containerStatuses ?? []), ...((pod.status as { initContainerStatuses?: { containerID?: string; ready?: boolean }[] } | undefined)?.initContainerStatuses ?? [])];
    for (const [id, { c, inst }] of running) {
      if (this.probes.has(id)) continue;
      const wasReady = reported.some((s) => s.containerID === `process://${id}` && s.ready === true);
      const startedAt = new Date(inst.startedAt ?? inst.createdAt).getTime();
      const host = {
        clock: this.ctx.clock,
        runtime: this.ctx.runtime,
        unhealthy: (container: Container, message: string) => this.ctx.recorder.event(pod, 'Warning', 'Unhealthy', message, fieldPath(spec, container)),
        changed: () => this.ctx.enqueue(this.uid),
      };
      this.probes.set(id, new ContainerProbes(host, id, c, sandbox.ip, startedAt, wasReady));
    }
  }

  /** FallbackToLogsOnError: failed instances without a message carry their log's tail (read once per instance). */
  private async fallbackMessages(spec: PodSpec, instances: Instances): Promise<void> {
    const live = new Set([...instances.values()].flat().map((i) => i.id));
    for (const id of [...this.logMessages.keys()]) if (!live.has(id)) this.logMessages.delete(id);
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
      if (c.terminationMessagePolicy !== 'FallbackToLogsOnError') continue;
      for (const inst of instances.get(c.name)?.slice(0, 2) ?? []) {
        if (inst.state !== 'exited' || !inst.exitCode || inst.message) continue;
        let msg = this.logMessages.get(inst.id);
        if (msg === undefined) this.logMessages.set(inst.id, (msg = await logTail(inst.logPath)));
        if (msg) inst.message = msg;
      }
    }
  }

  private async writeStatus(pod: KObject, sandbox: PodSandbox | undefined, instances?: Instances, podFailure?: { reason: string; message: string }): Promise<void> {
    const { ctx } = this;
    instances ??= groupInstances(await ctx.runtime.listContainers({ podUid: this.uid }), this.uid);
    await this.fallbackMessages(pod.spec as PodSpec, instances);
    const ready = new Set<string>();
    const started = new Set<string>();
    for (const [name, list] of instances) {
      const latest = list[0];
      if (latest?.state !== 'running') continue;
      const p = this.probes.get(latest.id);
      if (p?.started ?? true) started.add(name);
      if (p?.ready ?? true) ready.add(name);
    }
    let current = pod;
    for (let attempt = 0; attempt < 3; attempt++) {
      const status = computePodStatus({ pod: current, now: ctx.clock.now(), hostIP: ctx.hostIP, podIP: sandbox?.ip, instances, waiting: this.waiting, ready, started, podFailure });
      if (jsonEqual(status, current.status)) return;
      try {
        this.written = (await ctx.client.updateStatus(R.pods, { ...current, status })).status;
        return;
      } catch (e) {
        if (isCode(e, 404)) return;
        if (!isCode(e, 409)) throw e;
        current = await ctx.client.get(R.pods, current.metadata.namespace, current.metadata.name!);
        if (current.metadata.uid !== this.uid) return;
      }
    }
  }

  /** A finished pod: nothing more runs (sidecars stop); its sandbox and logs stay until it is deleted. */
  private async finished(pod: KObject): Promise<void> {
    const spec = pod.spec as PodSpec;
    this.stopProbes();
    const instances = groupInstances(await this.ctx.runtime.listContainers({ podUid: this.uid }), this.uid);
    const all = [...spec.containers, ...(spec.initContainers ?? [])];
    for (const c of all) {
      const latest = instances.get(c.name)?.[0];
      if (latest?.state === 'running') await this.killContainer(pod, c, latest.id);
    }
    const sandbox = (await this.ctx.runtime.listPodSandboxes()).find((s) => s.podUid === this.uid);
    await this.writeStatus(pod, sandbox);
  }

  /** Graceful deletion: stop every container within the grace period, remove the sandbox, then the kubelet's final delete. */
  private async terminate(pod: KObject): Promise<void> {
    const { ctx } = this;
    const spec = pod.spec as PodSpec;
    this.stopProbes();
    let grace = pod.metadata.deletionGracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
    // Zero downtime by default: the pod leaves every proxy's rotation before
    // any container hears of its end (preStop or SIGTERM), so no new request
    // reaches a process that is shutting down; this time counts in the grace
    // period, as a preStop hook's does.
    if (ctx.rotation && grace > 0) {
      const started = Date.now();
      const out = await ctx.rotation.waitOutOfRotation(this.uid, Math.min(grace, MAX_ROTATION_WAIT_SECONDS) * 1000);
      if (!out) ctx.log(`pod ${podDesc(pod)}: still in a proxy's rotation after ${MAX_ROTATION_WAIT_SECONDS}s; stopping it anyway`);
      grace = Math.max(MIN_GRACE_SECONDS, grace - Math.floor((Date.now() - started) / 1000));
    }
    const instances = groupInstances(await ctx.runtime.listContainers({ podUid: this.uid }), this.uid);
    const kill = async (containers: Container[]) => {
      await Promise.all(
        containers.map(async (c) => {
          const latest = instances.get(c.name)?.[0];
          if (latest?.state === 'running' || latest?.state === 'created') await this.killContainer(pod, c, latest.id, undefined, grace);
        }),
      );
    };
    await kill(spec.containers);
    await kill(spec.initContainers ?? []);
    const sandbox = (await ctx.runtime.listPodSandboxes()).find((s) => s.podUid === this.uid);
    // The final status: every container terminated, the phase terminal.
    const after = groupInstances(await ctx.runtime.listContainers({ podUid: this.uid }), this.uid);
    this.waiting.clear();
    const finalPod = { ...pod, spec: { ...spec, restartPolicy: 'Never' } };
    const status = computePodStatus({ pod: finalPod, now: ctx.clock.now(), hostIP: ctx.hostIP, podIP: sandbox?.ip, instances: after, waiting: this.waiting, ready: new Set(), started: new Set() });
    if (status.phase === 'Running' || status.phase === 'Pending') status.phase = 'Failed';
    if (!jsonEqual(status, pod.status)) {
      await ctx.client.updateStatus(R.pods, { ...pod, status }).catch((e) => {
        if (!isCode(e, 404) && !isCode(e, 409)) throw e;
      });
    }
    await this.teardown(pod.metadata.namespace, pod.metadata.name);
    try {
      await ctx.client.delete(R.pods, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: this.uid } });
    } catch (e) {
      if (!isCode(e, 404) && !isCode(e, 409)) throw e;
    }
  }

  /** Removes everything the pod had on this node: containers, sandbox, volumes, logs. Idempotent. */
  async teardown(namespace?: string, name?: string): Promise<void> {
    const { ctx } = this;
    this.stopProbes();
    for (const c of await ctx.runtime.listContainers({ podUid: this.uid })) {
      if (c.podUid !== this.uid) continue;
      if (c.state !== 'exited') await ctx.runtime.stopContainer(c.id, MIN_GRACE_SECONDS);
      await ctx.runtime.removeContainer(c.id).catch(() => {});
    }
    for (const s of await ctx.runtime.listPodSandboxes()) if (s.podUid === this.uid) await ctx.runtime.removePodSandbox(s.id);
    await cleanupVolumes(ctx.dataDir, this.uid);
    if (namespace && name) await rm(podLogDir(ctx.dataDir, namespace, name, this.uid), { recursive: true, force: true });
    else await removeLogDirsOf(ctx.dataDir, this.uid);
    ctx.backoff.forget(`${this.uid}/`);
  }
}

async function removeLogDirsOf(dataDir: string, uid: string): Promise<void> {
  const base = join(dataDir, 'agent', 'pods');
  for (const n of await readdir(base).catch(() => [] as string[])) if (n.endsWith(`_${uid}`)) await rm(join(base, n), { recursive: true, force: true });
}
