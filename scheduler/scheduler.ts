// The scheduler: assigns each new pod (no spec.nodeName, schedulerName
// default-scheduler or unset, not deleted, not finished, no scheduling
// gates) to a node, through the pods/binding subresource, as kube-scheduler.
//
// Pods are keyed in a work queue and decided one at a time (schedule.ts, a
// pure function over a snapshot of nodes and assigned pods). A pod it
// decides is "assumed" on its node at once and bound in the background (as
// kube-scheduler's binding cycle), so the next decision does not wait for
// the write; it stays assumed until the informer shows it assigned, so the
// next decision already counts it and two pods cannot both take the last
// slot. A binding that fails drops the assumption and retries the pod. A pod no node takes gets PodScheduled=False/Unschedulable with
// upstream's message and a FailedScheduling event, and is tried again when
// a node appears or changes, when an assigned pod goes away or finishes,
// and otherwise after a back-off (1 s doubling up to 5 minutes, upstream's
// longest stay among unschedulable pods).

import { ApiError } from '../apiserver/errors.ts';
import { timestamp } from '../apiserver/registry/object.ts';
import type { EventRecorder } from '../client/events.ts';
import type { Informer, InformerFactory } from '../client/informer.ts';
import { R } from '../client/resources.ts';
import type { Client, KObject } from '../client/types.ts';
import { WorkQueue } from '../controllers/queue.ts';
import { isTerminal, snapshot } from './node-info.ts';
import { schedulePod } from './schedule.ts';

export const SCHEDULER_NAME = 'default-scheduler';

const BACKOFF_INITIAL_MS = 1000;
const BACKOFF_MAX_MS = 5 * 60_000;
/** kube-scheduler truncates event messages to this length, ending them in " ...". */
const MAX_EVENT_MESSAGE = 1024;

export interface SchedulerOptions {
  recorder: EventRecorder;
  clock?: () => Date;
  log?: (msg: string, err?: unknown) => void;
  /** Breaks ties between equally scored nodes (tests pass a fixed one). */
  random?: () => number;
}

interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

function keyOf(obj: KObject): string {
  return `${obj.metadata.namespace}/${obj.metadata.name}`;
}

function nodeNameOf(pod: KObject): string | undefined {
  return (pod.spec as { nodeName?: string } | undefined)?.nodeName || undefined;
}

/** A pod this scheduler should place. */
export function needsScheduling(pod: KObject): boolean {
  const spec = (pod.spec ?? {}) as { nodeName?: string; schedulerName?: string; schedulingGates?: unknown[] };
  if (spec.nodeName || pod.metadata.deletionTimestamp || isTerminal(pod)) return false;
  if ((spec.schedulerName || SCHEDULER_NAME) !== SCHEDULER_NAME) return false;
  return !spec.schedulingGates?.length;
}

/** What of a pod can change where it fits (as upstream's isPodUpdated: not its status or bookkeeping). */
function podView(pod: KObject): string {
  const { labels, annotations, deletionTimestamp } = pod.metadata;
  return JSON.stringify([labels, annotations, deletionTimestamp, pod.spec]);
}

/** What of a node matters to filters and scores (heartbeats alone do not). */
function schedulingView(node: KObject): string {
  const status = (node.status ?? {}) as { allocatable?: unknown; capacity?: unknown; conditions?: { type: string; status: string }[] };
  const ready = status.conditions?.find((c) => c.type === 'Ready')?.status;
  return JSON.stringify([node.metadata.labels, node.spec, status.allocatable ?? status.capacity, ready]);
}

export class Scheduler {
  private readonly queue: WorkQueue;
  private readonly pods: Informer;
  private readonly nodes: Informer;
  /** Pods bound by us that the informer still shows unassigned, by key, with spec.nodeName set. */
  private readonly assumed = new Map<string, KObject>();
  /** Pods no node took, by key: failed attempts so far. */
  private readonly unschedulable = new Map<string, number>();
  private readonly clock: () => Date;
  private readonly log: (msg: string, err?: unknown) => void;
  private readonly random: () => number;
  /** Bindings in flight (the binding cycle runs apart from the scheduling cycle). */
  private readonly binding = new Set<Promise<void>>();
  /** Failed bindings in a row per pod key, for the retry's back-off. */
  private readonly bindFailures = new Map<string, number>();
  private stopped = false;
  /** Set once pods and nodes are both listed: deciding earlier could find "no nodes" that merely are not listed yet. */
  private synced = false;

  constructor(
    private readonly client: Client,
    informers: InformerFactory,
    private readonly opts: SchedulerOptions,
  ) {
    this.clock = opts.clock ?? (() => new Date());
    this.log = opts.log ?? (() => {});
    this.random = opts.random ?? Math.random;
    this.pods = informers.for(R.pods);
    this.nodes = informers.for(R.nodes);
    this.queue = new WorkQueue((key) => this.scheduleOne(key), {
      baseDelayMs: BACKOFF_INITIAL_MS,
      maxDelayMs: 10_000,
      onError: (key, err) => this.log(`scheduler: pod ${key}: scheduling failed`, err),
    });
  }

