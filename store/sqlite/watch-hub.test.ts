import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompactedError } from '../errors.ts';
import type { WatchEvent, WatchHandlers } from '../types.ts';
import { WatchHub, type LogReader } from './watch-hub.ts';

/** An in-memory log that counts the reads the hub makes. */
class FakeLog implements LogReader {
  events: WatchEvent[] = [];
  compacted = 0;
  reads = 0;

  append(key: string): WatchEvent {
    const revision = this.events.length + 1;
    const event: WatchEvent = { type: 'create', kv: { key, value: '', createRevision: revision, modRevision: revision }, revision };
    this.events.push(event);
    return event;
  }

  eventsAfter(after: number, limit: number): WatchEvent[] {
    this.reads++;
    return this.kept().filter((e) => e.revision > after).slice(0, limit);
  }

  prefixEventsBetween(prefix: string, after: number, upTo: number, limit: number): WatchEvent[] {
    this.reads++;
    return this.kept()
      .filter((e) => e.revision > after && e.revision <= upTo && e.kv.key.startsWith(prefix))
      .slice(0, limit);
  }

  compactedRevision(): number {
    return this.compacted;
  }

  private kept(): WatchEvent[] {
    return this.events.filter((e) => e.revision > this.compacted);
  }
}

class Recorder implements WatchHandlers {
  events: WatchEvent[] = [];
  errors: Error[] = [];
  onEvents(events: WatchEvent[]): void {
    this.events.push(...events);
  }
  onError(err: Error): void {
    this.errors.push(err);
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('WatchHub', () => {
  it('hands local writes to 100 watchers without reading the log', async () => {
    const log = new FakeLog();
    const hub = new WatchHub(log, 0);
    const recorders = Array.from({ length: 100 }, (_, i) => {
      const rec = new Recorder();
      hub.watch(`/p${i % 10}/`, 0, rec);
      return rec;
    });
    for (let i = 0; i < 50; i++) hub.published(log.append(`/p${i % 10}/k${i}`));
    await settle();
    assert.equal(log.reads, 0);
    recorders.forEach((rec, i) => {
      assert.deepEqual(
        rec.events.map((e) => e.kv.key),
        Array.from({ length: 5 }, (_, n) => `/p${i % 10}/k${n * 10 + (i % 10)}`),
      );
    });
  });

  it('reads rows written elsewhere once per poll, whatever the number of watchers', async () => {
    const log = new FakeLog();
    const hub = new WatchHub(log, 0);
    const recorders = Array.from({ length: 100 }, () => new Recorder());
    for (const rec of recorders) hub.watch('/', 0, rec);
    for (let i = 0; i < 10; i++) log.append(`/k${i}`);
    hub.poll();
    await settle();
    assert.equal(log.reads, 1);
    for (const rec of recorders) assert.equal(rec.events.length, 10);
  });

  it('delivers rows written elsewhere before a later local write', async () => {
    const log = new FakeLog();
    const hub = new WatchHub(log, 0);
    const rec = new Recorder();
    hub.watch('/', 0, rec);
    log.append('/elsewhere');
    hub.published(log.append('/local'));
    await settle();
    assert.deepEqual(
      rec.events.map((e) => e.kv.key),
      ['/elsewhere', '/local'],
    );
  });

  it('replays long histories in pages, then joins the live watchers without gap or repeat', async () => {
    const log = new FakeLog();
    for (let i = 0; i < 2500; i++) log.append(`/k${i}`);
    const hub = new WatchHub(log, 2500);
    const rec = new Recorder();
    hub.watch('/', 10, rec);
    // Live writes while the replay is under way.
    for (let i = 0; i < 5; i++) {
      hub.published(log.append(`/live${i}`));
      await settle();
    }
    await settle();
    assert.deepEqual(
      rec.events.map((e) => e.revision),
      Array.from({ length: 2495 }, (_, i) => i + 11),
    );
  });

  it('ends a replaying watcher when compaction removes rows it has not read', async () => {
    const log = new FakeLog();
    for (let i = 0; i < 2500; i++) log.append(`/k${i}`);
    const hub = new WatchHub(log, 2500);
    const rec = new Recorder();
    hub.watch('/', 0, rec);
    log.compacted = 1500;
    await settle();
    await settle();
    assert.equal(rec.events.length, 1000);
    assert.equal(rec.errors.length, 1);
    assert.ok(rec.errors[0] instanceof CompactedError);
  });

  it('ends live watchers that miss rows compacted before the hub read them', async () => {
    const log = new FakeLog();
    const hub = new WatchHub(log, 0);
    const behind = new Recorder();
    const ahead = new Recorder();
    hub.watch('/', 0, behind);
    hub.watch('/', 6, ahead);
    for (let i = 0; i < 8; i++) log.append(`/k${i}`);
    log.compacted = 5;
    hub.poll();
    await settle();
    assert.ok(behind.errors[0] instanceof CompactedError);
    assert.deepEqual(behind.events, []);
    assert.deepEqual(
      ahead.events.map((e) => e.revision),
      [7, 8],
    );
    assert.deepEqual(ahead.errors, []);
  });

  it('refuses a start revision older than the compacted one', () => {
    const log = new FakeLog();
    log.compacted = 3;
    const hub = new WatchHub(log, 5);
    assert.throws(() => hub.watch('/', 2, new Recorder()), CompactedError);
  });
});
