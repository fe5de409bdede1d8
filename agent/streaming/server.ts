// The agent's streaming server, the kubelet's API for the API server's
// node proxy: HTTPS with a bearer token, and the kubelet's paths
//   GET  /containerLogs/{namespace}/{pod}/{container}?follow&previous&tailLines&...
//   GET|POST /exec/{namespace}/{pod}/{container}?command=...&stdin&stdout&stderr&tty  (upgrade)
//   GET|POST /attach/{namespace}/{pod}/{container}?stdin&stdout&stderr&tty            (upgrade)
//   GET|POST /portForward/{namespace}/{pod}                                           (upgrade)
// Upgrades are WebSocket (exec channels v5/v4/base64; port-forward as SPDY in
// WebSocket) or SPDY/3.1. Pods, files and processes come from the backend.

import { timingSafeEqual } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApiError, errors } from '../../apiserver/errors.ts';
import type { ExecSession, StreamingBackend } from './backend.ts';
import { parseLogQuery, serveContainerLogs } from './logs.ts';
import { PORT_FORWARD_PROTOCOL, PORT_FORWARD_TUNNEL_PROTOCOL, servePortForwardSpdy, servePortForwardTunnel } from './portforward/portforward.ts';
import { parseRemoteCommandOptions, type RemoteCommandOptions } from './remotecommand/options.ts';
import { serveSpdyCommand, SPDY_COMMAND_PROTOCOLS } from './remotecommand/spdy.ts';
import { holdOutput } from './remotecommand/run.ts';
import { chooseProtocol, offeredProtocols, serveWebSocketCommand, WEBSOCKET_PROTOCOLS } from './remotecommand/websocket.ts';
import { acceptWebSocket } from './ws-accept.ts';
import { rfc3339 } from '../../api/time.ts';

export interface StreamingServerOptions {
  /** Address to listen on (default 127.0.0.1); the node's InternalIP must reach it. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Serving certificate and key (PEM); the API server verifies it against its node-proxy CA. */
  tls: { cert: string; key: string };
  /** The bearer token the API server presents. */
  token: string;
  backend: StreamingBackend;
  now?: () => Date;
  log?: (msg: string, err?: unknown) => void;
  /** How often a log follower looks for new lines without a file notification (default 500 ms). */
  logPollMs?: number;
}

export interface StreamingServer {
  port: number;
  close(): Promise<void>;
}

type Route =
  | { kind: 'containerLogs'; namespace: string; pod: string; container: string }
  | { kind: 'exec' | 'attach'; namespace: string; pod: string; container: string }
  | { kind: 'portForward'; namespace: string; pod: string };

