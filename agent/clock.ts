// The agent's clock: the time and the timers that back-off, probes, the node
// lease and status refreshes wait on. Passed in through the Agent's options
// so that tests advance time instead of sleeping.

export interface Clock {
  now(): Date;
  /** Calls fn after ms; returns a cancel function. Timers never keep the process alive. */
  after(ms: number, fn: () => void): () => void;
}

export const realClock: Clock = {
  now: () => new Date(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

/** A clock that moves only when told to (tests): advance() fires the timers that came due, in order. */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start: Date = new Date('2024-05-01T10:00:00Z')) {
    this.t = start.getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  after(ms: number, fn: () => void): () => void {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return () => this.timers.delete(id);
  }

  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
    }
    this.t = end;
  }
}
