// Shared by the ReplicaSet and Deployment controller tests: a real Registry
// over the temp SQLite store of useTempRegistry, driven by a clock the test
// moves; the LocalClient, one InformerFactory and an EventRecorder as the
// server wires them. There is no scheduler or agent: tests play the kubelet
// and mark pods ready themselves.

import assert from 'node:assert/strict';
import { Registry } from '../../apiserver/registry/registry.ts';
import type { SqliteStore } from '../../store/index.ts';
import { EventRecorder } from '../../client/events.ts';
import { InformerFactory } from '../../client/informer.ts';
import { LocalClient } from '../../client/local.ts';
import { R } from '../../client/resources.ts';
import type { KObject } from '../../client/types.ts';
import { controllerOf } from '../pods.ts';

export const START = Date.parse('2024-05-01T10:00:00Z');

export class Env {
  now = START;
  readonly clock = (): Date => new Date(this.now);
  readonly registry: Registry;
  readonly client: LocalClient;
  readonly informers: InformerFactory;
  readonly recorder: EventRecorder;
  readonly logged: string[] = [];
  private readonly idlers: { idle(): Promise<void>; stop(): void; resync(): void }[] = [];

  constructor(private readonly store: SqliteStore) {
    this.registry = new Registry(store, this.clock);
    this.client = new LocalClient(this.registry, 'test');
    this.informers = new InformerFactory(this.client, (m, e) => this.logged.push(`${m}: ${String(e)}`));
    this.recorder = new EventRecorder(this.client, { component: 'test-controller' }, this.clock);
  }

  readonly log = (msg: string, err?: unknown): void => {
    this.logged.push(`${msg}: ${String(err)}`);
  };

  /** Registers a controller to wait for, resync and stop. */
  track<T extends { idle(): Promise<void>; stop(): void; resync(): void }>(c: T): T {
    this.idlers.push(c);
    return c;
  }

  advance(ms: number): void {
    this.now += ms;
  }

  /** Moves the clock and lets every controller look again (a periodic resync). */
  async tick(ms: number): Promise<void> {
    this.advance(ms);
    for (const c of this.idlers) c.resync();
    await this.settle();
  }

  /** Waits until the controllers have nothing to do and no write happened for a while. */
  async settle(): Promise<void> {
    let last = -1;
    let quiet = 0;
    for (let i = 0; i < 1000; i++) {
      for (const c of this.idlers) await c.idle();
      await new Promise((r) => setTimeout(r, 15));
      const rev = await this.store.currentRevision();
      if (rev === last) {
        if (++quiet >= 2) {
          await this.recorder.flush();
          return;
        }
      } else quiet = 0;
      last = rev;
    }
    assert.fail('controllers did not settle');
  }

  stop(): void {
    for (const c of this.idlers) c.stop();
    this.informers.stop();
  }

  async pods(ownerUid?: string): Promise<KObject[]> {
    const { items } = await this.client.list(R.pods, { namespace: 'default' });
    return items.filter((p) => !p.metadata.deletionTimestamp && (ownerUid === undefined || controllerOf(p)?.uid === ownerUid));
  }

  /** The kubelet's part: the pod runs and its Ready condition flips (at the test clock's time). */
  async setReady(pod: KObject, ready = true): Promise<KObject> {
    const cur = await this.client.get(R.pods, 'default', pod.metadata.name!);
    const ts = this.clock().toISOString().replace(/\.\d+Z$/, 'Z');
    const status = { ...(cur.status as object), phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: ts }] };
    return this.client.updateStatus(R.pods, { ...cur, status });
  }

  async events(reason?: string): Promise<string[]> {
    await this.recorder.flush();
    const { items } = await this.client.list(R.events, { namespace: 'default' });
    return items.filter((e) => reason === undefined || e.reason === reason).map((e) => `${e.reason} ${e.message}`);
  }
}

/** Runs body with a fresh Env over the fixture's store; stops everything even when body fails. */
export async function withEnv(fx: { store: SqliteStore }, body: (env: Env) => Promise<void>): Promise<void> {
  const env = new Env(fx.store);
  try {
    await body(env);
  } finally {
    if (process.env.SKIFF_TEST_LOG) for (const l of env.logged) console.log(l);
    env.stop();
    await env.recorder.flush();
  }
}

export const template = (labels: Record<string, string>, image = 'nginx:1.25') => ({
  metadata: { labels },
  spec: { containers: [{ name: 'web', image }] },
});
