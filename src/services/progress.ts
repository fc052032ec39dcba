// A rep's live totals and targets for the current periods: what the /logsale confirmation,
// /tally me and App Home show. Two queries, whatever the number of targets.
import type { Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { measure } from '../domain/pace.js';
import type { PeriodKind } from '../domain/periods.js';
import { repTotals } from '../store/sales.js';
import { subjectTargetsAt } from '../store/targets.js';
import type { PeriodTotal } from '../slack/views/sale-messages.js';
import { FORECAST_HISTORY, forecastOf, metricOf, periodsBefore } from './insights.js';
import { currentPeriods, TARGET_KINDS, type TargetProgress } from './targets.js';

const LABELS: Record<PeriodKind, string> = { week: 'This week', month: 'This month', quarter: 'This quarter', year: 'This year' };

export interface RepSnapshot {
  /** Totals of the current week, month and quarter. */
  totals: PeriodTotal[];
  /** Each current target, measured. */
  progress: TargetProgress[];
}

export async function repSnapshot(deps: Pick<Deps, 'db' | 'clock'>, workspace: Workspace, repId: string, totalKinds: readonly PeriodKind[] = ['week', 'month', 'quarter']): Promise<RepSnapshot> {
  const now = deps.clock.now();
  const { timezone: tz, fiscal_year_start_month: fy } = workspace;
  const periods = currentPeriods(workspace, now, TARGET_KINDS);
  // Each current period, then the past periods its forecast blends in: all in one query.
  const history = periods.map((p) => periodsBefore(p, FORECAST_HISTORY[p.kind], tz, fy));
  const ranges = [...periods, ...history.flat()].map((p) => ({ from: p.startDate, to: p.endDate }));
  const [targets, totals] = await Promise.all([
    subjectTargetsAt(deps.db, workspace.team_id, 'rep', repId, periods.map((p) => ({ kind: p.kind, start: p.startDate }))),
    repTotals(deps.db, workspace.team_id, repId, ranges),
  ]);
  const totalOf = (kind: PeriodKind) => totals[periods.findIndex((p) => p.kind === kind)]!;
  const historyOf = (kind: PeriodKind) => {
    const index = periods.findIndex((p) => p.kind === kind);
    const offset = periods.length + history.slice(0, index).reduce((sum, h) => sum + h.length, 0);
    return totals.slice(offset, offset + history[index]!.length);
  };
  const progress = targets
    .map((t): TargetProgress => {
      const period = periods.find((p) => p.kind === t.period_kind)!;
      const actual = metricOf(totalOf(period.kind), t.metric);
      const past = historyOf(period.kind).map((total) => metricOf(total, t.metric));
      return {
        metric: t.metric,
        period,
        measure: measure({ actual, target: t.amount, period, now, tz }),
        forecast: forecastOf(period, now, actual, past),
      };
    })
    .sort((a, b) => TARGET_KINDS.indexOf(a.period.kind) - TARGET_KINDS.indexOf(b.period.kind) || a.metric.localeCompare(b.metric));
  return {
    totals: totalKinds.map((kind) => ({ label: LABELS[kind], amountMinor: totalOf(kind).amountMinor, deals: totalOf(kind).deals })),
    progress,
  };
}
