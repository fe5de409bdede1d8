// What every request handler needs.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceInfo } from '../../api/kinds.ts';
import type { Store } from '../../store/types.ts';
import { errors } from '../errors.ts';
import type { ResourceRequest } from '../http/request-info.ts';
import type { Registry } from '../registry/registry.ts';

export interface ServerContext {
  store: Store;
  registry: Registry;
  now: () => Date;
  log: (msg: string, err?: unknown) => void;
  /** Open watch responses, closed when the server stops. */
  watches: Set<{ close(): void }>;
}

export interface RequestContext {
  server: ServerContext;
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  rr: ResourceRequest;
  info: ResourceInfo;
}

export function dryRunOf(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  for (const v of values) if (v !== 'All') throw errors.badRequest(`Invalid dry run value: ${v}`);
  return values.length > 0;
}

export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw errors.badRequest(`invalid value for ${name}: ${v}`);
  return n;
}
