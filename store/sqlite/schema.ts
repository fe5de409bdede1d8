// The database layout (see ../README.md) and the connection settings.
import Database from 'better-sqlite3';
import { closeSync, openSync } from 'node:fs';

const SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS log (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  name            TEXT    NOT NULL,
  created         INTEGER NOT NULL,
  deleted         INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision   INTEGER NOT NULL,
  value           TEXT    NOT NULL,
  old_value       TEXT
);
-- At most one successor per revision of a key: two writers that start from
-- the same revision cannot both append.
CREATE UNIQUE INDEX IF NOT EXISTS log_name_prev ON log (name, prev_revision);
-- Latest row of a key, and prefix scans that never touch the table pages.
CREATE INDEX IF NOT EXISTS log_name_id ON log (name, id, deleted);
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
`;

export function openDatabase(path: string): Database.Database {
  if (path !== ':memory:') {
    // The store holds Secrets: create the file owner-only; SQLite gives its
    // -wal and -shm files the same mode.
    closeSync(openSync(path, 'a', 0o600));
  }
  const db = new Database(path, { timeout: 5000 });
  try {
    db.pragma('journal_mode = WAL');
    // In WAL mode FULL syncs the log on every commit, so an acknowledged write
    // survives power loss; NORMAL would only survive a process crash.
    db.pragma('synchronous = FULL');
    // SQLite's own default page cache, 2 MB (better-sqlite3 builds with 16 MB):
    // pages beyond it are read again from the kernel's page cache, which can
    // be reclaimed, where this cache stays resident in the server.
    db.pragma('cache_size = -2000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`${path}: schema version ${version} is newer than this program's ${SCHEMA_VERSION}`);
    }
    db.exec(DDL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
