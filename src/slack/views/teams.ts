import type { SalesTeam, TargetMetric } from '../../db/schema.js';
import { forecastRangeText, type Forecast } from '../../domain/forecast.js';
import { formatMoney } from '../../domain/money.js';
import type { Measure } from '../../domain/pace.js';
import type { Period } from '../../domain/periods.js';
import { escapeSlackText } from '../../domain/slack-text.js';
import type { TeamTarget } from '../../domain/target-plan.js';
import { context, header, section, type Block, type SlackMessage } from './blocks.js';
import { describePeriod, formatAmount, progressLine } from './format.js';

export interface TeamOverview {
  team: SalesTeam & { member_ids: string[] };
  target: TeamTarget;
  measure: Measure | null;
  amount: bigint;
  forecast: Forecast;
}

const MAX_TEAMS_SHOWN = 40;
const MAX_MEMBERS_SHOWN = 30;

function memberList(ids: readonly string[]): string {
  if (ids.length === 0) return '_no members yet_';
  const shown = ids.slice(0, MAX_MEMBERS_SHOWN).map((id) => `<@${id}>`).join(' ');
  return ids.length > MAX_MEMBERS_SHOWN ? `${shown} _and ${ids.length - MAX_MEMBERS_SHOWN} more_` : shown;
}

/** How a team's target came about, with the gap when a hand-set target differs from its reps' sum. */
export function teamTargetLine(target: TeamTarget, currency: string, metric: TargetMetric = 'revenue'): string {
  const amount = (value: bigint) => formatAmount(value, metric, currency);
  if (target.source === 'none') return 'No target: set one for the team or its reps with `/target`.';
  const derived = target.derived ? ` (${target.derived})` : '';
  if (target.source === 'rollup') return `Target ${amount(target.amount!)}, the sum of its reps' targets${derived}.`;
  const gap = target.gap;
  if (gap === null || gap === 0n) return `Target ${amount(target.amount!)}, set for the team${derived}${gap === 0n ? " (equal to its reps' targets)" : ''}.`;
  const side = gap > 0n ? 'more' : 'less';
  return `Target ${amount(target.amount!)}, set for the team${derived}: :warning: ${amount(gap > 0n ? gap : -gap)} ${side} than its reps' targets (${amount(target.membersSum)}).`;
}

export function teamsListMessage(overviews: readonly TeamOverview[], period: Period, currency: string): SlackMessage {
  if (overviews.length === 0) {
    const text = 'No sales teams yet. A manager can create one with `/tally teams add east #team-east`, then `/tally teams east add @rep`.';
    return { text, blocks: [section(text)] };
  }
  const blocks: Block[] = [header(`Teams · ${describePeriod(period)}`)];
  for (const { team, target, measure, amount, forecast } of overviews.slice(0, MAX_TEAMS_SHOWN)) {
    const members = memberList(team.member_ids);
    const channel = team.channel_id ? ` · <#${team.channel_id}>` : '';
    const progress = measure ? progressLine(measure, 'revenue', currency, forecast) : `${formatMoney(amount, currency)} so far · ${forecastRangeText(forecast, currency, 'revenue')}`;
    blocks.push(section(`*${escapeSlackText(team.name)}*${channel}\n${members}\n${teamTargetLine(target, currency)}\n${progress}`));
  }
  if (overviews.length > MAX_TEAMS_SHOWN) blocks.push(context(`and ${overviews.length - MAX_TEAMS_SHOWN} more teams`));
  blocks.push(context('Add reps with `/tally teams NAME add @rep`; a rep may be in several teams.'));
  return { text: `Teams: ${overviews.map((o) => o.team.name).join(', ')}`, blocks };
}
