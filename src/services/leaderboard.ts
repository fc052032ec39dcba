// The leaderboard for a period (docs/rules.md#leaderboard): live totals and targets from SQL, ranking and pace
// from the pure domain, movement against the previous period.
import type { SalesTeam, Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { leaderboardWindow, movement, rankReps, type LeaderboardWindow, type Movement, type RankedRow } from '../domain/leaderboard.js';
import { measure, type Measure } from '../domain/pace.js';
import { localDate, periodAt, previousPeriod, type Period, type PeriodKind } from '../domain/periods.js';
import { isClosedPeriod } from '../domain/period-arg.js';
import { escapeSlackText, quoteInput } from '../domain/slack-text.js';
import { UserError } from '../errors.js';
import type { PeriodTarget } from '../domain/target-in-force.js';
import { leaderboardRows, type LeaderboardRow } from '../store/leaderboard.js';
import { periodTargets } from '../store/targets.js';
import type { Forecast } from '../domain/forecast.js';
import { forecastFor } from './insights.js';
import { findSalesTeamByName, salesTeamMemberIds, salesTeamsByName } from '../store/teams.js';
import { membershipDay } from '../domain/stints.js';
import { salesTeamTarget } from './targets.js';

export interface LeaderboardEntry {
  userId: string;
  actual: bigint;
  deals: bigint;
  target: bigint | null;
  /** Where the target comes from: the period's own, or summed from its months. */
  targetFrom?: PeriodTarget | null;
  measure: Measure | null;
  movement: Movement;
}

export interface Leaderboard {
  period: Period;
  salesTeam: SalesTeam | null;
  currency: string;
  ranked: Array<RankedRow<LeaderboardEntry>>;
  window: LeaderboardWindow<RankedRow<LeaderboardEntry>>;
  totals: { actual: bigint; target: bigint | null; deals: bigint };
  /** Projection of the team's (or company's) total to the end of a current period; null for a past one. */
  forecast: Forecast | null;
  /** The period is over: its numbers are final and carry no pace. */
  final: boolean;
}

export interface LeaderboardRequest {
  kind: PeriodKind;
  salesTeamName?: string | null | undefined;
  viewerId: string;
  top?: number;
  /** Rank a given period rather than the current one (e.g. last week in the digest). */
  period?: Period;
}

export async function buildLeaderboard(
  deps: Pick<Deps, 'db' | 'clock'>,
  workspace: Workspace,
  request: LeaderboardRequest,
): Promise<Leaderboard> {
  const { timezone: tz, fiscal_year_start_month: fy, team_id: teamId } = workspace;
  const now = deps.clock.now();
  const salesTeam = request.salesTeamName ? await requireSalesTeam(deps, teamId, request.salesTeamName) : null;
  const period = request.period ?? periodAt(request.kind, now, tz, fy);
  const previous = previousPeriod(period, tz, fy);
  const query = { teamId, salesTeamId: salesTeam?.id };
  const today = localDate(now, tz);
  // A team's targets are those of its members on the period's membership day (see stints.ts).
  const membersOf = (p: Period) =>
    salesTeam ? salesTeamMemberIds(deps.db, teamId, salesTeam.id, membershipDay(p, today)) : Promise.resolve(undefined);
  const [memberIds, previousMemberIds] = await Promise.all([membersOf(period), membersOf(previous)]);
  const [rows, previousRows] = await Promise.all([
    repRowsWithTargets(deps, teamId, period, memberIds, leaderboardRows(deps.db, { ...query, from: period.startDate, to: period.endDate })),
    repRowsWithTargets(
      deps,
      teamId,
      previous,
      previousMemberIds,
      leaderboardRows(deps.db, { ...query, from: previous.startDate, to: previous.endDate }),
    ),
  ]);
  const previousRanks = new Map(
    rankReps(
      previousRows.filter((r) => r.amount > 0n || r.target).map((r) => ({ userId: r.rep_id, actual: r.amount, target: r.target })),
    ).map((r) => [r.userId, r.rank]),
  );
  const ranked = rankReps(
    rows.map((r) => ({
      userId: r.rep_id,
      actual: r.amount,
      deals: r.deals,
      target: r.target,
      targetFrom: r.targetFrom,
      measure: r.target && r.target > 0n ? measure({ actual: r.amount, target: r.target, period, now, tz }) : null,
    })),
  ).map((r) => Object.assign(r, { movement: movement(r.rank, previousRanks.get(r.userId) ?? null) }));

  const withTarget = ranked.filter((r) => r.hasTarget);
  const scope = salesTeam ? { teamId, salesTeamId: salesTeam.id } : { teamId };
  // A team's board totals against the team's target (hand-set or its reps' sum), as /tally teams.
  const teamGoal = salesTeam ? await salesTeamTarget(deps, teamId, salesTeam.id, 'revenue', period, today) : null;
  const projected = request.period ? null : (await forecastFor(deps, workspace, scope, period.kind, 'revenue', period)).forecast;
  return {
    period,
    salesTeam,
    currency: workspace.currency,
    ranked,
    window: leaderboardWindow(ranked, request.viewerId, request.top ?? 10),
    totals: {
      actual: ranked.reduce((sum, r) => sum + r.actual, 0n),
      deals: ranked.reduce((sum, r) => sum + r.deals, 0n),
      target: teamGoal ? teamGoal.amount : withTarget.length > 0 ? withTarget.reduce((sum, r) => sum + r.target!, 0n) : null,
    },
    forecast: projected,
    final: isClosedPeriod(period, now),
  };
}

/** The leaderboard of any period: the current one as currentLeaderboard keeps it, a past one built afresh. */
export async function periodLeaderboard(
  deps: LeaderboardDeps,
  workspace: Workspace,
  request: { period: Period; salesTeamName?: string | null; viewerId: string },
): Promise<Leaderboard> {
  const { period, ...rest } = request;
  const current = periodAt(period.kind, deps.clock.now(), workspace.timezone, workspace.fiscal_year_start_month);
  if (current.key === period.key) return currentLeaderboard(deps, workspace, { ...rest, kind: period.kind });
  return buildLeaderboard(deps, workspace, { ...rest, kind: period.kind, period });
}

/** The reps' rows with each one's target for the period (own or derived); reps with only a target join. */
async function repRowsWithTargets(
  deps: Pick<Deps, 'db'>,
  teamId: string,
  period: Period,
  memberIds: readonly string[] | undefined,
  rows: Promise<LeaderboardRow[]>,
): Promise<Array<LeaderboardRow & { target: bigint | null; targetFrom: PeriodTarget | null }>> {
  const [actuals, targets] = await Promise.all([
    rows,
    periodTargets(deps.db, { teamId, subjectType: 'rep', metric: 'revenue' }, period, memberIds),
  ]);
  const withTargets = actuals.map((r) => {
    const target = targets.get(r.rep_id) ?? null;
    return { ...r, target: target?.amount ?? null, targetFrom: target };
  });
  const listed = new Set(actuals.map((r) => r.rep_id));
  for (const [repId, target] of targets) {
    if (!listed.has(repId)) withTargets.push({ rep_id: repId, amount: 0n, deals: 0n, target: target.amount, targetFrom: target });
  }
  return withTargets;
}

async function requireSalesTeam(deps: Pick<Deps, 'db'>, teamId: string, name: string): Promise<SalesTeam> {
  const team = await findSalesTeamByName(deps.db, teamId, name);
  if (team) return team;
  const teams = await salesTeamsByName(deps.db, teamId);
  const known =
    teams.length > 0
      ? ` Teams: ${teams.map((t) => `\`${escapeSlackText(t.name)}\``).join(', ')}.`
      : ' There are no teams yet: a manager can add one with `/tally teams add NAME`.';
  throw new UserError(`There is no team \`${quoteInput(name)}\`.${known}`);
}

