// Connects a running exec (or attach) to the client's streams, whatever
// carries them (WebSocket channels or SPDY streams), and resolves with the
// result once the process has exited and its output is fully sent.

import { finished } from 'node:stream/promises';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { ExecSession } from '../../runtimes/types.ts';
import type { CommandResult } from './options.ts';

export interface CommandStreams {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  /** Terminal sizes as JSON objects `{"Width":80,"Height":24}`, possibly several per chunk. */
  resize?: Readable;
}

/**
 * Keeps the output a command writes before the client's streams are ready
 * (SPDY streams arrive a few round trips after the upgrade): a child
 * process's unread output is discarded when it exits, so it is piped into
 * buffers at once.
 */
export function holdOutput(session: ExecSession): ExecSession {
  const hold = (from: Readable) => {
    const buffer = new PassThrough();
    from.on('error', (e) => buffer.destroy(e));
    return from.pipe(buffer);
  };
  return { ...session, stdout: hold(session.stdout), stderr: session.stderr && hold(session.stderr), resize: (w, h) => session.resize(w, h), kill: () => session.kill() };
}

export async function runCommand(session: ExecSession, io: CommandStreams): Promise<CommandResult> {
  if (session.stdin) {
    session.stdin.on('error', () => {}); // the process may exit before reading everything
    if (io.stdin) io.stdin.pipe(session.stdin);
    else session.stdin.end();
  }
  const outputs = [pump(session.stdout, io.stdout)];
  if (session.stderr) outputs.push(pump(session.stderr, io.stderr));
  else io.stderr?.end(); // nothing will come (an attach without a separate stderr): the client must not wait for it
  if (io.resize) readSizes(io.resize, (w, h) => session.resize(w, h));
  const [result] = await Promise.all([session.exit, ...outputs]);
  return result;
}

/** Copies a process output to the client (or discards it); resolves when the output has ended. */
async function pump(from: Readable, to: Writable | undefined): Promise<void> {
  if (to) from.pipe(to);
  else from.resume();
  await finished(from).catch(() => {});
}

function readSizes(from: Readable, onSize: (width: number, height: number) => void): void {
  let text = '';
  from.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    // Complete top-level objects, separated by nothing or by whitespace.
    for (;;) {
      const start = text.indexOf('{');
      const end = text.indexOf('}', start);
      if (start < 0 || end < 0) break;
      try {
        const size = JSON.parse(text.slice(start, end + 1)) as { Width?: number; Height?: number };
        if (typeof size.Width === 'number' && typeof size.Height === 'number') onSize(size.Width, size.Height);
      } catch {
        // not a size: skip it
      }
      text = text.slice(end + 1);
    }
  });
  from.on('error', () => {});
}
