// A keyed work queue as Kubernetes controllers use it: a key waiting to be
// processed is queued once however often it is added; one key is never
// processed by two workers at once (added again while in flight, it runs
// again afterwards); failures come back with an exponential back-off.

export interface WorkQueueOptions {
  workers?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  onError?: (key: string, err: unknown) => void;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly inFlight = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; at: number }>();
  private running = 0;
  private stopped = false;

  constructor(
    private readonly sync: (key: string) => Promise<void>,
    private readonly opts: WorkQueueOptions = {},
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    if (this.inFlight.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.pump();
  }

  /** Adds the key after a delay; of several pending delays the earliest wins (an add before then runs it at once). */
  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, { timer, at });
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    this.queue.length = 0;
    this.queued.clear();
  }

  /** Resolves when nothing is queued or running (for tests). */
  async idle(): Promise<void> {
    while (this.queue.length || this.running) await new Promise((r) => setTimeout(r, 5));
  }

  private pump(): void {
    const workers = this.opts.workers ?? 1;
    while (!this.stopped && this.running < workers && this.queue.length) {
      const key = this.queue.shift()!;
      this.queued.delete(key);
      this.inFlight.add(key);
      this.running++;
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    try {
      await this.sync(key);
      this.failures.delete(key);
    } catch (err) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      this.opts.onError?.(key, err);
      const base = this.opts.baseDelayMs ?? 5;
      const max = this.opts.maxDelayMs ?? 60_000;
      this.addAfter(key, Math.min(max, base * 2 ** (n - 1)));
    } finally {
      this.inFlight.delete(key);
      this.running--;
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
    }
  }
}
