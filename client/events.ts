// Records core/v1 Events about objects, as Kubernetes' event recorder does:
// the same event (object, type, reason, message) within ten minutes bumps
// `count` and `lastTimestamp` of the existing Event instead of adding one.
// Recording never fails the caller: errors are logged.
//
// Events are written at lower priority than the work they describe, as the
// Kubernetes broadcaster does: event() only queues; the queue is written a
// moment later (BATCH_DELAY_MS), all of a batch at once so that the store
// commits them together, after the writes the caller goes on to make (a pod
// status, a binding). Each event carries the time it was recorded, not the
// time it was written; repeats of one event are written in order.

import { R } from './resources.ts';
import type { Client, KObject } from './types.ts';
import { rfc3339 } from '../api/time.ts';
import { pooledRandomBytes } from '../apiserver/registry/object.ts';

const AGGREGATE_WINDOW_MS = 10 * 60_000;
const MAX_REMEMBERED = 4096;
/** How long recorded events wait to be written, gathering into one batch. */
export const BATCH_DELAY_MS = 20;

interface Pending {
  identity: string;
  write: () => Promise<void>;
}

export interface EventSource {
  component: string;
  host?: string;
}

export class EventRecorder {
  /** Recent events by their identity, to aggregate repeats. */
  private readonly recent = new Map<string, { namespace: string; name: string; count: number; first: string; at: number }>();
  private chain: Promise<void> = Promise.resolve();
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: Client,
    private readonly source: EventSource,
    private readonly clock: () => Date = () => new Date(),
    private readonly log: (msg: string, err?: unknown) => void = () => {},
  ) {}

  event(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    const now = this.clock();
    const identity = `${obj.metadata.uid}\0${fieldPath ?? ''}\0${type}\0${reason}\0${message}`;
    const write = () => this.record(obj, type, reason, message, fieldPath, identity, now).catch((e) => this.log(`event ${reason}: not recorded`, e));
    this.pending.push({ identity, write });
    this.timer ??= setTimeout(() => this.drain(), BATCH_DELAY_MS);
  }

  /** Resolves when every event recorded so far is written (tests, shutdown). */
  async flush(): Promise<void> {
    this.drain();
    await this.chain;
  }

  /**
   * Writes what is queued once the batch before it is written: distinct
   * events at once, repeats of one in order (a repeat must find the Event
   * its predecessor created).
   */
  private drain(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.chain = this.chain.then(async () => {
      const byIdentity = new Map<string, Promise<void>>();
      for (const p of batch) byIdentity.set(p.identity, (byIdentity.get(p.identity) ?? Promise.resolve()).then(p.write));
      await Promise.all(byIdentity.values());
    });
  }

  private async record(obj: KObject, type: string, reason: string, message: string, fieldPath: string | undefined, identity: string, now: Date): Promise<void> {
    const m = obj.metadata;
    const namespace = m.namespace || 'default';
    const ts = rfc3339(now);
    const prev = this.recent.get(identity);
    if (prev && now.getTime() - prev.at < AGGREGATE_WINDOW_MS) {
      prev.count++;
      prev.at = now.getTime();
      try {
        await this.client.patch(R.events, prev.namespace, prev.name, 'merge', { count: prev.count, lastTimestamp: ts });
        return;
      } catch {
        // Gone (deleted or expired): record a new one.
      }
    }
    const name = `${m.name}.${pooledRandomBytes(8).toString('hex')}`;
    const event: KObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: m.name,
        namespace: m.namespace,
        uid: m.uid,
        resourceVersion: m.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      type,
      source: { component: this.source.component, ...(this.source.host ? { host: this.source.host } : {}) },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
    };
    await this.client.create(R.events, namespace, event);
    this.recent.set(identity, { namespace, name, count: 1, first: ts, at: now.getTime() });
    if (this.recent.size > MAX_REMEMBERED) this.recent.delete(this.recent.keys().next().value!);
  }
}
