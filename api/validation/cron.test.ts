import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cronScheduleError, isValidTimeZone, parseCronSchedule } from './cron.ts';

test('parses the five standard fields', () => {
  const s = parseCronSchedule('*/15 9-17 * jan-mar mon-fri');
  assert.equal(s.kind, 'fields');
  if (s.kind !== 'fields') return;
  assert.deepEqual([...s.minute], [0, 15, 30, 45]);
  assert.deepEqual([...s.hour], [9, 10, 11, 12, 13, 14, 15, 16, 17]);
  assert.deepEqual([...s.month], [1, 2, 3]);
  assert.deepEqual([...s.dayOfWeek], [1, 2, 3, 4, 5]);
  assert.equal(s.dayOfMonthStar, true);
  assert.equal(s.dayOfWeekStar, false);
  const list = parseCronSchedule('0,30 0 1,15 * ?');
  assert.equal(list.kind === 'fields' && [...list.dayOfMonth].join(), '1,15');
  assert.equal(list.kind === 'fields' && list.dayOfWeekStar, true);
  const stepFrom = parseCronSchedule('5/20 * * * *');
  assert.equal(stepFrom.kind === 'fields' && [...stepFrom.minute].join(), '5,25,45');
});

test('descriptors', () => {
  for (const d of ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']) assert.equal(cronScheduleError(d), undefined, d);
  const hourly = parseCronSchedule('@hourly');
  assert.equal(hourly.kind === 'fields' && hourly.hour.size, 24);
  assert.deepEqual(parseCronSchedule('@every 1h30m'), { kind: 'every', intervalMs: 5_400_000 });
  assert.equal(cronScheduleError('@every x'), 'failed to parse duration @every x: time: invalid duration "x"');
  assert.equal(cronScheduleError('@sometimes'), 'unrecognized descriptor: @sometimes');
});

test("errors carry robfig/cron's messages", () => {
  assert.equal(cronScheduleError(''), 'empty spec string');
  assert.equal(cronScheduleError('* * * *'), 'expected exactly 5 fields, found 4: [* * * *]');
  assert.equal(cronScheduleError('60 * * * *'), 'end of range (60) above maximum (59): 60');
  assert.equal(cronScheduleError('* * 0 * *'), 'beginning of range (0) below minimum (1): 0');
  assert.equal(cronScheduleError('* * * * 7'), 'end of range (7) above maximum (6): 7');
  assert.equal(cronScheduleError('5-1 * * * *'), 'beginning of range (5) beyond end of range (1): 5-1');
  assert.equal(cronScheduleError('*/0 * * * *'), 'step of range should be a positive number: */0');
  assert.equal(cronScheduleError('x * * * *'), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
  assert.equal(cronScheduleError('1-2-3 * * * *'), 'too many hyphens: 1-2-3');
  assert.equal(cronScheduleError('*/2/3 * * * *'), 'too many slashes: */2/3');
  assert.equal(cronScheduleError('TZ=Mars/Olympus * * * * *'), 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus');
  assert.equal(cronScheduleError('CRON_TZ=Europe/Paris 0 9 * * *'), undefined);
});

test('time zones come from the IANA database', () => {
  assert.equal(isValidTimeZone('Europe/Berlin'), true);
  assert.equal(isValidTimeZone('UTC'), true);
  assert.equal(isValidTimeZone('Mars/Olympus'), false);
});
