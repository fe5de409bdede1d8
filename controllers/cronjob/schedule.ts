// When a CronJob should run (pkg/controller/cronjob/utils.go): the most
// recent schedule time that has passed without a Job, how many were missed,
// and how long to wait for the next one.

import type { CronJob } from 'kubernetes-types/batch/v1.js';
import { parseCronSchedule, type CronSchedule } from '../../api/validation/cron.ts';
import { nextActivation } from '../../api/validation/cron-next.ts';

/** Requeue this long after the schedule time, against clock skew (upstream nextScheduleDelta). */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** More missed schedules than this since the last run is reported (TooManyMissedTimes). */
export const MANY_MISSED = 100;

export interface Schedule {
  cron: CronSchedule;
  /** The zone wall-clock fields are read in; undefined is the process's local zone. */
  zone?: string;
}

export type Missed = 'none' | 'few' | 'many';

export interface RecentTimes {
  /** lastScheduleTime, else creationTimestamp (moved up to now - startingDeadlineSeconds when asked). */
  earliest: number;
  /** The latest schedule time in (earliest, now], if any. */
  mostRecent?: number;
  missed: Missed;
}

export class InvalidScheduleError extends Error {}

/**
 * The schedule of a CronJob: spec.schedule read in spec.timeZone. A legacy
 * "CRON_TZ=..." or "TZ=..." prefix (rejected by validation today) names the
 * zone itself. Throws CronParseError.
 */
export function scheduleOf(cj: CronJob): Schedule {
  const spec = cj.spec!.schedule;
  const cron = parseCronSchedule(spec);
  if (spec.includes('TZ')) {
    const m = /^(?:CRON_)?TZ=(\S+)/.exec(spec);
    return { cron, zone: goZone(m?.[1]) };
  }
  const tz = cj.spec!.timeZone;
  return { cron, zone: tz === undefined || tz === null ? undefined : goZone(tz) };
}

/** time.LoadLocation's names: "" and "UTC" are UTC, "Local" the process's zone. */
function goZone(name: string | undefined): string | undefined {
  if (name === undefined || name === 'Local') return undefined;
  return name === '' ? 'UTC' : name;
}

const next = (s: Schedule, t: number): number | undefined => nextActivation(s.cron, new Date(t), s.zone)?.getTime();

/**
 * The most recent unmet schedule time (upstream mostRecentScheduleTime). It
 * estimates the number of missed times from the interval between the first
 * two, then walks only the last stretch, so a long outage costs little.
 * Example: "*\/5" with the last run at 10:00 and now 10:22: t1 = 10:05,
 * t2 = 10:10, interval 300s, elapsed 17 min -> 1020/300 + 1 = 4 missed; the
 * walk starts two intervals before 10:05 + 3*300s and finds 10:20.
 */
export function mostRecentScheduleTime(cj: CronJob, now: number, s: Schedule, includeStartingDeadline: boolean): RecentTimes {
  let earliest = Date.parse(cj.metadata!.creationTimestamp!);
  if (cj.status?.lastScheduleTime) earliest = Date.parse(cj.status.lastScheduleTime);
  const sds = cj.spec?.startingDeadlineSeconds;
  if (includeStartingDeadline && sds !== undefined && sds !== null) {
    const deadline = now - sds * 1000;
    if (deadline > earliest) earliest = deadline;
  }
  const t1 = next(s, earliest);
  const t2 = t1 === undefined ? undefined : next(s, t1);
  if (t1 !== undefined && now < t1) return { earliest, missed: 'none' };
  if (t1 !== undefined && t2 !== undefined && now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = t1 === undefined || t2 === undefined ? 0 : Math.round((t2 - t1) / 1000);
  if (between < 1) throw new InvalidScheduleError('time difference between two schedules is less than 1 second');
  const elapsed = Math.trunc((now - t1!) / 1000);
  const missedCount = Math.floor(elapsed / between) + 1;
  let mostRecent: number | undefined;
  const potentialEarliest = t1! + (missedCount - 2) * between * 1000;
  for (let t = next(s, potentialEarliest); t !== undefined && t <= now; t = next(s, t)) mostRecent = t;
  const missed: Missed = missedCount > MANY_MISSED ? 'many' : missedCount > 0 ? 'few' : 'none';
  return { earliest, mostRecent, missed };
}

/** Milliseconds until the sync after the next schedule time (upstream nextScheduleTimeDuration); undefined if there is none. */
export function nextScheduleDelay(cj: CronJob, now: number, s: Schedule): number | undefined {
  let from: number;
  try {
    const r = mostRecentScheduleTime(cj, now, s, false);
    from = r.mostRecent ?? (r.missed === 'none' ? r.earliest : now);
  } catch {
    from = now;
  }
  const t = next(s, from);
  return t === undefined ? undefined : t + NEXT_SCHEDULE_DELTA_MS - now;
}

/** The name of the Job for a schedule time: `<cronjob>-<minutes since the epoch>`, so one time makes one Job. */
export function jobName(cj: CronJob, scheduled: number): string {
  return `${cj.metadata!.name}-${Math.floor(scheduled / 60_000)}`;
}

/** Go's time.RFC1123Z in UTC: "Wed, 01 May 2024 10:05:00 +0000". */
export function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${day}, ${p(d.getUTCDate())} ${mon} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
