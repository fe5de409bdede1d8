// Lists (at a revision, paged with continue tokens, filtered by label and
// field selectors) and watches (from a revision, with selector transitions
// turned into ADDED/DELETED as Kubernetes does) over the store.

import type { ResourceInfo } from '../../api/kinds.ts';
import { CompactedError } from '../../store/errors.ts';
import type { Store, WatchEvent } from '../../store/types.ts';
import { errors } from '../errors.ts';
import { fromStorage } from './convert.ts';
import { collectionPrefix } from './keys.ts';
import type { KObject } from './object.ts';
import { decode, rawWithResourceVersion } from './codec.ts';

export type Predicate = (obj: KObject) => boolean;

export interface ListOptions {
  namespace?: string;
  predicate?: Predicate;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  /**
   * Return the items as stored JSON text (ListResult.rawItems), skipping a
   * parse and re-serialisation of every object. Only without a predicate and
   * when the served version is the storage version.
   */
  raw?: boolean;
}

export interface ListResult {
  items: KObject[];
  /** With ListOptions.raw: the items as JSON text instead of objects. */
  rawItems?: string[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** Page size used to scan when a selector filters items out. */
const SCAN_PAGE = 500;

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'skiff/v1', rv: t.rv, start: t.start })).toString('base64url');
}

function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (t.v === 'skiff/v1' && Number.isSafeInteger(t.rv) && typeof t.start === 'string') return { rv: t.rv, start: t.start };
  } catch {
    // fall through
  }
  throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

function parseRv(rv: string): number {
  const n = Number(rv);
  if (!/^\d+$/.test(rv) || !Number.isSafeInteger(n)) throw errors.badRequest(`invalid resource version: ${rv}`);
  return n;
}

export async function listObjects(store: Store, info: ResourceInfo, opts: ListOptions): Promise<ListResult> {
  const prefix = collectionPrefix(info, opts.namespace);
  let revision = 0;
  let after: string | undefined;
  if (opts.continue) {
    const t = decodeContinue(opts.continue);
    revision = t.rv;
    after = t.start;
  } else if (opts.resourceVersion && opts.resourceVersion !== '0' && opts.resourceVersionMatch === 'Exact') {
    revision = parseRv(opts.resourceVersion);
  } else if (opts.resourceVersion && opts.resourceVersion !== '0') {
    parseRv(opts.resourceVersion);
  }
  const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
  const raw = opts.raw && !opts.predicate && info.storage.group === info.group && info.storage.version === info.version;
  const items: KObject[] = [];
  const rawItems: string[] = [];
  const count = () => (raw ? rawItems.length : items.length);
  const result = (rv: number, extra: Partial<ListResult> = {}): ListResult => ({
    items,
    ...(raw ? { rawItems } : {}),
    resourceVersion: String(rv),
    ...extra,
  });
  try {
    for (;;) {
      const pageSize = limit ? (opts.predicate ? Math.max(limit - count(), SCAN_PAGE) : limit - count()) : 0;
      const page = await store.list(prefix, { revision, limit: pageSize, after });
      revision = page.revision;
      let lastKey = after;
      for (const [i, kv] of page.items.entries()) {
        lastKey = kv.key;
        if (raw) rawItems.push(rawWithResourceVersion(kv));
        else {
          const obj = decode(kv);
          if (opts.predicate && !opts.predicate(obj)) continue;
          items.push(fromStorage(info, obj));
        }
        if (limit && count() === limit) {
          const more = i < page.items.length - 1 || page.more;
          const remaining = opts.predicate ? undefined : page.remaining + (page.items.length - 1 - i);
          return result(revision, {
            ...(more ? { continue: encodeContinue({ rv: revision, start: kv.key }) } : {}),
            ...(more && remaining !== undefined ? { remainingItemCount: remaining } : {}),
          });
        }
      }
      if (!page.more || !lastKey) break;
      after = lastKey;
    }
  } catch (e) {
    if (e instanceof CompactedError) {
      if (opts.continue) {
        throw errors.expired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      }
      throw errors.expired(`too old resource version: ${revision} (${e.compacted})`);
    }
    throw e;
  }
  return result(revision);
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchSink {
  event(type: WatchEventType, object: KObject | Record<string, unknown>): void;
  /** The store ended the watch (e.g. compaction overtook it); the sink should end the response. */
  end(err?: Error): void;
}

export interface WatchOptions {
  namespace?: string;
  predicate?: Predicate;
  resourceVersion?: string;
}

export interface ActiveWatch {
  close(): void;
  /** The revision of the last event delivered (or the start revision): what a bookmark may report. */
  progress(): number;
}

/**
 * Starts a watch. resourceVersion "" or "0" first sends the current objects
 * as ADDED; otherwise every change after that revision is sent. A revision
 * that has been compacted away throws 410 Expired.
 */
export async function watchObjects(store: Store, info: ResourceInfo, opts: WatchOptions, sink: WatchSink): Promise<ActiveWatch> {
  const prefix = collectionPrefix(info, opts.namespace);
  const matches = (o: KObject) => !opts.predicate || opts.predicate(o);
  let from: number;
  if (!opts.resourceVersion || opts.resourceVersion === '0') {
    const initial = await store.list(prefix);
    for (const kv of initial.items) {
      const obj = decode(kv);
      if (matches(obj)) sink.event('ADDED', fromStorage(info, obj));
    }
    from = initial.revision;
  } else from = parseRv(opts.resourceVersion);
  let progress = from;
  const deliver = (ev: WatchEvent) => {
    progress = ev.revision;
    if (!opts.predicate) {
      // Every object matches: the previous value is only needed for a delete.
      if (ev.type !== 'delete') sink.event(ev.prev ? 'MODIFIED' : 'ADDED', fromStorage(info, decode(ev.kv)));
      else if (ev.prev) sink.event('DELETED', fromStorage(info, deleted(decode(ev.prev), ev.revision)));
      return;
    }
    const obj = decode(ev.kv);
    const prev = ev.prev ? decode(ev.prev) : undefined;
    const now = ev.type !== 'delete' && matches(obj);
    const before = prev !== undefined && matches(prev);
    if (ev.type === 'delete') {
      if (before) sink.event('DELETED', fromStorage(info, deleted(prev!, ev.revision)));
    } else if (now && before) sink.event('MODIFIED', fromStorage(info, obj));
    else if (now) sink.event('ADDED', fromStorage(info, obj));
    else if (before) sink.event('DELETED', fromStorage(info, deleted(prev!, ev.revision)));
  };
  try {
    const w = store.watch(prefix, from, {
      onEvents: (events) => events.forEach(deliver),
      onError: (err) => sink.end(err),
    });
    return { close: () => w.close(), progress: () => progress };
  } catch (e) {
    if (e instanceof CompactedError) throw errors.expired(`too old resource version: ${from} (${e.compacted})`);
    throw e;
  }
}

/** The object a DELETED event carries: the last value, at the delete's revision. */
function deleted(prev: KObject, revision: number): KObject {
  return { ...prev, metadata: { ...prev.metadata, resourceVersion: String(revision) } };
}
