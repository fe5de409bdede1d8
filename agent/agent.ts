// The node agent (Skiff's kubelet): registers the node and keeps its lease
// and status, watches the pods bound to it, and runs one level-triggered
// worker per pod (serialised per pod by the queue). On start it re-adopts
// what the runtime still runs: containers of known pods are kept (same
// processes), those of pods that are gone are stopped and removed. stop()
// leaves pod processes running for the next agent.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonEqual } from '../apiserver/registry/object.ts';
import { EventRecorder, type EventSource } from '../client/events.ts';
import { Informer } from '../client/informer.ts';
import { R } from '../client/resources.ts';
import type { Client, KObject } from '../client/types.ts';
import { WorkQueue } from '../controllers/queue.ts';
import { realClock, type Clock } from './clock.ts';
import type { ObjectSource } from './env/resolve.ts';
import { NodeManager } from './node/node-manager.ts';
import { Backoff } from './pod-worker/backoff.ts';
import type { Rotation, WorkerContext } from './pod-worker/context.ts';
import { PodWorker } from './pod-worker/pod-worker.ts';
import type { Runtime } from './runtimes/types.ts';
import { AgentStreamingBackend } from './streaming-backend.ts';
import { podReferences } from './pod-references.ts';

export const SKIFF_VERSION = '0.1.0';
/** Every pod is synced again this often even without a change (the kubelet's resync). */
export const RESYNC_MS = 10_000;

export interface AgentOptions {
  nodeName: string;
  runtime: Runtime;
  dataDir: string;
  clock?: Clock;
  log?: (msg: string, err?: unknown) => void;
  /** An EventRecorder, or a factory given the kubelet's source {component: 'kubelet', host: nodeName}. */
  recorder?: EventRecorder | ((source: EventSource) => EventRecorder);
  streaming?: { port: number };
  /**
   * Concurrent pod syncs (one per pod at a time). Default 32: a sync mostly
   * waits (for the shim's start report, for the API), and the kubelet itself
   * runs one goroutine per pod, so a burst of pods must not queue behind a few.
   */
  workers?: number;
  /** The node's proxies, which a terminating pod leaves before its containers are stopped (network/). */
  rotation?: Rotation;
}

/** What of a pod a sync acts on (the kubelet's podsDifferSemantically, plus the status when others change it). */
function differsSemantically(a: KObject, b: KObject): boolean {
  const m = (o: KObject) => [o.spec, o.metadata.labels, o.metadata.annotations, o.metadata.deletionTimestamp, o.metadata.deletionGracePeriodSeconds];
  return !jsonEqual(m(a), m(b));
}

export class Agent {
  readonly nodeName: string;
  readonly recorder: EventRecorder;
  readonly streamingBackend: AgentStreamingBackend;
  private readonly clock: Clock;
  private readonly log: (msg: string, err?: unknown) => void;
  private readonly runtime: Runtime;
  private readonly pods: Informer;
  private readonly configMaps: Informer;
  private readonly secrets: Informer;
  private readonly byUid = new Map<string, KObject>();
  private readonly workers = new Map<string, PodWorker>();
  private readonly queue: WorkQueue;
  private readonly node: NodeManager;
  private readonly timers = new Set<() => void>();
  private readonly backoff: Backoff;
  private readonly ctx: WorkerContext;
  private stopped = false;
  /** Until the pods informer has listed, a pod's absence means nothing: syncs wait here. */
  private synced = false;
  private readonly pending = new Set<string>();

  constructor(
    private readonly client: Client,
    private readonly opts: AgentOptions,
  ) {
    this.nodeName = opts.nodeName;
    this.runtime = opts.runtime;
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? (() => {});
    const source = { component: 'kubelet', host: opts.nodeName };
    const r = opts.recorder;
    this.recorder = r instanceof EventRecorder ? r : r ? r(source) : new EventRecorder(client, source, () => this.clock.now(), this.log);
    this.backoff = new Backoff(() => this.clock.now().getTime());
    this.pods = new Informer(client, R.pods, { predicate: (o) => (o.spec as { nodeName?: string } | undefined)?.nodeName === opts.nodeName }, this.log);
    this.configMaps = new Informer(client, R.configmaps, {}, this.log);
    this.secrets = new Informer(client, R.secrets, {}, this.log);
    this.node = new NodeManager(client, {
      nodeName: opts.nodeName,
      dataDir: opts.dataDir,
      kubeletPort: opts.streaming?.port ?? 0,
      skiffVersion: SKIFF_VERSION,
      clock: this.clock,
      recorder: this.recorder,
      log: this.log,
    });
    this.queue = new WorkQueue((uid) => this.sync(uid), {
      workers: opts.workers ?? 32,
      baseDelayMs: 200,
      maxDelayMs: 30_000,
      onError: (uid, err) => this.log(`pod ${this.describe(uid)}: sync failed`, err),
    });
    this.ctx = {
      client,
      runtime: this.runtime,
      clock: this.clock,
      recorder: this.recorder,
      log: this.log,
      dataDir: opts.dataDir,
      nodeName: opts.nodeName,
      hostIP: '127.0.0.1',
      objects: this.objectSource(),
      backoff: this.backoff,
      allocatable: () => this.node.allocatable,
      enqueue: (uid, afterMs) => this.enqueue(uid, afterMs),
      rotation: opts.rotation,
    };
    this.streamingBackend = new AgentStreamingBackend(this.runtime, (ns, name) => this.pods.get(ns, name));
  }