// The current leaderboard of a workspace, shared by everyone who asks within the same second
// (/leaderboard and App Home): ranking every rep of a large workspace on each request would
// cost far more than answering it. A board is kept for at most a second of the clock and of
// real time, and forgotten at once when this process changes anything it counts (the sale,
// target, team, product, settings and import use cases call `forget`); a change made by
// another replica shows within a second.
const LEADERBOARD_TTL_MS = 1_000;

/** The current leaderboards of every workspace: made once by the composition root (src/tally.ts). */
export class LeaderboardCache {
  private readonly boards = new Map<string, { board: Promise<Leaderboard>; madeAt: number }>();

  /** The board kept under `key` if it is less than a second old, or the one `build` makes (kept). */
  board(key: string, build: () => Promise<Leaderboard>): Promise<Leaderboard> {
    const madeAt = performance.now();
    const entry = this.boards.get(key);
    if (entry && madeAt - entry.madeAt < LEADERBOARD_TTL_MS) return entry.board;
    for (const [k, old] of this.boards) if (madeAt - old.madeAt >= LEADERBOARD_TTL_MS) this.boards.delete(k);
    const made = { board: build(), madeAt };
    this.boards.set(key, made);
    made.board.catch(() => this.boards.get(key) === made && this.boards.delete(key));
    return made.board;
  }

  /** Forgets the workspace's current leaderboards: called by anything that may change them. */
  forget(teamId: string): void {
    for (const key of this.boards.keys()) if (key.startsWith(`${teamId}\n`)) this.boards.delete(key);
  }
}

export interface LeaderboardDeps extends Pick<Deps, 'db' | 'clock'> {
  caches: { leaderboards: LeaderboardCache };
}

/** The leaderboard of the current period, as buildLeaderboard gives it, from a board at most a second old. */
export async function currentLeaderboard(
  deps: LeaderboardDeps,
  workspace: Workspace,
  request: Omit<LeaderboardRequest, 'period'>,
): Promise<Leaderboard> {
  const top = request.top ?? 10;
  const second = Math.floor(deps.clock.now().getTime() / LEADERBOARD_TTL_MS);
  const { team_id: teamId, timezone, fiscal_year_start_month: fy, currency } = workspace;
  const key = `${teamId}\n${request.kind}\n${request.salesTeamName?.toLowerCase() ?? ''}\n${timezone}\n${fy}\n${currency}\n${second}`;
  const board = await deps.caches.leaderboards.board(key, () => buildLeaderboard(deps, workspace, { ...request, viewerId: '', top }));
  return { ...board, window: leaderboardWindow(board.ranked, request.viewerId, top) };
}
