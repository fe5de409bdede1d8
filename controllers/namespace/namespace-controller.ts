// The namespace controller: a namespace marked for deletion has everything in
// it deleted; once it is empty its `kubernetes` finalizer is removed, and the
// registry then removes the namespace itself. Level-triggered: on start and
// on every namespace change it re-reads what is there and works from that.

import { findResource, RESOURCES, type ResourceInfo } from '../../api/kinds.ts';
import { listObjects, watchObjects, type ActiveWatch } from '../../apiserver/registry/list-watch.ts';
import { isObject, type KObject } from '../../apiserver/registry/object.ts';
import type { Registry } from '../../apiserver/registry/registry.ts';
import { ApiError } from '../../apiserver/errors.ts';
import { WorkQueue } from '../queue.ts';

const NAMESPACES = findResource('', 'v1', 'namespaces')!;
const FINALIZER = 'kubernetes';
/** How soon to look again while objects in the namespace are still going away. */
const RECHECK_MS = 1000;

/** One resource per storage location: two served versions of one resource hold the same objects. */
function namespacedStorages(): ResourceInfo[] {
  const seen = new Set<string>();
  const out: ResourceInfo[] = [];
  for (const r of RESOURCES) {
    const key = `${r.storage.group}/${r.storage.resource}`;
    if (!r.namespaced || seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}

export class NamespaceController {
  private readonly queue: WorkQueue;
  private watch?: ActiveWatch;

  constructor(
    private readonly registry: Registry,
    private readonly log: (msg: string, err?: unknown) => void = () => {},
  ) {
    this.queue = new WorkQueue((name) => this.sync(name), { onError: (k, e) => log(`namespace ${k}: sync failed`, e) });
  }

  async start(): Promise<void> {
    this.watch = await watchObjects(this.registry.store, NAMESPACES, {}, {
      event: (_type, obj) => {
        const o = obj as KObject;
        if (o.metadata?.deletionTimestamp) this.queue.add(o.metadata.name!);
      },
      end: () => {
        // The store ended the watch (compaction): start over from a fresh list.
        if (this.watch) void this.restart();
      },
    });
  }

  private async restart(): Promise<void> {
    this.watch?.close();
    await this.start();
  }

  stop(): void {
    const w = this.watch;
    this.watch = undefined;
    w?.close();
    this.queue.stop();
  }

  /** For tests: resolves when no work is queued. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async sync(name: string): Promise<void> {
    let ns: KObject;
    try {
      ns = await this.registry.get(NAMESPACES, undefined, name);
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return;
      throw e;
    }
    if (!ns.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const info of namespacedStorages()) {
      const { items } = await listObjects(this.registry.store, info, { namespace: name });
      for (const obj of items) {
        if (obj.metadata.deletionTimestamp) {
          remaining++;
          continue;
        }
        try {
          const { deleted } = await this.registry.delete(info, name, obj.metadata.name!, { propagationPolicy: 'Background' });
          if (!deleted) remaining++;
        } catch (e) {
          if (!(e instanceof ApiError && e.code === 404)) throw e;
        }
      }
    }
    if (remaining > 0) {
      this.queue.addAfter(name, RECHECK_MS);
      return;
    }
    const finalizers = isObject(ns.spec) && Array.isArray(ns.spec.finalizers) ? (ns.spec.finalizers as string[]) : [];
    if (!finalizers.includes(FINALIZER)) return;
    await this.registry.update(NAMESPACES, undefined, name, { ...ns, spec: { ...(ns.spec as object), finalizers: finalizers.filter((f) => f !== FINALIZER) } }, {
      subresource: 'finalize',
    });
  }
}
