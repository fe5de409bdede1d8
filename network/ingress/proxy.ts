// The ingress proxy's hot path: match a request against the route table,
// pick a ready endpoint of its backend, forward it over the endpoint's
// keep-alive pool with request and response streamed, and tunnel Upgrade
// requests (WebSocket) over a fresh connection. A request is moved to another
// ready endpoint when its connection attempt fails, or when a reused
// keep-alive socket fails before any byte of the response came back and the
// body sent so far can be replayed; only when every candidate failed does the
// client get 502 (504 when they timed out, 503 when there was none).

import { request as httpRequest, STATUS_CODES, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { requestHead, requestHeaders, responseHeaders, type ForwardInfo } from './headers.ts';
import type { BackendPools } from './pool.ts';
import { hostOf, type Backend, type RouteTable } from './routes.ts';

export interface ProxyTimeouts {
  /** A connection attempt that takes longer fails over to the next endpoint (nginx proxy_connect_timeout: 5 s). */
  connectMs: number;
  /** No response (or no byte of it) for this long: 504 (nginx proxy_read_timeout: 60 s). */
  readMs: number;
}

export const DEFAULT_TIMEOUTS: ProxyTimeouts = { connectMs: 5_000, readMs: 60_000 };

/** How much of a request body is kept to replay it on another endpoint. */
const REPLAY_LIMIT = 64 * 1024;

/** Errors of a connection attempt: nothing reached the backend, any request may go elsewhere. */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ECONNECT_TIMEOUT']);

class ConnectTimeout extends Error {
  readonly code = 'ECONNECT_TIMEOUT';
}

export interface ProxyContext {
  table: () => RouteTable;
  pools: BackendPools;
  timeouts: ProxyTimeouts;
  /** The ports clients reach the ingress on (redirects, X-Forwarded-Port). */
  httpPort: number;
  httpsPort: number;
  log: (msg: string, err?: unknown) => void;
}

function plain(res: ServerResponse, status: number, body = `${status} ${STATUS_CODES[status]}\n`): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function redirectTarget(ctx: ProxyContext, hostHeader: string | undefined, url: string): string {
  const host = hostOf(hostHeader);
  const port = ctx.httpsPort === 443 ? '' : `:${ctx.httpsPort}`;
  return `https://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}${port}${url}`;
}

function forwardInfo(ctx: ProxyContext, req: IncomingMessage, encrypted: boolean): ForwardInfo {
  return {
    clientIp: req.socket.remoteAddress ?? '',
    proto: encrypted ? 'https' : 'http',
    host: req.headers.host ?? '',
    port: encrypted ? ctx.httpsPort : ctx.httpPort,
  };
}

function hasBody(req: IncomingMessage): boolean {
  const cl = req.headers['content-length'];
  if (cl !== undefined) return cl !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/** One proxied request across its attempts. */
class Exchange {
  private readonly tried = new Set<string>();
  private upstream?: ClientRequest;
  private readonly body: boolean;
  /** Body chunks sent so far, while they can still be replayed. */
  private chunks: Buffer[] | undefined = [];
  private bodyBytes = 0;
  private bodyEnded = false;
  private timedOut = false;
  private done = false;
  private readonly headers: string[];

  constructor(
    private readonly ctx: ProxyContext,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly backend: Backend,
    encrypted: boolean,
  ) {
    this.headers = requestHeaders(req.rawHeaders, forwardInfo(ctx, req, encrypted), false);
    this.body = hasBody(req);
    res.on('close', () => {
      if (!res.writableFinished) this.abort();
    });
    if (this.body) {
      req.on('data', (chunk: Buffer) => this.onBody(chunk));
      req.on('end', () => {
        this.bodyEnded = true;
        this.upstream?.end();
      });
    }
  }

  start(): void {
    const picked = this.ctx.pools.pick(this.backend, this.tried);
    if (!picked) {
      if (this.tried.size === 0) plain(this.res, 503);
      else plain(this.res, this.timedOut ? 504 : 502);
      this.done = true;
      return;
    }
    this.tried.add(picked.key);
    const up = httpRequest({
      host: picked.endpoint.ip,
      port: picked.endpoint.port,
      method: this.req.method,
      path: this.req.url,
      headers: this.headers as unknown as Record<string, string>,
      agent: picked.agent,
      setHost: false,
    });
    this.upstream = up;
    let responded = false;
    let expired = false;
    let bytesAtStart = -1;
    let connectTimer: NodeJS.Timeout | undefined;
    up.on('socket', (socket: Socket) => {
      bytesAtStart = socket.bytesRead;
      if (socket.connecting) {
        connectTimer = setTimeout(() => up.destroy(new ConnectTimeout('connect timeout')), this.ctx.timeouts.connectMs);
        socket.once('connect', () => clearTimeout(connectTimer));
      }
    });
    // The pool's sockets carry the read timeout (BackendPools is built with it): no timer per request.
    up.on('timeout', () => {
      expired = true;
      this.done = true;
      up.destroy();
      if (!responded) plain(this.res, 504);
      else this.res.destroy();
    });
    up.on('response', (pres: IncomingMessage) => {
      responded = true;
      this.chunks = undefined;
      const res = this.res;
      if (res.destroyed) {
        pres.destroy();
        return;
      }
      res.writeHead(pres.statusCode ?? 502, pres.statusMessage, responseHeaders(pres.rawHeaders));
      // By hand rather than pipe(): fewer listeners per request on the hot path.
      pres.on('data', (chunk: Buffer) => {
        if (!res.write(chunk)) {
          pres.pause();
          res.once('drain', () => pres.resume());
        }
      });
      pres.on('end', () => res.end());
      pres.on('error', () => res.destroy());
    });
    up.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      if (this.done || expired) return;
      if (responded) {
        this.res.destroy();
        return;
      }
      const connectFailed = CONNECT_ERRORS.has(err.code ?? '');
      const silentReuse = up.reusedSocket && bytesAtStart >= 0 && up.socket?.bytesRead === bytesAtStart;
      if ((connectFailed || silentReuse) && this.replayable()) {
        if (err.code === 'ECONNECT_TIMEOUT') this.timedOut = true;
        this.start();
        return;
      }
      this.ctx.log(`ingress: ${this.backend.key} via ${picked.key}: ${err.message}`);
      this.done = true;
      plain(this.res, 502);
    });
    if (!this.body) {
      up.end();
      return;
    }
    for (const c of this.chunks ?? []) up.write(c);
    if (this.bodyEnded) up.end();
    else if (this.req.isPaused()) this.req.resume();
  }

  private replayable(): boolean {
    return !this.body || this.chunks !== undefined;
  }

  private onBody(chunk: Buffer): void {
    if (this.chunks) {
      this.bodyBytes += chunk.length;
      if (this.bodyBytes <= REPLAY_LIMIT) this.chunks.push(chunk);
      else this.chunks = undefined;
    }
    const up = this.upstream;
    if (up && !up.write(chunk)) {
      this.req.pause();
      up.once('drain', () => this.req.resume());
    }
  }

  private abort(): void {
    this.done = true;
    this.upstream?.destroy();
  }
}

