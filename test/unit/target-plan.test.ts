import { describe, expect, it } from 'vitest';
import { type PeriodKind, periodOfDate } from '../../src/domain/periods.js';
import { type PlanInput, type PlanRow, parseRamp, percentOf, planRows, teamTarget } from '../../src/domain/target-plan.js';

const TZ = 'Europe/Berlin';

function plan(kind: PeriodKind, first: string, fields: Partial<Omit<PlanInput, 'first' | 'last'>> & { last?: string }, fy = 1) {
  const { last, ...rest } = fields;
  const input: PlanInput = {
    first: periodOfDate(kind, first, TZ, fy),
    last: last === undefined ? null : periodOfDate(kind, last, TZ, fy),
    amounts: [5_000_000n],
    rampPercents: [],
    repeat: true,
    ...rest,
  };
  return planRows(input, TZ, fy);
}

const row = (firstStart: string, lastStart: string | null, amount: bigint): PlanRow => ({ firstStart, lastStart, amount });

describe('planRows', () => {
  it.each([
    ['one amount repeating until changed', plan('month', '2026-11-20', {}), [row('2026-11-01', null, 5_000_000n)]],
    ['one amount for one period', plan('month', '2026-11-20', { repeat: false }), [row('2026-11-01', '2026-11-01', 5_000_000n)]],
    ['one amount to a last period', plan('month', '2026-11-20', { last: '2027-02-14' }), [row('2026-11-01', '2027-02-01', 5_000_000n)]],
    [
      'a last period wins over repeat off',
      plan('month', '2026-11-20', { repeat: false, last: '2027-02-14' }),
      [row('2026-11-01', '2027-02-01', 5_000_000n)],
    ],
    [
      'a last period in the first period',
      plan('month', '2026-11-20', { last: '2026-11-02' }),
      [row('2026-11-01', '2026-11-01', 5_000_000n)],
    ],
    [
      'a seasonal plan of 3 months, crossing a year',
      plan('month', '2026-11-20', { amounts: [100n, 200n, 300n] }),
      [row('2026-11-01', '2026-11-01', 100n), row('2026-12-01', '2026-12-01', 200n), row('2027-01-01', '2027-01-01', 300n)],
    ],
    [
      'a seasonal plan of 12 months',
      plan('month', '2026-01-31', { amounts: Array.from({ length: 12 }, (_, i) => BigInt((i + 1) * 1000)) }),
      Array.from({ length: 12 }, (_, i) => {
        const start = `2026-${String(i + 1).padStart(2, '0')}-01`;
        return row(start, start, BigInt((i + 1) * 1000));
      }),
    ],
    [
      'a ramp of 25/50/75%, then the full amount until changed',
      plan('month', '2026-11-20', { amounts: [333n], rampPercents: [25, 50, 75] }),
      [
        row('2026-11-01', '2026-11-01', 83n), // 83.25
        row('2026-12-01', '2026-12-01', 167n), // 166.5 rounds up
        row('2027-01-01', '2027-01-01', 250n), // 249.75
        row('2027-02-01', null, 333n),
      ],
    ],
    [
      'a ramp, then the full amount for one period',
      plan('month', '2026-11-20', { amounts: [333n], rampPercents: [25, 50, 75], repeat: false }),
      [
        row('2026-11-01', '2026-11-01', 83n),
        row('2026-12-01', '2026-12-01', 167n),
        row('2027-01-01', '2027-01-01', 250n),
        row('2027-02-01', '2027-02-01', 333n),
      ],
    ],
    [
      'a ramp, then the full amount to the last period',
      plan('month', '2026-11-20', { amounts: [333n], rampPercents: [25, 50, 75], last: '2027-06-30' }),
      [
        row('2026-11-01', '2026-11-01', 83n),
        row('2026-12-01', '2026-12-01', 167n),
        row('2027-01-01', '2027-01-01', 250n),
        row('2027-02-01', '2027-06-01', 333n),
      ],
    ],
    [
      'a ramp that ends with the last period leaves no full-amount row',
      plan('month', '2026-11-20', { amounts: [333n], rampPercents: [25, 50, 75], last: '2027-01-15' }),
      [row('2026-11-01', '2026-11-01', 83n), row('2026-12-01', '2026-12-01', 167n), row('2027-01-01', '2027-01-01', 250n)],
    ],
    [
      'fiscal quarters from April: a seasonal plan of 4 quarters',
      plan('quarter', '2026-05-15', { amounts: [1n, 2n, 3n, 4n] }, 4),
      [
        row('2026-04-01', '2026-04-01', 1n),
        row('2026-07-01', '2026-07-01', 2n),
        row('2026-10-01', '2026-10-01', 3n),
        row('2027-01-01', '2027-01-01', 4n),
      ],
    ],
    [
      'fiscal quarters from April: a ramp from the last quarter of FY2027',
      plan('quarter', '2027-03-31', { amounts: [1_000n], rampPercents: [50] }, 4),
      [row('2027-01-01', '2027-01-01', 500n), row('2027-04-01', null, 1_000n)],
    ],
    [
      'weeks across the new year (2026-W53, 2027-W01, 2027-W02)',
      plan('week', '2026-12-31', { amounts: [10n, 20n, 30n] }),
      [row('2026-12-28', '2026-12-28', 10n), row('2027-01-04', '2027-01-04', 20n), row('2027-01-11', '2027-01-11', 30n)],
    ],
    [
      'a weekly ramp across the new year',
      plan('week', '2026-12-28', { amounts: [40n], rampPercents: [25], last: '2027-01-31' }),
      [row('2026-12-28', '2026-12-28', 10n), row('2027-01-04', '2027-01-25', 40n)],
    ],
  ])('%s', (_name, result, rows) => {
    expect(result).toEqual({ ok: true, rows });
  });

  // A ramp longer than the range up to `last` must stop at `last`: nothing may be stored
  // for periods after the one the manager said is the last.
  // BUG (reported): planRows pushes every ramp row, so January (250) is stored past the
  // last period. `it.fails` keeps the suite green until the fix lands; then it turns red:
  // change it to `it`.
  it('stops a ramp that is longer than the range at the last period', () => {
    expect(plan('month', '2026-11-20', { amounts: [333n], rampPercents: [25, 50, 75], last: '2026-12-01' })).toEqual({
      ok: true,
      rows: [row('2026-11-01', '2026-11-01', 83n), row('2026-12-01', '2026-12-01', 167n)],
    });
  });

  it.each([
    [
      'the last period before the first',
      plan('month', '2026-11-20', { last: '2026-10-31' }),
      'last_period',
      'The last period (2026-10) is before the first (2026-11).',
    ],
    [
      'the last quarter before the first (fiscal from April)',
      plan('quarter', '2026-05-01', { last: '2026-03-31' }, 4),
      'last_period',
      'The last period (FY2026-Q4) is before the first (FY2027-Q1).',
    ],
    [
      'a ramp with a seasonal plan',
      plan('month', '2026-11-20', { amounts: [1n, 2n], rampPercents: [50] }),
      'ramp',
      'A ramp applies to one amount; a seasonal plan already gives each period its own.',
    ],
    ['no amount', plan('month', '2026-11-20', { amounts: [] }), 'amount', 'Enter an amount, like 50000 or 50k.'],
  ])('refuses %s', (_name, result, field, error) => {
    expect(result).toEqual({ ok: false, field, error });
  });
});

