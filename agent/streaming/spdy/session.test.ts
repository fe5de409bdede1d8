import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createDeflate, createInflate } from 'node:zlib';
import { controlFrame, dataFrame, FLAG_FIN, FrameParser, FrameType, u32, type Frame } from './frames.ts';
import { decodeHeaderBlock, encodeHeaderBlock, SPDY3_DICTIONARY } from './header-block.ts';
import { SpdySession, type SpdyStream } from './session.ts';

/** The client half, as spdystream does it: one deflate stream with the dictionary, sync-flushed per block. */
class Client {
  private readonly deflate = createDeflate({ dictionary: SPDY3_DICTIONARY });
  private readonly inflate = createInflate({ dictionary: SPDY3_DICTIONARY });
  private readonly parser = new FrameParser();
  readonly frames: Frame[] = [];
  readonly streams: SpdyStream[] = [];
  ended = false;
  paused = false;
  readonly session: SpdySession;

  constructor() {
    this.session = new SpdySession(
      {
        write: (b) => {
          this.frames.push(...this.parser.push(b));
          return true;
        },
        onDrain: (fn) => fn(),
        end: () => (this.ended = true),
        pause: () => (this.paused = true),
        resume: () => (this.paused = false),
      },
      (s) => this.streams.push(s),
    );
  }

  private compress(headers: [string, string][]): Promise<Buffer> {
    return new Promise((resolve) => {
      const out: Buffer[] = [];
      const onData = (d: Buffer) => out.push(d);
      this.deflate.on('data', onData);
      this.deflate.write(encodeHeaderBlock(headers));
      this.deflate.flush(constants.Z_SYNC_FLUSH, () =>
        setImmediate(() => {
          this.deflate.off('data', onData);
          resolve(Buffer.concat(out));
        }),
      );
    });
  }

  async syn(id: number, headers: [string, string][], fin = false): Promise<void> {
    const block = await this.compress(headers);
    this.session.feed(controlFrame(FrameType.SYN_STREAM, fin ? FLAG_FIN : 0, Buffer.concat([u32(id, 0), Buffer.from([0, 0]), block])));
  }

  async headers(id: number, headers: [string, string][]): Promise<void> {
    this.session.feed(controlFrame(FrameType.HEADERS, 0, Buffer.concat([u32(id), await this.compress(headers)])));
  }

  /** Our view of the server's header blocks: a sync-flushed inflate of each, in order. */
  replyHeaders(block: Buffer): Promise<Map<string, string[]>> {
    return new Promise((resolve) => {
      const out: Buffer[] = [];
      const onData = (d: Buffer) => out.push(d);
      this.inflate.on('data', onData);
      this.inflate.write(block);
      this.inflate.flush(constants.Z_SYNC_FLUSH, () =>
        setImmediate(() => {
          this.inflate.off('data', onData);
          resolve(decodeHeaderBlock(Buffer.concat(out)));
        }),
      );
    });
  }
}

const settle = () => new Promise((r) => setTimeout(r, 20));

test('accepts streams with a SYN_REPLY the client can inflate, carries data both ways and half-closes with FIN', async () => {
  const c = new Client();
  await c.syn(1, [['streamType', 'error'], ['port', '80'], ['requestID', '0']], true);
  await c.headers(1, [['x', 'y']]); // must keep the shared inflater in step
  await c.syn(3, [['streamType', 'data'], ['port', '80'], ['requestID', '0']]);
  await settle();
  assert.deepEqual(
    c.streams.map((s) => [s.id, s.header('streamtype'), s.header('requestid')]),
    [
      [1, 'error', '0'],
      [3, 'data', '0'],
    ],
  );
  const replies = c.frames.filter((f) => f.control && f.type === FrameType.SYN_REPLY);
  assert.equal(replies.length, 2);
  for (const r of replies) assert.equal((await c.replyHeaders(r.data.subarray(4))).size, 0);

  const data = c.streams[1]!;
  let got = '';
  data.on('data', (d: Buffer) => (got += d));
  const ended = new Promise((r) => data.on('end', r));
  c.session.feed(Buffer.concat([dataFrame(3, 0, Buffer.from('hel')), dataFrame(3, FLAG_FIN, Buffer.from('lo'))]).subarray(0, 7));
  c.session.feed(Buffer.concat([dataFrame(3, 0, Buffer.from('hel')), dataFrame(3, FLAG_FIN, Buffer.from('lo'))]).subarray(7));
  await ended;
  assert.equal(got, 'hello');

  c.frames.length = 0;
  data.end('world');
  await settle();
  const sent = c.frames.filter((f): f is Extract<Frame, { control: false }> => !f.control);
  assert.equal(Buffer.concat(sent.map((f) => f.data)).toString(), 'world');
  assert.equal(sent.at(-1)!.flags & FLAG_FIN, FLAG_FIN);
  assert.ok(sent.every((f) => f.streamId === 3));
});

test('echoes PING, resets unknown streams, and ends on GOAWAY', async () => {
  const c = new Client();
  c.session.feed(controlFrame(FrameType.PING, 0, u32(7)));
  c.session.feed(dataFrame(9, 0, Buffer.from('x')));
  await settle();
  const ping = c.frames.find((f) => f.control && f.type === FrameType.PING);
  assert.equal(ping?.data.readUInt32BE(0), 7);
  const rst = c.frames.find((f) => f.control && f.type === FrameType.RST_STREAM);
  assert.equal(rst?.data.readUInt32BE(0), 9);
  let closed = false;
  c.session.onClose(() => (closed = true));
  c.session.feed(controlFrame(FrameType.GOAWAY, 0, u32(0, 0)));
  await settle();
  assert.ok(closed && c.ended);
});

test('stops reading from the peer while a stream reader is behind, and resumes when it reads', async () => {
  const c = new Client();
  await c.syn(1, [['streamType', 'data'], ['requestID', '0']]);
  await settle();
  const s = c.streams[0]!;
  c.session.feed(dataFrame(1, 0, Buffer.alloc(64 * 1024, 'a')));
  await settle();
  assert.equal(c.paused, true);
  s.read();
  await settle();
  assert.equal(c.paused, false);
});
