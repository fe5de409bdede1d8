// A shared informer: lists a resource, then watches it from the list's
// revision, keeping a cache that handlers and listers read. When the watch
// ends (compaction, server stop) it lists again, tells handlers what changed
// in between (adds, updates, deletes) and watches from the new revision.
// One informer per resource is shared by every controller (InformerFactory).

import type { ResourceInfo } from '../api/kinds.ts';
import type { Client, ClientListOptions, ClientWatch, KObject } from './types.ts';

export interface InformerHandler {
  add?(obj: KObject): void;
  update?(oldObj: KObject, newObj: KObject): void;
  delete?(obj: KObject): void;
}

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 10_000;

function cacheKey(obj: KObject): string {
  const m = obj.metadata;
  return m.namespace ? `${m.namespace}/${m.name}` : m.name!;
}

export class Informer {
  private readonly items = new Map<string, KObject>();
  private readonly byNamespace = new Map<string, Map<string, KObject>>();
  private readonly handlers: InformerHandler[] = [];
  private watch?: ClientWatch;
  private stopped = false;
  private started?: Promise<void>;
  private retryMs = RETRY_MIN_MS;
  private retryTimer?: NodeJS.Timeout;
  private syncedFlag = false;

  constructor(
    private readonly client: Client,
    readonly resource: ResourceInfo,
    private readonly opts: ClientListOptions = {},
    private readonly log: (msg: string, err?: unknown) => void = () => {},
  ) {}

  addHandler(h: InformerHandler): void {
    this.handlers.push(h);
    // A handler added after the first list still sees every object once.
    if (this.syncedFlag) for (const obj of this.items.values()) h.add?.(obj);
  }

  /** Resolves once the first list is in the cache. */
  start(): Promise<void> {
    this.started ??= this.relist();
    return this.started;
  }

  get synced(): boolean {
    return this.syncedFlag;
  }

  stop(): void {
    this.stopped = true;
    this.watch?.close();
    this.watch = undefined;
    clearTimeout(this.retryTimer);
  }

  get(namespace: string | undefined, name: string): KObject | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Cached objects, of one namespace if given. The objects are shared: copy before changing one. */
  list(namespace?: string): KObject[] {
    if (namespace === undefined) return [...this.items.values()];
    return [...(this.byNamespace.get(namespace)?.values() ?? [])];
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    try {
      const { items, resourceVersion } = await this.client.list(this.resource, this.opts);
      const seen = new Set<string>();
      for (const obj of items) {
        const key = cacheKey(obj);
        seen.add(key);
        const old = this.items.get(key);
        this.put(key, obj);
        if (!old) this.emit('add', obj);
        else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit('update', obj, old);
      }
      for (const [key, old] of [...this.items]) {
        if (!seen.has(key)) {
          this.remove(key);
          this.emit('delete', old);
        }
      }
      this.syncedFlag = true;
      if (this.stopped) return;
      this.watch = await this.client.watch(this.resource, { ...this.opts, resourceVersion }, {
        event: (type, obj) => this.onEvent(type, obj),
        end: (err) => {
          if (err) this.log(`informer ${this.resource.resource}: watch ended`, err);
          this.watch = undefined;
          this.scheduleRelist();
        },
      });
      this.retryMs = RETRY_MIN_MS;
    } catch (e) {
      this.log(`informer ${this.resource.resource}: list/watch failed`, e);
      this.scheduleRelist();
    }
  }

  private scheduleRelist(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.relist(), this.retryMs);
    this.retryTimer.unref?.();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  private onEvent(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KObject): void {
    const key = cacheKey(obj);
    const old = this.items.get(key);
    if (type === 'DELETED') {
      this.remove(key);
      this.emit('delete', old ?? obj);
      return;
    }
    this.put(key, obj);
    if (old) this.emit('update', obj, old);
    else this.emit('add', obj);
  }

  private put(key: string, obj: KObject): void {
    this.items.set(key, obj);
    const ns = obj.metadata.namespace ?? '';
    let m = this.byNamespace.get(ns);
    if (!m) this.byNamespace.set(ns, (m = new Map()));
    m.set(key, obj);
  }

  private remove(key: string): void {
    const obj = this.items.get(key);
    if (!obj) return;
    this.items.delete(key);
    const ns = obj.metadata.namespace ?? '';
    const m = this.byNamespace.get(ns);
    m?.delete(key);
    if (m?.size === 0) this.byNamespace.delete(ns);
  }

  private emit(kind: 'add' | 'update' | 'delete', obj: KObject, old?: KObject): void {
    for (const h of this.handlers) {
      try {
        if (kind === 'add') h.add?.(obj);
        else if (kind === 'update') h.update?.(old!, obj);
        else h.delete?.(obj);
      } catch (e) {
        this.log(`informer ${this.resource.resource}: handler failed`, e);
      }
    }
  }
}

/** One informer per resource, shared by the components of one process. */
export class InformerFactory {
  private readonly informers = new Map<string, Informer>();

  constructor(
    private readonly client: Client,
    private readonly log: (msg: string, err?: unknown) => void = () => {},
  ) {}

  for(resource: ResourceInfo): Informer {
    const key = `${resource.group}/${resource.version}/${resource.resource}`;
    let inf = this.informers.get(key);
    if (!inf) this.informers.set(key, (inf = new Informer(this.client, resource, {}, this.log)));
    return inf;
  }

  /** Starts every informer asked for so far and waits for their first lists. */
  async start(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.start()));
  }

  stop(): void {
    for (const i of this.informers.values()) i.stop();
  }
}
