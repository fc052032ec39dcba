// Sales teams: named groups of reps, each with an optional channel for its posts.
import type { WebClient } from '@slack/web-api';
import type { SalesTeam } from '../db/schema.js';
import { escapeSlackText, quoteInput } from '../domain/slack-text.js';
import { UserError } from '../errors.js';
import { insertAudit } from '../store/audit.js';
import { addSalesTeamMembers, findSalesTeamByName, insertSalesTeam, listSalesTeams, removeSalesTeamMembers } from '../store/teams.js';
import { ensureWorkspace } from '../store/workspaces.js';
import type { SaleServiceDeps } from './sales.js';

const TEAM_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,39}$/u;

export async function addSalesTeam(deps: SaleServiceDeps, client: WebClient, teamId: string, actorId: string, name: string, channelId: string | null): Promise<SalesTeam> {
  await deps.roles.requireManager(client, teamId, actorId, 'create teams');
  if (!TEAM_NAME.test(name)) {
    throw new UserError('A team name is one word of up to 40 letters, digits, `-`, `_` or `.`, like `east` or `mid-market`. Try `/tally teams add east #team-east`.');
  }
  await ensureWorkspace(deps.db, teamId, deps.config.defaults);
  return deps.db.transaction().execute(async (trx) => {
    const team = await insertSalesTeam(trx, teamId, name, channelId, actorId);
    if (!team) throw new UserError(`There is already a team called \`${escapeSlackText(name)}\`. See them with \`/tally teams\`.`);
    await insertAudit(trx, { teamId, actorId, action: 'team.created', entityType: 'team', entityId: String(team.id), after: team });
    return team;
  });
}

export async function changeSalesTeamMembers(
  deps: SaleServiceDeps,
  client: WebClient,
  teamId: string,
  actorId: string,
  teamName: string,
  add: boolean,
  userIds: readonly string[],
): Promise<{ team: SalesTeam; changed: string[] }> {
  await deps.roles.requireManager(client, teamId, actorId, 'change teams');
  for (const userId of userIds) await deps.roles.requireMember(client, teamId, userId);
  const team = await findSalesTeamByName(deps.db, teamId, teamName);
  if (!team) throw new UserError(`There is no team \`${quoteInput(teamName)}\`. Create it with \`/tally teams add ${quoteInput(teamName)}\`, or see the teams with \`/tally teams\`.`);
  const changed = await deps.db.transaction().execute(async (trx) => {
    const ids = add ? await addSalesTeamMembers(trx, teamId, team.id, userIds) : await removeSalesTeamMembers(trx, teamId, team.id, userIds);
    if (ids.length > 0) {
      await insertAudit(trx, {
        teamId,
        actorId,
        action: add ? 'team.members_added' : 'team.members_removed',
        entityType: 'team',
        entityId: String(team.id),
        after: { userIds: ids },
      });
    }
    return ids;
  });
  return { team, changed };
}

export function salesTeams(deps: Pick<SaleServiceDeps, 'db'>, teamId: string) {
  return listSalesTeams(deps.db, teamId);
}
