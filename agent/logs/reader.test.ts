import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCriLine, parseCriLine } from './cri.ts';
import { readLogs, type ReadLogsOptions } from './reader.ts';

function withDir(fn: (dir: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-logs-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

async function collect(opts: ReadLogsOptions): Promise<string> {
  const chunks: Buffer[] = [];
  await readLogs((c) => void chunks.push(c), opts);
  return Buffer.concat(chunks).toString();
}

const T = (s: number) => `2024-05-01T10:00:${String(s).padStart(2, '0')}.000000001Z`;

test('parses full and partial records; a partial record loses its newline', () => {
  const full = parseCriLine(Buffer.from('2024-05-01T10:00:00.5Z stdout F hello world\n'))!;
  assert.equal(full.stream, 'stdout');
  assert.equal(full.partial, false);
  assert.equal(full.content.toString(), 'hello world\n');
  assert.equal(full.time, Date.parse('2024-05-01T10:00:00.5Z'));
  const part = parseCriLine(Buffer.from('2024-05-01T10:00:00Z stderr P abc\n'))!;
  assert.equal(part.partial, true);
  assert.equal(part.content.toString(), 'abc');
  assert.equal(parseCriLine(Buffer.from('not a log line\n')), undefined);
});

test(
  'joins partial lines, tails logical lines across the rotated file, prints timestamps at line starts',
  withDir(async (dir) => {
    const cur = join(dir, '0.log');
    writeFileSync(`${cur}.1`, formatCriLine(T(1), 'stdout', 'one') + formatCriLine(T(2), 'stdout', 'tw', true));
    writeFileSync(cur, formatCriLine(T(3), 'stdout', 'o') + formatCriLine(T(4), 'stderr', 'three') + formatCriLine(T(5), 'stdout', 'four'));
    const files = [`${cur}.1`, cur];
    assert.equal(await collect({ files }), 'one\ntwo\nthree\nfour\n');
    assert.equal(await collect({ files, tailLines: 3 }), 'two\nthree\nfour\n');
    assert.equal(await collect({ files, tailLines: 0 }), '');
    assert.equal(await collect({ files, tailLines: 10 }), 'one\ntwo\nthree\nfour\n');
    assert.equal(await collect({ files, tailLines: 2, timestamps: true }), `${T(4)} three\n${T(5)} four\n`);
    assert.equal(await collect({ files, timestamps: true, tailLines: 3 }).then((s) => s.split('\n')[0]), `${T(2)} two`);
    assert.equal(await collect({ files, since: Date.parse(T(4)) - 1 }), 'three\nfour\n');
    assert.equal(await collect({ files, limitBytes: 6 }), 'one\ntw');
  }),
);

test(
  'follow: reads appended lines, follows a rotation and ends when the instance stops writing',
  withDir(async (dir) => {
    const cur = join(dir, '0.log');
    writeFileSync(cur, formatCriLine(T(1), 'stdout', 'a'));
    let writing = true;
    const chunks: string[] = [];
    let seen: () => void = () => {};
    const wait = (text: string) =>
      new Promise<void>((resolve) => {
        seen = () => chunks.join('').includes(text) && resolve();
        seen();
      });
    const done = readLogs(
      (c) => {
        chunks.push(c.toString());
        seen();
      },
      { files: [cur], follow: true, pollMs: 50, writing: async () => writing },
    );
    await wait('a\n');
    appendFileSync(cur, formatCriLine(T(2), 'stdout', 'b', true));
    appendFileSync(cur, formatCriLine(T(3), 'stdout', 'c'));
    await wait('bc\n');
    appendFileSync(cur, formatCriLine(T(4), 'stdout', 'before rotation'));
    renameSync(cur, `${cur}.1`);
    writeFileSync(cur, formatCriLine(T(5), 'stdout', 'after rotation'));
    await wait('after rotation\n');
    appendFileSync(cur, formatCriLine(T(6), 'stdout', 'last'));
    writing = false;
    await done;
    assert.equal(chunks.join(''), 'a\nbc\nbefore rotation\nafter rotation\nlast\n');
  }),
);

test(
  'follow stops when aborted',
  withDir(async (dir) => {
    const cur = join(dir, '0.log');
    writeFileSync(cur, formatCriLine(T(1), 'stdout', 'a'));
    const ac = new AbortController();
    const chunks: string[] = [];
    const done = readLogs((c) => void chunks.push(c.toString()), { files: [cur], follow: true, pollMs: 50, writing: async () => true, signal: ac.signal });
    ac.abort();
    await done;
    assert.ok(chunks.join('') === '' || chunks.join('') === 'a\n');
  }),
);

test(
  'tail reads backwards over chunk boundaries and ignores an unfinished last line',
  withDir(async (dir) => {
    const cur = join(dir, '0.log');
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`);
    writeFileSync(`${cur}.1`, lines.slice(0, 2000).map((l) => formatCriLine(T(1), 'stdout', l)).join(''));
    writeFileSync(cur, lines.slice(2000).map((l, i) => formatCriLine(T(2), 'stdout', l, i % 7 === 3)).join('') + '2024-05-01T10:00:03Z stdout F unfinis');
    const files = [`${cur}.1`, cur];
    const all = await collect({ files });
    // Logical lines; the last one is still partial (its P record is complete, its F record is not).
    const logical = all.split(/(?<=\n)/);
    assert.ok(!logical.at(-1)!.endsWith('\n'));
    for (const n of [1, 5, 1234, 3500, 9999]) {
      assert.equal(await collect({ files, tailLines: n }), logical.slice(-n).join(''), `tail ${n}`);
    }
    assert.equal(await collect({ files, tailLines: 0 }), '');
  }),
);
