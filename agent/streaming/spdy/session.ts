// The server side of a SPDY/3.1 connection as Kubernetes' httpstream uses
// it: the client opens every stream (SYN_STREAM, odd ids), the server
// accepts each at once (SYN_REPLY), both sides send DATA and half-close
// with FIN. PINGs are echoed, SETTINGS and WINDOW_UPDATE are ignored
// (spdystream does no flow control), GOAWAY or the end of the transport ends
// the session. The transport is a raw upgraded socket or the WebSocket
// tunnel of kubectl ≥ 1.31 (see ../portforward).

import { Duplex } from 'node:stream';
import { controlFrame, dataFrame, FLAG_FIN, FrameParser, FrameType, RstStatus, u32, type Frame } from './frames.ts';
import { decodeHeaderBlock, encodeHeaderBlock, HeaderCompressor, HeaderDecompressor, type Headers } from './header-block.ts';

export interface SpdyTransport {
  /** False when the transport buffers too much: wait for onDrain before writing more. */
  write(bytes: Buffer): boolean;
  /** Calls fn once the transport can take more. */
  onDrain(fn: () => void): void;
  /** Closes the transport (after what was written). */
  end(): void;
  /** Stop and restart reading from the peer, while a stream's reader is behind. */
  pause(): void;
  resume(): void;
}

/** A raw (upgraded) connection as a transport. */
export function socketTransport(socket: import('node:stream').Duplex): SpdyTransport {
  return { write: (b) => socket.write(b), onDrain: (fn) => socket.once('drain', fn), end: () => socket.end(), pause: () => socket.pause(), resume: () => socket.resume() };
}

/** Largest DATA frame we send. */
const MAX_DATA = 32 * 1024;

export class SpdySession {
  private readonly parser = new FrameParser();
  private readonly inflater = new HeaderDecompressor();
  private readonly deflater = new HeaderCompressor();
  private readonly streams = new Map<number, SpdyStream>();
  /** Frames are handled strictly in order; header inflation is asynchronous. */
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly closeHandlers: (() => void)[] = [];
  private readonly drainWaiters: (() => void)[] = [];
  private draining = false;
  /** Streams whose reader is behind; reading from the peer waits for them (spdystream does the same). */
  private readonly behind = new Set<SpdyStream>();

  constructor(
    private readonly transport: SpdyTransport,
    private readonly onStream: (stream: SpdyStream) => void,
  ) {}

  /** Bytes from the peer. */
  feed(chunk: Buffer): void {
    if (this.closed) return;
    let frames: Frame[];
    try {
      frames = this.parser.push(chunk);
    } catch {
      this.close();
      return;
    }
    for (const f of frames) {
      this.queue = this.queue.then(() => this.handle(f)).catch(() => this.close());
    }
  }

  onClose(fn: () => void): void {
    if (this.closed) fn();
    else this.closeHandlers.push(fn);
  }

  /** Ends the session: every stream is destroyed and the transport closed. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.destroy();
    this.streams.clear();
    this.inflater.close();
    this.transport.end();
    for (const fn of this.drainWaiters.splice(0)) fn();
    for (const fn of this.closeHandlers.splice(0)) fn();
  }

  /** The transport ended from the peer's side. */
  transportClosed(): void {
    this.close();
  }

