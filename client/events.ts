// Records core/v1 Events about objects, as Kubernetes' event recorder does:
// the same event (object, type, reason, message) within ten minutes bumps
// `count` and `lastTimestamp` of the existing Event instead of adding one.
// Recording never fails the caller: errors are logged.

import { randomBytes } from 'node:crypto';
import { R } from './resources.ts';
import type { Client, KObject } from './types.ts';

const AGGREGATE_WINDOW_MS = 10 * 60_000;
const MAX_REMEMBERED = 4096;

export interface EventSource {
  component: string;
  host?: string;
}

export class EventRecorder {
  /** Recent events by their identity, to aggregate repeats. */
  private readonly recent = new Map<string, { namespace: string; name: string; count: number; first: string; at: number }>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: Client,
    private readonly source: EventSource,
    private readonly clock: () => Date = () => new Date(),
    private readonly log: (msg: string, err?: unknown) => void = () => {},
  ) {}

  event(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    // Serialised, so that a repeat finds the Event its predecessor created.
    this.chain = this.chain.then(() => this.record(obj, type, reason, message, fieldPath)).catch((e) => this.log(`event ${reason}: not recorded`, e));
  }

  /** Resolves when every event recorded so far is written (tests). */
  flush(): Promise<void> {
    return this.chain;
  }

  private async record(obj: KObject, type: string, reason: string, message: string, fieldPath?: string): Promise<void> {
    const m = obj.metadata;
    const namespace = m.namespace || 'default';
    const now = this.clock();
    const ts = now.toISOString().replace(/\.\d+Z$/, 'Z');
    const identity = `${m.uid}\0${fieldPath ?? ''}\0${type}\0${reason}\0${message}`;
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
    const name = `${m.name}.${randomBytes(8).toString('hex')}`;
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
