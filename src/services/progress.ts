// A rep's live totals and targets for the current periods: what the /logsale confirmation,
// /tally me and App Home show. Two queries, whatever the number of targets; none of its own
// when a sale is logged, whose statement reads them too (see logSale).
import type { Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { measure } from '../domain/pace.js';
import { localDate, periodAt, type Period, type PeriodKind } from '../domain/periods.js';
import { repTotals, type DateRange, type Totals } from '../store/sales.js';
import { periodTarget, targetWindows } from '../domain/target-in-force.js';
import { targetRows, type CandidateTarget, type TargetWindow } from '../store/targets.js';
import { FORECAST_HISTORY, forecastOf, metricOf, periodsBefore } from './insights.js';
import { currentPeriods, TARGET_KINDS, TARGET_METRICS, type TargetProgress } from './targets.js';

const LABELS: Record<PeriodKind, string> = { week: 'This week', month: 'This month', quarter: 'This quarter', year: 'This year' };

/** The totals a sale's confirmation shows. */
export const CONFIRMATION_TOTALS: readonly PeriodKind[] = ['week', 'month'];

/** A rep's total for one period, as a line of a reply reads it ("This week", the amount, the deals). */
export interface PeriodTotal {
  label: string;
  amountMinor: bigint;
  deals: bigint;
}

export interface RepSnapshot {
  /** Totals of the current week, month and quarter. */
  totals: PeriodTotal[];
  /** Each current target, measured. */
  progress: TargetProgress[];
}

/** What a snapshot reads, and how it is made from what was read. */
export interface SnapshotPlan {
  /** The windows of the rep's stored targets: the current periods, and the months of the quarter and year. */
  targetWindows: readonly TargetWindow[];
  /** The current periods, then the past periods each forecast blends in. */
  ranges: readonly DateRange[];
  build(targets: readonly CandidateTarget[], totals: readonly Totals[], totalKinds?: readonly PeriodKind[]): RepSnapshot;
}

interface SnapshotPeriods {
  periods: readonly Period[];
  history: ReadonlyArray<readonly Period[]>;
  ranges: readonly DateRange[];
  targetWindows: readonly TargetWindow[];
}

// The periods of a snapshot change once a day, and every sale asks for them: kept per day.
const knownPeriods = new Map<string, SnapshotPeriods>();
const MAX_KNOWN = 1_000;

function snapshotPeriods(workspace: Workspace, now: Date, withHistory: boolean): SnapshotPeriods {
  const { timezone: tz, fiscal_year_start_month: fy } = workspace;
  const key = `${tz} ${fy} ${localDate(now, tz)} ${withHistory}`;
  let known = knownPeriods.get(key);
  if (!known) {
    const periods = currentPeriods(workspace, now, TARGET_KINDS).map((p) => Object.freeze(p));
    // Each current period, then the past periods its forecast blends in: all in one query.
    const history = periods.map((p) =>
      withHistory ? periodsBefore(p, FORECAST_HISTORY[p.kind], tz, fy).map((h) => Object.freeze(h)) : [],
    );
    const ranges = [...periods, ...history.flat()].map((p) => ({ from: p.startDate, to: p.endDate }));
    const windows = periods.flatMap((p) => targetWindows(p));
    if (knownPeriods.size >= MAX_KNOWN) knownPeriods.clear();
    known = { periods, history, ranges, targetWindows: windows };
    knownPeriods.set(key, known);
  }
  return known;
}

/** `withHistory: false` reads the current periods only: no forecast history (an empty one). */
export function planSnapshot(workspace: Workspace, now: Date, withHistory = true): SnapshotPlan {
  const tz = workspace.timezone;
  const { periods, history, ranges, targetWindows } = snapshotPeriods(workspace, now, withHistory);
  const build: SnapshotPlan['build'] = (targets, totals, totalKinds = ['week', 'month', 'quarter']) => {
    const totalOf = (kind: PeriodKind) => totals[periods.findIndex((p) => p.kind === kind)]!;
    const historyOf = (kind: PeriodKind) => {
      const index = periods.findIndex((p) => p.kind === kind);
      const offset = periods.length + history.slice(0, index).reduce((sum, h) => sum + h.length, 0);
      return totals.slice(offset, offset + history[index]!.length);
    };
    const metrics = [...new Set(targets.map((t) => t.metric))];
    const progress = metrics
      .flatMap((metric) => {
        const rows = targets.filter((t) => t.metric === metric);
        return periods.flatMap((period): TargetProgress[] => {
          const target = periodTarget(rows, period);
          if (target.source === 'none') return [];
          const actual = metricOf(totalOf(period.kind), metric);
          const past = historyOf(period.kind).map((total) => metricOf(total, metric));
          return [
            {
              metric,
              period,
              target,
              measure: measure({ actual, target: target.amount, period, now, tz }),
              forecast: forecastOf(period, now, actual, past),
            },
          ];
        });
      })
      .sort((a, b) => TARGET_KINDS.indexOf(a.period.kind) - TARGET_KINDS.indexOf(b.period.kind) || a.metric.localeCompare(b.metric));
    return {
      totals: totalKinds.map((kind) => ({ label: LABELS[kind], amountMinor: totalOf(kind).amountMinor, deals: totalOf(kind).deals })),
      progress,
    };
  };
  return { targetWindows, ranges, build };
}

export async function repSnapshot(
  deps: Pick<Deps, 'db' | 'clock'>,
  workspace: Workspace,
  repId: string,
  totalKinds?: readonly PeriodKind[],
  withHistory = true,
): Promise<RepSnapshot> {
  const plan = planSnapshot(workspace, deps.clock.now(), withHistory);
  const [targets, totals] = await Promise.all([
    targetRows(deps.db, { teamId: workspace.team_id, subjectType: 'rep', subjectIds: [repId], windows: plan.targetWindows }),
    repTotals(deps.db, workspace.team_id, repId, plan.ranges),
  ]);
  return plan.build(targets, totals, totalKinds);
}

const KIND_NAMES: Record<PeriodKind, string> = { week: 'Week', month: 'Month', quarter: 'Quarter', year: 'Year' };

/**
 * A rep's numbers for one named period: for the current one, what repSnapshot gives for its
 * kind; for a past one, the period's total and the targets in force then, measured as final.
 */
export async function repPeriodSnapshot(
  deps: Pick<Deps, 'db' | 'clock'>,
  workspace: Workspace,
  repId: string,
  period: Period,
): Promise<RepSnapshot> {
  const now = deps.clock.now();
  const { timezone: tz, fiscal_year_start_month: fy, team_id: teamId } = workspace;
  if (periodAt(period.kind, now, tz, fy).key === period.key) {
    const snapshot = await repSnapshot(deps, workspace, repId, [period.kind]);
    return { totals: snapshot.totals, progress: snapshot.progress.filter((p) => p.period.kind === period.kind) };
  }
  const [rows, [totals]] = await Promise.all([
    targetRows(deps.db, { teamId, subjectType: 'rep', subjectIds: [repId], windows: targetWindows(period) }),
    repTotals(deps.db, teamId, repId, [{ from: period.startDate, to: period.endDate }]),
  ]);
  const progress = TARGET_METRICS.flatMap((metric): TargetProgress[] => {
    const target = periodTarget(
      rows.filter((row) => row.metric === metric),
      period,
    );
    if (target.amount === null) return [];
    const actual = metricOf(totals!, metric);
    return [
      {
        metric,
        period,
        target,
        measure: measure({ actual, target: target.amount, period, now, tz }),
        forecast: forecastOf(period, now, actual, []),
      },
    ];
  });
  return {
    totals: [{ label: `${KIND_NAMES[period.kind]} ${period.key}`, amountMinor: totals!.amountMinor, deals: totals!.deals }],
    progress,
  };
}
