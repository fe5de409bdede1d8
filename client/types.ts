// The API as controllers, the scheduler and the agent see it: typed by
// resource, the same verbs and semantics as the REST API. The in-process
// implementation (local.ts) goes through the API server's registry, so
// defaults, validation, admission-like checks and resourceVersions are the
// ones a kubectl user gets; an HTTP implementation lets a component move to
// another machine unchanged.

import type { ResourceInfo } from '../api/kinds.ts';
import type { KObject } from '../apiserver/registry/object.ts';
import type { Predicate } from '../apiserver/registry/list-watch.ts';

export type { KObject };

export interface ClientListOptions {
  namespace?: string;
  /** Filters objects as a label or field selector would. */
  predicate?: Predicate;
}

export interface ClientWatchHandlers {
  event(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KObject): void;
  /** The watch ended (compaction overtook it, or the server stopped it): relist and watch again. */
  end(err?: Error): void;
}

export interface ClientWatch {
  close(): void;
}

export interface ClientDeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type PatchType = 'merge' | 'strategic' | 'json';

export interface Client {
  /** Who writes: the field manager recorded in managedFields ("deployment-controller", "skiff-agent"). */
  readonly manager: string;
  get(r: ResourceInfo, namespace: string | undefined, name: string): Promise<KObject>;
  list(r: ResourceInfo, opts?: ClientListOptions): Promise<{ items: KObject[]; resourceVersion: string }>;
  /** Watches changes after resourceVersion (from a list of the same resource). Throws 410 Expired for a compacted revision. */
  watch(r: ResourceInfo, opts: ClientListOptions & { resourceVersion: string }, handlers: ClientWatchHandlers): Promise<ClientWatch>;
  create(r: ResourceInfo, namespace: string | undefined, obj: KObject): Promise<KObject>;
  /** PUT: the body's resourceVersion, if any, is a precondition (409 Conflict when stale). */
  update(r: ResourceInfo, obj: KObject): Promise<KObject>;
  /** PUT to the status subresource. */
  updateStatus(r: ResourceInfo, obj: KObject): Promise<KObject>;
  patch(r: ResourceInfo, namespace: string | undefined, name: string, type: PatchType, patch: unknown, subresource?: 'status'): Promise<KObject>;
  delete(r: ResourceInfo, namespace: string | undefined, name: string, opts?: ClientDeleteOptions): Promise<void>;
  /** POST to a subresource that is not status (pods/binding, pods/eviction). */
  createSubresource(r: ResourceInfo, namespace: string | undefined, name: string, subresource: string, body: KObject): Promise<unknown>;
}
