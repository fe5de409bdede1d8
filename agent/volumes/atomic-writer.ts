// Kubernetes' AtomicWriter: the files of a configMap, secret, downwardAPI or
// projected volume change all at once. The payload lives in a timestamped
// directory `..2024_05_01_10_00_00.123456789`; `..data` is a symlink to it;
// each top-level name the user sees is a symlink `name -> ..data/name`.
// An update writes a new timestamped directory, points `..data_tmp` at it,
// renames `..data_tmp` over `..data` (atomic), fixes the user-visible links
// and removes the old directory. A reader sees the old set or the new set.

import { lstat, mkdir, readdir, readFile, readlink, rename, rm, symlink, writeFile, chmod } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface FileProjection {
  data: Buffer;
  mode: number;
}

const DATA = '..data';
const DATA_TMP = '..data_tmp';

function tsDirName(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const ns = `${p(now.getUTCMilliseconds(), 3)}${p(Math.floor(Math.random() * 1e6), 6)}`;
  return `..${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}.${ns}`;
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** Whether the current payload already equals `payload` (same paths, bytes and modes). */
async function unchanged(dir: string, payload: Map<string, FileProjection>): Promise<boolean> {
  const current = join(dir, DATA);
  if (!(await exists(current))) return false;
  const have = await listFiles(current, '');
  if (have.length !== payload.size) return false;
  for (const path of have) {
    const want = payload.get(path);
    if (!want) return false;
    const full = join(current, path);
    const [st, data] = [await lstat(full), await readFile(full)];
    if ((st.mode & 0o777) !== want.mode || !data.equals(want.data)) return false;
  }
  return true;
}

async function listFiles(root: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, rel)));
    else out.push(rel);
  }
  return out;
}

/** Makes dir hold exactly payload (relative paths), atomically. Returns whether anything changed. */
export async function writePayload(dir: string, payload: Map<string, FileProjection>, now: Date = new Date()): Promise<boolean> {
  for (const path of payload.keys()) {
    if (path.startsWith('/') || path.split('/').some((s) => s === '..' || s === '') || path.startsWith('..')) throw new Error(`invalid path ${JSON.stringify(path)}: must be relative and may not contain '..'`);
  }
  await mkdir(dir, { recursive: true });
  if (await unchanged(dir, payload)) return false;

  const tsDir = tsDirName(now);
  const tsPath = join(dir, tsDir);
  await mkdir(tsPath, { mode: 0o755 });
  for (const [path, f] of payload) {
    const full = join(tsPath, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, f.data, { mode: f.mode });
    await chmod(full, f.mode);
  }
  let oldTs: string | undefined;
  try {
    oldTs = await readlink(join(dir, DATA));
  } catch {
    oldTs = undefined;
  }
  await rm(join(dir, DATA_TMP), { force: true });
  await symlink(tsDir, join(dir, DATA_TMP));
  await rename(join(dir, DATA_TMP), join(dir, DATA));

  const top = new Set([...payload.keys()].map((p) => p.split('/')[0]));
  for (const name of top) {
    const link = join(dir, name);
    if (await exists(link)) continue;
    await symlink(join(DATA, name), link);
  }
  for (const name of await readdir(dir)) {
    if (name.startsWith('..') || top.has(name)) continue;
    await rm(join(dir, name), { recursive: true, force: true });
  }
  if (oldTs && oldTs !== tsDir) await rm(join(dir, oldTs), { recursive: true, force: true });
  return true;
}
