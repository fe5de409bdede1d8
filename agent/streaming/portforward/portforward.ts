// Port-forward over SPDY, the kubelet's `portforward.k8s.io` protocol: per
// forwarded connection the client opens a pair of streams sharing a
// `requestID`, an error stream and a data stream, both naming the `port`.
// The data stream is piped to a new connection to that port in the pod;
// a failure is written on the error stream. The same SPDY session runs over
// the raw upgraded connection (kubectl ≤ 1.30) or tunnelled in WebSocket
// binary messages (kubectl ≥ 1.31, subprotocol SPDY/3.1+portforward.k8s.io).

import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { StreamingBackend } from '../backend.ts';
import { SpdySession, socketTransport, type SpdyStream, type SpdyTransport } from '../spdy/session.ts';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
export const PORT_FORWARD_TUNNEL_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;

interface Pair {
  data?: SpdyStream;
  error?: SpdyStream;
}

export interface PortForwardTarget {
  backend: StreamingBackend;
  namespace: string;
  pod: string;
  log: (msg: string, err?: unknown) => void;
}

/** A SPDY session that forwards each stream pair to the pod. */
function portForwardSession(transport: SpdyTransport, t: PortForwardTarget): SpdySession {
  const pairs = new Map<string, Pair>();
  return new SpdySession(transport, (s) => {
    const type = s.header('streamtype');
    const requestId = s.header('requestid') ?? '';
    if (type !== 'data' && type !== 'error') return s.reset();
    const pair = pairs.get(requestId) ?? {};
    if (pair[type]) return s.reset();
    pair[type] = s;
    pairs.set(requestId, pair);
    if (pair.data && pair.error) {
      pairs.delete(requestId);
      forward(pair.data, pair.error, t);
    }
  });
}

function forward(data: SpdyStream, error: SpdyStream, t: PortForwardTarget): void {
  error.resume(); // the client only half-closes it
  const port = Number(data.header('port'));
  const fail = (err: unknown) => {
    const msg = `error forwarding port ${data.header('port')} to pod ${t.pod}, uid : ${err instanceof Error ? err.message : String(err)}`;
    t.log(msg);
    if (!error.writableEnded) error.end(msg);
    if (!data.writableEnded) data.end();
  };
  if (!Number.isInteger(port) || port < 1 || port > 65535) return fail(new Error(`invalid port ${JSON.stringify(data.header('port') ?? '')}`));
  t.backend.portForward(t.namespace, t.pod, port).then((conn) => {
    let failed = false;
    conn.on('error', (e) => {
      failed = true;
      fail(e);
      conn.destroy();
    });
    data.on('error', () => conn.destroy());
    data.on('close', () => conn.destroy());
    data.pipe(conn);
    conn.pipe(data);
    conn.on('close', () => {
      if (!failed && !error.writableEnded) error.end();
    });
  }, fail);
}

/** Raw SPDY: the 101 response is already written; bytes after it (head) belong to the session. */
export function servePortForwardSpdy(socket: Duplex, head: Buffer, t: PortForwardTarget): void {
  const spdy = portForwardSession(socketTransport(socket), t);
  socket.on('data', (c: Buffer) => spdy.feed(c));
  socket.on('end', () => spdy.transportClosed());
  socket.on('close', () => spdy.transportClosed());
  socket.on('error', () => spdy.transportClosed());
  if (head.length) spdy.feed(head);
}

/** SPDY tunnelled in WebSocket binary messages, each an arbitrary slice of the byte stream. */
export function servePortForwardTunnel(ws: WebSocket, t: PortForwardTarget): void {
  const spdy = portForwardSession(webSocketTransport(ws), t);
  ws.on('message', (raw: Buffer) => spdy.feed(Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer)));
  ws.on('close', () => spdy.transportClosed());
  ws.on('error', () => spdy.transportClosed());
}

/** Bytes queued on a WebSocket beyond which writers wait. */
const WS_HIGH_WATER = 1024 * 1024;

/** WebSocket binary messages as a byte transport, with back-pressure from the send callbacks. */
function webSocketTransport(ws: WebSocket): SpdyTransport {
  let pending = 0;
  let waiters: (() => void)[] = [];
  const release = () => {
    const w = waiters;
    waiters = [];
    for (const fn of w) fn();
  };
  ws.on('close', release);
  return {
    write: (b) => {
      if (ws.readyState !== ws.OPEN) return true;
      pending += b.length;
      ws.send(b, () => {
        pending -= b.length;
        if (pending < WS_HIGH_WATER) release();
      });
      return pending < WS_HIGH_WATER;
    },
    onDrain: (fn) => {
      if (pending < WS_HIGH_WATER || ws.readyState !== ws.OPEN) fn();
      else waiters.push(fn);
    },
    end: () => {
      if (ws.readyState === ws.OPEN) ws.close(1000);
    },
    pause: () => ws.pause(),
    resume: () => ws.resume(),
  };
}
