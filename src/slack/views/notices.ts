import { dayjs } from '../../domain/dayjs.js';
import { describeSchedule, type Schedule } from '../../domain/schedule.js';
import { escapeSlackText } from '../../domain/slack-text.js';
import type { TargetMetric } from '../../db/schema.js';
import type { Measure } from '../../domain/pace.js';
import type { Period } from '../../domain/periods.js';
import { section, type SlackMessage } from './blocks.js';
import { describePeriod, formatAmount, formatPercent } from './format.js';

/** A DM to the manager who subscribed a channel Tally can no longer post in. */
export function channelProblemMessage(channelId: string, code: string): SlackMessage {
  const fix =
    code === 'is_archived'
      ? 'The channel is archived: subscribe another one with `/tally digest here` there.'
      : `Invite me to the channel with \`/invite @Tally\` in <#${channelId}>, or subscribe another channel with \`/tally digest here\`.`;
  const text = `:warning: I couldn't post the sales digest in <#${channelId}> (Slack said \`${code}\`). ${fix} The subscription is kept; the next digest goes out as planned once I can post there.`;
  return { text, blocks: [section(text)] };
}

export interface SubscriptionLine {
  channel_id: string;
  cadence: 'weekly' | 'daily';
  at_time: string;
  weekday: number;
  sales_team_name: string | null;
}

export function digestListMessage(subscriptions: readonly SubscriptionLine[], timezone: string): SlackMessage {
  if (subscriptions.length === 0) {
    const text =
      'No channel gets the digest yet. In a channel, a manager types `/tally digest here` for every Monday at 09:00, or e.g. `/tally digest here weekly east at 08:30 on friday`.';
    return { text, blocks: [section(text)] };
  }
  const lines = subscriptions
    .slice(0, 50)
    .map(
      (s) =>
        `• <#${s.channel_id}>: ${s.sales_team_name ? `team *${escapeSlackText(s.sales_team_name)}*` : 'the whole company'}, ${describeSchedule({ cadence: s.cadence, time: s.at_time, weekday: s.weekday })}`,
    );
  const text = `*Digests* (times in ${timezone})\n${lines.join('\n')}${subscriptions.length > 50 ? `\n_and ${subscriptions.length - 50} more_` : ''}`;
  return { text: text.replaceAll('*', ''), blocks: [section(text)] };
}

export function subscribedMessage(channelId: string, teamName: string | null, schedule: Schedule, timezone: string): SlackMessage {
  const what = teamName ? `Team *${escapeSlackText(teamName)}*'s digest` : 'The sales digest';
  const text = `:calendar: ${what} will be posted in <#${channelId}> ${describeSchedule(schedule)} (${timezone}). Preview it with \`/tally digest preview\`; stop it with \`/tally digest here off${teamName ? ` ${escapeSlackText(teamName)}` : ''}\`.`;
  return { text: text.replaceAll('*', ''), blocks: [section(text)] };
}

export interface CelebrationInput {
  repId: string;
  milestone: number;
  metric: TargetMetric;
  period: Period;
  measure: Measure;
  currency: string;
}

const milestoneEmoji = (milestone: number) => (milestone >= 150 ? ':rocket:' : milestone >= 100 ? ':tada:' : ':fire:');

export function celebrationMessage({ repId, milestone, metric, period, measure, currency }: CelebrationInput): SlackMessage {
  const emoji = milestoneEmoji(milestone);
  const text = `${emoji} <@${repId}> just reached *${milestone}%* of their ${period.kind} ${metric === 'revenue' ? 'revenue' : 'deals'} target: ${formatAmount(measure.actual, metric, currency)} of ${formatAmount(measure.target, metric, currency)} for ${describePeriod(period)}.`;
  return { text: text.replaceAll('*', ''), blocks: [section(text)] };
}

/**
 * What a celebration becomes when a void or an edit leaves its milestone unreached: the claim
 * struck through, and where the rep stands now (when it is known).
 */
export function withdrawnCelebrationMessage({
  repId,
  milestone,
  metric,
  period,
  measure,
  currency,
}: Omit<CelebrationInput, 'measure'> & { measure: Measure | null }): SlackMessage {
  const claim = `~${milestoneEmoji(milestone)} <@${repId}> reached ${milestone}% of their ${period.kind} ${metric === 'revenue' ? 'revenue' : 'deals'} target for ${describePeriod(period)}~`;
  const now = measure
    ? `, and <@${repId}> is at ${formatPercent(measure.percent)} (${formatAmount(measure.actual, metric, currency)} of ${formatAmount(measure.target, metric, currency)})`
    : '';
  const text = `${claim}\n_Withdrawn: a sale was voided or changed${now}._`;
  return {
    text: `Withdrawn: <@${repId}> is no longer at ${milestone}% of their ${period.kind} target for ${describePeriod(period)}.`,
    blocks: [section(text)],
  };
}

/** What `/tally digest send` answers at once; the post itself follows in the channel. */
export type DigestSendAnswer =
  | { kind: 'posting' }
  | { kind: 'already_posted'; slot: Date; channelId: string; ts: string }
  | { kind: 'in_progress'; slot: Date };

export function digestSendMessage(answer: DigestSendAnswer, timezone: string, teamDomain: string | undefined): SlackMessage {
  let text: string;
  if (answer.kind === 'posting') text = ':outbox_tray: Posting the digest in this channel now. It appears in a moment.';
  else if (answer.kind === 'in_progress')
    text = `:hourglass_flowing_sand: The digest for ${slotLabel(answer.slot, timezone)} is being posted right now; it appears in a moment. Nothing more to do.`;
  else {
    const link = messageLink(teamDomain, answer.channelId, answer.ts);
    text = `:white_check_mark: The digest for ${slotLabel(answer.slot, timezone)} is already posted in <#${answer.channelId}>: <${link}|see it>. Each digest is posted once; the next one follows the schedule (\`/tally digest\`).`;
  }
  return { text, blocks: [section(text)] };
}

/** Told afterwards when a send by hand could not post. */
export function digestSendFailedMessage(): SlackMessage {
  const text =
    ':warning: The digest could not be posted in this channel (Slack did not accept it). Nothing was posted; try `/tally digest send` again in a minute.';
  return { text, blocks: [section(text)] };
}

/** A message's archive link, as Slack's permalinks read, built from channel and ts. */
export function messageLink(teamDomain: string | undefined, channelId: string, ts: string): string {
  const host = teamDomain && /^[a-z0-9-]+$/i.test(teamDomain) ? `${teamDomain}.slack.com` : 'slack.com';
  return `https://${host}/archives/${channelId}/p${ts.replace('.', '')}`;
}

function slotLabel(slot: Date, timezone: string): string {
  return dayjs(slot).tz(timezone).format('ddd D MMM HH:mm');
}
