// The SQLite backend: an append-only revision log in the style of kine.
// Layout, compare-and-set, group commit, watch delivery and compaction: ../README.md.
import type Database from 'better-sqlite3';
import { CompactedError, ConflictError, KeyExistsError, KeyNotFoundError, StoreClosedError } from '../errors.ts';
import type { KeyValue, ListOptions, ListResult, Store, WatchEvent, WatchHandlers, Watcher } from '../types.ts';
import { compareKeys, prefixRange } from './key-range.ts';
import { eventOf, keyValueOf, type LogRow } from './rows.ts';
import { openDatabase } from './schema.ts';
import { WatchHub, type LogReader } from './watch-hub.ts';

export interface SqliteStoreOptions {
  /** How often to look for rows written by other processes sharing the file, in ms (default 1000). */
  pollIntervalMs?: number;
  /** Revisions of history that automatic compaction keeps (default 10000; 0 turns it off). */
  compactWindow?: number;
  /** How often automatic compaction runs, in ms (default 5 minutes). */
  compactIntervalMs?: number;
  /**
   * When queued writes are committed, all of them in one transaction (see ../README.md, Group commit).
   * 'immediate' (default): in the event loop's check phase (setImmediate), which groups the writes of
   * every request handled in the same turn of the loop. 'microtask': once the current job and its
   * microtasks are done, which only groups writes issued together, such as a Promise.all.
   */
  flushOn?: 'immediate' | 'microtask';
  /** The most writes committed in one transaction (default 1000); the rest go in the next one. */
  maxBatch?: number;
}

/** Counters of the write path, for tests and benchmarks. */
export interface WriteStats {
  /** Writes settled (appended or refused). */
  writes: number;
  /** Write transactions begun: one per batch, plus one per write of a batch that fell back. */
  transactions: number;
  /** Batches rolled back as a whole and retried one write per transaction. */
  fallbacks: number;
  /** The most writes committed in one transaction. */
  largestBatch: number;
}

type WriteKind = 'create' | 'update' | 'delete';

/** A write waiting for its batch, and then its outcome. */
interface PendingWrite {
  kind: WriteKind;
  key: string;
  /** The revision a refused update or delete expected (0: any). */
  expected: number;
  params: Record<string, unknown>;
  resolve: (row: LogRow) => void;
  reject: (err: unknown) => void;
  /** Set by its statement: the row it appended; otherwise `error` says why not. */
  row?: LogRow;
  error?: unknown;
}

const NOW = Number.MAX_SAFE_INTEGER;
const COMPACT_STEP = 1000;

/** What reading a key's value needs; old_value (as large as value) is only for events. */
const ROW_COLUMNS = 'id, name, created, deleted, create_revision, prev_revision, value, NULL AS old_value';

