// The Client over the API server's registry, for components that run in the
// server's process: the same code path as a REST request after decoding
// (defaults, validation, managedFields, finalizers, graceful deletion), with
// no HTTP, TLS or JSON round trip.

import type { ResourceInfo } from '../api/kinds.ts';
import { errors } from '../apiserver/errors.ts';
import { listObjects, watchObjects } from '../apiserver/registry/list-watch.ts';
import type { KObject } from '../apiserver/registry/object.ts';
import type { Registry } from '../apiserver/registry/registry.ts';
import { applyPatch, JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH } from '../apiserver/patch/index.ts';
import type { Client, ClientDeleteOptions, ClientListOptions, ClientWatch, ClientWatchHandlers, PatchType } from './types.ts';

const PATCH_TYPES: Record<PatchType, string> = { merge: MERGE_PATCH, strategic: STRATEGIC_MERGE_PATCH, json: JSON_PATCH };

/** Handles POSTs to subresources other than status (pods/binding, pods/eviction); registered by the API server. */
export type SubresourceHandler = (registry: Registry, namespace: string | undefined, name: string, body: KObject, manager: string) => Promise<unknown>;

const subresourceHandlers = new Map<string, SubresourceHandler>();

/** Registers the handler for POST resource/subresource ("pods/binding"). */
export function registerSubresource(resourceAndSub: string, handler: SubresourceHandler): void {
  subresourceHandlers.set(resourceAndSub, handler);
}

export class LocalClient implements Client {
  constructor(
    private readonly registry: Registry,
    readonly manager: string,
  ) {}

  get(r: ResourceInfo, namespace: string | undefined, name: string): Promise<KObject> {
    return this.registry.get(r, namespace, name);
  }

  async list(r: ResourceInfo, opts: ClientListOptions = {}): Promise<{ items: KObject[]; resourceVersion: string }> {
    const res = await listObjects(this.registry.store, r, { namespace: opts.namespace, predicate: opts.predicate });
    return { items: res.items, resourceVersion: res.resourceVersion };
  }

  async watch(r: ResourceInfo, opts: ClientListOptions & { resourceVersion: string }, handlers: ClientWatchHandlers): Promise<ClientWatch> {
    const w = await watchObjects(
      this.registry.store,
      r,
      { namespace: opts.namespace, predicate: opts.predicate, resourceVersion: opts.resourceVersion },
      {
        event: (type, obj) => {
          if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') handlers.event(type, obj as KObject);
        },
        end: (err) => handlers.end(err),
      },
    );
    return { close: () => w.close() };
  }

  create(r: ResourceInfo, namespace: string | undefined, obj: KObject): Promise<KObject> {
    return this.registry.create(r, namespace, obj, { manager: { operation: 'Update', name: this.manager } });
  }

  update(r: ResourceInfo, obj: KObject): Promise<KObject> {
    return this.registry.update(r, obj.metadata.namespace, obj.metadata.name!, obj, { manager: { operation: 'Update', name: this.manager } });
  }

  updateStatus(r: ResourceInfo, obj: KObject): Promise<KObject> {
    return this.registry.update(r, obj.metadata.namespace, obj.metadata.name!, obj, {
      subresource: 'status',
      manager: { operation: 'Update', name: this.manager, subresource: 'status' },
    });
  }

  patch(r: ResourceInfo, namespace: string | undefined, name: string, type: PatchType, patch: unknown, subresource?: 'status'): Promise<KObject> {
    const body = JSON.stringify(patch);
    return this.registry.guaranteedUpdate(
      r,
      namespace,
      name,
      { manager: { operation: 'Update', name: this.manager, ...(subresource ? { subresource } : {}) } },
      (current) => {
        const patched = applyPatch(PATCH_TYPES[type], current, body, r.model) as KObject;
        const rv = patched.metadata?.resourceVersion;
        if (rv && rv !== current.metadata.resourceVersion) throw errors.conflict(r, name);
        return patched;
      },
      undefined,
      subresource,
    );
  }

  async delete(r: ResourceInfo, namespace: string | undefined, name: string, opts: ClientDeleteOptions = {}): Promise<void> {
    await this.registry.delete(r, namespace, name, opts);
  }

  createSubresource(r: ResourceInfo, namespace: string | undefined, name: string, subresource: string, body: KObject): Promise<unknown> {
    const handler = subresourceHandlers.get(`${r.resource}/${subresource}`);
    if (!handler) return Promise.reject(errors.pathNotFound());
    return handler(this.registry, namespace, name, body, this.manager);
  }
}
