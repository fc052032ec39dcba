import type { App } from '@slack/bolt';
import { parseTallyCommand, unknownTallyCommandMessage } from '../../../domain/tally-command.js';
import { escapeSlackText, quoteInput } from '../../../domain/slack-text.js';
import { UserError } from '../../../errors.js';
import { addProduct, managerIds, productNames, setManager } from '../../../services/admin.js';
import { repSnapshot } from '../../../services/progress.js';
import { periodAt } from '../../../domain/periods.js';
import { salesTeamProgress } from '../../../services/targets.js';
import { addSalesTeam, changeSalesTeamMembers, salesTeams } from '../../../services/teams.js';
import { ensureWorkspace } from '../../../store/workspaces.js';
import { teamsListMessage } from '../../views/teams.js';
import { productAnalysis } from '../../../services/products.js';
import { productTableMessage } from '../../views/products.js';
import { digestForChannel, digestSubscriptions, subscribeChannel } from '../../../services/digest-subscriptions.js';
import { sendDigestNow } from '../../../scheduler/digest-send.js';
import { digestMessage } from '../../views/digest.js';
import { auditTrail } from '../../../services/audit.js';
import { ratesOf, setRate } from '../../../services/fx.js';
import { auditMessage, ratesMessage } from '../../views/audit.js';
import { digestListMessage, digestSendFailedMessage, digestSendMessage, subscribedMessage } from '../../views/notices.js';
import { COMMANDS } from '../../ids.js';
import { managerListMessage, productListMessage } from '../../views/admin-messages.js';
import { helpMessage } from '../../views/help.js';
import { myProgressMessage } from '../../views/my-progress.js';
import { ephemeral } from '../../views/blocks.js';
import { commandHandler } from '../handle.js';
import { exportToDm, openImportModal } from './tally-import-export.js';
import type { ListenerDeps } from '../index.js';

