// Exec and attach over WebSocket, the kubelet's and kube-apiserver's
// channel protocols: each binary message starts with its channel byte
// (0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize). v4 writes a Status on
// the error channel; v5 (kubectl ≥ 1.30) adds the CLOSE signal `ff <channel>`
// that half-closes stdin. The base64 variants send text messages with the
// channel as an ASCII digit and base64 data.

import { PassThrough, Writable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { ExecSession } from '../../runtimes/types.ts';
import { internalErrorStatus, resultStatus, statusBytes, type RemoteCommandOptions } from './options.ts';
import { runCommand } from './run.ts';

export const WEBSOCKET_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v4.base64.channel.k8s.io', 'channel.k8s.io', 'base64.channel.k8s.io'];

const CLOSE_SIGNAL = 255;

/** The subprotocols the client offered, in its order. */
export function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The first offered protocol we speak; '' when none was offered (the legacy channel protocol); undefined when none fits. */
export function chooseProtocol(offered: string[], supported: readonly string[]): string | undefined {
  if (!offered.length) return '';
  return offered.find((p) => supported.includes(p));
}

export function serveWebSocketCommand(ws: WebSocket, protocol: string, opts: RemoteCommandOptions, session: ExecSession, log: (msg: string, err?: unknown) => void): void {
  const base64 = protocol.includes('base64');
  const v5 = protocol === 'v5.channel.k8s.io';
  const v4 = v5 || protocol.startsWith('v4.');
  let done = false;
  const send = (channel: number, data: Buffer, sent?: () => void) => {
    if (ws.readyState !== ws.OPEN) return sent?.();
    const cb = sent && (() => sent());
    if (base64) ws.send(String.fromCharCode(48 + channel) + data.toString('base64'), cb);
    else ws.send(Buffer.concat([Buffer.from([channel]), data]), cb);
  };
  // Like the kubelet: an empty message on the lowest writable channel tells the client the streams are up.
  send(opts.stdout ? 1 : opts.stderr ? 2 : 3, Buffer.alloc(0));

  const stdin = opts.stdin ? new PassThrough() : undefined;
  const resize = opts.tty ? new PassThrough() : undefined;
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    const msg = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer);
    if (!msg.length) return;
    if (v5 && isBinary && msg[0] === CLOSE_SIGNAL) {
      if (msg[1] === 0) stdin?.end();
      return;
    }
    const channel = base64 ? msg[0]! - 48 : msg[0]!;
    const data = base64 ? Buffer.from(msg.subarray(1).toString('latin1'), 'base64') : msg.subarray(1);
    if (channel === 0 && stdin && !stdin.writableEnded) {
      // The process reads slower than the client sends: stop reading the socket until it catches up.
      if (!stdin.write(data)) {
        ws.pause();
        stdin.once('drain', () => ws.resume());
      }
    }
    else if (channel === 4) resize?.write(data);
  });
  ws.on('error', () => {});
  ws.on('close', () => {
    if (stdin && !stdin.writableEnded) stdin.end();
    if (!done) session.kill();
  });
  const channelWriter = (channel: number) =>
    new Writable({
      // Completes when the message is on the socket: output waits for a slow client.
      write(chunk: Buffer, _enc, cb) {
        send(channel, chunk, () => cb());
      },
    });
  runCommand(session, { stdin, stdout: opts.stdout ? channelWriter(1) : undefined, stderr: opts.stderr ? channelWriter(2) : undefined, resize })
    .then(
      (result) => resultStatus(result, opts.command),
      (err) => {
        log('exec stream failed', err);
        return internalErrorStatus(err);
      },
    )
    .then((status) => {
      done = true;
      if (ws.isPaused) ws.resume(); // a stalled stdin must not hold up the closing handshake
      const bytes = statusBytes(status, v4);
      if (bytes.length) send(3, bytes);
      if (ws.readyState === ws.OPEN) ws.close(1000);
    });
}
