// One row of the revision log and its translation into the store's types.
import type { KeyValue, WatchEvent } from '../types.ts';

/** A row of the `log` table (see schema.ts); `id` is the write's revision. */
export interface LogRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  /** 0 on creating rows: their create revision is their own id, unknown before the insert. */
  create_revision: number;
  prev_revision: number;
  value: string;
  /** The value this row replaced (updates only; cleared once compaction passes the row). */
  old_value: string | null;
}

export function createRevisionOf(row: Pick<LogRow, 'id' | 'created' | 'create_revision'>): number {
  return row.created ? row.id : row.create_revision;
}

export function keyValueOf(row: LogRow): KeyValue {
  return { key: row.name, value: row.value, createRevision: createRevisionOf(row), modRevision: row.id };
}

export function eventOf(row: LogRow): WatchEvent {
  const kv = keyValueOf(row);
  if (row.created) return { type: 'create', kv, revision: row.id };
  // A tombstone repeats the deleted value, so its prev differs from kv only in
  // modRevision. old_value is only cleared at or below the compacted revision,
  // where rows are never delivered as events.
  const prevValue = row.deleted ? row.value : (row.old_value ?? '');
  const prev: KeyValue = { key: row.name, value: prevValue, createRevision: kv.createRevision, modRevision: row.prev_revision };
  return { type: row.deleted ? 'delete' : 'update', kv, prev, revision: row.id };
}
