// Turning what a manager enters into stored target rows, and rolling team targets up from
// their members. Pure.
//
// A stored row is one amount for a run of consecutive periods [firstStart, lastStart]
// (lastStart null: repeats until changed). The newest row that covers a period is that
// period's target, so a change from period P on never touches the periods before P.
import { nextPeriod, type Period } from './periods.js';

export interface PlanRow {
  firstStart: string;
  lastStart: string | null;
  amount: bigint;
}

export interface PlanInput {
  first: Period;
  /** One amount, or one per period from `first` on (a seasonal plan). */
  amounts: readonly bigint[];
  /** Percentages of the amount for the first periods of a new rep, e.g. [25, 50, 75]. */
  rampPercents: readonly number[];
  /** Repeat the (full) amount each period until changed. */
  repeat: boolean;
  /** The last period it applies to, when it does not repeat forever. */
  last: Period | null;
}

export type PlanResult = { ok: true; rows: PlanRow[] } | { ok: false; field: 'amount' | 'ramp' | 'last_period'; error: string };

export function planRows(input: PlanInput, tz: string, fyStartMonth: number): PlanResult {
  const { first, amounts, rampPercents, repeat, last } = input;
  if (amounts.length === 0) return { ok: false, field: 'amount', error: 'Enter an amount, like 50000 or 50k.' };
  if (last && last.startDate < first.startDate) {
    return { ok: false, field: 'last_period', error: `The last period (${last.key}) is before the first (${first.key}).` };
  }
  if (amounts.length > 1 && rampPercents.length > 0) {
    return { ok: false, field: 'ramp', error: 'A ramp applies to one amount; a seasonal plan already gives each period its own.' };
  }
  const next = (p: Period) => nextPeriod(p, tz, fyStartMonth);
  const rows: PlanRow[] = [];
  let period = first;

  if (amounts.length > 1) {
    if (last) return { ok: false, field: 'last_period', error: 'A seasonal plan ends with its last amount: leave the last period empty.' };
    for (const amount of amounts) {
      rows.push({ firstStart: period.startDate, lastStart: period.startDate, amount });
      period = next(period);
    }
    return { ok: true, rows };
  }

  const amount = amounts[0]!;
  for (const percent of rampPercents) {
    if (last && period.startDate > last.startDate) return { ok: true, rows };
    rows.push({ firstStart: period.startDate, lastStart: period.startDate, amount: percentOf(amount, percent) });
    period = next(period);
  }
  if (last && period.startDate > last.startDate) return { ok: true, rows };
  const lastStart = last ? last.startDate : repeat ? null : period.startDate;
  rows.push({ firstStart: period.startDate, lastStart, amount });
  return { ok: true, rows };
}

/** amount x percent / 100, rounded half up to the unit. */
export function percentOf(amount: bigint, percent: number): bigint {
  const scaled = amount * BigInt(Math.round(percent * 100));
  return (scaled + 5000n) / 10000n;
}

export interface TeamTarget {
  /** The team's target: set by hand, else the sum of its members' targets; null when neither. */
  amount: bigint | null;
  source: 'set' | 'rollup' | 'none';
  /** Sum of the members' targets (0 when none has one). */
  membersSum: bigint;
  /** Hand-set minus the members' sum, when set by hand and members have targets. */
  gap: bigint | null;
  /** How a quarter or year target was derived from monthly targets ("from monthly targets"); empty otherwise. */
  derived?: string;
}

export function teamTarget(handSet: bigint | null, memberTargets: readonly (bigint | null)[]): TeamTarget {
  const withTarget = memberTargets.filter((t): t is bigint => t !== null);
  const membersSum = withTarget.reduce((sum, t) => sum + t, 0n);
  if (handSet !== null) {
    return { amount: handSet, source: 'set', membersSum, gap: withTarget.length > 0 ? handSet - membersSum : null };
  }
  if (withTarget.length > 0) return { amount: membersSum, source: 'rollup', membersSum, gap: null };
  return { amount: null, source: 'none', membersSum, gap: null };
}

/** Reads a ramp like "25, 50, 75" or "25% 50% 75%": each 1-100. */
export function parseRamp(text: string | null): { ok: true; percents: number[] } | { ok: false; error: string } {
  if (!text || text.trim() === '') return { ok: true, percents: [] };
  const parts = text
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map((p) => p.replace(/%$/, ''));
  const percents = parts.map(Number);
  if (parts.length > 24 || percents.some((p, i) => !/^\d+(\.\d+)?$/.test(parts[i]!) || p < 1 || p > 100)) {
    return { ok: false, error: 'Write the ramp as percentages from 1 to 100 for the first periods, like 25, 50, 75.' };
  }
  return { ok: true, percents };
}
