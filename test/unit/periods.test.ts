import { describe, expect, it } from 'vitest';
import {
  PERIOD_KINDS,
  type Period,
  type PeriodKind,
  daysRemaining,
  elapsedFraction,
  localDate,
  nextPeriod,
  parsePeriodKey,
  periodAt,
  periodOfDate,
  periodsBetween,
  previousPeriod,
  subPeriods,
} from '../../src/domain/periods.js';

const ZONES = ['UTC', 'America/New_York', 'America/Los_Angeles', 'Europe/Berlin', 'Australia/Sydney', 'Asia/Kolkata'];
const HOUR = 3_600_000;

const hours = (p: Period) => (p.end.getTime() - p.start.getTime()) / HOUR;
const dates = (p: Period) => [p.key, p.startDate, p.endDate];

describe('periodAt', () => {
  // Every 29h17m from 2025 to 2028: every time of day and every weekday comes up.
  const instants: Date[] = [];
  for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2029, 0, 1); t += 29 * HOUR + 17 * 60_000) instants.push(new Date(t));

  it.each(ZONES)('puts every instant in exactly one period of each kind in %s', (tz) => {
    for (const fy of [1, 4]) {
      for (const kind of PERIOD_KINDS) {
        for (const instant of instants) {
          const p = periodAt(kind, instant, tz, fy);
          const day = localDate(instant, tz);
          expect(p.start <= instant && instant < p.end, `${kind} ${p.key} ${instant.toISOString()}`).toBe(true);
          expect(p.startDate <= day && day < p.endDate).toBe(true);
          expect(previousPeriod(p, tz, fy).end <= instant && instant < nextPeriod(p, tz, fy).start).toBe(true);
        }
      }
    }
  });

  it('counts a sale at 23:30 on 2026-11-30 in Los Angeles in November', () => {
    const instant = new Date('2026-12-01T07:30:00Z');
    const p = periodAt('month', instant, 'America/Los_Angeles', 1);
    expect(localDate(instant, 'America/Los_Angeles')).toBe('2026-11-30');
    expect(dates(p)).toEqual(['2026-11', '2026-11-01', '2026-12-01']);
    expect(p.end.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(periodAt('month', instant, 'UTC', 1).key).toBe('2026-12');
  });
});

describe('consecutive periods', () => {
  const tilingZones = [...ZONES, 'America/Asuncion']; // Asunción skipped midnight on 2023-10-01
  it.each(tilingZones.flatMap((tz) => PERIOD_KINDS.map((kind) => [kind, tz] as const)))(
    'tile without gaps or overlap: 200 %s periods in %s',
    (kind, tz) => {
      let p = periodOfDate(kind, '2023-06-15', tz, 7);
      const keys = new Set([p.key]);
      for (let i = 0; i < 200; i++) {
        const next = nextPeriod(p, tz, 7);
        expect(next.start).toEqual(p.end);
        expect(next.startDate).toBe(p.endDate);
        expect(previousPeriod(next, tz, 7)).toEqual(p);
        expect(periodAt(kind, p.start, tz, 7)).toEqual(p);
        expect(periodAt(kind, new Date(p.end.getTime() - 1), tz, 7)).toEqual(p);
        expect(parsePeriodKey(p.key, tz, 7)).toEqual(p);
        keys.add(next.key);
        p = next;
      }
      expect(keys.size).toBe(201);
    },
  );
});

