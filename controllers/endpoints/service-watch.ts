// The wiring the Endpoints and EndpointSlice controllers share: a keyed
// queue of Service keys fed by the Service and Pod informers. A Service
// change queues it; a pod change queues every Service of its namespace that
// selects it, by its old labels and its new ones (a relabelled pod leaves one
// Service and joins another). Each controller adds handlers for the objects
// it writes and supplies the idempotent sync.

import type { Informer, InformerFactory } from '../../client/informer.ts';
import { R } from '../../client/resources.ts';
import type { KObject } from '../../client/types.ts';
import { WorkQueue } from '../queue.ts';
import { keyOf, servicesSelecting } from './pod-util.ts';

export class ServiceWatch {
  readonly services: Informer;
  readonly pods: Informer;
  readonly queue: WorkQueue;
  private started = false;
  private readonly pending = new Set<string>();

  constructor(
    informers: InformerFactory,
    sync: (namespace: string, name: string) => Promise<void>,
    name: string,
    log: (msg: string, err?: unknown) => void,
    workers = 2,
  ) {
    this.services = informers.for(R.services);
    this.pods = informers.for(R.pods);
    this.queue = new WorkQueue(
      (key) => {
        const slash = key.indexOf('/');
        return sync(key.slice(0, slash), key.slice(slash + 1));
      },
      { workers, onError: (k, e) => log(`${name} ${k}: sync failed`, e) },
    );
    this.services.addHandler({
      add: (svc) => this.enqueue(keyOf(svc)),
      update: (_, svc) => this.enqueue(keyOf(svc)),
      delete: (svc) => this.enqueue(keyOf(svc)),
    });
    this.pods.addHandler({
      add: (pod) => this.podChanged(pod),
      update: (old, cur) => {
        if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
        this.podChanged(cur, old);
      },
      delete: (pod) => this.podChanged(pod),
    });
  }

  async start(extra: Informer[] = []): Promise<void> {
    await Promise.all([this.services.start(), this.pods.start(), ...extra.map((i) => i.start())]);
    this.started = true;
    for (const key of this.pending) this.queue.add(key);
    this.pending.clear();
  }

  stop(): void {
    this.queue.stop();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Queues every Service again (a periodic resync). */
  resync(): void {
    for (const svc of this.services.list()) this.enqueue(keyOf(svc));
  }

  enqueue(key: string): void {
    if (this.started) this.queue.add(key);
    else this.pending.add(key);
  }

  private podChanged(pod: KObject, old?: KObject): void {
    const ns = pod.metadata.namespace!;
    const keys = new Set(servicesSelecting(this.services, ns, pod.metadata.labels).map(keyOf));
    if (old && JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {})) {
      for (const svc of servicesSelecting(this.services, ns, old.metadata.labels)) keys.add(keyOf(svc));
    }
    for (const k of keys) this.enqueue(k);
  }
}
