// Sales teams: named groups of reps, each with an optional channel for its posts.
import type { SlackDirectory } from './slack-directory.js';
import type { SalesTeam, Workspace } from '../db/schema.js';
import { dayjs } from '../domain/dayjs.js';
import { localDate } from '../domain/periods.js';
import { joinFrom, leaveFrom } from '../domain/stints.js';
import { escapeSlackText, quoteInput } from '../domain/slack-text.js';
import { UserError } from '../errors.js';
import { insertAudit } from '../store/audit.js';
import { findSalesTeamByName, insertSalesTeam, listSalesTeams, lockSalesTeam, replaceStints, stintsOf } from '../store/teams.js';
import { setManager } from './admin.js';
import { requireAdmin, requireManager, type Actor } from './actor.js';
import type { ServiceDeps } from './deps.js';

const TEAM_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,39}$/u;

export async function addSalesTeam(deps: ServiceDeps, actor: Actor, name: string, channelId: string | null): Promise<SalesTeam> {
  const { teamId, userId: actorId } = actor;
  await requireManager(actor, 'create teams');
  if (!TEAM_NAME.test(name)) {
    throw new UserError(
      'A team name is one word of up to 40 letters, digits, `-`, `_` or `.`, like `east` or `mid-market`. Try `/tally teams add east #team-east`.',
    );
  }
  // The workspace exists before a team points at it.
  await actor.workspace();
  const added = await deps.db.transaction().execute(async (trx) => {
    const team = await insertSalesTeam(trx, teamId, name, channelId, actorId, deps.clock.now());
    if (!team) throw new UserError(`There is already a team called \`${escapeSlackText(name)}\`. See them with \`/tally teams\`.`);
    await insertAudit(trx, {
      teamId,
      actorId,
      action: 'team.created',
      entityType: 'team',
      entityId: String(team.id),
      after: team,
      at: deps.clock.now(),
    });
    return team;
  });
  deps.caches.leaderboards.forget(teamId);
  return added;
}

export interface TeamPeopleRequest {
  teamName: string;
  add: boolean;
  userIds: readonly string[];
  /** The first local date the change applies to; null: today in the workspace timezone. */
  from: string | null;
}

export interface TeamPeopleChange {
  team: SalesTeam;
  changed: string[];
  from: string;
  today: string;
}

/**
 * Adds reps to a sales team or removes them, from a date on (default today): their sales closed
 * before it count as they did. Admins, managers of the team on that date, and managers never
 * given a team.
 */
export async function changeSalesTeamMembers(
  deps: ServiceDeps,
  directory: SlackDirectory,
  actor: Actor,
  request: TeamPeopleRequest,
): Promise<TeamPeopleChange> {
  const { team, from, today } = await teamChangeOf(deps, actor, request);
  await deps.roles.requireTeamManager(actor, team, from, `change the members of *${escapeSlackText(team.name)}*`);
  for (const userId of request.userIds) await deps.roles.requireMember(directory, actor.teamId, userId);
  const changed = await changeStints(deps, actor, 'sales_team_members', request, team, from);
  return { team, changed, from, today };
}

/** Chooses who manages a sales team, from a date on (default today). Admins only; a new team manager gets the manager role. */
export async function changeSalesTeamManagers(
  deps: ServiceDeps,
  directory: SlackDirectory,
  actor: Actor,
  request: TeamPeopleRequest,
): Promise<TeamPeopleChange> {
  await requireAdmin(actor, 'choose who manages a team');
  const { team, from, today } = await teamChangeOf(deps, actor, request);
  for (const userId of request.userIds) await deps.roles.requireMember(directory, actor.teamId, userId);
  const changed = await changeStints(deps, actor, 'sales_team_managers', request, team, from);
  if (request.add) {
    for (const userId of changed) {
      if ((await deps.roles.roleOf(directory, actor.teamId, userId)) === 'rep') await setManager(deps, directory, actor, userId, true);
    }
  }
  return { team, changed, from, today };
}

async function teamChangeOf(deps: ServiceDeps, actor: Actor, request: TeamPeopleRequest) {
  const workspace = await actor.workspace();
  const today = localDate(deps.clock.now(), workspace.timezone);
  const from = request.from ?? today;
  if (dayjs.utc(from).format('YYYY-MM-DD') !== from) {
    throw new UserError(
      `\`${quoteInput(from)}\` is not a date: write it as YYYY-MM-DD, like \`/tally teams ${quoteInput(request.teamName)} ${request.add ? 'add' : 'remove'} @rep from ${today}\`.`,
    );
  }
  if (workspace.locked_through && from <= workspace.locked_through) {
    throw new UserError(
      `Periods up to ${workspace.locked_through} are closed, so a team change can't start on ${from}. Give a later date, or ask an admin to unlock the period in /tally settings.`,
    );
  }
  const team = await findSalesTeamByName(deps.db, actor.teamId, request.teamName);
  if (!team)
    throw new UserError(
      `There is no team \`${quoteInput(request.teamName)}\`. Create it with \`/tally teams add ${quoteInput(request.teamName)}\`, or see the teams with \`/tally teams\`.`,
    );
  return { team, from, today };
}

/** Each person joins or leaves from `from` on, in one transaction with its audit entry; returns who changed. */
async function changeStints(
  deps: ServiceDeps,
  actor: Actor,
  table: 'sales_team_members' | 'sales_team_managers',
  request: TeamPeopleRequest,
  team: SalesTeam,
  from: string,
): Promise<string[]> {
  const at = deps.clock.now();
  const changed = await deps.db.transaction().execute(async (trx) => {
    await lockSalesTeam(trx, actor.teamId, team.id);
    const changed: string[] = [];
    for (const userId of new Set(request.userIds)) {
      const before = await stintsOf(trx, table, team.id, userId);
      const after = request.add ? joinFrom(before, from) : leaveFrom(before, from);
      if (!after) continue;
      await replaceStints(trx, table, { teamId: actor.teamId, salesTeamId: team.id, userId, at }, after);
      changed.push(userId);
    }
    if (changed.length > 0) {
      const what = table === 'sales_team_members' ? 'members' : 'managers';
      await insertAudit(trx, {
        teamId: actor.teamId,
        actorId: actor.userId,
        action: `team.${what}_${request.add ? 'added' : 'removed'}`,
        entityType: 'team',
        entityId: String(team.id),
        after: { userIds: changed, from },
        at,
      });
    }
    return changed;
  });
  deps.caches.leaderboards.forget(actor.teamId);
  return changed;
}

/** Every sales team with its members and managers as of today in the workspace timezone. */
export async function salesTeams(deps: Pick<ServiceDeps, 'db' | 'clock'>, workspace: Workspace) {
  return listSalesTeams(deps.db, workspace.team_id, localDate(deps.clock.now(), workspace.timezone));
}
