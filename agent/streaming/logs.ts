// GET /containerLogs/{namespace}/{pod}/{container}: the kubelet's log
// endpoint. Query: follow, previous, timestamps, tailLines, limitBytes,
// sinceSeconds, sinceTime (RFC 3339). The body is the log text, streamed
// (and, with follow, kept open until the container instance is done).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../../apiserver/errors.ts';
import { readLogs } from '../logs/reader.ts';
import type { StreamingBackend } from './backend.ts';
import { queryBool } from './remotecommand/options.ts';

export interface LogQuery {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  limitBytes?: number;
  sinceSeconds?: number;
  sinceTime?: number;
}

function queryInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

export function parseLogQuery(q: URLSearchParams): LogQuery {
  const sinceTimeText = q.get('sinceTime');
  let sinceTime: number | undefined;
  if (sinceTimeText) {
    sinceTime = Date.parse(sinceTimeText);
    if (Number.isNaN(sinceTime) || !/^\d{4}-\d{2}-\d{2}T/.test(sinceTimeText)) {
      throw errors.badRequest(`parsing time ${JSON.stringify(sinceTimeText)} as "2006-01-02T15:04:05Z07:00": cannot parse`);
    }
  }
  return {
    follow: queryBool(q, 'follow'),
    previous: queryBool(q, 'previous'),
    timestamps: queryBool(q, 'timestamps'),
    tailLines: queryInt(q, 'tailLines'),
    limitBytes: queryInt(q, 'limitBytes'),
    sinceSeconds: queryInt(q, 'sinceSeconds'),
    sinceTime,
  };
}

export async function serveContainerLogs(
  backend: StreamingBackend,
  req: IncomingMessage,
  res: ServerResponse,
  target: { namespace: string; pod: string; container: string },
  q: LogQuery,
  now: () => Date,
  pollMs: number,
): Promise<void> {
  const { namespace, pod, container } = target;
  const files = await backend.logFiles(namespace, pod, container, q.previous);
  const since = q.sinceTime ?? (q.sinceSeconds !== undefined ? now().getTime() - q.sinceSeconds * 1000 : undefined);
  const current = files.files.at(-1);
  const ac = new AbortController();
  res.on('close', () => ac.abort());
  req.on('close', () => ac.abort());
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  const write = (chunk: Buffer): void | Promise<void> => {
    if (res.write(chunk)) return;
    return new Promise((resolve) => {
      res.once('drain', resolve);
      res.once('close', resolve);
    });
  };
  await readLogs(write, {
    files: files.files,
    tailLines: q.tailLines,
    since,
    timestamps: q.timestamps,
    limitBytes: q.limitBytes,
    follow: q.follow && !q.previous && files.running,
    pollMs,
    signal: ac.signal,
    writing: async () => {
      const again = await backend.logFiles(namespace, pod, container, false).catch(() => undefined);
      return !!again && again.running && again.files.at(-1) === current;
    },
  });
  res.end();
}