  async start(): Promise<void> {
    await mkdir(join(this.opts.dataDir, 'agent', 'pods'), { recursive: true });
    await this.runtime.start({ changed: (id) => void this.onContainerChanged(id) });
    await this.node.start(this.runtime.capabilities);
    const onPod = {
      add: (o: KObject) => this.onPod(o),
      update: (old: KObject, o: KObject) => {
        // As the kubelet's pod config: an update that changes nothing but the status this agent wrote is no reason to sync.
        const uid = o.metadata.uid!;
        if (!differsSemantically(old, o) && this.workers.get(uid)?.wrote(o.status)) {
          this.byUid.set(uid, o);
          return;
        }
        this.onPod(o);
      },
      delete: (o: KObject) => {
        this.byUid.delete(o.metadata.uid!);
        this.enqueue(o.metadata.uid!);
      },
    };
    this.pods.addHandler(onPod);
    // A ConfigMap or Secret change resyncs the pods that read it (env, volumes), and only those.
    const onSource = (kind: 'ConfigMap' | 'Secret') => (o: KObject) => {
      const ref = `${kind}/${o.metadata.name}`;
      for (const p of this.pods.list(o.metadata.namespace)) if (podReferences(p).has(ref)) this.enqueue(p.metadata.uid!);
    };
    for (const [inf, kind] of [
      [this.configMaps, 'ConfigMap'],
      [this.secrets, 'Secret'],
    ] as const) {
      const handle = onSource(kind);
      inf.addHandler({ update: (_, o) => handle(o), add: handle, delete: handle });
    }
    await Promise.all([this.configMaps.start(), this.secrets.start(), this.pods.start()]);
    this.synced = true;
    for (const uid of this.pending) this.queue.add(uid);
    this.pending.clear();
    // Re-adoption: whatever the runtime runs for a pod that is not ours (any more) is torn down by its sync.
    await this.housekeeping();
    this.scheduleResync();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.pods.stop();
    this.configMaps.stop();
    this.secrets.stop();
    this.node.stop();
    this.queue.stop();
    await this.queue.idle();
    for (const w of this.workers.values()) w.stopProbes();
    await this.recorder.flush();
    await this.runtime.close();
  }

  /** Resolves when no pod sync is queued or running (tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private onPod(o: KObject): void {
    this.byUid.set(o.metadata.uid!, o);
    this.enqueue(o.metadata.uid!);
  }

  private enqueue(uid: string, afterMs?: number): void {
    if (this.stopped) return;
    if (!this.synced) {
      this.pending.add(uid);
      return;
    }
    if (!afterMs || afterMs <= 0) return this.queue.add(uid);
    const cancel = this.clock.after(afterMs, () => {
      this.timers.delete(cancel);
      this.queue.add(uid);
    });
    this.timers.add(cancel);
  }

  private async onContainerChanged(id: string): Promise<void> {
    const c = await this.runtime.containerStatus(id).catch(() => undefined);
    if (c) this.enqueue(c.podUid);
  }

  private scheduleResync(): void {
    if (this.stopped) return;
    const cancel = this.clock.after(RESYNC_MS, () => {
      this.timers.delete(cancel);
      void this.housekeeping()
        .catch((e) => this.log('agent: housekeeping failed', e))
        .finally(() => this.scheduleResync());
    });
    this.timers.add(cancel);
  }

  /** Syncs every pod of this node and every pod the runtime still has anything of. */
  private async housekeeping(): Promise<void> {
    const uids = new Set(this.byUid.keys());
    for (const s of await this.runtime.listPodSandboxes()) uids.add(s.podUid);
    for (const c of await this.runtime.listContainers()) uids.add(c.podUid);
    for (const uid of uids) this.enqueue(uid);
  }

  private describe(uid: string): string {
    const p = this.byUid.get(uid);
    return p ? `${p.metadata.namespace}/${p.metadata.name}` : uid;
  }

  private async sync(uid: string): Promise<void> {
    const pod = this.byUid.get(uid);
    let worker = this.workers.get(uid);
    if (!pod) {
      // Gone from the API, or never ours: nothing of it may keep running here.
      await (worker ?? new PodWorker(this.ctx, uid)).teardown();
      this.workers.delete(uid);
      return;
    }
    if (!worker) this.workers.set(uid, (worker = new PodWorker(this.ctx, uid)));
    await worker.sync(pod);
  }

  private objectSource(): ObjectSource {
    const lookup = async (inf: Informer, r: typeof R.configmaps, ns: string, name: string): Promise<KObject | undefined> => {
      const cached = inf.get(ns, name);
      if (cached) return cached;
      try {
        return await this.client.get(r, ns, name);
      } catch (e) {
        if ((e as { code?: number }).code === 404) return undefined;
        throw e;
      }
    };
    return {
      configMap: (ns, name) => lookup(this.configMaps, R.configmaps, ns, name),
      secret: (ns, name) => lookup(this.secrets, R.secrets, ns, name),
    };
  }
}
