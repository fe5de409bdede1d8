// The next activation of a CronJob schedule after a given instant, as
// github.com/robfig/cron/v3 computes it (SpecSchedule.Next and
// ConstantDelaySchedule.Next): wall-clock fields are matched in the
// schedule's time zone (spec.timeZone, else the process's local zone), with
// Go's time.Date normalisation across DST changes. Zone data comes from Intl.

import type { CronSchedule } from './cron.ts';

interface Wall {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock of `ms` (epoch milliseconds) in `zone`. */
function wallOf(ms: number, zone: string): Wall {
  const w: Wall = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(zone).formatToParts(new Date(ms))) {
    if (part.type in w) w[part.type as keyof Wall] = Number(part.value);
  }
  return w;
}

/** Wall fields read as if they were UTC (Date.UTC normalises overflowing fields as Go's time.Date does). */
function wallAsUtc(w: Wall): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** The zone's offset from UTC at instant `ms`, in milliseconds. */
function offsetAt(ms: number, zone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallAsUtc(wallOf(whole, zone)) - whole;
}

/** time.Date(y, m, d, h, mi, s, 0, loc): the instant of a wall clock, with Go's choice near zone transitions. */
function fromWall(w: Wall, zone: string): number {
  const guess = wallAsUtc(w);
  let offset = offsetAt(guess, zone);
  const utc = guess - offset;
  const actual = offsetAt(utc, zone);
  if (actual !== offset) offset = actual;
  return guess - offset;
}

/** A moment of the search, read as a wall clock in the schedule's zone. */
class ZonedTime {
  constructor(
    public ms: number,
    private readonly zone: string,
  ) {}

  get wall(): Wall {
    return wallOf(this.ms, this.zone);
  }

  set(w: Wall): void {
    this.ms = fromWall(w, this.zone);
  }

  add(ms: number): void {
    this.ms += ms;
  }

  /** t.AddDate(0, months, days). */
  addDate(months: number, days: number): void {
    const w = this.wall;
    this.set({ ...w, month: w.month + months, day: w.day + days });
  }
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

function dayMatches(s: Extract<CronSchedule, { kind: 'fields' }>, w: Wall): boolean {
  const domMatch = s.dayOfMonth.has(w.day);
  // Day of week of the wall date (independent of the offset).
  const dow = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
  const dowMatch = s.dayOfWeek.has(dow);
  if (s.dayOfMonthStar || s.dayOfWeekStar) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

/** The process's local time zone (robfig/cron's time.Local when the schedule names none). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * The first activation strictly after `after`, or undefined when none exists
 * within five years (robfig returns the zero time then, e.g. "0 0 30 2 *").
 */
export function nextActivation(schedule: CronSchedule, after: Date, timeZone?: string): Date | undefined {
  if (schedule.kind === 'every') {
    const base = Math.floor(after.getTime() / 1000) * 1000;
    return new Date(base + schedule.intervalMs);
  }
  const s = schedule;
  const zone = timeZone || localTimeZone();
  // Start at the upcoming whole second.
  const t = new ZonedTime(Math.floor(after.getTime() / 1000) * 1000 + 1000, zone);
  let added = false;
  const yearLimit = t.wall.year + 5;

  wrap: for (;;) {
    if (t.wall.year > yearLimit) return undefined;

    while (!s.month.has(t.wall.month)) {
      if (!added) {
        added = true;
        const w = t.wall;
        t.set({ year: w.year, month: w.month, day: 1, hour: 0, minute: 0, second: 0 });
      }
      t.addDate(1, 0);
      if (t.wall.month === 1) continue wrap;
    }

    while (!dayMatches(s, t.wall)) {
      if (!added) {
        added = true;
        const w = t.wall;
        t.set({ year: w.year, month: w.month, day: w.day, hour: 0, minute: 0, second: 0 });
      }
      t.addDate(0, 1);
      // A DST change can leave the day off midnight: 23h goes forward, 1h back.
      const hour = t.wall.hour;
      if (hour !== 0) t.add(hour > 12 ? (24 - hour) * HOUR_MS : -hour * HOUR_MS);
      if (t.wall.day === 1) continue wrap;
    }

    while (!s.hour.has(t.wall.hour)) {
      if (!added) {
        added = true;
        const w = t.wall;
        t.set({ ...w, minute: 0, second: 0 });
      }
      t.add(HOUR_MS);
      if (t.wall.hour === 0) continue wrap;
    }

    while (!s.minute.has(t.wall.minute)) {
      if (!added) {
        added = true;
        t.ms = Math.floor(t.ms / MINUTE_MS) * MINUTE_MS;
      }
      t.add(MINUTE_MS);
      if (t.wall.minute === 0) continue wrap;
    }

    // The standard (five-field) parser always runs at second 0.
    while (t.wall.second !== 0) {
      t.add(1000);
      if (t.wall.second === 0) continue wrap;
    }
    return new Date(t.ms);
  }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Go's Format(time.RFC3339) of an instant in a zone: "2024-05-01T06:00:00-04:00", or "...Z" at offset zero. */
export function rfc3339InZone(d: Date, timeZone?: string): string {
  const zone = timeZone || 'UTC';
  const ms = Math.floor(d.getTime() / 1000) * 1000;
  const w = wallOf(ms, zone);
  const offsetMin = Math.round(offsetAt(ms, zone) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const suffix = offsetMin === 0 ? 'Z' : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${suffix}`;
}
