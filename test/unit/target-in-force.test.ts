import { describe, expect, it } from 'vitest';
import { periodOfDate, type PeriodKind } from '../../src/domain/periods.js';
import {
  derivedTargetLabel,
  monthStarts,
  periodTarget,
  rowInForce,
  targetWindows,
  type StoredTargetRow,
} from '../../src/domain/target-in-force.js';

const TZ = 'America/New_York';

let nextId = 1n;
function stored(kind: PeriodKind, first: string, last: string | null, amount: bigint, id?: bigint): StoredTargetRow {
  return { id: id ?? nextId++, period_kind: kind, first_period_start: first, last_period_start: last, amount };
}

describe('rowInForce', () => {
  const rows = [
    stored('month', '2026-01-01', null, 3_000_000n, 1n),
    stored('month', '2026-10-01', null, 3_600_000n, 5n),
    stored('month', '2026-11-01', '2026-11-01', 5_000_000n, 7n),
    stored('week', '2026-11-23', null, 900_000n, 9n),
  ];
  it.each([
    ['before any row', 'month', '2025-12-01', null],
    ['the first repeating row', 'month', '2026-09-01', 3_000_000n],
    ['a newer row from October on', 'month', '2026-10-01', 3_600_000n],
    ['a one-month row wins in its month', 'month', '2026-11-01', 5_000_000n],
    ['after the one-month row, the repeating one again', 'month', '2026-12-01', 3_600_000n],
    ['only rows of the same kind', 'week', '2026-11-30', 900_000n],
    ['a week before the week row', 'week', '2026-11-16', null],
  ] as const)('%s', (_name, kind, start, amount) => {
    expect(rowInForce(rows, kind, start)?.amount ?? null).toBe(amount);
  });

  it('takes the newest row (highest id), whatever the order given', () => {
    const older = stored('month', '2026-11-01', null, 1n, 10n);
    const newer = stored('month', '2026-11-01', null, 2n, 11n);
    expect(rowInForce([newer, older], 'month', '2026-11-01')).toBe(newer);
    expect(rowInForce([older, newer], 'month', '2026-11-01')).toBe(newer);
  });
});

describe('periodTarget', () => {
  const q4 = periodOfDate('quarter', '2026-11-26', TZ, 1); // FY2026-Q4, Oct-Dec 2026
  const fy2027 = periodOfDate('year', '2026-11-26', TZ, 4); // Apr 2026 - Mar 2027
  const q3Apr = periodOfDate('quarter', '2026-11-26', TZ, 4); // FY2027-Q3, Oct-Dec 2026
  it.each([
    [
      'a quarter with its own target',
      q4,
      [stored('quarter', '2026-10-01', null, 10_000_000n), stored('month', '2026-01-01', null, 3_000_000n)],
      { source: 'own', amount: 10_000_000n },
    ],
    [
      'a quarter from three monthly targets',
      q4,
      [stored('month', '2026-01-01', null, 3_000_000n)],
      { source: 'months', amount: 9_000_000n, monthsSet: 3, months: 3 },
    ],
    [
      'a quarter with a changed month',
      q4,
      [stored('month', '2026-01-01', null, 3_000_000n), stored('month', '2026-12-01', '2026-12-01', 4_500_000n)],
      { source: 'months', amount: 10_500_000n, monthsSet: 3, months: 3 },
    ],
    [
      'a quarter with 2 of 3 months set',
      q4,
      [stored('month', '2026-11-01', null, 3_600_000n)],
      { source: 'months', amount: 7_200_000n, monthsSet: 2, months: 3 },
    ],
    [
      'a fiscal quarter starting in October (April year)',
      q3Apr,
      [stored('month', '2026-10-01', '2026-10-01', 100n)],
      { source: 'months', amount: 100n, monthsSet: 1, months: 3 },
    ],
    [
      'a fiscal year from its months',
      fy2027,
      [stored('month', '2026-01-01', null, 1_000n)],
      { source: 'months', amount: 12_000n, monthsSet: 12, months: 12 },
    ],
    [
      'a fiscal year with months from November on',
      fy2027,
      [stored('month', '2026-11-01', null, 1_000n)],
      { source: 'months', amount: 5_000n, monthsSet: 5, months: 12 },
    ],
    ['a quarter with nothing', q4, [stored('week', '2026-01-05', null, 1_000n)], { source: 'none', amount: null }],
    [
      'a month is never derived',
      periodOfDate('month', '2026-11-26', TZ, 1),
      [stored('week', '2026-01-05', null, 1_000n)],
      { source: 'none', amount: null },
    ],
    [
      'a month has its own',
      periodOfDate('month', '2026-11-26', TZ, 1),
      [stored('month', '2026-01-01', null, 3_000_000n)],
      { source: 'own', amount: 3_000_000n },
    ],
  ] as const)('%s', (_name, period, rows, expected) => {
    expect(periodTarget(rows, period)).toEqual(expected);
  });
});

describe('monthStarts and targetWindows', () => {
  it('lists the months of a quarter and a year', () => {
    expect(monthStarts({ startDate: '2026-10-01', endDate: '2027-01-01' })).toEqual(['2026-10-01', '2026-11-01', '2026-12-01']);
    expect(monthStarts({ startDate: '2026-04-01', endDate: '2027-04-01' })).toHaveLength(12);
  });

  it('reads month rows for a quarter or a year, and only its own kind otherwise', () => {
    expect(targetWindows({ kind: 'quarter', startDate: '2026-10-01', endDate: '2027-01-01' })).toEqual([
      { kind: 'quarter', from: '2026-10-01', to: '2027-01-01' },
      { kind: 'month', from: '2026-10-01', to: '2027-01-01' },
    ]);
    expect(targetWindows({ kind: 'week', startDate: '2026-11-23', endDate: '2026-11-30' })).toEqual([
      { kind: 'week', from: '2026-11-23', to: '2026-11-30' },
    ]);
  });
});

describe('derivedTargetLabel', () => {
  it.each([
    [{ source: 'own', amount: 1n }, ''],
    [{ source: 'months', amount: 9n, monthsSet: 3, months: 3 }, 'from monthly targets'],
    [{ source: 'months', amount: 6n, monthsSet: 2, months: 3 }, 'from monthly targets, 2 of 3 months set'],
  ] as const)('%o reads %j', (target, label) => {
    expect(derivedTargetLabel(target)).toBe(label);
  });
});