describe('percentOf', () => {
  it.each([
    [333n, 25, 83n], // 83.25
    [333n, 50, 167n], // 166.5 rounds half up
    [333n, 75, 250n], // 249.75
    [1n, 50, 1n], // 0.5 rounds up
    [1n, 49, 0n],
    [0n, 50, 0n],
    [1_000n, 100, 1_000n],
    [1_000n, 33.33, 333n],
    [10n ** 18n + 1n, 50, 5n * 10n ** 17n + 1n], // beyond float precision
  ])('%s x %s percent = %s', (amount, percent, expected) => {
    expect(percentOf(amount, percent)).toBe(expected);
  });
});

describe('teamTarget', () => {
  it.each([
    ['set above its reps', 1_000n, [400n, 500n], { amount: 1_000n, source: 'set', membersSum: 900n, gap: 100n }],
    ['set below its reps', 800n, [400n, 500n], { amount: 800n, source: 'set', membersSum: 900n, gap: -100n }],
    ['set equal to its reps', 900n, [400n, null, 500n], { amount: 900n, source: 'set', membersSum: 900n, gap: 0n }],
    ['set, no member has a target', 900n, [null, null], { amount: 900n, source: 'set', membersSum: 0n, gap: null }],
    ['set, no members', 900n, [], { amount: 900n, source: 'set', membersSum: 0n, gap: null }],
    ['rolled up, some members without one', null, [400n, null, 500n], { amount: 900n, source: 'rollup', membersSum: 900n, gap: null }],
    ['none: no member has a target', null, [null, null], { amount: null, source: 'none', membersSum: 0n, gap: null }],
    ['none: no members', null, [], { amount: null, source: 'none', membersSum: 0n, gap: null }],
  ] as const)('%s', (_name, handSet, members, expected) => {
    expect(teamTarget(handSet, members)).toEqual(expected);
  });
});

describe('parseRamp', () => {
  it.each([
    ['25, 50, 75', [25, 50, 75]],
    ['25% 50%', [25, 50]],
    ['25;50;75%', [25, 50, 75]],
    [' 10 ,  100 ', [10, 100]],
    ['12.5', [12.5]],
    ['', []],
    ['   ', []],
    [null, []],
  ])('reads %j as %j', (text, percents) => {
    expect(parseRamp(text)).toEqual({ ok: true, percents });
  });

  const error = 'Write the ramp as percentages from 1 to 100 for the first periods, like 25, 50, 75.';
  it.each([['0'], ['150'], ['100.5'], ['abc'], ['25,,x'], ['-25'], ['25%%'], ['1e2'], [Array.from({ length: 25 }, () => '10').join(', ')]])(
    'refuses %j',
    (text) => {
      expect(parseRamp(text)).toEqual({ ok: false, error });
    },
  );
});
