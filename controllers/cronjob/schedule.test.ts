// Schedule arithmetic of the CronJob controller (upstream utils_test.go cases).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import { jobName, mostRecentScheduleTime, nextScheduleDelay, rfc1123z, scheduleOf } from './schedule.ts';

const at = (s: string) => Date.parse(s);
function cj(schedule: string, opts: { created?: string; last?: string; sds?: number; tz?: string } = {}): CronJob {
  return {
    metadata: { name: 'cj', namespace: 'default', creationTimestamp: opts.created ?? '2024-05-01T10:00:00Z' },
    spec: { schedule, jobTemplate: {}, ...(opts.sds !== undefined ? { startingDeadlineSeconds: opts.sds } : {}), ...(opts.tz ? { timeZone: opts.tz } : {}) },
    status: opts.last ? { lastScheduleTime: opts.last } : {},
  };
}

describe('mostRecentScheduleTime', () => {
  it('finds nothing before the first time, the one time, or the latest of many', () => {
    const c = cj('*/5 * * * *');
    const s = scheduleOf(c);
    assert.deepEqual(mostRecentScheduleTime(c, at('2024-05-01T10:04:00Z'), s, true), { earliest: at('2024-05-01T10:00:00Z'), missed: 'none' });
    assert.equal(mostRecentScheduleTime(c, at('2024-05-01T10:06:00Z'), s, true).mostRecent, at('2024-05-01T10:05:00Z'));
    const many = mostRecentScheduleTime(c, at('2024-05-01T10:22:00Z'), s, true);
    assert.equal(many.mostRecent, at('2024-05-01T10:20:00Z'));
    assert.equal(many.missed, 'few');
  });

  it('starts from lastScheduleTime, and from now - startingDeadlineSeconds when asked', () => {
    const c = cj('* * * * *', { last: '2024-05-01T10:30:00Z', sds: 90 });
    const s = scheduleOf(c);
    assert.equal(mostRecentScheduleTime(c, at('2024-05-01T10:30:30Z'), s, true).mostRecent, undefined);
    const late = mostRecentScheduleTime(c, at('2024-05-01T12:00:30Z'), s, true);
    assert.equal(late.earliest, at('2024-05-01T11:59:00Z'));
    assert.equal(late.mostRecent, at('2024-05-01T12:00:00Z'));
    assert.equal(mostRecentScheduleTime(c, at('2024-05-01T12:00:30Z'), s, false).missed, 'few');
  });

  it('counts more than 100 missed times as many', () => {
    const c = cj('* * * * *');
    assert.equal(mostRecentScheduleTime(c, at('2024-05-01T12:00:30Z'), scheduleOf(c), true).missed, 'many');
  });

  it('rejects a schedule that never comes', () => {
    const c = cj('0 0 31 2 *');
    assert.throws(() => mostRecentScheduleTime(c, at('2024-05-01T12:00:00Z'), scheduleOf(c), true), /less than 1 second/);
  });
});

describe('nextScheduleDelay', () => {
  it('waits until 100ms after the next time', () => {
    const c = cj('*/5 * * * *');
    assert.equal(nextScheduleDelay(c, at('2024-05-01T10:01:00Z'), scheduleOf(c)), 4 * 60_000 + 100);
    const ny = cj('0 9 * * *', { tz: 'America/New_York' });
    assert.equal(nextScheduleDelay(ny, at('2024-05-01T10:00:00Z'), scheduleOf(ny)), 3 * 3_600_000 + 100);
  });
});

describe('names and formats', () => {
  it('names a Job after its schedule time in minutes since the epoch', () => {
    assert.equal(jobName(cj('* * * * *'), at('2024-05-01T10:05:00Z')), 'cj-28575965');
  });
  it('formats RFC 1123 with a numeric zone as Go does', () => {
    assert.equal(rfc1123z(at('2024-05-01T10:05:00Z')), 'Wed, 01 May 2024 10:05:00 +0000');
  });
});
