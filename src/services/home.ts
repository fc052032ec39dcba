// What App Home shows a person, by role (README "App Home"):
// - a rep: their rank on this month's leaderboard and how it moved since last month (the same
//   ▲/▼ as /leaderboard), their targets with pace, their last sales and their teams' standing;
// - a manager: the teams they manage first (standing, board, reps behind pace), the products
//   needing attention, and their own numbers only when they have targets or sales;
// - an admin: what a manager sees for the whole workspace, plus the setup status.
// A manager never given a team acts on every rep (roles.ts), so sees the workspace as well.
import type { Role, Workspace } from '../db/schema.js';
import type { Actor } from './actor.js';
import { rankReps, type RankedRow } from '../domain/leaderboard.js';
import { measure, type Measure } from '../domain/pace.js';
import { localDate, periodAt, type Period } from '../domain/periods.js';
import { membershipDay } from '../domain/stints.js';
import { teamTarget, type TeamTarget } from '../domain/target-plan.js';
import { listSubscriptions } from '../store/digests.js';
import { salesTotalsByTeam } from '../store/leaderboard.js';
import { listProductNames } from '../store/products.js';
import { recentSalesOfRep, type SaleWithProduct } from '../store/sales.js';
import { countTargets, periodTargets } from '../store/targets.js';
import { hasTeamAssignments, managedTeamIdsOn, memberIdsByTeamOn, salesTeamsByName, teamsOfRepOn } from '../store/teams.js';
import { currentLeaderboard, type Leaderboard, type LeaderboardDeps, type LeaderboardEntry } from './leaderboard.js';
import { flaggedProducts, productAnalysis, type ProductRow } from './products.js';
import { repSnapshot, type RepSnapshot } from './progress.js';

/** Where the person stands on this month's leaderboard of the whole workspace (/leaderboard). */
export interface RepStanding {
  period: Period;
  /** Their row, with rank and movement since last month; null when they are not on the board. */
  entry: RankedRow<LeaderboardEntry> | null;
  /** How many reps the board ranks. */
  of: number;
}

/** A sales team on the team board: teams ranked by share of their month target, as reps are. */
export interface TeamStanding {
  team: { id: bigint; name: string };
  rank: number;
  of: number;
  amount: bigint;
  deals: bigint;
  target: TeamTarget;
  /** Null without a target. */
  measure: Measure | null;
}

/** A team a manager manages: its standing, its month board and its reps behind pace. */
export interface ManagedTeam {
  standing: TeamStanding;
  board: Leaderboard;
  behind: Array<RankedRow<LeaderboardEntry>>;
}

export interface ManagerHome {
  /** `teams`: the teams they manage today; `workspace`: every rep (admins, and managers never given a team). */
  scope: 'teams' | 'workspace';
  teams: ManagedTeam[];
  /** The workspace board (scope `workspace`). */
  board: Leaderboard | null;
  /** Reps behind pace: of the managed teams, or of the workspace. */
  behind: Array<RankedRow<LeaderboardEntry>>;
  /** Every team's standing (scope `workspace`). */
  standings: TeamStanding[];
  products: ProductRow[];
}

export interface DigestChannel {
  channelId: string;
  teamName: string | null;
  cadence: 'weekly' | 'daily';
  time: string;
  weekday: number;
}

/** What an admin still has to set up. */
export interface SetupStatus {
  digestChannels: DigestChannel[];
  teams: number;
  products: number;
  targets: bigint;
}

export interface HomeData {
  userId: string;
  role: Role;
  workspace: Workspace;
  snapshot: RepSnapshot;
  standing: RepStanding;
  recentSales: SaleWithProduct[];
  /** The teams the person is a member of today, on the team board. */
  myTeams: TeamStanding[];
  manager: ManagerHome | null;
  setup: SetupStatus | null;
}

/** Teams shown with their boards on a manager's Home; more are named with `/tally teams`. */
export const MAX_MANAGED_TEAMS = 5;

type HomeDeps = LeaderboardDeps;

