// Product analysis (docs/rules.md#digests): each product's month so far against its monthly target's
// expected-to-date, and its last complete week against its trailing 8-week average.
import type { Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { expectedToDate } from '../domain/pace.js';
import { durationMs, elapsedMs, periodAt, previousPeriod, type Period } from '../domain/periods.js';
import { averageOf, productFlags, type ProductFlags } from '../domain/product-flags.js';
import { productFigures } from '../store/leaderboard.js';
import { targetsForPeriod } from '../store/targets.js';

export const TRAILING_WEEKS = 8;

export interface ProductRow {
  id: bigint;
  name: string;
  monthActual: bigint;
  monthTarget: bigint | null;
  /** What the month target expects by now; null without a target. */
  expected: bigint | null;
  lastWeek: bigint;
  /** Average week over the 8 weeks before last week; null without sales then. */
  trailingAverage: bigint | null;
  flags: ProductFlags;
}

export interface ProductAnalysis {
  month: Period;
  week: Period;
  rows: ProductRow[];
}

/** `periods`: the month and the complete week to look at (default: the current month and last week). */
export async function productAnalysis(
  deps: Pick<Deps, 'db'>,
  workspace: Workspace,
  now: Date,
  periods?: { week: Period; month: Period },
): Promise<ProductAnalysis> {
  const { timezone: tz, fiscal_year_start_month: fy, team_id: teamId } = workspace;
  const month = periods?.month ?? periodAt('month', now, tz, fy);
  const week = periods?.week ?? previousPeriod(periodAt('week', now, tz, fy), tz, fy);
  let trailingFirst = week;
  for (let i = 0; i < TRAILING_WEEKS; i++) trailingFirst = previousPeriod(trailingFirst, tz, fy);
  const [figures, targets] = await Promise.all([
    productFigures(deps.db, {
      teamId,
      weekFrom: week.startDate,
      weekTo: week.endDate,
      trailingFrom: trailingFirst.startDate,
      monthFrom: month.startDate,
      monthTo: month.endDate,
    }),
    targetsForPeriod(deps.db, { teamId, subjectType: 'product', metric: 'revenue', periodKind: 'month' }, month.startDate),
  ]);
  const targetOf = new Map(targets.map((t) => [t.subject_id, t.amount]));
  const elapsed = BigInt(elapsedMs(month, now));
  const total = BigInt(durationMs(month));
  const rows = figures.map((p): ProductRow => {
    const monthTarget = targetOf.get(String(p.id)) ?? null;
    const expected = monthTarget === null ? null : expectedToDate(monthTarget, elapsed, total);
    const trailingAverage = p.has_history ? averageOf(p.trailing, TRAILING_WEEKS) : null;
    return {
      id: p.id,
      name: p.name,
      monthActual: p.month,
      monthTarget,
      expected,
      lastWeek: p.week,
      trailingAverage,
      flags: productFlags({ periodActual: p.month, expected, weekActual: p.week, trailingAverage }),
    };
  });
  return { month, week, rows };
}

export function flaggedProducts(analysis: ProductAnalysis): ProductRow[] {
  return analysis.rows.filter((row) => row.flags.belowTarget || row.flags.belowTrend);
}
