// Crash back-off per container, as the kubelet's flowcontrol.Backoff: the
// first restart is immediate; a container that dies again within its
// back-off waits 10 s, then 20 s, 40 s, ... capped at 5 min. An entry not
// updated for twice the cap (10 min, e.g. a container that ran that long)
// starts again at 10 s.
//
// Example: exits at t=0 (restart now, back-off 10 s), t=1 (in back-off until
// t=11; restart then, back-off 20 s), t=12 (wait until t=32), ...

export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number,
    private readonly initialMs = INITIAL_BACKOFF_MS,
    private readonly maxMs = MAX_BACKOFF_MS,
  ) {}

  /** The current back-off of key (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Whether a container that finished at eventTime must still wait; and until when. */
  inBackOffSince(key: string, eventTime: number): { wait: boolean; untilMs: number } {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) return { wait: false, untilMs: 0 };
    const until = eventTime + e.backoffMs;
    return { wait: this.now() < until, untilMs: until };
  }

  /** Records a restart at eventTime: doubles the back-off, or starts it at the initial value. */
  next(key: string, eventTime: number): void {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: this.now() });
    else {
      e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
      e.lastUpdate = this.now();
    }
  }

  /** Forgets every entry whose key starts with prefix (a pod's containers when the pod goes). */
  forget(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  private expired(eventTime: number, e: Entry): boolean {
    return eventTime - e.lastUpdate > 2 * this.maxMs;
  }
}

/** A duration as Go's time.Duration prints it: "10s", "1m20s", "5m0s". */
export function goDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h ? `${h}h${m}m${s}s` : `${m}m${s}s`;
}