export async function homeData(deps: HomeDeps, actor: Actor): Promise<HomeData> {
  const [role, workspace] = await Promise.all([actor.role(), actor.workspace()]);
  const { teamId, userId } = actor;
  const now = deps.clock.now();
  const today = localDate(now, workspace.timezone);
  const month = periodAt('month', now, workspace.timezone, workspace.fiscal_year_start_month);
  const [snapshot, recentSales, board, memberOf] = await Promise.all([
    repSnapshot(deps, workspace, userId),
    recentSalesOfRep(deps.db, teamId, userId, 10),
    currentLeaderboard(deps, workspace, { kind: 'month', viewerId: userId, top: 15 }),
    teamsOfRepOn(deps.db, teamId, userId, today),
  ]);
  const entry = board.ranked.find((r) => r.userId === userId) ?? null;
  const standing: RepStanding = { period: board.period, entry, of: board.ranked.length };

  const managed = role === 'rep' ? null : await managedScope(deps, teamId, userId, role, today);
  const needsStandings = memberOf.length > 0 || managed !== null;
  const standings = needsStandings ? await teamStandings(deps, workspace, month) : [];
  const myTeams = standings.filter((s) => memberOf.some((t) => t.id === s.team.id));

  let manager: ManagerHome | null = null;
  if (managed !== null) {
    const products = flaggedProducts(await productAnalysis(deps, workspace, now));
    if (managed === 'workspace') {
      manager = { scope: 'workspace', teams: [], board, behind: behindPace(board), standings, products };
    } else {
      const teams: ManagedTeam[] = [];
      for (const team of standings.filter((s) => managed.includes(s.team.id)).slice(0, MAX_MANAGED_TEAMS)) {
        const teamBoard = await currentLeaderboard(deps, workspace, {
          kind: 'month',
          salesTeamName: team.team.name,
          viewerId: userId,
          top: 10,
        });
        teams.push({ standing: team, board: teamBoard, behind: behindPace(teamBoard) });
      }
      const behind = new Map(teams.flatMap((t) => t.behind).map((r) => [r.userId, r]));
      manager = {
        scope: 'teams',
        teams,
        board: null,
        behind: [...behind.values()],
        standings: standings.filter((s) => managed.includes(s.team.id)),
        products,
      };
    }
  }
  const setup = role === 'admin' ? await setupStatus(deps, teamId) : null;
  return { userId, role, workspace, snapshot, standing, recentSales, myTeams, manager, setup };
}

/** The teams a manager manages today, or 'workspace' for admins and managers never given a team. */
async function managedScope(deps: HomeDeps, teamId: string, userId: string, role: Role, today: string): Promise<bigint[] | 'workspace'> {
  if (role === 'admin' || !(await hasTeamAssignments(deps.db, teamId, userId))) return 'workspace';
  return managedTeamIdsOn(deps.db, teamId, userId, today);
}

function behindPace(board: Leaderboard): Array<RankedRow<LeaderboardEntry>> {
  return board.ranked.filter((r) => r.measure?.status === 'behind');
}

/**
 * Every sales team's period against its target, ranked by share of target; teams without a
 * target follow by amount, as reps do on /leaderboard. The numbers are those of `/tally
 * teams` (a team's sales are its members' while members; its target is set by hand or the sum
 * of its members' on the period's membership day, see salesTeamTarget), read for every team
 * at once: five queries, however many teams.
 */
export async function teamStandings(deps: HomeDeps, workspace: Workspace, period: Period): Promise<TeamStanding[]> {
  const { team_id: teamId, timezone: tz } = workspace;
  const now = deps.clock.now();
  const day = membershipDay(period, localDate(now, tz));
  const [teams, totals, members, teamTargets, repTargets] = await Promise.all([
    salesTeamsByName(deps.db, teamId),
    salesTotalsByTeam(deps.db, teamId, period.startDate, period.endDate),
    memberIdsByTeamOn(deps.db, teamId, day),
    periodTargets(deps.db, { teamId, subjectType: 'team', metric: 'revenue' }, period),
    periodTargets(deps.db, { teamId, subjectType: 'rep', metric: 'revenue' }, period),
  ]);
  const totalOf = new Map(totals.map((t) => [t.sales_team_id, t]));
  const rows = teams.map((team) => {
    const memberTargets = (members.get(team.id) ?? []).map((id) => repTargets.get(id)?.amount ?? null);
    const target = teamTarget(teamTargets.get(String(team.id))?.amount ?? null, memberTargets);
    const amount = totalOf.get(team.id)?.amount ?? 0n;
    const measured =
      target.amount !== null && target.amount > 0n ? measure({ actual: amount, target: target.amount, period, now, tz }) : null;
    return {
      userId: String(team.id),
      team: { id: team.id, name: team.name },
      actual: amount,
      deals: totalOf.get(team.id)?.deals ?? 0n,
      target: target.amount,
      teamTarget: target,
      measure: measured,
    };
  });
  const ranked = rankReps(rows);
  return ranked.map((row) => ({
    team: row.team,
    rank: row.rank,
    of: ranked.length,
    amount: row.actual,
    deals: row.deals,
    target: row.teamTarget,
    measure: row.measure,
  }));
}

async function setupStatus(deps: HomeDeps, teamId: string): Promise<SetupStatus> {
  const [subscriptions, teams, products, targets] = await Promise.all([
    listSubscriptions(deps.db, teamId),
    salesTeamsByName(deps.db, teamId),
    listProductNames(deps.db, teamId),
    countTargets(deps.db, teamId),
  ]);
  return {
    digestChannels: subscriptions.map((s) => ({
      channelId: s.channel_id,
      teamName: s.sales_team_name,
      cadence: s.cadence,
      time: s.at_time,
      weekday: s.weekday,
    })),
    teams: teams.length,
    products: products.length,
    targets,
  };
}
