// The ..data symlink layout: files visible through links, updates swap the
// whole set, removed keys disappear, modes are applied.

import assert from 'node:assert/strict';
import { lstat, mkdtemp, readFile, readlink, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { writePayload, type FileProjection } from './atomic-writer.ts';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'skiff-atomic-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

const payload = (o: Record<string, string>, mode = 0o644): Map<string, FileProjection> => new Map(Object.entries(o).map(([k, v]) => [k, { data: Buffer.from(v), mode }]));

describe('writePayload', () => {
  it('lays out ..data, a timestamped directory and one link per top-level name', async () => {
    assert.equal(await writePayload(dir, payload({ a: '1', 'sub/b': '2' }, 0o400)), true);
    const names = (await readdir(dir)).sort();
    assert.equal(names.length, 4);
    assert.deepEqual(names.filter((n) => !n.startsWith('..2')), ['..data', 'a', 'sub']);
    assert.match(await readlink(join(dir, '..data')), /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d{9}$/);
    assert.equal(await readlink(join(dir, 'a')), '..data/a');
    assert.equal(await readFile(join(dir, 'sub/b'), 'utf8'), '2');
    assert.equal((await lstat(join(dir, '..data', 'a'))).mode & 0o777, 0o400);
  });

  it('an update swaps the set: changed content, removed keys gone, old directory removed; no change is no write', async () => {
    await writePayload(dir, payload({ a: '1', b: '2' }));
    const first = await readlink(join(dir, '..data'));
    assert.equal(await writePayload(dir, payload({ a: '1', b: '2' })), false);
    assert.equal(await writePayload(dir, payload({ a: 'new' })), true);
    assert.notEqual(await readlink(join(dir, '..data')), first);
    assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'new');
    const names = await readdir(dir);
    assert.ok(!names.includes('b'));
    assert.ok(!names.includes(first));
    assert.equal(names.length, 3);
  });

  it('rejects paths escaping the volume', async () => {
    await assert.rejects(writePayload(dir, payload({ '../x': '1' })), /may not contain/);
  });
});
