// Exec and attach over SPDY/3.1 (kubectl ≤ 1.29, and newer ones when the
// WebSocket upgrade is refused): after `101 Switching Protocols` with the
// negotiated X-Stream-Protocol-Version, the client opens one stream per
// channel, named by its `streamType` header (error, stdin, stdout, stderr,
// resize). The command starts once every expected stream is there; at the
// end the output streams are half-closed and the Status goes on the error
// stream, then the connection closes.

import type { Duplex } from 'node:stream';
import type { ExecSession } from '../../runtimes/types.ts';
import { SpdySession, socketTransport, type SpdyStream } from '../spdy/session.ts';
import { internalErrorStatus, resultStatus, statusBytes, type RemoteCommandOptions } from './options.ts';
import { runCommand } from './run.ts';

/** Newest first; v5 is not offered over SPDY (the kubelet stops at v4 too). */
export const SPDY_COMMAND_PROTOCOLS = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

/** How long the client has to open its streams (the kubelet's streamCreationTimeout). */
const STREAM_CREATION_TIMEOUT_MS = 30_000;
/** How long the client has to close the connection after the command ended. */
const CLIENT_CLOSE_GRACE_MS = 10_000;

export function serveSpdyCommand(
  socket: Duplex,
  head: Buffer,
  protocol: string,
  opts: RemoteCommandOptions,
  session: ExecSession,
  log: (msg: string, err?: unknown) => void,
): void {
  const v4 = protocol === 'v4.channel.k8s.io';
  const withResize = opts.tty && protocol !== 'channel.k8s.io' && protocol !== 'v2.channel.k8s.io';
  const expected = ['error', ...(opts.stdin ? ['stdin'] : []), ...(opts.stdout ? ['stdout'] : []), ...(opts.stderr ? ['stderr'] : []), ...(withResize ? ['resize'] : [])];
  const streams = new Map<string, SpdyStream>();
  let started = false;
  let done = false;

  const spdy = new SpdySession(socketTransport(socket), (s) => {
    const type = s.header('streamtype') ?? '';
    if (!expected.includes(type) || streams.has(type)) return s.reset();
    streams.set(type, s);
    if (!started && expected.every((t) => streams.has(t))) start();
  });
  const timer = setTimeout(() => {
    if (!started) {
      log(`exec: timed out waiting for client streams (have ${[...streams.keys()].join(',')})`);
      spdy.close();
    }
  }, STREAM_CREATION_TIMEOUT_MS);
  spdy.onClose(() => {
    clearTimeout(timer);
    if (!done) session.kill();
  });
  socket.on('data', (c: Buffer) => spdy.feed(c));
  socket.on('end', () => spdy.transportClosed());
  socket.on('close', () => spdy.transportClosed());
  socket.on('error', () => spdy.transportClosed());
  if (head.length) spdy.feed(head);

  function start() {
    started = true;
    clearTimeout(timer);
    const errorStream = streams.get('error')!;
    runCommand(session, { stdin: streams.get('stdin'), stdout: streams.get('stdout'), stderr: streams.get('stderr'), resize: streams.get('resize') })
      .then(
        (result) => resultStatus(result, opts.command),
        (err) => {
          log('exec stream failed', err);
          return internalErrorStatus(err);
        },
      )
      .then((status) => {
        done = true;
        errorStream.end(statusBytes(status, v4));
        // The client closes the connection once it has read everything (closing it first would
        // make spdystream drop frames it has not yet delivered); close it ourselves only if it does not.
        setTimeout(() => spdy.close(), CLIENT_CLOSE_GRACE_MS).unref();
      });
  }
}
