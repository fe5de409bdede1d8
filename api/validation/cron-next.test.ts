// nextActivation against robfig/cron's SpecSchedule.Next: fields, day-of-month
// OR day-of-week, time zones and DST, @every, impossible dates.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCronSchedule } from './cron.ts';
import { nextActivation, rfc3339InZone } from './cron-next.ts';

const next = (spec: string, after: string, tz = 'UTC'): string | undefined => nextActivation(parseCronSchedule(spec), new Date(after), tz)?.toISOString();

describe('nextActivation', () => {
  it('finds the next matching minute, strictly after the given time', () => {
    assert.equal(next('*/5 * * * *', '2024-05-01T10:00:00Z'), '2024-05-01T10:05:00.000Z');
    assert.equal(next('*/5 * * * *', '2024-05-01T10:04:59.900Z'), '2024-05-01T10:05:00.000Z');
    assert.equal(next('* * * * *', '2024-05-01T10:00:30Z'), '2024-05-01T10:01:00.000Z');
    assert.equal(next('30 2 * * *', '2024-05-01T10:00:00Z'), '2024-05-02T02:30:00.000Z');
    assert.equal(next('0 0 1 1 *', '2024-05-01T10:00:00Z'), '2025-01-01T00:00:00.000Z');
    assert.equal(next('@hourly', '2024-05-01T10:00:00Z'), '2024-05-01T11:00:00.000Z');
  });

  it('ORs day-of-month and day-of-week only when neither is a star', () => {
    // 2024-05-01 is a Wednesday. "1st or Friday" -> Friday the 3rd after the 1st.
    assert.equal(next('0 0 1 * 5', '2024-05-01T10:00:00Z'), '2024-05-03T00:00:00.000Z');
    // "* * 5" means every Friday.
    assert.equal(next('0 0 * * 5', '2024-05-01T10:00:00Z'), '2024-05-03T00:00:00.000Z');
    assert.equal(next('0 0 * * sun', '2024-05-01T10:00:00Z'), '2024-05-05T00:00:00.000Z');
  });

  it('matches the wall clock of the time zone, across DST changes', () => {
    // 09:00 in New York on 2024-05-01 is 13:00 UTC (EDT).
    assert.equal(next('0 9 * * *', '2024-05-01T10:00:00Z', 'America/New_York'), '2024-05-01T13:00:00.000Z');
    // In winter it is 14:00 UTC (EST).
    assert.equal(next('0 9 * * *', '2024-12-01T10:00:00Z', 'America/New_York'), '2024-12-01T14:00:00.000Z');
    // 02:30 does not exist on 2024-03-10 in New York: robfig skips the day.
    assert.equal(next('30 2 * * *', '2024-03-10T05:00:00Z', 'America/New_York'), '2024-03-11T06:30:00.000Z');
    assert.equal(next('0 0 * * *', '2024-05-01T10:00:00Z', 'Asia/Kolkata'), '2024-05-01T18:30:00.000Z');
  });

  it('runs @every from the given time, on whole seconds', () => {
    assert.equal(next('@every 90s', '2024-05-01T10:00:00.250Z'), '2024-05-01T10:01:30.000Z');
  });

  it('gives up on a date that never comes', () => {
    assert.equal(next('0 0 30 2 *', '2024-05-01T10:00:00Z'), undefined);
  });
});

describe('rfc3339InZone', () => {
  it('formats as Go does, with the offset of the zone or Z', () => {
    assert.equal(rfc3339InZone(new Date('2024-05-01T13:00:00.500Z'), 'America/New_York'), '2024-05-01T09:00:00-04:00');
    assert.equal(rfc3339InZone(new Date('2024-05-01T13:00:00Z'), 'Asia/Kolkata'), '2024-05-01T18:30:00+05:30');
    assert.equal(rfc3339InZone(new Date('2024-05-01T13:00:00Z')), '2024-05-01T13:00:00Z');
  });
});
