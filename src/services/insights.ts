// Forecasts and suggested targets (docs/rules.md#projection, #suggested-targets) for any subject: a rep, a sales team, a product or
// the company. The maths is in src/domain (forecast.ts, suggestion.ts); this gathers history.
import type { TargetMetric, TargetSubject, Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { forecast, type Forecast } from '../domain/forecast.js';
import { durationMs, elapsedMs, periodAt, previousPeriod, type Period, type PeriodKind } from '../domain/periods.js';
import { suggestTarget, type Suggestion } from '../domain/suggestion.js';
import { totalsByRanges, type Totals, type TotalsScope } from '../store/sales.js';

/** How many comparable past periods a forecast blends in. */
export const FORECAST_HISTORY: Record<PeriodKind, number> = { week: 8, month: 6, quarter: 4, year: 3 };
/** How many past periods a suggestion looks at (two years where there is a season to see). */
const SUGGESTION_HISTORY: Record<PeriodKind, number> = { week: 26, month: 24, quarter: 12, year: 5 };
const PERIODS_PER_YEAR: Record<PeriodKind, number> = { week: 52, month: 12, quarter: 4, year: 1 };

/** The `count` periods before `period`, oldest first. */
export function periodsBefore(period: Period, count: number, tz: string, fy: number): Period[] {
  const periods: Period[] = [];
  let p = period;
  for (let i = 0; i < count; i++) {
    p = previousPeriod(p, tz, fy);
    periods.unshift(p);
  }
  return periods;
}

export function metricOf(totals: Totals, metric: TargetMetric): bigint {
  return metric === 'revenue' ? totals.amountMinor : totals.deals;
}

/** Past totals from the subject's first sale on: the periods before it are no history. */
export function historyFrom(totals: readonly bigint[]): bigint[] {
  const first = totals.findIndex((t) => t > 0n);
  return first === -1 ? [] : totals.slice(first);
}

/** The forecast of `period` from the sales so far and the comparable past periods. */
export function forecastOf(period: Period, now: Date, actual: bigint, history: readonly bigint[]): Forecast {
  return forecast({
    actual,
    elapsedMs: BigInt(elapsedMs(period, now)),
    totalMs: BigInt(durationMs(period)),
    history: historyFrom(history),
  });
}

/** Projection to the end of the current period of `kind` for a subject's sales. */
export async function forecastFor(
  deps: Pick<Deps, 'db' | 'clock'>,
  workspace: Workspace,
  scope: TotalsScope,
  kind: PeriodKind,
  metric: TargetMetric,
  of?: Period,
): Promise<{ period: Period; forecast: Forecast }> {
  const { timezone: tz, fiscal_year_start_month: fy } = workspace;
  const now = deps.clock.now();
  const period = of ?? periodAt(kind, now, tz, fy);
  const past = periodsBefore(period, FORECAST_HISTORY[kind], tz, fy);
  const totals = await totalsByRanges(
    deps.db,
    scope,
    [...past, period].map((p) => ({ from: p.startDate, to: p.endDate })),
  );
  const values = totals.map((t) => metricOf(t, metric));
  return { period, forecast: forecastOf(period, now, values.at(-1)!, values.slice(0, -1)) };
}

export interface SuggestionRequest {
  subjectType: TargetSubject;
  subjectId: string;
  metric: TargetMetric;
  periodKind: PeriodKind;
}

/** A suggested target for the next period of `periodKind`, from the subject's complete past periods. */
export async function suggestionFor(
  deps: Pick<Deps, 'db' | 'clock'>,
  workspace: Workspace,
  request: SuggestionRequest,
): Promise<Suggestion> {
  const { timezone: tz, fiscal_year_start_month: fy, team_id: teamId } = workspace;
  const current = periodAt(request.periodKind, deps.clock.now(), tz, fy);
  const past = periodsBefore(current, SUGGESTION_HISTORY[request.periodKind], tz, fy);
  const scope = scopeOf(teamId, request.subjectType, request.subjectId);
  const totals = await totalsByRanges(
    deps.db,
    scope,
    past.map((p) => ({ from: p.startDate, to: p.endDate })),
  );
  const values = totals.map((t) => metricOf(t, request.metric));
  const first = values.findIndex((v) => v > 0n);
  const history = first === -1 ? [] : past.slice(first).map((p, i) => ({ key: p.key, total: values[first + i]! }));
  return suggestTarget({
    history,
    periodsPerYear: PERIODS_PER_YEAR[request.periodKind],
    metric: request.metric,
    currency: workspace.currency,
  });
}

export function scopeOf(teamId: string, subjectType: TargetSubject, subjectId: string): TotalsScope {
  switch (subjectType) {
    case 'rep':
      return { teamId, repId: subjectId };
    case 'team':
      return /^\d{1,18}$/.test(subjectId) ? { teamId, salesTeamId: BigInt(subjectId) } : { teamId, repIds: [] };
    case 'product':
      return { teamId, productId: /^\d{1,18}$/.test(subjectId) ? BigInt(subjectId) : -1n };
    case 'company':
      return { teamId };
  }
}