  private async handle(f: Frame): Promise<void> {
    if (this.closed) return;
    if (!f.control) {
      const s = this.streams.get(f.streamId);
      if (!s) return this.rst(f.streamId, RstStatus.INVALID_STREAM);
      if (f.data.length && !s.push(f.data)) {
        this.behind.add(s);
        this.transport.pause();
      }
      if (f.flags & FLAG_FIN) s.remoteEnded();
      return;
    }
    switch (f.type) {
      case FrameType.SYN_STREAM: {
        const id = f.data.readUInt32BE(0) & 0x7fffffff;
        const headers = decodeHeaderBlock(await this.inflater.decompress(f.data.subarray(10)));
        if (this.closed) return;
        if (this.streams.has(id)) return this.rst(id, RstStatus.PROTOCOL_ERROR);
        const s = new SpdyStream(this, id, headers);
        this.streams.set(id, s);
        this.send(controlFrame(FrameType.SYN_REPLY, 0, Buffer.concat([u32(id), this.deflater.compress(encodeHeaderBlock([]))])));
        if (f.flags & FLAG_FIN) s.remoteEnded();
        this.onStream(s);
        return;
      }
      case FrameType.HEADERS:
        // Keep the shared inflater in step even though the headers are not used.
        await this.inflater.decompress(f.data.subarray(4));
        if (f.flags & FLAG_FIN) this.streams.get(f.data.readUInt32BE(0) & 0x7fffffff)?.remoteEnded();
        return;
      case FrameType.RST_STREAM: {
        const id = f.data.readUInt32BE(0) & 0x7fffffff;
        const s = this.streams.get(id);
        this.forget(id);
        s?.destroy();
        return;
      }
      case FrameType.PING:
        this.send(controlFrame(FrameType.PING, 0, f.data));
        return;
      case FrameType.GOAWAY:
        this.close();
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE, SYN_REPLY from a client: nothing to do
    }
  }

  /** Writes a frame; false when the transport is full (see whenWritable). */
  send(bytes: Buffer): boolean {
    return this.closed ? true : this.transport.write(bytes);
  }

  sendData(id: number, data: Buffer, fin: boolean): boolean {
    let ok = true;
    for (let off = 0; off < data.length; off += MAX_DATA) {
      const last = off + MAX_DATA >= data.length;
      ok = this.send(dataFrame(id, fin && last ? FLAG_FIN : 0, data.subarray(off, off + MAX_DATA))) && ok;
    }
    if (!data.length && fin) ok = this.send(dataFrame(id, FLAG_FIN, Buffer.alloc(0)));
    return ok;
  }

  /** Calls fn when the transport has room again (or the session is closed). */
  whenWritable(fn: () => void): void {
    if (this.closed) return fn();
    this.drainWaiters.push(fn);
    if (this.draining) return;
    this.draining = true;
    this.transport.onDrain(() => {
      this.draining = false;
      for (const w of this.drainWaiters.splice(0)) w();
    });
  }

  rst(id: number, status: number): void {
    this.send(controlFrame(FrameType.RST_STREAM, 0, u32(id, status)));
  }

  forget(id: number): void {
    const s = this.streams.get(id);
    this.streams.delete(id);
    if (s) this.caughtUp(s);
  }

  /** A stream's reader wants more (or the stream is gone). */
  caughtUp(s: SpdyStream): void {
    if (this.behind.delete(s) && !this.behind.size && !this.closed) this.transport.resume();
  }
}

/** One SPDY stream: readable side is the peer's DATA, writable side becomes our DATA; ending writes FIN. */
export class SpdyStream extends Duplex {
  private localEnded = false;
  private peerEnded = false;

  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    readonly headers: Headers,
  ) {
    super({ allowHalfOpen: true });
  }

  header(name: string): string | undefined {
    return this.headers.get(name.toLowerCase())?.[0];
  }

  override _read(): void {
    this.session.caughtUp(this);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.session.caughtUp(this);
    cb(err);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    // Back-pressure: a producer piped into this stream waits while the connection is full.
    if (this.session.sendData(this.id, chunk, false)) cb();
    else this.session.whenWritable(() => cb());
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.session.sendData(this.id, Buffer.alloc(0), true);
    this.localEnded = true;
    if (this.peerEnded) this.session.forget(this.id);
    cb();
  }

  /** The peer sent FIN. */
  remoteEnded(): void {
    if (this.peerEnded) return;
    this.peerEnded = true;
    this.push(null);
    if (this.localEnded) this.session.forget(this.id);
  }

  /** Aborts the stream for both sides. */
  reset(): void {
    this.session.rst(this.id, RstStatus.CANCEL);
    this.session.forget(this.id);
    this.destroy();
  }
}
