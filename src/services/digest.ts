// What the digest says (docs/rules.md#digests): computed as of its slot, so a retried post says the same.
import type { DigestSubscription, SalesTeam, Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { dayjs } from '../domain/dayjs.js';
import type { Forecast } from '../domain/forecast.js';
import type { Measure } from '../domain/pace.js';
import { localDate, periodOfDate, previousPeriod, type Period } from '../domain/periods.js';
import type { TeamTarget } from '../domain/target-plan.js';
import { milestonesReachedBetween } from '../store/celebrations.js';
import { dailyTotals, dailyTotalsByTeam, salesTotal } from '../store/leaderboard.js';
import { targetsForPeriod } from '../store/targets.js';
import { findSalesTeam, salesTeamsByName } from '../store/teams.js';
import { buildLeaderboard, type Leaderboard } from './leaderboard.js';
import { flaggedProducts, productAnalysis, type ProductRow } from './products.js';
import { salesTeamProgress } from './targets.js';

const MAX_TEAMS = 8;

export interface TeamPeriodPace {
  target: TeamTarget;
  measure: Measure | null;
  amount: bigint;
  forecast: Forecast;
}

export interface TeamPace {
  name: string;
  month: TeamPeriodPace;
  quarter: TeamPeriodPace;
}

export interface ChartSeries {
  team: string;
  /** Cumulative sales per day of the month up to the slot's day; null after it. */
  cumulativeMinor: Array<bigint | null>;
  targetMinor: bigint | null;
}

export interface DigestData {
  workspace: Workspace;
  salesTeam: SalesTeam | null;
  slot: Date;
  week: Period;
  month: Period;
  weekTotal: bigint;
  weekDeals: bigint;
  weekTarget: bigint | null;
  /** The running week up to the slot's day, when the slot is not on its first day. */
  thisWeek: { period: Period; amount: bigint; deals: bigint } | null;
  weekBoard: Leaderboard;
  monthBoard: Leaderboard;
  teams: TeamPace[];
  moreTeams: number;
  topPerformer: { userId: string; amount: bigint } | null;
  products: ProductRow[];
  milestones: Array<{ repId: string; milestone: number; periodKind: string }>;
  chart: { days: string[]; series: ChartSeries[] };
}

export async function buildDigest(
  deps: Pick<Deps, 'db'>,
  workspace: Workspace,
  subscription: Pick<DigestSubscription, 'sales_team_id'>,
  slot: Date,
): Promise<DigestData> {
  const { timezone: tz, fiscal_year_start_month: fy, team_id: teamId } = workspace;
  const at = { db: deps.db, clock: { now: () => slot } };
  // "Last week" is the last complete week before the slot, in every block; a slot in the middle
  // of a week adds that week so far. The month and quarter are those of the day before the slot
  // (on the 1st, the month just ended).
  const today = localDate(slot, tz);
  const yesterday = dayjs.utc(today).subtract(1, 'day').format('YYYY-MM-DD');
  const running = periodOfDate('week', today, tz, fy);
  const week = previousPeriod(running, tz, fy);
  const month = periodOfDate('month', yesterday, tz, fy);
  const quarter = periodOfDate('quarter', yesterday, tz, fy);

  const salesTeam =
    subscription.sales_team_id === null ? null : ((await findSalesTeam(deps.db, teamId, subscription.sales_team_id)) ?? null);
  const scope = { salesTeamName: salesTeam?.name ?? null, viewerId: '' };
  const weekBoard = await buildLeaderboard(at, workspace, { ...scope, kind: 'week', period: week });
  const monthBoard = await buildLeaderboard(at, workspace, { ...scope, kind: 'month', period: month });

  const allTeams = salesTeam ? [salesTeam] : await salesTeamsByName(deps.db, teamId);
  const shownTeams = allTeams.slice(0, MAX_TEAMS);
  const teams: TeamPace[] = [];
  const pace = (teamId: bigint, period: Period): Promise<TeamPeriodPace> => salesTeamProgress(at, workspace, teamId, 'revenue', period);
  for (const team of shownTeams) {
    teams.push({ name: team.name, month: await pace(team.id, month), quarter: await pace(team.id, quarter) });
  }

  const weekTarget = salesTeam
    ? (await salesTeamProgress(at, workspace, salesTeam.id, 'revenue', week)).target.amount
    : ((await targetsForPeriod(deps.db, { teamId, subjectType: 'company', metric: 'revenue', periodKind: 'week' }, week.startDate, ['']))[0]
        ?.amount ?? weekBoard.totals.target);

  const top = weekBoard.ranked.filter((r) => r.actual > 0n).sort((a, b) => (b.actual > a.actual ? 1 : b.actual < a.actual ? -1 : 0))[0];
  const memberIds = salesTeam ? weekBoard.ranked.map((r) => r.userId) : undefined;
  const milestones = await milestonesReachedBetween(deps.db, teamId, week.start, week.end, memberIds);
  const thisWeek =
    today === running.startDate
      ? null
      : {
          period: running,
          ...(await salesTotal(deps.db, {
            teamId,
            from: running.startDate,
            to: dayjs.utc(today).add(1, 'day').format('YYYY-MM-DD'),
            repIds: memberIds,
          })),
        };

  return {
    workspace,
    salesTeam,
    slot,
    week,
    month,
    weekTotal: weekBoard.totals.actual,
    weekDeals: weekBoard.totals.deals,
    weekTarget,
    thisWeek,
    weekBoard,
    monthBoard,
    teams,
    moreTeams: allTeams.length - shownTeams.length,
    topPerformer: top ? { userId: top.userId, amount: top.actual } : null,
    products: salesTeam ? [] : flaggedProducts(await productAnalysis(deps, workspace, slot, { week, month })),
    milestones: milestones.map((m) => ({ repId: m.rep_id, milestone: m.milestone, periodKind: m.period_kind })),
    chart: await chartData(deps, workspace, month, yesterday, salesTeam ? [salesTeam] : shownTeams, teams),
  };
}

async function chartData(
  deps: Pick<Deps, 'db'>,
  workspace: Workspace,
  month: Period,
  lastDay: string,
  teams: ReadonlyArray<{ id: bigint; name: string }>,
  pace: readonly TeamPace[],
): Promise<DigestData['chart']> {
  const days: string[] = [];
  for (let d = dayjs.utc(month.startDate); d.format('YYYY-MM-DD') < month.endDate; d = d.add(1, 'day')) days.push(d.format('YYYY-MM-DD'));
  const cumulative = (byDay: Map<string, bigint>) => {
    let running = 0n;
    return days.map((day) => {
      if (day > lastDay) return null;
      running += byDay.get(day) ?? 0n;
      return running;
    });
  };
  if (teams.length === 0) {
    const rows = await dailyTotals(deps.db, workspace.team_id, month.startDate, month.endDate);
    return {
      days,
      series: [{ team: 'Company', cumulativeMinor: cumulative(new Map(rows.map((r) => [r.closed_on, r.amount]))), targetMinor: null }],
    };
  }
  const rows = await dailyTotalsByTeam(
    deps.db,
    workspace.team_id,
    month.startDate,
    month.endDate,
    teams.map((t) => t.id),
  );
  return {
    days,
    series: teams.map((team, i) => ({
      team: team.name,
      cumulativeMinor: cumulative(new Map(rows.filter((r) => r.sales_team_id === team.id).map((r) => [r.closed_on, r.amount]))),
      targetMinor: pace[i]?.month.target.amount ?? null,
    })),
  };
}
