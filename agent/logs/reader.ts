// Reads a container's CRI log files the way the kubelet serves
// `kubectl logs`: tailLines (logical lines, counted over the rotated file and
// the current one), since, timestamps, limitBytes, and follow, which keeps
// reading as the runtime appends, reopens the file when the runtime rotates
// it to `<path>.1`, and ends once the container instance can write no more
// and the file is drained.

import { watch, type FSWatcher } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseCriLine, type LogRecord } from './cri.ts';

export interface ReadLogsOptions {
  /** The instance's log files, oldest first (the rotated file, then the current one). */
  files: string[];
  /** Only the last n lines (0: none, then only what follow adds). */
  tailLines?: number;
  /** Only records at or after this time (ms since the epoch). */
  since?: number;
  /** Prefix each line with its RFC3339Nano timestamp and a space. */
  timestamps?: boolean;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
  follow?: boolean;
  /** While following: false once the instance can write no more (it exited, or a newer instance replaced it). */
  writing?: () => Promise<boolean>;
  /** How long to wait for a change notification before looking again (and asking `writing`). */
  pollMs?: number;
  signal?: AbortSignal;
}

/** Where output resumes: a file index and a byte offset in it. */
interface Position {
  file: number;
  offset: number;
}

const CHUNK = 64 * 1024;

/** Writes the selected log output to `write`, which may apply back-pressure by returning a promise. */
export async function readLogs(write: (chunk: Buffer) => void | Promise<void>, opts: ReadLogsOptions): Promise<void> {
  const files = opts.files;
  if (!files.length) return;
  const out = new OutputShaper(opts);
  const start = opts.tailLines === undefined ? { file: 0, offset: 0 } : await tailStart(files, opts.tailLines);
  const emit = async (line: Buffer) => {
    const rec = parseCriLine(line);
    if (!rec) return;
    const chunk = out.shape(rec);
    if (chunk?.length) await write(chunk);
  };
  for (let i = start.file; i < files.length - 1 && !out.done; i++) {
    const fh = await openIfExists(files[i]!);
    if (!fh) continue;
    try {
      await drain(fh, i === start.file ? start.offset : 0, emit, () => out.done || !!opts.signal?.aborted);
    } finally {
      await fh.close();
    }
  }
  if (out.done) return;
  const last = files.length - 1;
  await readCurrent(files[last]!, start.file === last ? start.offset : 0, emit, out, opts);
}

/** Applies since, timestamps and limitBytes to records in order. */
class OutputShaper {
  done = false;
  private atLineStart = true;
  private remaining: number;

  constructor(private readonly opts: ReadLogsOptions) {
    this.remaining = opts.limitBytes ?? Infinity;
  }

  shape(rec: LogRecord): Buffer | undefined {
    if (this.done) return undefined;
    if (this.opts.since !== undefined && rec.time < this.opts.since) return undefined;
    let chunk = this.opts.timestamps && this.atLineStart ? Buffer.concat([Buffer.from(`${rec.timestamp} `), rec.content]) : rec.content;
    this.atLineStart = !rec.partial;
    if (chunk.length >= this.remaining) {
      chunk = chunk.subarray(0, this.remaining);
      this.done = true;
    }
    this.remaining -= chunk.length;
    return chunk;
  }
}

async function openIfExists(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Reads complete lines from offset to the end of the file, calling onLine for
 * each; returns the offset after the last complete line (an unfinished last
 * line is read again next time).
 */
async function drain(fh: FileHandle, offset: number, onLine: (line: Buffer) => Promise<void>, stop: () => boolean): Promise<number> {
  let pos = offset;
  let carry = Buffer.alloc(0);
  const buf = Buffer.alloc(CHUNK);
  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, CHUNK, pos + carry.length);
    if (bytesRead === 0) return pos;
    let data = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
    let nl: number;
    while ((nl = data.indexOf(0x0a)) >= 0) {
      const line = data.subarray(0, nl + 1);
      pos += line.length;
      await onLine(line);
      if (stop()) return pos;
      data = data.subarray(nl + 1);
    }
    carry = Buffer.from(data);
  }
}

/**
 * Where the last n logical lines begin, found by reading backwards from the
 * end of the newest file. A logical line starts at the very beginning or
 * after a full (F) record; an unfinished last line is not counted yet.
 */
