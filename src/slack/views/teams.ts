import type { SalesTeam, TargetMetric } from '../../db/schema.js';
import { forecastRangeText, type Forecast } from '../../domain/forecast.js';
import { formatMoney } from '../../domain/money.js';
import type { Measure } from '../../domain/pace.js';
import type { Period } from '../../domain/periods.js';
import { escapeSlackText } from '../../domain/slack-text.js';
import type { TeamTarget } from '../../domain/target-plan.js';
import { context, header, section, type Block, type SlackMessage } from './blocks.js';
import { describePeriod, formatAmount, progressLine } from './format.js';

export interface DatedPerson {
  userId: string;
  from: string | null;
  to: string | null;
}

export interface TeamOverview {
  team: SalesTeam & { members: DatedPerson[]; managers: DatedPerson[] };
  target: TeamTarget;
  measure: Measure | null;
  amount: bigint;
  forecast: Forecast;
}

const MAX_TEAMS_SHOWN = 40;
const MAX_MEMBERS_SHOWN = 30;

/** A person with the dates of their stint where they say something: joining later, since a date, leaving. */
function datedPerson(person: DatedPerson, today: string): string {
  const notes = [];
  if (person.from !== null && person.from > today) notes.push(`from ${person.from}`);
  else if (person.from !== null) notes.push(`since ${person.from}`);
  if (person.to !== null) notes.push(`until ${person.to}`);
  return notes.length > 0 ? `<@${person.userId}> (${notes.join(', ')})` : `<@${person.userId}>`;
}

function memberList(people: readonly DatedPerson[], today: string): string {
  if (people.length === 0) return '_no members yet_';
  const shown = people
    .slice(0, MAX_MEMBERS_SHOWN)
    .map((p) => datedPerson(p, today))
    .join(' ');
  return people.length > MAX_MEMBERS_SHOWN ? `${shown} _and ${people.length - MAX_MEMBERS_SHOWN} more_` : shown;
}

export interface TeamChange {
  team: { name: string };
  changed: readonly string[];
  from: string;
  today: string;
}

/** The reply to adding or removing members or managers of a team from a date on. */
export function teamChangeMessage(change: TeamChange, what: 'members' | 'managers', add: boolean): string {
  const team = `*${escapeSlackText(change.team.name)}*`;
  const who = change.changed.map((id) => `<@${id}>`).join(', ');
  const day = change.from === change.today ? `today (${change.from})` : change.from;
  if (change.changed.length === 0) {
    if (what === 'managers')
      return add
        ? `Nothing changed: they already manage ${team} from ${change.from} on.`
        : `Nothing changed: they don't manage ${team} on or after ${change.from}.`;
    return add
      ? `Nothing changed: they were already in ${team} from ${change.from} on.`
      : `Nothing changed: they weren't in ${team} on or after ${change.from}.`;
  }
  if (what === 'managers') {
    return add
      ? `:briefcase: ${who} ${change.changed.length === 1 ? 'manages' : 'manage'} ${team} from ${day}: targets, sales and members of its reps.`
      : `${who} no longer ${change.changed.length === 1 ? 'manages' : 'manage'} ${team} from ${day}.`;
  }
  if (!add) return `Removed ${who} from ${team} from ${day}. Sales closed before then still count for ${team}.`;
  const earlier =
    change.from === change.today
      ? ` To count earlier sales for ${team} too, give the first day: \`/tally teams ${escapeSlackText(change.team.name)} add @rep from YYYY-MM-DD\`.`
      : '';
  return `Added ${who} to ${team} from ${day}: sales closed from then on count for ${team}.${earlier}`;
}

/** How a team's target came about, with the gap when a hand-set target differs from its reps' sum. */
export function teamTargetLine(target: TeamTarget, currency: string, metric: TargetMetric = 'revenue'): string {
  const amount = (value: bigint) => formatAmount(value, metric, currency);
  if (target.source === 'none') return 'No target: set one for the team or its reps with `/target`.';
  const derived = target.derived ? ` (${target.derived})` : '';
  if (target.source === 'rollup') return `Target ${amount(target.amount!)}, the sum of its reps' targets${derived}.`;
  const gap = target.gap;
  if (gap === null || gap === 0n)
    return `Target ${amount(target.amount!)}, set for the team${derived}${gap === 0n ? " (equal to its reps' targets)" : ''}.`;
  const side = gap > 0n ? 'more' : 'less';
  return `Target ${amount(target.amount!)}, set for the team${derived}: :warning: ${amount(gap > 0n ? gap : -gap)} ${side} than its reps' targets (${amount(target.membersSum)}).`;
}

export function teamsListMessage(overviews: readonly TeamOverview[], period: Period, currency: string, today: string): SlackMessage {
  if (overviews.length === 0) {
    const text = 'No sales teams yet. A manager can create one with `/tally teams add east #team-east`, then `/tally teams east add @rep`.';
    return { text, blocks: [section(text)] };
  }
  const blocks: Block[] = [header(`Teams · ${describePeriod(period)}`)];
  for (const { team, target, measure, amount, forecast } of overviews.slice(0, MAX_TEAMS_SHOWN)) {
    const members = memberList(team.members, today);
    const managers = team.managers.length > 0 ? `\nManaged by ${team.managers.map((p) => datedPerson(p, today)).join(' ')}` : '';
    const channel = team.channel_id ? ` · <#${team.channel_id}>` : '';
    const progress = measure
      ? progressLine(measure, 'revenue', currency, forecast)
      : `${formatMoney(amount, currency)} so far · ${forecastRangeText(forecast, currency, 'revenue')}`;
    blocks.push(
      section(`*${escapeSlackText(team.name)}*${channel}\n${members}${managers}\n${teamTargetLine(target, currency)}\n${progress}`),
    );
  }
  if (overviews.length > MAX_TEAMS_SHOWN) blocks.push(context(`and ${overviews.length - MAX_TEAMS_SHOWN} more teams`));
  blocks.push(
    context(
      'Add reps with `/tally teams NAME add @rep [from YYYY-MM-DD]`; a rep may be in several teams, and a sale counts for the teams its rep was in on its close date.',
    ),
  );
  return { text: `Teams: ${overviews.map((o) => o.team.name).join(', ')}`, blocks };
}
