import { describe, expect, it } from 'vitest';
import { decideSlot, describeSchedule, latestSlot, parseClockTime, parseWeekday, type Schedule } from '../../src/domain/schedule.js';

const mondayNine: Schedule = { cadence: 'weekly', time: '09:00', weekday: 1 };

describe('latestSlot: Monday 09:00 around the 2026 DST changes', () => {
  it.each([
    // New York springs forward on Sunday 2026-03-08 and falls back on Sunday 2026-11-01.
    ['America/New_York', '2026-03-09T13:00:00Z', '2026-03-09T13:00:00.000Z'],
    ['America/New_York', '2026-03-09T12:59:59Z', '2026-03-02T14:00:00.000Z'],
    ['America/New_York', '2026-03-15T00:00:00Z', '2026-03-09T13:00:00.000Z'],
    ['America/New_York', '2026-11-02T14:00:00Z', '2026-11-02T14:00:00.000Z'],
    ['America/New_York', '2026-11-02T13:30:00Z', '2026-10-26T13:00:00.000Z'],
    // Berlin: 2026-03-29 and 2026-10-25.
    ['Europe/Berlin', '2026-03-30T07:00:00Z', '2026-03-30T07:00:00.000Z'],
    ['Europe/Berlin', '2026-03-30T06:59:00Z', '2026-03-23T08:00:00.000Z'],
    ['Europe/Berlin', '2026-10-26T08:05:00Z', '2026-10-26T08:00:00.000Z'],
    // Sydney falls back on 2026-04-05 and springs forward on 2026-10-04.
    ['Australia/Sydney', '2026-04-05T23:00:00Z', '2026-04-05T23:00:00.000Z'],
    ['Australia/Sydney', '2026-04-05T22:59:00Z', '2026-03-29T22:00:00.000Z'],
    ['Australia/Sydney', '2026-10-04T21:59:00Z', '2026-09-27T23:00:00.000Z'],
    ['Australia/Sydney', '2026-10-05T00:00:00Z', '2026-10-04T22:00:00.000Z'],
    // Kolkata has no DST: always 03:30Z.
    ['Asia/Kolkata', '2026-03-09T03:30:00Z', '2026-03-09T03:30:00.000Z'],
    ['Asia/Kolkata', '2026-11-02T03:29:00Z', '2026-10-26T03:30:00.000Z'],
  ])('%s at %s: the slot is %s', (tz, now, expected) => {
    expect(latestSlot(mondayNine, new Date(now), tz).toISOString()).toBe(expected);
  });
});

describe('latestSlot: other schedules', () => {
  it.each([
    [{ cadence: 'daily', time: '17:30', weekday: 1 }, 'UTC', '2026-11-26T17:29:00Z', '2026-11-25T17:30:00.000Z'],
    [{ cadence: 'daily', time: '17:30', weekday: 1 }, 'UTC', '2026-11-26T17:30:00Z', '2026-11-26T17:30:00.000Z'],
    [{ cadence: 'weekly', time: '08:15', weekday: 5 }, 'Europe/Berlin', '2026-11-26T12:00:00Z', '2026-11-20T07:15:00.000Z'],
    [{ cadence: 'weekly', time: '23:30', weekday: 7 }, 'America/Los_Angeles', '2026-11-30T07:30:00Z', '2026-11-30T07:30:00.000Z'],
    // 02:30 does not exist in New York on 2026-03-08: the clock moves forward to 03:30 EDT.
    [{ cadence: 'daily', time: '02:30', weekday: 1 }, 'America/New_York', '2026-03-08T12:00:00Z', '2026-03-08T07:30:00.000Z'],
  ] as const)('%j in %s at %s is %s', (schedule, tz, now, expected) => {
    expect(latestSlot(schedule, new Date(now), tz).toISOString()).toBe(expected);
  });
});

describe('decideSlot: late posts within 24 hours, older ones skipped', () => {
  it.each([
    ['2026-11-30T14:00:00Z', 'post'],
    ['2026-11-30T17:00:00Z', 'post'], // 3 hours late
    ['2026-12-01T13:59:59Z', 'post'],
    ['2026-12-01T14:00:00Z', 'skip'], // 24 hours late
    ['2026-12-01T20:00:00Z', 'skip'], // 30 hours late
  ])('at %s: %s', (now, action) => {
    const decision = decideSlot(mondayNine, new Date(now), 'America/New_York');
    expect(decision.action).toBe(action);
    expect(decision.slot.toISOString()).toBe('2026-11-30T14:00:00.000Z');
  });
});

describe('parsers', () => {
  it.each([
    ['9:00', '09:00'],
    ['09:30', '09:30'],
    ['23:59', '23:59'],
    ['24:00', null],
    ['9', null],
    ['12:60', null],
    ['noon', null],
  ])('parseClockTime(%j) = %j', (text, expected) => expect(parseClockTime(text)).toBe(expected));

  it.each([
    ['monday', 1],
    ['Mon', 1],
    ['tue', 2],
    ['SUNDAY', 7],
    ['mo', null],
    ['funday', null],
  ])('parseWeekday(%j) = %j', (text, expected) => expect(parseWeekday(text)).toBe(expected));

  it('describes schedules', () => {
    expect(describeSchedule(mondayNine)).toBe('every Monday at 09:00');
    expect(describeSchedule({ cadence: 'daily', time: '17:30', weekday: 1 })).toBe('every day at 17:30');
  });
});
