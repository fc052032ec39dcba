import type { App } from '@slack/bolt';
import { parseTallyCommand, unknownTallyCommandMessage } from '../../../domain/tally-command.js';
import { escapeSlackText, quoteInput } from '../../../domain/slack-text.js';
import { UserError } from '../../../errors.js';
import { addProduct, managerIds, productNames, setManager } from '../../../services/admin.js';
import { repPeriodSnapshot, repSnapshot } from '../../../services/progress.js';
import { isClosedPeriod, periodFromText } from '../../../domain/period-arg.js';
import { localDate, type Period } from '../../../domain/periods.js';
import type { Workspace } from '../../../db/schema.js';
import { salesTeamProgress } from '../../../services/targets.js';
import { addSalesTeam, changeSalesTeamManagers, changeSalesTeamMembers, salesTeams } from '../../../services/teams.js';
import { requireManager } from '../../../services/actor.js';
import { teamChangeMessage, teamsListMessage } from '../../views/teams.js';
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
import { connectSource, mapPipedriveOwner, removeSource, rotateSource, sourceLog, sourcesOf } from '../../../services/sources.js';
import { ownerMappedMessage, sourceCredentialsMessage, sourceLabel, sourceLogMessage, sourcesListMessage } from '../../views/sources.js';
import { sourceDeps, tellAboutSources } from '../../webhooks.js';
import type { ListenerDeps } from '../../deps.js';

