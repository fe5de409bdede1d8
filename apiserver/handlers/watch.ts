// Watch responses: headers flushed at once (kubectl wait and rollout status
// block until they see them), newline-delimited JSON events, Table rows when
// asked for, periodic bookmarks, and the stream closed at timeoutSeconds.

import { errors } from '../errors.ts';
import { watchObjects, type WatchEventType } from '../registry/list-watch.ts';
import type { KObject } from '../registry/object.ts';
import { intParam, type RequestContext } from './context.ts';
import { predicateOf } from './predicate.ts';
import { includeObjectOf, TABLE_CONTENT_TYPE, toTable, wantsTable } from './table.ts';

const BOOKMARK_INTERVAL_MS = 30_000;
/** Events buffered for a watcher that does not read before it is cut off. */
const MAX_UNREAD_BYTES = 16 * 1024 * 1024;
/** Kubernetes spreads watch lifetimes between 30 and 60 minutes when the client names none. */
const DEFAULT_TIMEOUT_S = () => 1800 + Math.floor(Math.random() * 1800);

export async function handleWatch(ctx: RequestContext): Promise<void> {
  const { res, req, query, info, rr, server } = ctx;
  const table = wantsTable(req.headers.accept);
  const includeObject = includeObjectOf(query);
  const predicate = predicateOf(info, query, rr.name);
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const timeoutS = intParam(query, 'timeoutSeconds') ?? DEFAULT_TIMEOUT_S();
  if (timeoutS < 0) throw errors.badRequest('timeoutSeconds must not be negative');

  let headerSent = false;
  let firstTable = true;
  let closed = false;
  const buffered: string[] = [];
  const write = (type: WatchEventType, object: unknown) => {
    if (closed) return;
    let out = object;
    if (table && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
      const o = object as KObject;
      out = toTable(info, [o], { resourceVersion: o.metadata.resourceVersion }, { now: server.now(), includeObject, noHeaders: !firstTable });
      firstTable = false;
    }
    const line = JSON.stringify({ type, object: out }) + '\n';
    if (!headerSent) buffered.push(line);
    else if (!res.write(line) && res.writableLength > MAX_UNREAD_BYTES) {
      // A client that does not read its watch is dropped (it re-watches from its last resourceVersion),
      // rather than letting the server buffer events for it without bound.
      stop();
    }
  };

  let stop = () => {};
  const entry = { close: () => stop() };
  const watch = await watchObjects(
    server.store,
    info,
    { namespace: rr.namespace, predicate, resourceVersion: query.get('resourceVersion') ?? undefined },
    {
      event: write,
      end: (err) => {
        if (err) write('ERROR', errors.expired(err.message).toStatus());
        stop();
      },
    },
  );
  res.writeHead(200, {
    'Content-Type': table ? TABLE_CONTENT_TYPE : 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  headerSent = true;
  for (const line of buffered) res.write(line);
  buffered.length = 0;

  const timer = setTimeout(() => stop(), timeoutS * 1000);
  const bookmarkTimer = bookmarks
    ? setInterval(() => {
        write('BOOKMARK', { kind: info.kind, apiVersion: info.group ? `${info.group}/${info.version}` : info.version, metadata: { resourceVersion: String(watch.progress()) } });
      }, BOOKMARK_INTERVAL_MS)
    : undefined;
  server.watches.add(entry);
  stop = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    if (bookmarkTimer) clearInterval(bookmarkTimer);
    watch.close();
    server.watches.delete(entry);
    res.end();
  };
  res.on('close', stop);
}
