// Shared by the garbage collector's tests: a real SqliteStore in a temp dir,
// a Registry over it, a collector, and builders for owned objects.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findResource, groupVersion, type ResourceInfo } from '../../api/kinds.ts';
import { ApiError } from '../../apiserver/errors.ts';
import type { KObject } from '../../apiserver/registry/object.ts';
import { Registry } from '../../apiserver/registry/registry.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { GarbageCollector } from './garbage-collector.ts';

const r = (group: string, version: string, plural: string): ResourceInfo => findResource(group, version, plural)!;
export const NAMESPACES = r('', 'v1', 'namespaces');
export const NODES = r('', 'v1', 'nodes');
export const PODS = r('', 'v1', 'pods');
export const CONFIGMAPS = r('', 'v1', 'configmaps');
export const SECRETS = r('', 'v1', 'secrets');
export const DEPLOYMENTS = r('apps', 'v1', 'deployments');
export const REPLICASETS = r('apps', 'v1', 'replicasets');
export const HPA_V1 = r('autoscaling', 'v1', 'horizontalpodautoscalers');

type OwnerReference = NonNullable<KObject['metadata']['ownerReferences']>[number];

export class Fixture {
  readonly logged: string[] = [];
  gc: GarbageCollector;

  private constructor(
    private readonly dir: string,
    readonly path: string,
    readonly store: SqliteStore,
    readonly registry: Registry,
  ) {
    this.gc = this.newCollector();
  }

  static async open(): Promise<Fixture> {
    const dir = await mkdtemp(join(tmpdir(), 'skiff-gc-'));
    const path = join(dir, 'state.db');
    // A short poll: one test writes from a second store on the same file.
    const store = await SqliteStore.open(path, { pollIntervalMs: 10 });
    const f = new Fixture(dir, path, store, new Registry(store, () => new Date('2024-05-01T10:00:00Z')));
    for (const name of ['default', 'team']) await f.registry.create(NAMESPACES, undefined, { metadata: { name } });
    return f;
  }

  /** A new collector over the same registry (the previous one should be stopped). */
  newCollector(): GarbageCollector {
    this.gc = new GarbageCollector(this.registry, (msg, err) => this.logged.push(`${msg}: ${String(err)}`));
    return this.gc;
  }

  async close(): Promise<void> {
    this.gc.stop();
    await this.store.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  async exists(info: ResourceInfo, ns: string | undefined, name: string): Promise<boolean> {
    return (await this.tryGet(info, ns, name)) !== undefined;
  }

  async tryGet(info: ResourceInfo, ns: string | undefined, name: string): Promise<KObject | undefined> {
    try {
      return await this.registry.get(info, ns, name);
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return undefined;
      throw e;
    }
  }

  /** Waits until the object is gone. */
  gone(info: ResourceInfo, ns: string | undefined, name: string): Promise<void> {
    return until(`${info.resource} ${name} to go`, async () => !(await this.exists(info, ns, name)));
  }

  /** Removes every finalizer but the GC's from an object (a test's stand-in for another controller). */
  async release(info: ResourceInfo, ns: string | undefined, name: string): Promise<void> {
    await this.registry.guaranteedUpdate(info, ns, name, {}, (cur) => ({
      ...cur,
      metadata: { ...cur.metadata, finalizers: (cur.metadata.finalizers ?? []).filter((f) => f === 'orphan' || f === 'foregroundDeletion') },
    }));
  }
}

/** Polls (one event-loop turn at a time) until cond holds, for at most a few seconds. */
export async function until(what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((res) => setImmediate(res));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Lets queued watch deliveries and syncs run, for asserting that something did not happen. */
export async function settle(gc: GarbageCollector, turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) {
    await gc.idle();
    await new Promise((res) => setImmediate(res));
  }
}

export function ownerRef(info: ResourceInfo, owner: KObject, opts: { block?: boolean; controller?: boolean } = {}): OwnerReference {
  return {
    apiVersion: groupVersion(info),
    kind: info.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    ...(opts.controller ? { controller: true } : {}),
    ...(opts.block !== undefined ? { blockOwnerDeletion: opts.block } : {}),
  };
}

export interface Meta {
  owners?: OwnerReference[];
  finalizers?: string[];
}

function meta(name: string, m: Meta): KObject['metadata'] {
  return { name, ...(m.owners ? { ownerReferences: m.owners } : {}), ...(m.finalizers ? { finalizers: m.finalizers } : {}) };
}

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };

export const deployment = (name: string, m: Meta = {}): KObject => ({
  metadata: meta(name, m),
  spec: { selector: { matchLabels: { app: 'web' } }, template },
});

export const replicaSet = (name: string, m: Meta = {}): KObject => ({
  metadata: { ...meta(name, m), labels: { app: 'web' } },
  spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template },
});

export const pod = (name: string, m: Meta = {}): KObject => ({
  metadata: { ...meta(name, m), labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx' }] },
});

export const configMap = (name: string, m: Meta = {}): KObject => ({ metadata: meta(name, m), data: { k: 'v' } });

/**
 * A Deployment owning two ReplicaSets, each owning two Pods, as the
 * Deployment and ReplicaSet controllers create them (controller references
 * with blockOwnerDeletion), in namespace "team".
 */
export async function deploymentTree(f: Fixture, name = 'web', podMeta: (rs: string, i: number) => Meta = () => ({})) {
  const deploy = await f.registry.create(DEPLOYMENTS, 'team', deployment(name));
  const replicaSets: KObject[] = [];
  const pods: KObject[] = [];
  for (const suffix of ['a', 'b']) {
    const rs = await f.registry.create(REPLICASETS, 'team', replicaSet(`${name}-${suffix}`, { owners: [ownerRef(DEPLOYMENTS, deploy, { controller: true, block: true })] }));
    replicaSets.push(rs);
    for (let i = 0; i < 2; i++) {
      const m = podMeta(rs.metadata.name!, i);
      const owners = [ownerRef(REPLICASETS, rs, { controller: true, block: true }), ...(m.owners ?? [])];
      pods.push(await f.registry.create(PODS, 'team', pod(`${rs.metadata.name}-${i}`, { ...m, owners })));
    }
  }
  return { deploy, replicaSets, pods };
}
