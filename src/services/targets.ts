// Setting targets and measuring progress against them (docs/rules.md#targets).
import type { SlackDirectory } from './slack-directory.js';
import type { TargetMetric, TargetPeriodKind, TargetSubject, Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import type { Forecast } from '../domain/forecast.js';
import type { Suggestion } from '../domain/suggestion.js';
import { measure, type Measure } from '../domain/pace.js';
import { localDate, periodAt, periodOfDate, type Period, type PeriodKind } from '../domain/periods.js';
import { derivedTargetLabel, type PeriodTarget } from '../domain/target-in-force.js';
import { escapeSlackText } from '../domain/slack-text.js';
import { membershipDay } from '../domain/stints.js';
import { planRows, teamTarget, type PlanRow, type TeamTarget } from '../domain/target-plan.js';
import { UserError } from '../errors.js';
import { insertAudit } from '../store/audit.js';
import { salesTotal } from '../store/leaderboard.js';
import { insertTargets, periodTargets, targetsForPeriod } from '../store/targets.js';
import { findProduct, listProducts } from '../store/products.js';
import { findSalesTeam, salesTeamMemberIds, salesTeamsByName } from '../store/teams.js';
import { forecastFor, suggestionFor } from './insights.js';
import { requireManager, type Actor } from './actor.js';
import type { ServiceDeps } from './deps.js';

export const TARGET_KINDS: readonly PeriodKind[] = ['week', 'month', 'quarter', 'year'];
/** The metrics a target measures, in the order progress lists them. */
export const TARGET_METRICS = ['deals', 'revenue'] as const;

export interface SetTargetRequest {
  subjectType: TargetSubject;
  subjectId: string;
  metric: TargetMetric;
  periodKind: TargetPeriodKind;
  rows: readonly PlanRow[];
}

/** A target plan as the Set target form gives it: the periods are still dates in them. */
export interface TargetPlanRequest {
  subjectType: TargetSubject;
  /** User id, sales team id, product id, or '' for the company. */
  subjectId: string;
  metric: TargetMetric;
  periodKind: TargetPeriodKind;
  firstDate: string;
  lastDate: string | null;
  amounts: readonly bigint[];
  rampPercents: readonly number[];
  repeat: boolean;
}

/** The plan as stored, or the form field that is wrong and what to enter instead (nothing stored). */
export type TargetPlanOutcome =
  | { ok: true; rows: PlanRow[] }
  | { ok: false; field: 'team' | 'product' | 'amount' | 'ramp' | 'last_period'; error: string };

/**
 * Sets a target plan for an actor: the team or product must be one of this workspace's (a
 * submission can be crafted), the plan is laid out over the workspace's periods, then stored
 * as setTargets does (managers and admins, for the subjects they may act on).
 */
export async function setTargetPlan(
  deps: ServiceDeps,
  client: SlackDirectory,
  actor: Actor,
  request: TargetPlanRequest,
): Promise<TargetPlanOutcome> {
  const { teamId } = actor;
  const { subjectType, subjectId } = request;
  if (subjectType === 'team' && !(await findSalesTeam(deps.db, teamId, BigInt(subjectId))))
    return { ok: false, field: 'team', error: 'Pick a team from the list.' };
  if (subjectType === 'product' && !(await findProduct(deps.db, teamId, BigInt(subjectId))))
    return { ok: false, field: 'product', error: 'Pick a product from the list.' };

  const { timezone: tz, fiscal_year_start_month: fy } = await actor.workspace();
  const plan = planRows(
    {
      first: periodOfDate(request.periodKind, request.firstDate, tz, fy),
      last: request.lastDate ? periodOfDate(request.periodKind, request.lastDate, tz, fy) : null,
      amounts: request.amounts,
      rampPercents: request.rampPercents,
      repeat: request.repeat,
    },
    tz,
    fy,
  );
  if (!plan.ok) return plan;

  await setTargets(deps, client, actor, {
    subjectType,
    subjectId,
    metric: request.metric,
    periodKind: request.periodKind,
    rows: plan.rows,
  });
  return plan;
}

/** Stores a target plan; every earlier period keeps the target it had. Managers and admins only. */
export async function setTargets(deps: ServiceDeps, client: SlackDirectory, actor: Actor, request: SetTargetRequest): Promise<void> {
  await requireManager(actor, 'set targets');
  if (request.subjectType === 'rep') await deps.roles.requireMember(client, actor.teamId, request.subjectId);
  await requireTargetScope(deps, actor, request);
  const firstStart = request.rows[0]?.firstStart;
  if (!firstStart) throw new UserError('Enter an amount, like 50000 or 50k.', 'amount');
  const key = { teamId: actor.teamId, subjectType: request.subjectType, metric: request.metric, periodKind: request.periodKind };
  const [before] = await targetsForPeriod(deps.db, key, firstStart, [request.subjectId]);
  await deps.db.transaction().execute(async (trx) => {
    const inserted = await insertTargets(
      trx,
      request.rows.map((row) => ({
        team_id: actor.teamId,
        subject_type: request.subjectType,
        subject_id: request.subjectId,
        metric: request.metric,
        period_kind: request.periodKind,
        first_period_start: row.firstStart,
        last_period_start: row.lastStart,
        amount: row.amount,
        created_by: actor.userId,
        created_at: deps.clock.now(),
      })),
    );
    await insertAudit(trx, {
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'target.set',
      entityType: 'target',
      entityId: `${request.subjectType}:${request.subjectId}:${request.metric}:${request.periodKind}`,
      before: before ?? null,
      after: inserted,
      at: deps.clock.now(),
    });
  });
  deps.caches.leaderboards.forget(actor.teamId);
}

/** A manager sets targets for the reps of the teams they manage and for those teams (today); admins for everyone. */
async function requireTargetScope(deps: ServiceDeps, actor: Actor, request: SetTargetRequest): Promise<void> {
  if (request.subjectType !== 'rep' && request.subjectType !== 'team') return;
  const workspace = await actor.workspace();
  const today = localDate(actor.now, workspace.timezone);
  if (request.subjectType === 'rep') {
    await deps.roles.requireActorActOn(actor, request.subjectId, today, "set someone else's targets");
    return;
  }
  const team = /^\d{1,18}$/.test(request.subjectId) ? await findSalesTeam(deps.db, actor.teamId, BigInt(request.subjectId)) : undefined;
  if (!team) throw new UserError('Pick a team from the list.', 'subject');
  await deps.roles.requireTeamManager(actor, team, today, `set the targets of *${escapeSlackText(team.name)}*`);
}

export interface TargetProgress {
  metric: TargetMetric;
  period: Period;
  /** The target measured against: the period's own, or derived from its months. */
  target: PeriodTarget & { amount: bigint };
  measure: Measure;
  forecast: Forecast;
}

export function currentPeriods(workspace: Workspace, now: Date, kinds: readonly PeriodKind[] = TARGET_KINDS): Period[] {
  return kinds.map((kind) => periodAt(kind, now, workspace.timezone, workspace.fiscal_year_start_month));
}

/**
 * A sales team's target for a period: set by hand (or derived from the team's own monthly
 * targets), else rolled up from the targets of its members on the period's membership day
 * (today while it runs, its last day once over), each its own or derived from months.
 */
export async function salesTeamTarget(
  deps: Pick<Deps, 'db'>,
  teamId: string,
  salesTeamId: bigint,
  metric: TargetMetric,
  period: Period,
  today: string,
): Promise<TeamTarget & { memberIds: string[] }> {
  const memberIds = await salesTeamMemberIds(deps.db, teamId, salesTeamId, membershipDay(period, today));
  const [handSet, memberTargets] = await Promise.all([
    periodTargets(deps.db, { teamId, subjectType: 'team', metric }, period, [String(salesTeamId)]).then((targets) =>
      targets.get(String(salesTeamId)),
    ),
    periodTargets(deps.db, { teamId, subjectType: 'rep', metric }, period, memberIds),
  ]);
  const members = [...memberTargets.values()];
  const target = teamTarget(
    handSet?.amount ?? null,
    members.map((t) => t.amount),
  );
  const derived = handSet
    ? derivedTargetLabel(handSet)
    : members.some((t) => t.source === 'months')
      ? members.every((t) => t.source === 'months' && t.monthsSet === t.months)
        ? 'from monthly targets'
        : 'from monthly targets, not every month set'
      : '';
  return { ...target, ...(derived ? { derived } : {}), memberIds };
}

export interface SalesTeamProgress {
  target: TeamTarget & { memberIds: string[] };
  measure: Measure | null;
  amount: bigint;
  deals: bigint;
  /** Projection to the end of the period: the same forecast every surface shows. */
  forecast: Forecast;
}

/** A sales team's progress against its target for a period, with its projection. */
export async function salesTeamProgress(
  deps: Pick<Deps, 'db' | 'clock'>,
  workspace: Workspace,
  salesTeamId: bigint,
  metric: TargetMetric,
  period: Period,
): Promise<SalesTeamProgress> {
  const target = await salesTeamTarget(
    deps,
    workspace.team_id,
    salesTeamId,
    metric,
    period,
    localDate(deps.clock.now(), workspace.timezone),
  );
  // The team's sales: each member's while they were a member (see stints.ts).
  const scope = { teamId: workspace.team_id, salesTeamId };
  const [totals, projected] = await Promise.all([
    salesTotal(deps.db, { teamId: workspace.team_id, from: period.startDate, to: period.endDate, salesTeamId }),
    forecastFor(deps, workspace, scope, period.kind, metric, period),
  ]);
  const actual = metric === 'revenue' ? totals.amount : totals.deals;
  const measured =
    target.amount === null || target.amount === 0n
      ? null
      : measure({ actual, target: target.amount, period, now: deps.clock.now(), tz: workspace.timezone });
  return { target, measure: measured, ...totals, forecast: projected.forecast };
}

export interface TargetSelection {
  subjectType: TargetSubject;
  /** Null while nothing is picked yet. */
  subjectId: string | null;
  metric: TargetMetric;
  periodKind: TargetPeriodKind;
}

export interface CurrentTarget {
  selection: TargetSelection;
  period: Period;
  /** The target set for this subject for the current period, if any. */
  amount: bigint | null;
  /** First period start of the row in force, and whether it repeats. */
  since: string | null;
  repeats: boolean;
  /** For a team: how its target rolls up from its reps. */
  team: TeamTarget | null;
  /** A target suggested from the subject's history, or why there is none; null until picked. */
  suggestion: Suggestion | null;
}

/** What the chosen subject's target is for the current period: shown in the Set target modal. */
export async function currentTarget(
  deps: Pick<Deps, 'db' | 'clock'>,
  workspace: Workspace,
  selection: TargetSelection,
): Promise<CurrentTarget> {
  const period = periodAt(selection.periodKind, deps.clock.now(), workspace.timezone, workspace.fiscal_year_start_month);
  if (selection.subjectId === null) return { selection, period, amount: null, since: null, repeats: false, team: null, suggestion: null };
  const suggestion = await suggestionFor(deps, workspace, { ...selection, subjectId: selection.subjectId });
  const base = { selection, period, amount: null, since: null, repeats: false, team: null, suggestion };
  if (selection.subjectType === 'team' && /^\d{1,18}$/.test(selection.subjectId)) {
    const team = await salesTeamTarget(
      deps,
      workspace.team_id,
      BigInt(selection.subjectId),
      selection.metric,
      period,
      localDate(deps.clock.now(), workspace.timezone),
    );
    return { ...base, amount: team.amount, team };
  }
  const key = { teamId: workspace.team_id, subjectType: selection.subjectType, metric: selection.metric, periodKind: selection.periodKind };
  const [row] = await targetsForPeriod(deps.db, key, period.startDate, [selection.subjectId]);
  return row ? { ...base, amount: row.amount, since: row.first_period_start, repeats: row.last_period_start === null } : base;
}

/** The teams and products the Set target form lists, by name. */
export async function targetFormChoices(deps: Pick<Deps, 'db'>, teamId: string) {
  const [teams, products] = await Promise.all([salesTeamsByName(deps.db, teamId), listProducts(deps.db, teamId)]);
  return { teams, products };
}