export function handleRequest(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse, encrypted: boolean): void {
  const url = req.url ?? '/';
  const m = ctx.table().match(hostOf(req.headers.host), url, encrypted);
  if (!m.backend) {
    plain(res, 404, 'default backend - 404\n');
    return;
  }
  if (m.redirect) {
    const body = `${STATUS_CODES[308]}\n`;
    res.writeHead(308, { Location: redirectTarget(ctx, req.headers.host, url), 'Content-Type': 'text/plain', 'Content-Length': body.length });
    res.end(body);
    return;
  }
  new Exchange(ctx, req, res, m.backend, encrypted).start();
}

function rawReply(socket: Duplex, status: number): void {
  const body = `${status} ${STATUS_CODES[status]}\n`;
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
}

/** Tunnels an Upgrade request (WebSocket and others) to a ready endpoint; the backend answers the handshake itself. */
export function handleUpgrade(ctx: ProxyContext, req: IncomingMessage, socket: Duplex, head: Buffer, encrypted: boolean, tunnels: Set<Duplex>): void {
  socket.on('error', () => socket.destroy());
  const url = req.url ?? '/';
  const m = ctx.table().match(hostOf(req.headers.host), url, encrypted);
  if (!m.backend) return rawReply(socket, 404);
  if (m.redirect) {
    socket.end(`HTTP/1.1 308 Permanent Redirect\r\nLocation: ${redirectTarget(ctx, req.headers.host, url)}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    return;
  }
  const backend = m.backend;
  const head0 = requestHead(req.method ?? 'GET', url, requestHeaders(req.rawHeaders, forwardInfo(ctx, req, encrypted), true));
  const tried = new Set<string>();
  const attempt = (): void => {
    const picked = ctx.pools.pick(backend, tried);
    if (!picked) return rawReply(socket, tried.size === 0 ? 503 : 502);
    tried.add(picked.key);
    const up = connect({ host: picked.endpoint.ip, port: picked.endpoint.port });
    const timer = setTimeout(() => up.destroy(new ConnectTimeout('connect timeout')), ctx.timeouts.connectMs);
    up.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (up.bytesWritten === 0 && CONNECT_ERRORS.has(err.code ?? '')) attempt();
      else socket.destroy();
    });
    up.once('connect', () => {
      clearTimeout(timer);
      up.setNoDelay(true);
      up.write(head0);
      if (head.length) up.write(head);
      up.on('error', () => socket.destroy());
      socket.on('error', () => up.destroy());
      up.on('close', () => socket.destroy());
      socket.on('close', () => {
        up.destroy();
        tunnels.delete(socket);
      });
      tunnels.add(socket);
      up.pipe(socket);
      socket.pipe(up);
    });
  };
  attempt();
}