export function register(app: App, deps: ListenerDeps): void {
  const sources = sourceDeps(deps);
  app.command(
    COMMANDS.tally,
    commandHandler(deps, 'tally', async ({ command, client, ack, respond, teamId, actor }) => {
      const userId = command.user_id;
      const parsed = parseTallyCommand(command.text);
      switch (parsed.kind) {
        case 'help':
          return helpMessage(await productNames(deps, teamId));
        case 'me': {
          const workspace = await actor.workspace();
          if (parsed.period === null) return myProgressMessage({ currency: workspace.currency, ...(await repSnapshot(deps, workspace, userId)) });
          const period = namedPeriod(parsed.period, actor.now, workspace);
          const snapshot = await repPeriodSnapshot(deps, workspace, userId, period);
          return myProgressMessage({ currency: workspace.currency, period: { period, final: isClosedPeriod(period, actor.now) }, ...snapshot });
        }
        case 'products.list': {
          // Managers get the analysis; reps the names they can log against.
          if ((await actor.role()) === 'rep') return productListMessage(await productNames(deps, teamId));
          const workspace = await actor.workspace();
          return productTableMessage(await productAnalysis(deps, workspace, actor.now), workspace.currency);
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
          const workspace = await actor.workspace();
          const period = namedPeriod(parsed.period, actor.now, workspace);
          const teams = await salesTeams(deps, workspace);
          const overviews = [];
          for (const team of teams) overviews.push({ team, ...(await salesTeamProgress(deps, workspace, team.id, 'revenue', period)) });
          return teamsListMessage(overviews, period, workspace.currency, localDate(actor.now, workspace.timezone));
        }
        case 'teams.add': {
          const team = await addSalesTeam(deps, client, teamId, userId, parsed.name, parsed.channelId);
          const channel = team.channel_id ? ` Its posts go to <#${team.channel_id}>.` : '';
          return `:busts_in_silhouette: Created team *${escapeSlackText(team.name)}*.${channel} Add reps with \`/tally teams ${escapeSlackText(team.name)} add @rep\`.`;
        }
        case 'teams.members':
        case 'teams.managers': {
          const request = { teamId, actorId: userId, teamName: parsed.team, add: parsed.add, userIds: parsed.userIds, from: parsed.from };
          const change = parsed.kind === 'teams.members' ? await changeSalesTeamMembers(deps, client, request) : await changeSalesTeamManagers(deps, client, request);
          return teamChangeMessage(change, parsed.kind === 'teams.members' ? 'members' : 'managers', parsed.add);
        }
        case 'digest.list': {
          const workspace = await actor.workspace();
          return digestListMessage(await digestSubscriptions(deps, teamId), workspace.timezone);
        }
        case 'digest.here': {
          const result = await subscribeChannel(deps, client, { teamId, actorId: userId, channelId: command.channel_id, cadence: parsed.cadence, teamName: parsed.team, time: parsed.time, weekday: parsed.weekday });
          if (result.kind === 'unsubscribed') {
            return result.count > 0 ? `This channel no longer gets the digest${parsed.team ? ` of ${escapeSlackText(parsed.team)}` : ''}.` : 'This channel had no such digest; nothing changed.';
          }
          const workspace = await actor.workspace();
          const { subscription } = result;
          return subscribedMessage(subscription.channel_id, result.teamName, { cadence: subscription.cadence, time: subscription.at_time, weekday: subscription.weekday }, workspace.timezone);
        }
        case 'digest.preview': {
          await requireManager(actor, 'preview the digest');
          const workspace = await actor.workspace();
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
          const workspace = await actor.workspace();
          return digestSendMessage(outcome, workspace.timezone, command.team_domain);
        }
        case 'digest.invalid':
        case 'invalid':
          throw new UserError(parsed.error);
        case 'fx.list': {
          const workspace = await actor.workspace();
          return ratesMessage(await ratesOf(deps, teamId), workspace.currency);
        }
        case 'fx.set': {
          const { rate, workspace } = await setRate(deps, client, { teamId, actorId: userId, currency: parsed.currency, rate: parsed.rate, validOn: parsed.date });
          return `:currency_exchange: From ${rate.valid_on}, 1 ${rate.currency} = ${rate.rate} ${workspace.currency}. Sales in ${rate.currency} closed on or after that day count at this rate.`;
        }
        case 'audit': {
          const workspace = await actor.workspace();
          const { entries, teamNames, productNames } = await auditTrail(deps, client, teamId, userId, parsed);
          const scope = parsed.saleId ? `of sale ${parsed.saleId}` : parsed.userId ? `for <@${parsed.userId}>` : 'of the workspace';
          const auditContext = { timezone: workspace.timezone, currency: workspace.currency, fiscalYearStartMonth: workspace.fiscal_year_start_month, teamNames, productNames };
          return auditMessage(entries, auditContext, scope);
        }
        case 'import':
          return openImportModal(client, actor, { channelId: command.channel_id, triggerId: command.trigger_id, kind: parsed.what }, ack);
        case 'export':
          return exportToDm(deps, client, actor, { period: parsed.period }, ack, respond);
        case 'connect.list':
          return sourcesListMessage(await sourcesOf(deps, client, teamId, userId));
        case 'connect.add': {
          const { source, secret } = await connectSource(deps, client, { teamId, actorId: userId, kind: parsed.source, name: parsed.name });
          return sourceCredentialsMessage(source, secret, false);
        }
        case 'connect.rotate': {
          const { source, secret } = await rotateSource(deps, client, { teamId, actorId: userId, name: parsed.name });
          return sourceCredentialsMessage(source, secret, true);
        }
        case 'connect.remove': {
          const source = await removeSource(deps, client, { teamId, actorId: userId, name: parsed.name });
          return `:electric_plug: Removed ${sourceLabel(source)}: its URL no longer takes deliveries. The sales it logged stay.`;
        }
        case 'connect.log': {
          const { source, deliveries } = await sourceLog(deps, client, { teamId, actorId: userId, name: parsed.name });
          return sourceLogMessage(source, deliveries);
        }
        case 'connect.map': {
          const mapped = await mapPipedriveOwner(sources, client, { teamId, actorId: userId, name: parsed.name, ownerId: parsed.ownerId, userId: parsed.userId });
          tellAboutSources(sources, teamId, mapped.notices);
          return ownerMappedMessage(mapped.source, parsed.ownerId, parsed.userId, mapped.logged, mapped.refused);
        }
        case 'unknown':
          throw new UserError(unknownTallyCommandMessage(quoteInput(parsed.text.trim())));
      }
    }),
  );
}

/** The period a command names (the current month for none), or a UserError that says what to type. */
function namedPeriod(words: string | null, now: Date, workspace: Workspace): Period {
  const read = periodFromText(words, now, workspace.timezone, workspace.fiscal_year_start_month);
  if (!read.ok) throw new UserError(read.error);
  return read.period;
}