async function tailStart(files: string[], n: number): Promise<Position> {
  const last = files.length - 1;
  if (n === 0) {
    const fh = await openIfExists(files[last]!);
    if (!fh) return { file: last, offset: 0 };
    try {
      for await (const l of reverseLines(fh)) return { file: last, offset: l.start + l.line.length };
      return { file: last, offset: 0 };
    } finally {
      await fh.close();
    }
  }
  let count = 0;
  let candidate: Position | undefined;
  for (let i = last; i >= 0; i--) {
    const fh = await openIfExists(files[i]!);
    if (!fh) continue;
    try {
      for await (const l of reverseLines(fh)) {
        // l precedes the candidate line: if l ends a line, the candidate starts one.
        if (candidate && !parseCriLine(l.line)?.partial && ++count === n) return candidate;
        candidate = { file: i, offset: l.start };
      }
    } finally {
      await fh.close();
    }
  }
  return { file: 0, offset: 0 };
}

/** The complete lines of a file, last first, each with its start offset. */
async function* reverseLines(fh: FileHandle): AsyncGenerator<{ start: number; line: Buffer }> {
  let pos = (await fh.stat()).size;
  let buf = Buffer.alloc(0); // the bytes [pos, pos + buf.length)
  let trimmed = false; // the unfinished last line (after the last newline) is dropped
  for (;;) {
    if (!trimmed) {
      const nl = buf.lastIndexOf(0x0a);
      if (nl >= 0) {
        buf = buf.subarray(0, nl + 1);
        trimmed = true;
      } else if (pos === 0) return;
    }
    if (trimmed) {
      // buf ends with a newline; every newline before it closes the line before the next one.
      for (let nl = buf.length >= 2 ? buf.lastIndexOf(0x0a, buf.length - 2) : -1; nl >= 0; nl = buf.length >= 2 ? buf.lastIndexOf(0x0a, buf.length - 2) : -1) {
        yield { start: pos + nl + 1, line: buf.subarray(nl + 1) };
        buf = buf.subarray(0, nl + 1);
      }
      if (pos === 0) {
        if (buf.length) yield { start: 0, line: buf };
        return;
      }
    }
    const len = Math.min(CHUNK, pos);
    pos -= len;
    const chunk = Buffer.alloc(len);
    await fh.read(chunk, 0, len, pos);
    buf = Buffer.concat([chunk, buf]);
  }
}

/** The newest file: read to its end, then (with follow) keep reading until the instance is done. */
async function readCurrent(path: string, offset: number, emit: (line: Buffer) => Promise<void>, out: OutputShaper, opts: ReadLogsOptions): Promise<void> {
  const stop = () => out.done || !!opts.signal?.aborted;
  let fh = await openIfExists(path);
  if (!opts.follow) {
    if (fh) {
      try {
        await drain(fh, offset, emit, stop);
      } finally {
        await fh.close();
      }
    }
    return;
  }
  const waker = new Waker(dirname(path), opts.signal);
  let pos = offset;
  let finishing = false;
  try {
    for (;;) {
      if (!fh) fh = await openIfExists(path);
      if (fh) pos = await drain(fh, pos, emit, stop);
      if (stop()) return;
      // Rotation: the runtime renamed our file to <path>.1 and started a new one.
      const current = await stat(path).catch(() => undefined);
      if (fh && current) {
        const mine = await fh.stat();
        if (current.ino !== mine.ino) {
          pos = await drain(fh, pos, emit, stop);
          await fh.close();
          fh = undefined;
          pos = 0;
          continue;
        }
        if (current.size < pos) pos = 0; // truncated in place
      }
      if (finishing) return;
      if (!(await waker.wait(opts.pollMs ?? 500))) {
        // Nothing changed for a while: is anyone still writing?
        if (opts.writing && !(await opts.writing())) finishing = true;
      }
      if (opts.signal?.aborted) return;
    }
  } finally {
    waker.close();
    await fh?.close();
  }
}

/** Wakes a waiting reader when anything in the log directory changes. */
class Waker {
  private watcher?: FSWatcher;
  private changed = false;
  private wake?: () => void;

  constructor(dir: string, private readonly signal?: AbortSignal) {
    try {
      this.watcher = watch(dir, () => this.poke());
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // No notifications (e.g. the directory is gone): polling still works.
    }
    signal?.addEventListener('abort', () => this.poke(), { once: true });
  }

  private poke(): void {
    this.changed = true;
    this.wake?.();
  }

  /** Resolves true on a change (or one since the last wait), false after ms without one. */
  wait(ms: number): Promise<boolean> {
    if (this.changed || this.signal?.aborted) {
      this.changed = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve(false);
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.changed = false;
        resolve(true);
      };
    });
  }

  close(): void {
    this.watcher?.close();
    this.wake?.();
  }
}
