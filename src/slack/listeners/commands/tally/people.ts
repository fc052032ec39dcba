// `/tally products`, `/tally managers` and `/tally teams`: the catalogue, who manages, the sales teams.
import { localDate } from '../../../../domain/periods.js';
import { addProduct, managerIds, productNames, setManager } from '../../../../services/admin.js';
import { productAnalysis } from '../../../../services/products.js';
import { salesTeamProgress } from '../../../../services/targets.js';
import { addSalesTeam, changeSalesTeamManagers, changeSalesTeamMembers, salesTeams } from '../../../../services/teams.js';
import { managerListMessage, productListMessage } from '../../../views/admin-messages.js';
import { productTableMessage } from '../../../views/products.js';
import { managersChangedMessage, productAddedMessage, teamCreatedMessage } from '../../../views/tally-replies.js';
import { teamChangeMessage, teamsListMessage } from '../../../views/teams.js';
import { namedPeriod, type TallyHandlers } from './request.js';

export const productCommands: TallyHandlers<'products.list' | 'products.add'> = {
  'products.list': async ({ deps, actor }) => {
    // Managers get the analysis; reps the names they can log against.
    if ((await actor.role()) === 'rep') return productListMessage(await productNames(deps, actor.teamId));
    const workspace = await actor.workspace();
    return productTableMessage(await productAnalysis(deps, workspace, actor.now), workspace.currency);
  },
  'products.add': async ({ deps, actor, parsed }) => {
    const product = await addProduct(deps, actor, parsed.name);
    return productAddedMessage(product.name);
  },
};

export const managerCommands: TallyHandlers<'managers.list' | 'managers.set'> = {
  'managers.list': async ({ deps, actor }) => managerListMessage(await managerIds(deps, actor.teamId)),
  'managers.set': async ({ deps, client, actor, parsed }) => {
    for (const id of parsed.userIds) await setManager(deps, client, actor, id, parsed.grant);
    return managersChangedMessage(parsed.userIds, parsed.grant);
  },
};

export const teamCommands: TallyHandlers<'teams.list' | 'teams.add' | 'teams.members' | 'teams.managers'> = {
  'teams.list': async ({ deps, actor, parsed }) => {
    const workspace = await actor.workspace();
    const period = namedPeriod(parsed.period, actor.now, workspace);
    const teams = await salesTeams(deps, workspace);
    const overviews = [];
    for (const team of teams) overviews.push({ team, ...(await salesTeamProgress(deps, workspace, team.id, 'revenue', period)) });
    return teamsListMessage(overviews, period, workspace.currency, localDate(actor.now, workspace.timezone));
  },
  'teams.add': async ({ deps, actor, parsed }) => teamCreatedMessage(await addSalesTeam(deps, actor, parsed.name, parsed.channelId)),
  'teams.members': async ({ deps, client, actor, parsed }) => {
    const request = { teamName: parsed.team, add: parsed.add, userIds: parsed.userIds, from: parsed.from };
    return teamChangeMessage(await changeSalesTeamMembers(deps, client, actor, request), 'members', parsed.add);
  },
  'teams.managers': async ({ deps, client, actor, parsed }) => {
    const request = { teamName: parsed.team, add: parsed.add, userIds: parsed.userIds, from: parsed.from };
    return teamChangeMessage(await changeSalesTeamManagers(deps, client, actor, request), 'managers', parsed.add);
  },
};