// Every write is one INSERT whose SELECT part checks the key's latest row, so
// the check and the append are atomic even against other processes. RETURNING
// hands back the new row; no row means the check failed.
const SQL = {
  create: `
    WITH latest AS (SELECT id, deleted FROM log WHERE name = @name ORDER BY id DESC LIMIT 1)
    INSERT INTO log (name, created, deleted, create_revision, prev_revision, value)
    SELECT @name, 1, 0, 0, IFNULL((SELECT id FROM latest), 0), @value
    WHERE NOT EXISTS (SELECT 1 FROM latest WHERE deleted = 0)
    RETURNING *`,
  update: `
    INSERT INTO log (name, created, deleted, create_revision, prev_revision, value, old_value)
    SELECT name, 0, 0, IIF(created, id, create_revision), id, @value, value FROM log
    WHERE id = @expected AND name = @name AND deleted = 0
      AND id = (SELECT MAX(id) FROM log WHERE name = @name)
    RETURNING *`,
  // A tombstone carries the deleted value: it is the delete event's kv.
  delete: `
    INSERT INTO log (name, created, deleted, create_revision, prev_revision, value)
    SELECT name, 0, 1, IIF(created, id, create_revision), id, value FROM log
    WHERE id = (SELECT MAX(id) FROM log WHERE name = @name) AND deleted = 0
      AND (@expected IS NULL OR id = @expected)
    RETURNING *`,
  get: `SELECT ${ROW_COLUMNS} FROM log WHERE name = ? ORDER BY id DESC LIMIT 1`,
  revision: `SELECT seq FROM sqlite_sequence WHERE name = 'log'`,
  compacted: `SELECT value FROM meta WHERE key = 'compacted'`,
  setCompacted: `INSERT INTO meta (key, value) VALUES ('compacted', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  eventsAfter: `SELECT * FROM log WHERE id > ? ORDER BY id LIMIT ?`,
  // Compaction from revision @from (the previous compaction) to @to. Only keys
  // written in (@from, @to] can have superseded rows: everything else kept at
  // @from is still its key's latest row. Of those keys, drop every row up to
  // @to but the latest one, and that one too when it is a tombstone.
  compact: `
    DELETE FROM log WHERE id IN (
      SELECT old.id FROM log AS old
      WHERE old.name IN (SELECT name FROM log WHERE id > @from AND id <= @to)
        AND old.id <= @to
        AND (old.deleted = 1 OR old.id < (SELECT MAX(id) FROM log WHERE name = old.name AND id <= @to)))`,
  // Rows at or below the compacted revision never become events again, so the
  // previous values kept for their update events can go.
  dropOldValues: `UPDATE log SET old_value = NULL WHERE id > @from AND id <= @to AND old_value IS NOT NULL`,
} as const;

/** `name` conditions selecting keys from @from (inclusive, or exclusive after a paging key) below @to. */
function rangeCondition(exclusiveFrom: boolean, bounded: boolean): string {
  return `name ${exclusiveFrom ? '>' : '>='} @from` + (bounded ? ' AND name < @to' : '');
}

// The keys in the range whose latest row at or below @rev is not a tombstone,
// as the ids of those rows. It reads only the (name, id, deleted) index, in
// key order, and stops at @limit; the caller joins the few rows it needs.
function liveIdsSql(exclusiveFrom: boolean, bounded: boolean): string {
  return `
    SELECT MAX(id) FROM log WHERE ${rangeCondition(exclusiveFrom, bounded)} AND id <= @rev
    GROUP BY name HAVING MAX(id) = MAX(id) FILTER (WHERE deleted = 0)`;
}

/** Rows as [modRevision, key, createRevision, value] tuples: 10,000 of them build twice as fast as objects. */
type ListedRow = [number, string, number, string];

function listSql(exclusiveFrom: boolean, bounded: boolean): string {
  return `
    SELECT id, name, IIF(created, id, create_revision), value FROM log
    WHERE id IN (${liveIdsSql(exclusiveFrom, bounded)} ORDER BY name LIMIT @limit)
    ORDER BY name`;
}

function countSql(exclusiveFrom: boolean, bounded: boolean): string {
  return `SELECT COUNT(*) FROM (${liveIdsSql(exclusiveFrom, bounded)})`;
}

function prefixEventsSql(bounded: boolean): string {
  return `SELECT * FROM log WHERE id > @after AND id <= @upTo AND ${rangeCondition(false, bounded)} ORDER BY id LIMIT @limit`;
}

type Statement = Database.Statement<unknown[], unknown>;

export class SqliteStore implements Store {
  static async open(path: string, opts: SqliteStoreOptions = {}): Promise<SqliteStore> {
    return new SqliteStore(openDatabase(path), opts);
  }

  private readonly statements = new Map<string, Statement>();
  private readonly hub: WatchHub;
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;
  private readonly compactStep: Database.Transaction<(revision: number) => number>;
  private readonly readTx: <T>(read: () => T) => T;
  /** Writes submitted and not yet run, in submission order. */
  private queue: PendingWrite[] = [];
  private flushScheduled = false;
  private readonly scheduleFlush: () => void;
  private readonly maxBatch: number;
  private readonly batchTx: Database.Transaction<(batch: PendingWrite[], state: { begun: boolean }) => void>;
  private readonly singleTx: Database.Transaction<(write: PendingWrite) => void>;
  readonly writeStats: WriteStats = { writes: 0, transactions: 0, fallbacks: 0, largestBatch: 0 };

  private constructor(
    private readonly db: Database.Database,
    opts: SqliteStoreOptions,
  ) {
    const reader: LogReader = {
      eventsAfter: (after, limit) => this.rows(SQL.eventsAfter, after, limit).map(eventOf),
      prefixEventsBetween: (prefix, after, upTo, limit) => {
        const { from, to } = prefixRange(prefix);
        return this.rows(prefixEventsSql(to !== undefined), { after, upTo, from, to, limit }).map(eventOf);
      },
      compactedRevision: () => this.compactedNow(),
    };
    this.hub = new WatchHub(reader, this.revisionNow());
    // Returns the compacted revision, which another process may have moved past `to`.
    this.compactStep = db.transaction((to: number) => {
      const from = this.compactedNow();
      if (to <= from) return from;
      this.stmt(SQL.compact).run({ from, to });
      this.stmt(SQL.dropOldValues).run({ from, to });
      this.stmt(SQL.setCompacted).run(to);
      return to;
    });
    const readTx = db.transaction((read: () => unknown) => read());
    this.readTx = <T>(read: () => T) => readTx.deferred(read) as T;
    this.batchTx = db.transaction((batch: PendingWrite[], state: { begun: boolean }) => {
      state.begun = true;
      for (const write of batch) this.attempt(write);
    });
    this.singleTx = db.transaction((write: PendingWrite) => this.attempt(write));
    const maxBatch = Math.floor(opts.maxBatch ?? 1000);
    this.maxBatch = maxBatch >= 1 ? maxBatch : 1;
    this.scheduleFlush =
      opts.flushOn === 'microtask' ? () => queueMicrotask(() => this.flush()) : () => setImmediate(() => this.flush());

    const poll = setInterval(() => this.feedWatchers(() => this.hub.poll()), opts.pollIntervalMs ?? 1000);
    this.timers.push(poll);
    const window = opts.compactWindow ?? 10_000;
    if (window > 0) {
      const compact = () =>
        this.autoCompact(window).catch((err: unknown) => {
          if (err instanceof StoreClosedError) return;
          // Retried at the next interval; a database busy with another writer is the usual cause.
          process.emitWarning(`skiff store: automatic compaction failed: ${String(err)}`);
        });
      this.timers.push(setInterval(compact, opts.compactIntervalMs ?? 5 * 60_000));
    }
    for (const timer of this.timers) timer.unref();
  }

  async currentRevision(): Promise<number> {
    this.assertOpen();
    return this.revisionNow();
  }

  async compactedRevision(): Promise<number> {
    this.assertOpen();
    return this.compactedNow();
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.assertOpen();
    const row = this.stmt(SQL.get).get(key) as LogRow | undefined;
    return row && !row.deleted ? keyValueOf(row) : undefined;
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.assertOpen();
    return keyValueOf(await this.submit('create', key, 0, { name: key, value }));
  }

  async update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    this.assertOpen();
    return keyValueOf(await this.submit('update', key, expectedRevision, { name: key, value, expected: expectedRevision }));
  }

  async delete(key: string, expectedRevision?: number): Promise<{ prev: KeyValue; revision: number }> {
    this.assertOpen();
    const row = await this.submit('delete', key, expectedRevision ?? 0, { name: key, expected: expectedRevision ?? null });
    return { prev: { ...keyValueOf(row), modRevision: row.prev_revision }, revision: row.id };
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    return this.readTx(() => {
      const current = this.revisionNow();
      const revision = opts.revision ? Math.min(opts.revision, current) : current;
      const compacted = this.compactedNow();
      if (revision < compacted) throw new CompactedError(revision, compacted);

      const { to } = prefixRange(prefix);
      const paging = opts.after !== undefined && compareKeys(opts.after, prefix) >= 0;
      const from = paging ? opts.after! : prefix;
      const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
      // One extra row tells whether more follow.
      const rows = this.stmt(listSql(paging, to !== undefined))
        .raw()
        .all({ from, to, rev: revision, limit: limit ? limit + 1 : -1 }) as ListedRow[];
      const more = limit > 0 && rows.length > limit;
      if (more) rows.pop();
      const items = rows.map(([modRevision, key, createRevision, value]) => ({ key, value, createRevision, modRevision }));
      const remaining = more ? this.countRange(items[items.length - 1]!.key, true, to, revision) : 0;
      return { items, revision, more, remaining };
    });
  }

  async count(prefix: string): Promise<number> {
    this.assertOpen();
    const { from, to } = prefixRange(prefix);
    return this.countRange(from, false, to, NOW);
  }

  watch(prefix: string, fromRevision: number, handlers: WatchHandlers): Watcher {
    this.assertOpen();
    return this.hub.watch(prefix, fromRevision, handlers);
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    const target = Math.min(revision, this.revisionNow());
    // Hand every existing row to the live watchers before history disappears.
    this.hub.poll();
    // In steps of COMPACT_STEP revisions, yielding in between, so that a long
    // history does not stall the event loop. Each step is a complete
    // compaction to a lower revision, so readers never see a half-done one.
    let compacted = this.compactedNow();
    while (compacted < target) {
      this.assertOpen();
      compacted = this.compactStep.immediate(Math.min(compacted + COMPACT_STEP, target));
      this.hub.expire(compacted);
      if (compacted < target) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    // Writes submitted before close() still get their outcome.
    while (this.queue.length > 0) this.flushBatch();
    this.hub.endAll(new StoreClosedError());
    this.db.close();
  }

  /** Queues a write for the next group commit; settles once its transaction has committed. */
  private submit(kind: WriteKind, key: string, expected: number, params: Record<string, unknown>): Promise<LogRow> {
    return new Promise<LogRow>((resolve, reject) => {
      this.queue.push({ kind, key, expected, params, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        this.scheduleFlush();
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0) return;
    this.flushBatch();
    // A backlog larger than one batch: let I/O in before the next one.
    if (this.queue.length > 0 && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Commits the oldest queued writes (at most maxBatch) in one transaction, then settles them. */
  private flushBatch(): void {
    const batch = this.queue.length <= this.maxBatch ? this.queue : this.queue.slice(0, this.maxBatch);
    this.queue = this.queue.length <= this.maxBatch ? [] : this.queue.slice(this.maxBatch);
    try {
      this.commitBatch(batch);
    } catch (err) {
      // Not reached unless something is badly wrong (BEGIN failed: the file is locked by another
      // process for longer than the busy timeout, or the store is broken). Nothing was written.
      for (const write of batch) write.reject(err);
      return;
    }
    this.writeStats.writes += batch.length;
    this.writeStats.largestBatch = Math.max(this.writeStats.largestBatch, batch.length);
    // Only committed rows reach watchers, in revision order, and before any writer resumes:
    // each watcher's delivery is a microtask queued ahead of the writers' promise reactions.
    // A failure to notify ends the watches, not the writes, which are committed.
    for (const write of batch) if (write.row) this.feedWatchers(() => this.hub.published(eventOf(write.row!)));
    for (const write of batch) {
      if (write.row) write.resolve(write.row);
      else write.reject(write.error);
    }
  }

  /**
   * Runs the batch in one IMMEDIATE transaction: one fsync, at COMMIT. A statement that fails while
   * the transaction stays open was undone by SQLite on its own (statement atomicity): it fails only
   * its write. If the transaction is lost instead (SQLite rolls it back itself on an I/O error, a full
   * disk or no memory; better-sqlite3 rolls back a failed COMMIT), nothing of the batch was written,
   * and every write of it runs again in a transaction of its own, so that each gets its own outcome.
   * Throws only when BEGIN fails, when nothing ran.
   */
  private commitBatch(batch: PendingWrite[]): void {
    const state = { begun: false };
    this.writeStats.transactions++;
    try {
      this.batchTx.immediate(batch, state);
      return;
    } catch (err) {
      if (!state.begun) throw err;
    }
    this.writeStats.fallbacks++;
    for (const write of batch) {
      write.row = undefined;
      write.error = undefined;
      this.writeStats.transactions++;
      try {
        this.singleTx.immediate(write);
      } catch (err) {
        write.row = undefined;
        write.error = err;
      }
    }
  }

  /** Runs one write's guarded INSERT inside the current transaction and records its outcome. */
  private attempt(write: PendingWrite): void {
    try {
      const row = this.stmt(SQL[write.kind]).get(write.params) as LogRow | undefined;
      if (row) write.row = row;
      else write.error = write.kind === 'create' ? new KeyExistsError(write.key) : this.refusal(write.key, write.expected);
    } catch (err) {
      // SQLite rolled the whole transaction back: the caller starts over.
      if (!this.db.inTransaction) throw err;
      // Only this statement was undone.
      write.error = err;
    }
  }

  /** Why a guarded update or delete of `key` appended nothing (read in the write's transaction). */
  private refusal(key: string, expectedRevision: number): Error {
    const current = this.stmt(SQL.get).get(key) as LogRow | undefined;
    if (!current || current.deleted) return new KeyNotFoundError(key);
    return new ConflictError(key, expectedRevision, current.id);
  }

  private countRange(from: string, exclusiveFrom: boolean, to: string | undefined, rev: number): number {
    return this.stmt(countSql(exclusiveFrom, to !== undefined)).pluck().get({ from, to, rev }) as number;
  }

  private revisionNow(): number {
    return (this.stmt(SQL.revision).pluck().get() as number | undefined) ?? 0;
  }

  private compactedNow(): number {
    return (this.stmt(SQL.compacted).pluck().get() as number | undefined) ?? 0;
  }

  private rows(sql: string, ...params: unknown[]): LogRow[] {
    return this.stmt(sql).all(...params) as LogRow[];
  }

  /** Prepared statements, one per distinct SQL text. */
  private stmt(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare(sql)));
    return stmt;
  }

  /** Runs a hub step that reads the log; a read error ends the watches (clients re-list and watch again). */
  private feedWatchers(step: () => void): void {
    try {
      step();
    } catch (err) {
      this.hub.endAll(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private async autoCompact(window: number): Promise<void> {
    const target = this.revisionNow() - window;
    if (target > this.compactedNow()) await this.compact(target);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }
}