  /** Starts watching; resolves once pods and nodes are listed. */
  async start(): Promise<void> {
    this.pods.addHandler({
      add: (pod) => this.onPod(pod),
      update: (old, pod) => {
        // Status-only changes (our own Unschedulable condition among them) do not change the decision.
        if (nodeNameOf(pod) || podView(old) !== podView(pod)) this.onPod(pod);
        // An assigned pod that finished frees its node.
        if (nodeNameOf(old) && !isTerminal(old) && isTerminal(pod)) this.retryUnschedulable();
      },
      delete: (pod) => {
        const key = keyOf(pod);
        this.assumed.delete(key);
        this.unschedulable.delete(key);
        this.bindFailures.delete(key);
        if (nodeNameOf(pod)) this.retryUnschedulable();
      },
    });
    this.nodes.addHandler({
      add: () => this.retryUnschedulable(),
      update: (old, node) => {
        if (schedulingView(old) !== schedulingView(node)) this.retryUnschedulable();
      },
    });
    await Promise.all([this.pods.start(), this.nodes.start()]);
    this.synced = true;
    for (const pod of this.pods.list()) this.onPod(pod);
  }

  stop(): void {
    this.stopped = true;
    this.queue.stop();
  }

  /** Resolves when no pod is queued or being scheduled (tests). */
  async idle(): Promise<void> {
    do {
      await this.queue.idle();
      await Promise.all(this.binding);
    } while (this.binding.size > 0);
    await this.opts.recorder.flush();
  }

  private onPod(pod: KObject): void {
    if (!this.synced) return;
    const key = keyOf(pod);
    if (nodeNameOf(pod)) {
      this.assumed.delete(key);
      this.unschedulable.delete(key);
      return;
    }
    if (needsScheduling(pod)) this.queue.add(key);
  }

  private retryUnschedulable(): void {
    for (const key of this.unschedulable.keys()) this.queue.add(key);
  }

  private async scheduleOne(key: string): Promise<void> {
    if (this.stopped) return;
    const slash = key.indexOf('/');
    const pod = this.pods.get(key.slice(0, slash), key.slice(slash + 1));
    if (!pod || !needsScheduling(pod) || this.assumed.has(key)) {
      this.unschedulable.delete(key);
      return;
    }
    const assigned = this.pods.list().filter((p) => !this.assumed.has(keyOf(p)));
    const decision = schedulePod(pod, snapshot(this.nodes.list(), [...assigned, ...this.assumed.values()]), this.random);
    if ('node' in decision) this.assumeAndBind(pod, decision.node);
    else await this.markUnschedulable(pod, decision.unschedulable);
  }

  /** Assumes the pod on the node (the next decision counts it) and binds it without holding up the queue. */
  private assumeAndBind(pod: KObject, node: string): void {
    const key = keyOf(pod);
    this.assumed.set(key, { ...pod, spec: { ...(pod.spec as object), nodeName: node } });
    const done = this.bind(pod, node).then(
      () => void this.bindFailures.delete(key),
      (err: unknown) => {
        this.log(`scheduler: pod ${key}: binding failed`, err);
        const n = (this.bindFailures.get(key) ?? 0) + 1;
        this.bindFailures.set(key, n);
        this.queue.addAfter(key, Math.min(10_000, BACKOFF_INITIAL_MS * 2 ** (n - 1)));
      },
    );
    this.binding.add(done);
    void done.finally(() => this.binding.delete(done));
  }

  private async bind(pod: KObject, node: string): Promise<void> {
    const key = keyOf(pod);
    const { name, namespace, uid } = pod.metadata;
    try {
      await this.client.createSubresource(R.pods, namespace, name!, 'binding', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name, namespace, uid },
        target: { apiVersion: 'v1', kind: 'Node', name: node },
      });
    } catch (e) {
      this.assumed.delete(key);
      // Gone, recreated or bound by someone else: the informer brings what happened.
      if (e instanceof ApiError && (e.code === 404 || e.code === 409)) return;
      throw e;
    }
    this.unschedulable.delete(key);
    this.opts.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node}`);
  }

  /** PodScheduled=False/Unschedulable (written only when it changes), a FailedScheduling event, and a retry after back-off. */
  private async markUnschedulable(pod: KObject, message: string): Promise<void> {
    const key = keyOf(pod);
    const attempts = (this.unschedulable.get(key) ?? 0) + 1;
    this.unschedulable.set(key, attempts);
    this.queue.addAfter(key, Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** (attempts - 1)));
    this.opts.recorder.event(pod, 'Warning', 'FailedScheduling', message.length > MAX_EVENT_MESSAGE ? `${message.slice(0, MAX_EVENT_MESSAGE - 4)} ...` : message);
    const conditions = ((pod.status as { conditions?: PodCondition[] } | undefined)?.conditions ?? []) as PodCondition[];
    const old = conditions.find((c) => c.type === 'PodScheduled');
    if (old?.status === 'False' && old.reason === 'Unschedulable' && old.message === message) return;
    const condition = {
      type: 'PodScheduled',
      status: 'False',
      lastTransitionTime: old?.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : timestamp(this.clock()),
      reason: 'Unschedulable',
      message,
    };
    try {
      await this.client.patch(R.pods, pod.metadata.namespace, pod.metadata.name!, 'strategic', { status: { conditions: [condition] } }, 'status');
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return;
      throw e;
    }
  }
}
