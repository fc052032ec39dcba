import { describe, expect, it } from 'vitest';
import {
  attainmentPercent,
  expectedToDate,
  measure,
  neededPerDay,
  paceLabel,
  paceMark,
  paceStatus,
  progressBar,
  runRateProjection,
  stillNeeded,
} from '../../src/domain/pace.js';
import { periodOfDate } from '../../src/domain/periods.js';

const DAY = 86_400_000n;

describe('expectedToDate', () => {
  it.each([
    [1_000_000n, 12n * DAY, 30n * DAY, 400_000n], // $10,000.00, 12 of 30 days
    [1_000_000n, 0n, 30n * DAY, 0n],
    [1_000_000n, 30n * DAY, 30n * DAY, 1_000_000n],
    [1_000_000n, 31n * DAY, 30n * DAY, 1_000_000n], // past the end: all of it
    [1_000_000n, -DAY, 30n * DAY, 0n], // before the start: nothing
    [1n, 1n, 2n, 1n], // 0.5 rounds up
    [1n, 1n, 3n, 0n], // 0.33 rounds down
    [2n, 1n, 3n, 1n], // 0.67 rounds up
    [1_000_000n, 288n * 3_600_000n, 721n * 3_600_000n, 399_445n], // 288 of 721 hours: 399,445.21
    [10n ** 18n + 1n, 1n, 2n, 5n * 10n ** 17n + 1n], // beyond float precision
  ])('expectedToDate(%s, %s, %s) = %s', (target, elapsed, total, expected) => {
    expect(expectedToDate(target, elapsed, total)).toBe(expected);
  });
});

describe('paceStatus', () => {
  it.each([
    [400_000n, 400_000n, 'ahead'],
    [400_001n, 400_000n, 'ahead'],
    [380_000n, 400_000n, 'on_track'], // 95%
    [360_000n, 400_000n, 'on_track'], // exactly 90%
    [359_999n, 400_000n, 'behind'], // just under 90%
    [350_000n, 400_000n, 'behind'], // 87.5%
    [9n, 10n, 'on_track'],
    [8n, 10n, 'behind'],
    [0n, 0n, 'ahead'], // the period has just started
    [0n, 1n, 'behind'],
  ] as const)('actual %s against expected %s is %s', (actual, expected, status) => {
    expect(paceStatus(actual, expected)).toBe(status);
  });

  it('marks and labels each status', () => {
    expect([paceMark('ahead'), paceMark('on_track'), paceMark('behind')]).toEqual([
      ':large_green_circle:',
      ':large_yellow_circle:',
      ':red_circle:',
    ]);
    expect([paceLabel('ahead'), paceLabel('on_track'), paceLabel('behind')]).toEqual(['ahead', 'on track', 'behind']);
  });
});

describe('attainmentPercent', () => {
  it.each([
    [350_000n, 400_000n, 87.5],
    [400_000n, 1_000_000n, 40],
    [1_500_000n, 1_000_000n, 150],
    [0n, 1_000_000n, 0],
    [1n, 3n, 33.3],
    [2n, 3n, 66.7],
    [1n, 2_000n, 0.1], // 0.05% rounds half up
    [1n, 2_001n, 0],
    [5n, 0n, null],
    [5n, -100n, null],
  ])('%s of %s is %s%', (actual, target, percent) => {
    expect(attainmentPercent(actual, target)).toBe(percent);
  });
});

describe('what is still needed', () => {
  it.each([
    [300n, 1_000n, 700n],
    [1_000n, 1_000n, 0n],
    [1_200n, 1_000n, 0n],
  ])('stillNeeded(%s, %s) = %s', (actual, target, needed) => {
    expect(stillNeeded(actual, target)).toBe(needed);
  });

  it.each([
    [0n, 1_000n, 3, 334n], // 333.33 rounds up
    [0n, 999n, 3, 333n],
    [400_000n, 1_000_000n, 18, 33_334n],
    [1_000n, 1_000n, 5, 0n],
    [0n, 1_000n, 1, 1_000n],
    [0n, 1_000n, 0, null],
  ])('neededPerDay(%s, %s, %i days) = %s', (actual, target, days, perDay) => {
    expect(neededPerDay(actual, target, days)).toBe(perDay);
  });
});

