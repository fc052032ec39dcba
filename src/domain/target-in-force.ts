// Which target is in force for a period, and the targets derived from others. Pure: the
// store hands over every stored row that may apply (see targetRowsQuery), and every
// surface asks this module which one does.
//
// - A stored row is one amount for a run of periods [first_period_start, last_period_start]
//   (last null: until changed). The target in force for a period is the newest row (highest
//   id) of that period kind covering the period's start, so a change from period P on never
//   touches the periods before P.
// - A quarter or year without a row of its own has the sum of its months' targets in force,
//   with how many of its months have one ("2 of 3 months set"). Weeks and months are never
//   derived.
// - A sales team without a target of its own (or derived from its own monthly targets) has
//   the sum of its members' targets: see teamTarget in target-plan.ts.
import { dayjs } from './dayjs.js';
import type { PeriodKind } from './periods.js';

export interface StoredTargetRow {
  id: bigint;
  period_kind: PeriodKind;
  first_period_start: string;
  last_period_start: string | null;
  amount: bigint;
}

/** The period a target is asked for: its kind and local dates [startDate, endDate). */
export interface TargetPeriod {
  kind: PeriodKind;
  startDate: string;
  endDate: string;
}

export type PeriodTarget =
  | { source: 'own'; amount: bigint }
  /** Summed from the targets of `monthsSet` of the period's `months` months. */
  | { source: 'months'; amount: bigint; monthsSet: number; months: number }
  | { source: 'none'; amount: null };

/** The row in force for the period of `kind` starting on `periodStart`, or null. */
export function rowInForce<T extends StoredTargetRow>(rows: readonly T[], kind: PeriodKind, periodStart: string): T | null {
  let best: T | null = null;
  for (const row of rows) {
    if (row.period_kind !== kind || row.first_period_start > periodStart) continue;
    if (row.last_period_start !== null && row.last_period_start < periodStart) continue;
    if (best === null || row.id > best.id) best = row;
  }
  return best;
}

/** The first day of each month in [startDate, endDate): the months of a quarter or a year. */
export function monthStarts(period: Pick<TargetPeriod, 'startDate' | 'endDate'>): string[] {
  const starts: string[] = [];
  for (
    let month = dayjs.utc(period.startDate).startOf('month');
    month.format('YYYY-MM-DD') < period.endDate;
    month = month.add(1, 'month')
  ) {
    const start = month.format('YYYY-MM-DD');
    if (start >= period.startDate) starts.push(start);
  }
  return starts;
}

/** The target of one subject for a period: its own, derived from its months, or none. */
export function periodTarget(rows: readonly StoredTargetRow[], period: TargetPeriod): PeriodTarget {
  const own = rowInForce(rows, period.kind, period.startDate);
  if (own) return { source: 'own', amount: own.amount };
  if (period.kind !== 'quarter' && period.kind !== 'year') return { source: 'none', amount: null };
  const months = monthStarts(period);
  let amount = 0n;
  let monthsSet = 0;
  for (const start of months) {
    const row = rowInForce(rows, 'month', start);
    if (!row) continue;
    amount += row.amount;
    monthsSet++;
  }
  return monthsSet === 0 ? { source: 'none', amount: null } : { source: 'months', amount, monthsSet, months: months.length };
}

/**
 * The windows of stored rows a period's target may come from: rows of its own kind covering
 * its start, and for a quarter or year, month rows covering any of its months.
 */
export function targetWindows(period: TargetPeriod): Array<{ kind: PeriodKind; from: string; to: string }> {
  const own = { kind: period.kind, from: period.startDate, to: period.endDate };
  return period.kind === 'quarter' || period.kind === 'year' ? [own, { kind: 'month', from: period.startDate, to: period.endDate }] : [own];
}

/** "from monthly targets", "from monthly targets, 2 of 3 months set"; empty for an own target. */
export function derivedTargetLabel(target: PeriodTarget): string {
  if (target.source !== 'months') return '';
  return target.monthsSet === target.months
    ? 'from monthly targets'
    : `from monthly targets, ${target.monthsSet} of ${target.months} months set`;
}