export function register(app: App, deps: ListenerDeps): void {
  app.command(
    COMMANDS.tally,
    commandHandler(deps, 'tally', async ({ command, client, ack, respond }) => {
      const teamId = command.team_id;
      const userId = command.user_id;
      const parsed = parseTallyCommand(command.text);
      switch (parsed.kind) {
        case 'help':
          return helpMessage();
        case 'me': {
          const workspace = await ensureWorkspace(deps.db, teamId, deps.config.defaults);
          return myProgressMessage({ currency: workspace.currency, ...(await repSnapshot(deps, workspace, userId)) });
        }
        case 'products.list': {
          // Managers get the analysis; reps the names they can log against.
          if ((await deps.roles.roleOf(client, teamId, userId)) === 'rep') return productListMessage(await productNames(deps, teamId));
          const workspace = await ensureWorkspace(deps.db, teamId, deps.config.defaults);
          return productTableMessage(await productAnalysis(deps, workspace, deps.clock.now()), workspace.currency);
        }
        case 'products.add': {
          const product = await addProduct(deps, client, teamId, userId, parsed.name);
          return `:package: Added product \`${escapeSlackText(product.name)}\`. Reps can now log \`/logsale 1200 Acme #${escapeSlackText(product.name)}\`.`;
        }
        case 'managers.list':
          return managerListMessage(await managerIds(deps, teamId));
        case 'managers.set': {
          for (const id of parsed.userIds) await setManager(deps, client, teamId, userId, id, parsed.grant);
          const who = parsed.userIds.map((id) => `<@${id}>`).join(', ');
          return parsed.grant ? `:briefcase: ${who} can now set targets and log sales for reps.` : `${who} ${parsed.userIds.length === 1 ? 'is' : 'are'} no longer a manager.`;
        }
        case 'teams.list': {
          const workspace = await ensureWorkspace(deps.db, teamId, deps.config.defaults);
          const period = periodAt('month', deps.clock.now(), workspace.timezone, workspace.fiscal_year_start_month);
          const teams = await salesTeams(deps, teamId);
          const overviews = [];
          for (const team of teams) overviews.push({ team, ...(await salesTeamProgress(deps, workspace, team.id, 'revenue', period)) });
          return teamsListMessage(overviews, period, workspace.currency);
        }
        case 'teams.add': {
          const team = await addSalesTeam(deps, client, teamId, userId, parsed.name, parsed.channelId);
          const channel = team.channel_id ? ` Its posts go to <#${team.channel_id}>.` : '';
          return `:busts_in_silhouette: Created team *${escapeSlackText(team.name)}*.${channel} Add reps with \`/tally teams ${escapeSlackText(team.name)} add @rep\`.`;
        }
        case 'teams.members': {
          const { team, changed } = await changeSalesTeamMembers(deps, client, teamId, userId, parsed.team, parsed.add, parsed.userIds);
          const who = changed.map((id) => `<@${id}>`).join(', ');
          if (changed.length === 0) return `Nothing changed: ${parsed.add ? 'they were already in' : "they weren't in"} *${escapeSlackText(team.name)}*.`;
          return parsed.add ? `Added ${who} to *${escapeSlackText(team.name)}*.` : `Removed ${who} from *${escapeSlackText(team.name)}*.`;
        }
        case 'digest.list': {
          const workspace = await ensureWorkspace(deps.db, teamId, deps.config.defaults);
          return digestListMessage(await digestSubscriptions(deps, teamId), workspace.timezone);
        }
        case 'digest.here': {
          const result = await subscribeChannel(deps, client, { teamId, actorId: userId, channelId: command.channel_id, cadence: parsed.cadence, teamName: parsed.team, time: parsed.time, weekday: parsed.weekday });
          if (result.kind === 'unsubscribed') {
            return result.count > 0 ? `This channel no longer gets the digest${parsed.team ? ` of ${escapeSlackText(parsed.team)}` : ''}.` : 'This channel had no such digest; nothing changed.';
          }
          const workspace = await ensureWorkspace(deps.db, teamId, deps.config.defaults);
          const { subscription } = result;
          return subscribedMessage(subscription.channel_id, result.teamName, { cadence: subscription.cadence, time: subscription.at_time, weekday: subscription.weekday }, workspace.timezone);
        }
        case 'digest.preview': {
          await deps.roles.requireManager(client, teamId, userId, 'preview the digest');
          const workspace = await ensureWorkspace(deps.db, teamId, deps.config.defaults);
          return digestMessage(await digestForChannel(deps, workspace, command.channel_id));
        }
        case 'digest.send': {
          const outcome = await sendDigestNow(deps, client, { teamId, actorId: userId, channelId: command.channel_id });
          if (outcome.kind === 'posting') {
            // Answered before the post (chart, retries, rate limits): Slack waits 3 s at most.
            outcome.posted
              .then(async (result) => {
                if (result !== 'posted' && result !== 'recovered') await respond(ephemeral(digestSendFailedMessage()));
              })
              .catch((error: unknown) => deps.logger.error({ err: error, teamId, userId }, 'digest sent by hand not posted'));
          }
          const workspace = await ensureWorkspace(deps.db, teamId, deps.config.defaults);
          return digestSendMessage(outcome, workspace.timezone, command.team_domain);
        }
        case 'digest.invalid':
        case 'invalid':
          throw new UserError(parsed.error);
        case 'fx.list': {
          const workspace = await ensureWorkspace(deps.db, teamId, deps.config.defaults);
          return ratesMessage(await ratesOf(deps, teamId), workspace.currency);
        }
        case 'fx.set': {
          const { rate, workspace } = await setRate(deps, client, { teamId, actorId: userId, currency: parsed.currency, rate: parsed.rate, validOn: parsed.date });
          return `:currency_exchange: From ${rate.valid_on}, 1 ${rate.currency} = ${rate.rate} ${workspace.currency}. Sales in ${rate.currency} closed on or after that day count at this rate.`;
        }
        case 'audit': {
          const workspace = await ensureWorkspace(deps.db, teamId, deps.config.defaults);
          const entries = await auditTrail(deps, client, teamId, userId, parsed);
          const scope = parsed.saleId ? `of sale ${parsed.saleId}` : parsed.userId ? `for <@${parsed.userId}>` : 'of the workspace';
          return auditMessage(entries, workspace.timezone, scope);
        }
        case 'import':
          return openImportModal(deps, client, { teamId, userId, channelId: command.channel_id, triggerId: command.trigger_id, kind: parsed.what }, ack);
        case 'export':
          return exportToDm(deps, client, { teamId, userId, period: parsed.period }, ack, respond);
        case 'unknown':
          throw new UserError(unknownTallyCommandMessage(quoteInput(parsed.text.trim())));
      }
    }),
  );
}
