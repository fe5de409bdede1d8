// Shared by the Job, CronJob and TTL controller tests: a real Registry
// (useTempRegistry), a LocalClient, shared informers and an event recorder,
// a clock the test moves, and a stand-in for the kubelet that finishes pods
// through the status subresource, as the agent does.

import assert from 'node:assert/strict';
import { afterEach, type TestContext } from 'node:test';
import type { Registry } from '../../apiserver/registry/registry.ts';
import { FIXED_NOW, useTempRegistry } from '../../apiserver/registry/test-registry.ts';
import { EventRecorder } from '../../client/events.ts';
import { InformerFactory } from '../../client/informer.ts';
import { LocalClient } from '../../client/local.ts';
import { R } from '../../client/resources.ts';
import type { Client, KObject } from '../../client/types.ts';
import { rfc3339 } from './job-util.ts';

export interface Harness {
  /** For components that take the registry itself (the garbage collector). */
  registry: Registry;
  client: Client;
  informers: InformerFactory;
  recorder: EventRecorder;
  clock: () => Date;
  /** Moves the clock (and, when timers are mocked, the timers) forward. */
  advance(ms: number): void;
  /** Polls until cond holds; with mocked timers each turn also moves time by 1ms (retries after conflicts run). */
  until(what: string, cond: () => boolean | Promise<boolean>): Promise<void>;
  logged: string[];
  log: (msg: string, err?: unknown) => void;
  /** Runs before the registry closes (t.after would run after it). */
  onStop(fn: () => void): void;
}

/** Registers the temp registry; call `harness(t)` inside each test. */
export function useControllerFixture(prefix: string): { harness(t: TestContext, opts?: { mockTimers?: boolean }): Harness } {
  // Registered before the registry's own teardown, so controllers and informers stop before the store closes.
  const stoppers: (() => void)[] = [];
  afterEach(() => {
    for (const stop of stoppers.splice(0).reverse()) stop();
  });
  const fixture = useTempRegistry(prefix);
  return {
    harness(t, opts = {}) {
      let now = FIXED_NOW.getTime();
      if (opts.mockTimers) t.mock.timers.enable({ apis: ['setTimeout'] });
      const client = new LocalClient(fixture.registry, 'controller');
      const logged: string[] = [];
      const log = (msg: string, err?: unknown) => {
        logged.push(`${msg}: ${err instanceof Error ? err.message : String(err ?? '')}`);
        if (process.env.SKIFF_TEST_LOG) console.error(msg, err);
      };
      const informers = new InformerFactory(client, log);
      const clock = () => new Date(now);
      const recorder = new EventRecorder(client, { component: 'controller' }, clock, log);
      stoppers.push(() => informers.stop());
      const advance = (ms: number) => {
        now += ms;
        if (opts.mockTimers) t.mock.timers.tick(ms);
      };
      return {
        registry: fixture.registry,
        client,
        informers,
        recorder,
        clock,
        logged,
        log,
        onStop: (fn) => stoppers.push(fn),
        advance,
        until: (what, cond) =>
          until(what, async () => {
            if (await cond()) return true;
            if (opts.mockTimers) advance(1);
            return false;
          }),
      };
    },
  };
}

/** Polls one event-loop turn at a time (no timers, so it works with mocked ones) until cond holds. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, turns = 2000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (await cond()) return;
    await new Promise((res) => setImmediate(res));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Lets pending work run for a number of event-loop turns. */
export async function settle(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((res) => setImmediate(res));
}

export async function podsOfJob(client: Client, jobName: string, namespace = 'default'): Promise<KObject[]> {
  const { items } = await client.list(R.pods, { namespace });
  return items.filter((p) => p.metadata.labels?.['batch.kubernetes.io/job-name'] === jobName);
}

/** The kubelet's last word on a pod: its phase, Ready False and a terminated container, at `now`. */
export async function finishPod(
  client: Client,
  pod: KObject,
  phase: 'Succeeded' | 'Failed',
  now: Date,
  opts: { exitCode?: number; conditions?: { type: string; status: string }[] } = {},
): Promise<KObject> {
  const fresh = await client.get(R.pods, pod.metadata.namespace, pod.metadata.name!);
  const at = rfc3339(now);
  const containers = ((fresh.spec as { containers: { name: string }[] }).containers ?? []).map((c) => ({
    name: c.name,
    image: 'busybox',
    imageID: '',
    ready: false,
    restartCount: 0,
    state: { terminated: { exitCode: opts.exitCode ?? (phase === 'Succeeded' ? 0 : 1), reason: phase === 'Succeeded' ? 'Completed' : 'Error', startedAt: at, finishedAt: at } },
  }));
  return client.updateStatus(R.pods, {
    ...fresh,
    status: {
      ...(fresh.status as object),
      phase,
      conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: at, reason: 'PodCompleted' }, ...(opts.conditions ?? []).map((c) => ({ ...c, lastTransitionTime: at }))],
      containerStatuses: containers,
    },
  });
}

export async function eventsFor(client: Client, name: string, namespace = 'default'): Promise<{ reason: string; message: string; type: string }[]> {
  const { items } = await client.list(R.events, { namespace });
  return items
    .filter((e) => (e.involvedObject as { name: string }).name === name)
    .map((e) => ({ reason: e.reason as string, message: e.message as string, type: e.type as string }));
}

export function jobManifest(name: string, spec: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['true'] }] } },
      ...spec,
    },
  };
}
