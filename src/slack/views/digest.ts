// The scheduled digest post (docs/rules.md#digests). Pure: DigestData in, Block Kit out (well under 50 blocks).
import type { types } from '@slack/bolt';
import { forecastRangeText } from '../../domain/forecast.js';
import { formatMoney } from '../../domain/money.js';
import { attainmentPercent } from '../../domain/pace.js';
import { escapeSlackText } from '../../domain/slack-text.js';
import type { Leaderboard } from '../../services/leaderboard.js';
import type { DigestData } from '../../services/digest.js';
import { context, divider, header, section, type Block, type SlackMessage } from './blocks.js';
import { describePeriod, formatAmount, formatPercent, progressLine } from './format.js';
import { leaderboardRow } from './leaderboard.js';
import { teamTargetLine } from './teams.js';
import { productReasons } from './products.js';

export interface DigestImage {
  /** A file uploaded to Slack (files.completeUploadExternal). */
  fileId: string;
  altText: string;
}

function boardLines(board: Leaderboard): string {
  if (board.ranked.length === 0) return '_No sales yet._';
  const lines = board.window.top.map((row) => leaderboardRow(row, board.currency, ''));
  if (board.ranked.length > board.window.top.length) lines.push(`_and ${board.ranked.length - board.window.top.length} more_`);
  return lines.join('\n');
}

export function digestTitle(data: Pick<DigestData, 'salesTeam' | 'week'>): string {
  return `${data.salesTeam ? `${data.salesTeam.name} · ` : ''}Weekly digest · ${describePeriod(data.week)}`;
}

export function digestMessage(data: DigestData, image: DigestImage | null = null): SlackMessage {
  const currency = data.workspace.currency;
  const money = (minor: bigint) => formatMoney(minor, currency);
  const weekLine =
    data.weekTarget && data.weekTarget > 0n
      ? `*Last week:* ${money(data.weekTotal)} from ${formatAmount(data.weekDeals, 'deals', currency)} against a weekly target of ${money(data.weekTarget)} (*${formatPercent(attainmentPercent(data.weekTotal, data.weekTarget))}*).`
      : `*Last week:* ${money(data.weekTotal)} from ${formatAmount(data.weekDeals, 'deals', currency)}. No weekly target is set.`;
  const blocks: Block[] = [header(digestTitle(data)), section(weekLine)];
  if (data.thisWeek) {
    blocks.push(
      section(
        `*This week so far* (${describePeriod(data.thisWeek.period)}): ${money(data.thisWeek.amount)} from ${formatAmount(data.thisWeek.deals, 'deals', currency)}.`,
      ),
    );
  }
  if (data.topPerformer)
    blocks.push(section(`:trophy: *Top performer:* <@${data.topPerformer.userId}> with ${money(data.topPerformer.amount)} last week.`));
  blocks.push(
    divider(),
    section(`*Leaderboard, last week*\n${boardLines(data.weekBoard)}`),
    section(`*${describePeriod(data.month)} so far*\n${boardLines(data.monthBoard)}`),
  );

  if (data.teams.length > 0) {
    blocks.push(divider(), section('*Pace to target*'));
    for (const team of data.teams) {
      const pace = (period: string, p: DigestData['teams'][number]['month']) => {
        const label = p.target.derived ? `${period} (${p.target.derived})` : period;
        return p.measure
          ? `${label}: ${progressLine(p.measure, 'revenue', currency, p.forecast)}`
          : `${label}: ${money(p.amount)} so far, ${forecastRangeText(p.forecast, currency, 'revenue')}. ${teamTargetLine(p.target, currency)}`;
      };
      blocks.push(section(`*${escapeSlackText(team.name)}*\n${pace('Month', team.month)}\n${pace('Quarter', team.quarter)}`));
    }
    if (data.moreTeams > 0) blocks.push(context(`and ${data.moreTeams} more teams: see \`/tally teams\``));
  }

  if (data.products.length > 0) {
    const lines = data.products.slice(0, 10).map((p) => `• *${escapeSlackText(p.name)}*: ${productReasons(p, currency)}`);
    blocks.push(section(`:warning: *Products needing attention*\n${lines.join('\n')}`));
  }

  if (data.milestones.length > 0) {
    const lines = data.milestones.slice(0, 15).map((m) => `:tada: <@${m.repId}> reached ${m.milestone}% of their ${m.periodKind} target`);
    blocks.push(section(`*Milestones last week*\n${lines.join('\n')}`));
  }

  if (image) {
    blocks.push({ type: 'image', slack_file: { id: image.fileId }, alt_text: image.altText } as types.ImageBlock);
  }
  blocks.push(context(`Posted by Tally for ${describePeriod(data.week)}. Managers change it with \`/tally digest here\`.`));

  const top = data.topPerformer ? ` Top performer: <@${data.topPerformer.userId}>.` : '';
  return { text: `${digestTitle(data)}: ${weekLine.replaceAll('*', '')}${top}`, blocks };
}