function route(pathname: string): Route | undefined {
  let parts: string[];
  try {
    parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [kind, namespace, pod, container, ...rest] = parts;
  if (!namespace || !pod || rest.length) return undefined;
  if ((kind === 'containerLogs' || kind === 'exec' || kind === 'attach') && container) return { kind, namespace, pod, container };
  if (kind === 'portForward' && !container) return { kind, namespace, pod };
  return undefined;
}

export async function startStreamingServer(opts: StreamingServerOptions): Promise<StreamingServer> {
  const log = opts.log ?? ((msg: string, err?: unknown) => console.error(`${rfc3339(new Date(), 3)} ${msg}`, err ?? ''));
  const now = opts.now ?? (() => new Date());
  const backend = opts.backend;
  const token = Buffer.from(opts.token);
  const authenticated = (req: IncomingMessage): boolean => {
    const h = req.headers.authorization;
    if (!h?.startsWith('Bearer ')) return false;
    const given = Buffer.from(h.slice(7).trim());
    return given.length === token.length && timingSafeEqual(given, token);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!authenticated(req)) throw errors.unauthorized();
    const url = new URL(req.url ?? '/', 'https://localhost');
    const r = route(url.pathname);
    if (!r) throw errors.pathNotFound();
    if (r.kind !== 'containerLogs') throw errors.badRequest('Upgrade request required');
    if (req.method !== 'GET' && req.method !== 'HEAD') throw errors.methodNotAllowed(req.method ?? '');
    await serveContainerLogs(backend, req, res, r, parseLogQuery(url.searchParams), now, opts.logPollMs ?? 500);
  };

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!authenticated(req)) throw errors.unauthorized();
    const url = new URL(req.url ?? '/', 'https://localhost');
    const r = route(url.pathname);
    if (!r || r.kind === 'containerLogs') throw errors.pathNotFound();
    const kind = (req.headers.upgrade ?? '').toLowerCase();
    const websocket = kind === 'websocket';
    if (!websocket && kind !== 'spdy/3.1') throw errors.badRequest(`unsupported upgrade: ${req.headers.upgrade}`);

    if (r.kind === 'portForward') {
      const target = { backend, namespace: r.namespace, pod: r.pod, log };
      if (websocket) {
        if (!offeredProtocols(req).includes(PORT_FORWARD_TUNNEL_PROTOCOL)) {
          throw errors.badRequest(`unable to upgrade: port-forward over WebSocket needs the subprotocol ${PORT_FORWARD_TUNNEL_PROTOCOL}`);
        }
        return servePortForwardTunnel(await acceptWebSocket(req, socket, head, PORT_FORWARD_TUNNEL_PROTOCOL), target);
      }
      const protocol = negotiateSpdy(req, [PORT_FORWARD_PROTOCOL]);
      socket.write(switchingToSpdy(protocol));
      return servePortForwardSpdy(socket, head, target);
    }

    const cmd = parseRemoteCommandOptions(url.searchParams, r.kind === 'exec');
    const protocol = websocket ? chooseProtocol(offeredProtocols(req), WEBSOCKET_PROTOCOLS) : negotiateSpdy(req, SPDY_COMMAND_PROTOCOLS);
    if (protocol === undefined) {
      throw errors.badRequest(`unable to upgrade: requested protocol(s) are not supported: ${offeredProtocols(req).join(', ')}; supports ${WEBSOCKET_PROTOCOLS.join(', ')}`);
    }
    // Start the command before upgrading, so that an unknown pod or container is a plain error response.
    const session = holdOutput(await startCommand(backend, r, cmd));
    if (websocket) {
      const ws = await acceptWebSocket(req, socket, head, protocol);
      return serveWebSocketCommand(ws, protocol, cmd, session, log);
    }
    socket.write(switchingToSpdy(protocol));
    serveSpdyCommand(socket, head, protocol || 'channel.k8s.io', cmd, session, log);
  };

  const server: Server = createServer({ cert: opts.tls.cert, key: opts.tls.key }, (req, res) => {
    handle(req, res).catch((err) => {
      if (!(err instanceof ApiError)) log(`${req.method} ${req.url} failed`, err);
      if (res.headersSent) return void res.destroy();
      const status = asApiError(err).toStatus();
      const body = JSON.stringify(status);
      res.writeHead(status.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    upgrade(req, socket, head).catch((err) => {
      if (!(err instanceof ApiError)) log(`${req.method} ${req.url} upgrade failed`, err);
      writeRawError(socket, asApiError(err));
    });
  });
  server.on('tlsClientError', () => {});
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

function startCommand(backend: StreamingBackend, r: { kind: 'exec' | 'attach'; namespace: string; pod: string; container: string }, cmd: RemoteCommandOptions): Promise<ExecSession> {
  if (r.kind === 'exec') return backend.exec(r.namespace, r.pod, r.container, { command: cmd.command, stdin: cmd.stdin, tty: cmd.tty });
  if (!backend.attach) throw errors.badRequest('attach is not supported by this node');
  return backend.attach(r.namespace, r.pod, r.container, { stdin: cmd.stdin, tty: cmd.tty });
}

/**
 * X-Stream-Protocol-Version negotiation (httpstream.Handshake): the first
 * protocol of the client's list that the server supports; no header at all
 * means the legacy unversioned protocol.
 */
function negotiateSpdy(req: IncomingMessage, supported: readonly string[]): string {
  const raw = req.headers['x-stream-protocol-version'];
  const offered = (Array.isArray(raw) ? raw : raw ? [raw] : []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (!offered.length) return '';
  const match = offered.find((p) => supported.includes(p));
  if (!match) {
    throw new ApiError(403, 'Forbidden', `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${supported.join(' ')}]`);
  }
  return match;
}

function switchingToSpdy(protocol: string): string {
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1'];
  if (protocol) lines.push(`X-Stream-Protocol-Version: ${protocol}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function asApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : errors.internal(err instanceof Error ? err.message : String(err));
}

/** An error answer on a connection that asked for an upgrade: a plain HTTP response with a Status body, then close. */
export function writeRawError(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(err.toStatus());
  socket.end(
    `HTTP/1.1 ${err.code} ${STATUS_CODES[err.code] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
