// The API server: HTTPS, bearer-token authentication, health, version,
// discovery, OpenAPI and the resource REST API over the registry.

import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { findResource } from '../api/kinds.ts';
import { OPENAPI_V2_PROTOBUF, openapiV2, openapiV2Protobuf, openapiV3Document, openapiV3Root } from '../api/openapi/index.ts';
import type { Store } from '../store/types.ts';
import { aggregatedDiscovery, AGGREGATED_V2, AGGREGATED_V2BETA1, apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.ts';
import { errors } from './errors.ts';
import type { ServerContext } from './handlers/context.ts';
import { handlePodSubresource } from './handlers/pod-subresources.ts';
import { NODE_PROXY_SUBRESOURCES, NodeProxy, type NodeProxyOptions } from './handlers/node-proxy.ts';
import { handleResource } from './handlers/resource.ts';
import { parseResourcePath } from './http/request-info.ts';
import { sendError, sendJson } from './http/respond.ts';
import { registerPodSubresources } from './registry/pod-eviction.ts';
import { Registry } from './registry/registry.ts';
import { versionInfo } from './version.ts';
import { rfc3339 } from '../api/time.ts';

export interface ApiServerOptions {
  store: Store;
  host?: string;
  port: number;
  tls: { cert: string; key: string };
  /** Bearer tokens accepted, each naming a user. */
  tokens: Map<string, string>;
  now?: () => Date;
  log?: (msg: string, err?: unknown) => void;
  /** How to reach node agents for pods/log, exec, attach and portforward (token they accept, CA of their certificates). */
  nodeProxy?: NodeProxyOptions;
}

export interface ApiServer {
  port: number;
  registry: Registry;
  /** Becomes true once the server can serve (what /readyz reports). */
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? ((msg: string, err?: unknown) => console.error(`${rfc3339(new Date(), 3)} ${msg}`, err ?? ''));
  const registry = new Registry(opts.store, now, log);
  const ctx: ServerContext = { store: opts.store, registry, now, log, watches: new Set() };
  registerPodSubresources(now);
  const nodeProxy = new NodeProxy(ctx, opts.nodeProxy);
  let ready = false;
  const tokenBuffers = [...opts.tokens.keys()].map((t) => Buffer.from(t));

  const authenticated = (req: IncomingMessage): boolean => {
    const h = req.headers.authorization;
    if (!h || !h.startsWith('Bearer ')) return false;
    const given = Buffer.from(h.slice(7).trim());
    return tokenBuffers.some((t) => t.length === given.length && timingSafeEqual(t, given));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    if (PUBLIC_PATHS.has(path) || path.startsWith('/healthz/') || path.startsWith('/livez/') || path.startsWith('/readyz/')) {
      return handlePublic(path, res, ready);
    }
    if (!authenticated(req)) throw errors.unauthorized();
    const accept = req.headers.accept ?? '';
    if (path === '/api' || path === '/apis') {
      const legacy = path === '/api';
      if (accept.includes('as=APIGroupDiscoveryList')) {
        const v2 = accept.includes('v=v2;') || accept.includes('v=v2,') || /v=v2(;|,|$)/.test(accept);
        return sendJson(res, 200, aggregatedDiscovery(legacy, v2 ? 'v2' : 'v2beta1'), v2 ? AGGREGATED_V2 : AGGREGATED_V2BETA1);
      }
      return sendJson(res, 200, legacy ? apiVersions(`${req.socket.localAddress}:${opts.port}`) : apiGroupList());
    }
    if (path === '/openapi/v2') {
      if (accept.includes(OPENAPI_V2_PROTOBUF)) {
        // kubectl rejects its own Accept type as a Content-Type; Kubernetes answers octet-stream.
        const body = openapiV2Protobuf();
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
        return void res.end(body);
      }
      if (accept && !accept.includes('json') && !accept.includes('*/*')) throw errors.notAcceptable('application/json');
      return sendJson(res, 200, openapiV2());
    }
    if (path === '/openapi/v3') return sendJson(res, 200, openapiV3Root());
    if (path.startsWith('/openapi/v3/')) {
      const doc = openapiV3Document(path.slice('/openapi/v3/'.length));
      if (!doc) throw errors.pathNotFound();
      res.setHeader('Cache-Control', 'public, immutable');
      return sendJson(res, 200, doc);
    }
    const parts = path.split('/').filter(Boolean);
    if (req.method === 'GET' && parts[0] === 'api' && parts.length === 2) {
      const list = apiResourceList('', parts[1]!);
      if (!list) throw errors.pathNotFound();
      return sendJson(res, 200, list);
    }
    if (req.method === 'GET' && parts[0] === 'apis' && (parts.length === 2 || parts.length === 3)) {
      const doc = parts.length === 2 ? apiGroup(parts[1]!) : apiResourceList(parts[1]!, parts[2]!);
      if (!doc) throw errors.pathNotFound();
      return sendJson(res, 200, doc);
    }
    const rr = parseResourcePath(req.method ?? 'GET', path, url.searchParams);
    if (!rr) throw errors.pathNotFound();
    const info = findResource(rr.group, rr.version, rr.resource);
    if (!info || (rr.namespace !== undefined && !info.namespaced)) throw errors.pathNotFound();
    const rc = { server: ctx, req, res, query: url.searchParams, rr, info };
    if (rr.subresource === 'binding' || rr.subresource === 'eviction') return handlePodSubresource(rc);
    if (info.resource === 'pods' && info.group === '' && rr.subresource && NODE_PROXY_SUBRESOURCES.has(rr.subresource)) return nodeProxy.handle(rc);
    return handleResource(rc);
  };

  const server: Server = createServer({ cert: opts.tls.cert, key: opts.tls.key }, (req, res) => {
    handle(req, res).catch((err) => sendError(res, err, (e) => log(`${req.method} ${req.url} failed`, e)));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => nodeProxy.upgrade(req, socket, head, authenticated(req)));
  server.keepAliveTimeout = 65_000;
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    registry,
    setReady: (r) => {
      ready = r;
    },
    close: async () => {
      ready = false;
      for (const w of [...ctx.watches]) w.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

function handlePublic(path: string, res: ServerResponse, ready: boolean): void {
  if (path === '/version') return sendJson(res, 200, versionInfo());
  const ok = path.startsWith('/readyz') ? ready : true;
  res.writeHead(ok ? 200 : 500, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(ok ? 'ok' : `[-]${path.slice(1).split('/')[0]} failed: not ready\n`);
}

