// The short replies of /tally subcommands that change something: one sentence each. Pure.
import type { SalesTeam, Source } from '../../db/schema.js';
import { escapeSlackText } from '../../domain/slack-text.js';
import { sourceLabel } from './sources.js';

export function productAddedMessage(name: string): string {
  return `:package: Added product \`${escapeSlackText(name)}\`. Reps can now log \`/logsale 1200 Acme #${escapeSlackText(name)}\`.`;
}

export function managersChangedMessage(userIds: readonly string[], grant: boolean): string {
  const who = userIds.map((id) => `<@${id}>`).join(', ');
  return grant
    ? `:briefcase: ${who} can now set targets and log sales for reps.`
    : `${who} ${userIds.length === 1 ? 'is' : 'are'} no longer a manager.`;
}

export function teamCreatedMessage(team: Pick<SalesTeam, 'name' | 'channel_id'>): string {
  const channel = team.channel_id ? ` Its posts go to <#${team.channel_id}>.` : '';
  return `:busts_in_silhouette: Created team *${escapeSlackText(team.name)}*.${channel} Add reps with \`/tally teams ${escapeSlackText(team.name)} add @rep\`.`;
}

/** `/tally digest off` in a channel: how many of its digests stopped (of one team when named). */
export function digestUnsubscribedMessage(count: number, teamName: string | null): string {
  return count > 0
    ? `This channel no longer gets the digest${teamName ? ` of ${escapeSlackText(teamName)}` : ''}.`
    : 'This channel had no such digest; nothing changed.';
}

export function rateSetMessage(rate: { valid_on: string; currency: string; rate: string }, workspaceCurrency: string): string {
  return `:currency_exchange: From ${rate.valid_on}, 1 ${rate.currency} = ${rate.rate} ${workspaceCurrency}. Sales in ${rate.currency} closed on or after that day count at this rate.`;
}

export function sourceRemovedMessage(source: Pick<Source, 'kind' | 'name'>): string {
  return `:electric_plug: Removed ${sourceLabel(source)}: its URL no longer takes deliveries. The sales it logged stay.`;
}

/** What an audit listing covers: one sale, one person, or the whole workspace. */
export function auditScope(filter: { saleId: string | null; userId: string | null }): string {
  return filter.saleId ? `of sale ${filter.saleId}` : filter.userId ? `for <@${filter.userId}>` : 'of the workspace';
}