describe('DST', () => {
  it.each([
    ['America/New_York', '2026-03-08', '2026-03-02', 167],
    ['America/New_York', '2026-11-01', '2026-10-26', 169],
    ['Europe/Berlin', '2026-03-29', '2026-03-23', 167],
    ['Europe/Berlin', '2026-10-25', '2026-10-19', 169],
    ['Australia/Sydney', '2026-04-05', '2026-03-30', 169],
    ['Australia/Sydney', '2026-10-04', '2026-09-28', 167],
    ['America/New_York', '2026-06-14', '2026-06-08', 168],
  ])('the week of %s %s starts %s and lasts %i hours', (tz, date, monday, length) => {
    const week = periodOfDate('week', date, tz, 1);
    expect(week.startDate).toBe(monday);
    expect(hours(week)).toBe(length);
  });

  it('measures elapsed time in real hours', () => {
    const week = periodOfDate('week', '2026-03-08', 'America/New_York', 1);
    expect(week.start.toISOString()).toBe('2026-03-02T05:00:00.000Z');
    expect(week.end.toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(elapsedFraction(week, new Date(week.start.getTime() + 83.5 * HOUR))).toBe(0.5);
    expect(elapsedFraction(week, new Date('2026-03-01T00:00:00Z'))).toBe(0);
    expect(elapsedFraction(week, new Date('2026-03-10T00:00:00Z'))).toBe(1);
    const march = periodOfDate('month', '2026-03-08', 'America/New_York', 1);
    expect(hours(march)).toBe(31 * 24 - 1);
  });

  it('starts a period at its first instant where DST skips midnight', () => {
    // Asunción sprang from 2023-10-01 00:00 straight to 01:00 (-03).
    const october = periodOfDate('month', '2023-10-15', 'America/Asuncion', 1);
    expect(october.start.toISOString()).toBe('2023-10-01T04:00:00.000Z');
    expect(previousPeriod(october, 'America/Asuncion', 1).end).toEqual(october.start);
    expect(hours(october)).toBe(31 * 24 - 1);
  });
});

describe('fiscal quarters and years', () => {
  it.each([
    [1, '2026-01-01', 'FY2026-Q1', '2026-01-01', '2026-04-01', 'FY2026', '2026-01-01', '2027-01-01'],
    [1, '2026-11-15', 'FY2026-Q4', '2026-10-01', '2027-01-01', 'FY2026', '2026-01-01', '2027-01-01'],
    [2, '2026-01-31', 'FY2026-Q4', '2025-11-01', '2026-02-01', 'FY2026', '2025-02-01', '2026-02-01'],
    [2, '2026-02-01', 'FY2027-Q1', '2026-02-01', '2026-05-01', 'FY2027', '2026-02-01', '2027-02-01'],
    [2, '2026-12-25', 'FY2027-Q4', '2026-11-01', '2027-02-01', 'FY2027', '2026-02-01', '2027-02-01'],
    [4, '2026-03-31', 'FY2026-Q4', '2026-01-01', '2026-04-01', 'FY2026', '2025-04-01', '2026-04-01'],
    [4, '2026-04-01', 'FY2027-Q1', '2026-04-01', '2026-07-01', 'FY2027', '2026-04-01', '2027-04-01'],
    [4, '2026-12-31', 'FY2027-Q3', '2026-10-01', '2027-01-01', 'FY2027', '2026-04-01', '2027-04-01'],
    [7, '2026-06-30', 'FY2026-Q4', '2026-04-01', '2026-07-01', 'FY2026', '2025-07-01', '2026-07-01'],
    [7, '2026-07-01', 'FY2027-Q1', '2026-07-01', '2026-10-01', 'FY2027', '2026-07-01', '2027-07-01'],
    [7, '2027-02-14', 'FY2027-Q3', '2027-01-01', '2027-04-01', 'FY2027', '2026-07-01', '2027-07-01'],
    [10, '2026-09-30', 'FY2026-Q4', '2026-07-01', '2026-10-01', 'FY2026', '2025-10-01', '2026-10-01'],
    [10, '2026-10-01', 'FY2027-Q1', '2026-10-01', '2027-01-01', 'FY2027', '2026-10-01', '2027-10-01'],
    [10, '2027-05-05', 'FY2027-Q3', '2027-04-01', '2027-07-01', 'FY2027', '2026-10-01', '2027-10-01'],
  ])('fyStartMonth %i: %s is in %s [%s, %s) and %s [%s, %s)', (fy, date, qKey, qStart, qEnd, yKey, yStart, yEnd) => {
    const quarter = periodOfDate('quarter', date, 'UTC', fy);
    const year = periodOfDate('year', date, 'UTC', fy);
    expect(dates(quarter)).toEqual([qKey, qStart, qEnd]);
    expect(dates(year)).toEqual([yKey, yStart, yEnd]);
    expect(parsePeriodKey(qKey, 'UTC', fy)).toEqual(quarter);
    expect(parsePeriodKey(yKey, 'UTC', fy)).toEqual(year);
  });
});

describe('ISO weeks', () => {
  it.each([
    ['2026-12-31', '2026-W53', '2026-12-28', '2027-01-04'],
    ['2027-01-01', '2026-W53', '2026-12-28', '2027-01-04'],
    ['2027-01-03', '2026-W53', '2026-12-28', '2027-01-04'],
    ['2027-01-04', '2027-W01', '2027-01-04', '2027-01-11'],
    ['2020-12-31', '2020-W53', '2020-12-28', '2021-01-04'],
    ['2021-01-03', '2020-W53', '2020-12-28', '2021-01-04'],
    ['2024-12-30', '2025-W01', '2024-12-30', '2025-01-06'],
    ['2025-12-29', '2026-W01', '2025-12-29', '2026-01-05'],
    ['2026-11-26', '2026-W48', '2026-11-23', '2026-11-30'],
  ])('%s is in %s [%s, %s)', (date, key, start, end) => {
    const week = periodOfDate('week', date, 'Europe/Berlin', 1);
    expect(dates(week)).toEqual([key, start, end]);
    expect(parsePeriodKey(key, 'Europe/Berlin', 1)).toEqual(week);
  });
});

describe('parsePeriodKey', () => {
  it.each([
    ['2026-W48', 'week', '2026-11-23', '2026-11-30'],
    ['2026-11', 'month', '2026-11-01', '2026-12-01'],
    ['FY2027-Q1', 'quarter', '2026-04-01', '2026-07-01'],
    ['FY2027', 'year', '2026-04-01', '2027-04-01'],
  ])('reads %s as a %s [%s, %s)', (key, kind, start, end) => {
    const p = parsePeriodKey(key, 'America/New_York', 4);
    expect(p && [p.kind, p.startDate, p.endDate, p.key]).toEqual([kind, start, end, key]);
  });

  it.each([
    '',
    'nonsense',
    '2026-13',
    '2026-00',
    '2026-1',
    '2026-W00',
    '2026-W54',
    '2021-W53',
    '2026-W5',
    'FY2027-Q0',
    'FY2027-Q5',
    'FY27',
    'fy2027',
  ])('rejects %j', (key) => {
    expect(parsePeriodKey(key, 'UTC', 4)).toBeNull();
  });
});

describe('daysRemaining', () => {
  const tz = 'America/Los_Angeles';
  const november = periodOfDate('month', '2026-11-15', tz, 1);
  it.each([
    ['2026-10-15T12:00:00Z', 30], // before the month: all of it
    ['2026-11-01T07:00:00Z', 30], // local midnight of the 1st
    ['2026-11-13T12:00:00Z', 18],
    ['2026-11-30T12:00:00Z', 1],
    ['2026-12-01T07:30:00Z', 1], // 23:30 on the 30th in Los Angeles
    ['2026-12-01T08:00:00Z', 0],
  ])('at %s: %i', (now, days) => {
    expect(daysRemaining(november, new Date(now), tz)).toBe(days);
  });
});

describe('periodsBetween and subPeriods', () => {
  const keys = (ps: Period[]) => ps.map((p) => p.key);
  const tz = 'Europe/Berlin';

  it('lists periods inclusively, and none when the last is before the first', () => {
    const first = periodOfDate('month', '2026-11-01', tz, 1);
    const last = periodOfDate('month', '2027-02-01', tz, 1);
    expect(keys(periodsBetween(first, last, tz, 1))).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(periodsBetween(last, first, tz, 1)).toEqual([]);
    expect(() => periodsBetween(first, periodOfDate('week', '2026-11-01', tz, 1), tz, 1)).toThrow();
  });

  it.each<[PeriodKind, string, PeriodKind, number, string[]]>([
    ['quarter', 'FY2027-Q1', 'month', 4, ['2026-04', '2026-05', '2026-06']],
    ['quarter', 'FY2027-Q4', 'month', 2, ['2026-11', '2026-12', '2027-01']],
    ['year', 'FY2027', 'quarter', 4, ['FY2027-Q1', 'FY2027-Q2', 'FY2027-Q3', 'FY2027-Q4']],
    [
      'year',
      'FY2027',
      'month',
      4,
      ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03'],
    ],
    ['month', '2026-11', 'week', 1, ['2026-W44', '2026-W45', '2026-W46', '2026-W47', '2026-W48', '2026-W49']],
    ['month', '2026-11', 'month', 1, ['2026-11']],
  ])('the %s %s holds these %s periods (fyStartMonth %i)', (kind, key, subKind, fy, expected) => {
    const p = parsePeriodKey(key, tz, fy);
    expect(p?.kind).toBe(kind);
    expect(keys(subPeriods(p!, subKind, tz, fy))).toEqual(expected);
  });
});
