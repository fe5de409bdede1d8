// Fan-out of the revision log to watchers.
//
// One hub per store reads new log rows once (a local write is handed over
// directly; rows written by other processes are found by poll()) and
// dispatches each to the live watchers whose prefix matches, so the cost of a
// write does not grow with queries per watcher. A watcher that starts behind
// the hub first catches up on its own, reading its prefix's history in pages,
// then joins the live set in the same synchronous step, so no revision falls
// in between. Each watcher keeps a cursor (the last revision queued to it) and
// is only handed revisions above it, which makes delivery exactly-once and in
// order. Queued events go out in one onEvents batch per microtask.
import { CompactedError } from '../errors.ts';
import type { WatchEvent, WatchHandlers, Watcher } from '../types.ts';

export interface LogReader {
  /** Every event with a revision above `after`, oldest first, at most `limit`. */
  eventsAfter(after: number, limit: number): WatchEvent[];
  /** Events for keys under `prefix` with after < revision <= upTo, oldest first, at most `limit`. */
  prefixEventsBetween(prefix: string, after: number, upTo: number, limit: number): WatchEvent[];
  compactedRevision(): number;
}

const PAGE = 1000;

class Subscription implements Watcher {
  pending: WatchEvent[] = [];
  flushQueued = false;
  /** No more deliveries (closed by the caller or ended by the store). */
  ended = false;
  closedByCaller = false;

  constructor(
    private readonly hub: WatchHub,
    readonly prefix: string,
    /** The last revision queued to this watcher (or its starting revision). */
    public cursor: number,
    readonly handlers: WatchHandlers,
  ) {}

  close(): void {
    this.closedByCaller = true;
    this.hub.remove(this);
  }

  enqueue(event: WatchEvent): void {
    this.pending.push(event);
    this.cursor = event.revision;
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.ended || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      this.handlers.onEvents(batch);
    } catch (err) {
      // A handler that throws cannot be trusted to have seen the batch: end the watch.
      this.hub.end(this, err instanceof Error ? err : new Error(String(err)));
    }
  }
}

export class WatchHub {
  /** Live watchers grouped by prefix, so an event is matched once per distinct prefix. */
  private readonly live = new Map<string, Set<Subscription>>();
  private readonly catchingUp = new Set<Subscription>();

  constructor(
    private readonly reader: LogReader,
    /** The highest revision dispatched to the live watchers (every lower one was too). */
    private seen: number,
  ) {}

  watch(prefix: string, fromRevision: number, handlers: WatchHandlers): Watcher {
    const compacted = this.reader.compactedRevision();
    if (fromRevision < compacted) throw new CompactedError(fromRevision, compacted);
    const sub = new Subscription(this, prefix, fromRevision, handlers);
    if (fromRevision < this.seen) {
      this.catchingUp.add(sub);
      this.catchUp(sub);
    } else {
      this.goLive(sub);
    }
    return sub;
  }

  /**
   * A write made through this store, once committed. It needs no read-back unless rows by others
   * precede it; one that such a read-back already dispatched (the rest of a group commit) is skipped.
   */
  published(event: WatchEvent): void {
    if (event.revision <= this.seen) return;
    if (this.live.size === 0) {
      this.seen = Math.max(this.seen, event.revision);
    } else if (event.revision === this.seen + 1) {
      this.dispatch([event]);
    } else {
      this.poll();
    }
  }

  /** Reads and dispatches rows appended since the last one seen (by this or another process). */
  poll(): void {
    while (this.live.size > 0) {
      const page = this.reader.eventsAfter(this.seen, PAGE);
      // Read after the page: a compaction that removed rows from it shows here.
      const compacted = this.reader.compactedRevision();
      if (compacted > this.seen) this.expire(compacted);
      this.dispatch(page);
      if (page.length < PAGE) return;
    }
  }

  /** Ends the watchers that history up to `compacted` was removed from under. */
  expire(compacted: number): void {
    for (const sub of this.catchingUp) {
      if (sub.cursor < compacted) this.end(sub, new CompactedError(sub.cursor, compacted));
    }
    // A live watcher has been offered every revision up to `seen`.
    if (this.seen >= compacted) return;
    for (const subs of this.live.values()) {
      for (const sub of subs) {
        if (sub.cursor < compacted) this.end(sub, new CompactedError(sub.cursor, compacted));
      }
    }
  }

  endAll(err: Error): void {
    for (const sub of this.catchingUp) this.end(sub, err);
    for (const subs of this.live.values()) for (const sub of subs) this.end(sub, err);
  }

  end(sub: Subscription, err: Error): void {
    if (sub.ended) return;
    this.remove(sub);
    queueMicrotask(() => {
      if (!sub.closedByCaller) sub.handlers.onError(err);
    });
  }

  remove(sub: Subscription): void {
    sub.ended = true;
    sub.pending = [];
    this.catchingUp.delete(sub);
    const subs = this.live.get(sub.prefix);
    if (subs?.delete(sub) && subs.size === 0) this.live.delete(sub.prefix);
  }

  private dispatch(events: WatchEvent[]): void {
    for (const event of events) {
      for (const [prefix, subs] of this.live) {
        if (!event.kv.key.startsWith(prefix)) continue;
        for (const sub of subs) if (event.revision > sub.cursor) sub.enqueue(event);
      }
      this.seen = event.revision;
    }
  }

  private catchUp(sub: Subscription): void {
    if (sub.ended) return;
    const upTo = this.seen;
    const page = this.reader.prefixEventsBetween(sub.prefix, sub.cursor, upTo, PAGE);
    const compacted = this.reader.compactedRevision();
    if (sub.cursor < compacted) {
      this.end(sub, new CompactedError(sub.cursor, compacted));
      return;
    }
    for (const event of page) sub.enqueue(event);
    if (page.length === PAGE) {
      setImmediate(() => this.catchUp(sub));
      return;
    }
    // Every row under the prefix up to `upTo` is queued; later ones come from dispatch.
    this.catchingUp.delete(sub);
    sub.cursor = Math.max(sub.cursor, upTo);
    this.goLive(sub);
  }

  private goLive(sub: Subscription): void {
    let subs = this.live.get(sub.prefix);
    if (!subs) this.live.set(sub.prefix, (subs = new Set()));
    subs.add(sub);
  }
}
