// The storage interface, modelled on etcd v3: one global revision counter,
// create / update-if-revision / delete, list at a revision with paging, watch
// from a revision, compaction. Every backend (SQLite now, etcd later) passes
// the conformance suite in conformance.ts.
//
// Keys are strings such as "/registry/apps/deployments/default/web"; values
// are opaque strings (the API server stores JSON). The revision at which a
// key was last written (modRevision) is the object's resourceVersion.

export interface KeyValue {
  key: string;
  value: string;
  /** Revision of the write that created this key (survives updates). */
  createRevision: number;
  /** Revision of the last write to this key. */
  modRevision: number;
}

export interface ListOptions {
  /** Read as of this revision (0 or undefined: the current one). Older than the compacted revision: CompactedError. */
  revision?: number;
  /** At most this many items (0 or undefined: all). */
  limit?: number;
  /** Start strictly after this key (paging). */
  after?: string;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** True when more keys follow the last item returned. */
  more: boolean;
  /** How many keys follow the last item returned (approximate is allowed). */
  remaining: number;
}

export type WatchEventType = 'create' | 'update' | 'delete';

export interface WatchEvent {
  type: WatchEventType;
  /** The key after the write; for delete, the last value with modRevision = the delete's revision. */
  kv: KeyValue;
  /** The key before the write (undefined for create). */
  prev?: KeyValue;
  revision: number;
}

export interface Watcher {
  /** Stops delivery; idempotent. */
  close(): void;
}

export interface WatchHandlers {
  /** Events are delivered in strictly increasing revision order, each exactly once. */
  onEvents(events: WatchEvent[]): void;
  /** The watch ended by the store (compaction overtook it, store closed). Not called after close(). */
  onError(err: Error): void;
}

export interface Store {
  /** The latest revision (0 for an empty store). */
  currentRevision(): Promise<number>;
  get(key: string): Promise<KeyValue | undefined>;
  /** Fails with KeyExistsError if the key exists. Returns the new revision. */
  create(key: string, value: string): Promise<KeyValue>;
  /** Writes only if the key's modRevision equals expectedRevision: else ConflictError; missing: KeyNotFoundError. */
  update(key: string, value: string, expectedRevision: number): Promise<KeyValue>;
  /**
   * Deletes the key; with expectedRevision, only if it matches (ConflictError otherwise).
   * Missing: KeyNotFoundError. Returns the deleted value and the delete's revision.
   */
  delete(key: string, expectedRevision?: number): Promise<{ prev: KeyValue; revision: number }>;
  /** Keys that start with prefix, in key order. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Number of keys under prefix at the current revision. */
  count(prefix: string): Promise<number>;
  /**
   * Every change to keys under prefix after fromRevision (exclusive). fromRevision older than the
   * compacted revision: the call throws CompactedError.
   */
  watch(prefix: string, fromRevision: number, handlers: WatchHandlers): Watcher;
  /** Forgets history before revision; lists and watches from older revisions then fail with CompactedError. */
  compact(revision: number): Promise<void>;
  /** The oldest revision still readable (history before it is gone). */
  compactedRevision(): Promise<number>;
  close(): Promise<void>;
}
