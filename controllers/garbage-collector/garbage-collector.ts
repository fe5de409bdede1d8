// The garbage collector: deletes objects whose owners are gone, and carries
// out foreground and orphan deletions (see README.md). One watch per storage
// feeds the owner graph (the cache); each change queues the uids the graph
// says may need work; sync(uid) re-reads from the registry and acts.

import type { ResourceInfo } from '../../api/kinds.ts';
import { watchObjects, type ActiveWatch, type WatchEventType } from '../../apiserver/registry/list-watch.ts';
import type { KObject } from '../../apiserver/registry/object.ts';
import type { Registry } from '../../apiserver/registry/registry.ts';
import { StoreError } from '../../store/errors.ts';
import { WorkQueue } from '../queue.ts';
import type { SyncContext } from './context.ts';
import { OwnerGraph } from './graph.ts';
import { storageKey, storages } from './resources.ts';
import { syncObject } from './sync.ts';

/** Syncs running at once (one key never runs twice at once). */
const WORKERS = 4;
/** Back-off between failed attempts to re-establish a watch the store ended (the first is immediate). */
const REWATCH_MIN_MS = 100;
const REWATCH_MAX_MS = 30_000;

export class GarbageCollector {
  private readonly graph = new OwnerGraph();
  private readonly queue: WorkQueue;
  private readonly ctx: SyncContext;
  private readonly watches = new Map<string, ActiveWatch>();
  private readonly rewatchTimers = new Set<NodeJS.Timeout>();
  /** Storages listed at least once: a later list is a re-list. */
  private readonly listedOnce = new Set<string>();
  /**
   * Until every storage has been listed once, uids to look at are held here:
   * an owner listed later than its dependents is not missing.
   */
  private pending: Set<string> | undefined = new Set();
  private stopped = false;

  constructor(
    private readonly registry: Registry,
    private readonly log: (msg: string, err?: unknown) => void = () => {},
  ) {
    this.queue = new WorkQueue((uid) => this.sync(uid), {
      workers: WORKERS,
      onError: (uid, err) => log(`garbage collector: sync of ${this.describe(uid)} failed`, err),
    });
    this.ctx = { registry, graph: this.graph, enqueue: (uid) => this.consider(uid) };
  }

  async start(): Promise<void> {
    for (const resource of storages()) {
      if (this.stopped) return;
      await this.watch(resource);
    }
    const pending = this.pending ?? new Set<string>();
    this.pending = undefined;
    for (const uid of pending) this.consider(uid);
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.watches.values()) w.close();
    this.watches.clear();
    for (const t of this.rewatchTimers) clearTimeout(t);
    this.rewatchTimers.clear();
    this.queue.stop();
  }

  /** For tests: resolves when no work is queued or running. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async sync(uid: string): Promise<void> {
    // Store reads answer within microtasks: without a turn of the event loop
    // between syncs, a long queue of syncs with nothing to write would hold
    // off every other task (HTTP requests, timers) until it is empty.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.stopped) return;
    await syncObject(this.ctx, uid);
  }

  /**
   * Lists and watches one storage. On a re-list (after the store ended the
   * previous watch), objects the graph still holds but the list lacks were
   * deleted while nothing watched, and are removed as if a watch had said so.
   */
  private async watch(resource: ResourceInfo): Promise<void> {
    let listed: Set<string> | undefined = new Set();
    const w = await watchObjects(this.registry.store, resource, {}, {
      event: (type, obj) => {
        const uid = (obj as KObject).metadata?.uid;
        if (uid && type !== 'DELETED') listed?.add(uid);
        this.onEvent(resource, type, obj as KObject);
      },
      end: (err) => this.rewatch(resource, err),
    });
    if (this.stopped) {
      w.close();
      return;
    }
    const key = storageKey(resource);
    this.watches.set(key, w);
    if (this.listedOnce.has(key)) for (const uid of this.graph.uidsIn(resource)) if (!listed.has(uid)) this.removed(uid);
    this.listedOnce.add(key);
    listed = undefined;
  }

  private onEvent(resource: ResourceInfo, type: WatchEventType, obj: KObject): void {
    const uid = obj.metadata?.uid;
    if (!uid) return;
    if (type === 'DELETED') this.removed(uid);
    else if (type === 'ADDED' || type === 'MODIFIED') for (const u of this.graph.upsert(resource, obj)) this.consider(u);
  }

  private removed(uid: string): void {
    for (const u of this.graph.remove(uid)) this.consider(u);
  }

  /** Queues uid if the graph says a sync has something to check (before the first full list, only notes it). */
  private consider(uid: string): void {
    if (this.pending) {
      this.pending.add(uid);
      return;
    }
    const node = this.graph.get(uid);
    if (node && this.graph.needsAttention(node)) this.queue.add(uid);
  }

  private rewatch(resource: ResourceInfo, err: Error | undefined, delayMs = 0): void {
    const key = storageKey(resource);
    this.watches.get(key)?.close();
    this.watches.delete(key);
    if (this.stopped || (err instanceof StoreError && err.code === 'Closed')) return;
    const t = setTimeout(() => {
      this.rewatchTimers.delete(t);
      if (this.stopped) return;
      this.watch(resource).catch((e: unknown) => {
        this.log(`garbage collector: watching ${key} failed, retrying`, e);
        this.rewatch(resource, e instanceof Error ? e : undefined, Math.min(REWATCH_MAX_MS, Math.max(REWATCH_MIN_MS, delayMs * 2)));
      });
    }, delayMs);
    t.unref();
    this.rewatchTimers.add(t);
  }

  private describe(uid: string): string {
    const node = this.graph.get(uid);
    if (!node) return uid;
    const where = node.namespace ? `${node.namespace}/${node.name}` : node.name;
    return `${storageKey(node.resource)} ${where} (${uid})`;
  }
}