describe('runRateProjection', () => {
  it.each([
    [380_000n, 12n * DAY, 30n * DAY, 950_000n],
    [1n, 2n, 3n, 2n], // 1.5 rounds up
    [1n, 3n, 4n, 1n], // 1.33 rounds down
    [100n, 0n, 10n, 100n], // nothing elapsed yet
    [100n, 20n, 10n, 100n], // period over
    [0n, 5n, 10n, 0n],
  ])('runRateProjection(%s, %s, %s) = %s', (actual, elapsed, total, projected) => {
    expect(runRateProjection(actual, elapsed, total)).toBe(projected);
  });
});

describe('progressBar', () => {
  it.each([
    [null, 10, '░░░░░░░░░░'],
    [0, 10, '░░░░░░░░░░'],
    [-5, 10, '░░░░░░░░░░'],
    [45, 10, '▓▓▓▓░░░░░░'],
    [99.9, 10, '▓▓▓▓▓▓▓▓▓░'],
    [100, 10, '▓▓▓▓▓▓▓▓▓▓'],
    [150, 10, '▓▓▓▓▓▓▓▓▓▓+'],
    [50, 4, '▓▓░░'],
  ])('%s%% over %i cells is %s', (percent, width, bar) => {
    expect(progressBar(percent, width)).toBe(bar);
  });

  it('is 10 cells wide by default', () => {
    expect(progressBar(30)).toBe('▓▓▓░░░░░░░');
  });
});

describe('measure', () => {
  it('sums up a $10,000.00 target 12 days into a 30-day month', () => {
    const november = periodOfDate('month', '2026-11-01', 'UTC', 1);
    const m = measure({ actual: 380_000n, target: 1_000_000n, period: november, now: new Date('2026-11-13T00:00:00Z'), tz: 'UTC' });
    expect(m).toEqual({
      actual: 380_000n,
      target: 1_000_000n,
      percent: 38,
      expected: 400_000n,
      status: 'on_track',
      stillNeeded: 620_000n,
      daysRemaining: 18,
      neededPerDay: 34_445n,
      bar: '▓▓▓░░░░░░░',
      mark: ':large_yellow_circle:',
      label: 'on track',
      final: false,
    });
  });

  it.each([
    ['at the last instant of the month', '2026-11-30T23:59:59.999Z', false],
    ['at the first instant after it', '2026-12-01T00:00:00Z', true],
    ['a year later', '2027-12-01T00:00:00Z', true],
  ])('is final only once the period is over: %s', (_, at, final) => {
    const november = periodOfDate('month', '2026-11-01', 'UTC', 1);
    expect(measure({ actual: 380_000n, target: 1_000_000n, period: november, now: new Date(at), tz: 'UTC' }).final).toBe(final);
  });

  it.each([
    [350_000n, 'behind'],
    [400_000n, 'ahead'],
  ] as const)('calls %s in that month %s', (actual, status) => {
    const november = periodOfDate('month', '2026-11-01', 'UTC', 1);
    expect(measure({ actual, target: 1_000_000n, period: november, now: new Date('2026-11-13T00:00:00Z'), tz: 'UTC' }).status).toBe(status);
  });

  it('counts real hours when the month has a DST change', () => {
    // November 2026 in Los Angeles lasts 721 hours; 288 hours in, 288/721 is due. The clocks
    // went back on the 1st, so that instant is 23:00 on the 12th: 19 local days are left.
    const tz = 'America/Los_Angeles';
    const november = periodOfDate('month', '2026-11-01', tz, 1);
    const m = measure({ actual: 0n, target: 1_000_000n, period: november, now: new Date('2026-11-13T07:00:00Z'), tz });
    expect([m.expected, m.daysRemaining, m.status]).toEqual([399_445n, 19, 'behind']);
  });

  it('is ahead at the first instant of the period', () => {
    const week = periodOfDate('week', '2026-11-23', 'Europe/Berlin', 1);
    const m = measure({ actual: 0n, target: 500n, period: week, now: week.start, tz: 'Europe/Berlin' });
    expect([m.expected, m.status, m.daysRemaining, m.neededPerDay]).toEqual([0n, 'ahead', 7, 72n]);
  });
});
