// The /leaderboard reply. Pure: a Leaderboard in, Block Kit out, within Slack's limits for
// any number of reps (top 10, the viewer's own row, "and N more").
import type { RankedRow } from '../../domain/leaderboard.js';
import { forecastRangeText } from '../../domain/forecast.js';
import { formatMoney } from '../../domain/money.js';
import { escapeSlackText } from '../../domain/slack-text.js';
import type { Leaderboard, LeaderboardEntry } from '../../services/leaderboard.js';
import { context, header, section, type SlackMessage } from './blocks.js';
import { describePeriod, formatAmount, formatPercent } from './format.js';

const MEDALS: Record<number, string> = { 1: ':first_place_medal:', 2: ':second_place_medal:', 3: ':third_place_medal:' };

export function leaderboardRow(row: RankedRow<LeaderboardEntry>, currency: string, viewerId: string): string {
  const who = row.userId === viewerId ? `*<@${row.userId}> (you)*` : `<@${row.userId}>`;
  const rank = MEDALS[row.rank] ?? `${row.rank}.`;
  const amount = formatMoney(row.actual, currency);
  const move = row.movement.kind === 'same' ? '' : ` ${row.movement.text}`;
  if (!row.hasTarget) return `${rank} ${who}  ${amount} · no target${move}`;
  const from =
    row.targetFrom?.source === 'months' && row.targetFrom.monthsSet < row.targetFrom.months
      ? ` _(${row.targetFrom.monthsSet} of ${row.targetFrom.months} months set)_`
      : '';
  const mark = row.measure!.final ? '' : ` ${row.measure!.mark}`;
  return `${rank} ${who}  ${amount} / ${formatMoney(row.target!, currency)}${from} · *${formatPercent(row.percent)}*${mark}${move}`;
}

/** Says when the period's targets are the sums of monthly targets (a quarter or year without its own). */
function derivedNote(board: Leaderboard): string {
  return board.ranked.some((r) => r.targetFrom?.source === 'months')
    ? ` ${KIND_NAME[board.period.kind]} targets from monthly targets.`
    : '';
}

const KIND_NAME = { week: 'Week', month: 'Month', quarter: 'Quarter', year: 'Year' } as const;

export function leaderboardMessage(board: Leaderboard, viewerId: string): SlackMessage {
  const { window, currency, period } = board;
  const title = `Leaderboard · ${board.salesTeam ? `${board.salesTeam.name} · ` : ''}${describePeriod(period)}`;
  if (board.ranked.length === 0) {
    const text = `No sales yet in ${describePeriod(period)}${board.salesTeam ? ` for ${escapeSlackText(board.salesTeam.name)}` : ''}. Log one with \`/logsale 1200 Acme\`.`;
    return { text, blocks: [header(title), section(text)] };
  }
  const lines = window.top.map((row) => leaderboardRow(row, currency, viewerId));
  if (window.viewer) lines.push('…', leaderboardRow(window.viewer, currency, viewerId));
  if (window.notShown > 0) lines.push(`_and ${window.notShown} more_`);
  const total = board.totals.target
    ? `Total ${formatMoney(board.totals.actual, currency)} of ${formatMoney(board.totals.target, currency)} targeted (${formatAmount(board.totals.deals, 'deals', currency)})`
    : `Total ${formatMoney(board.totals.actual, currency)} (${formatAmount(board.totals.deals, 'deals', currency)})`;
  const projection = board.forecast ? ` · by the end of the ${period.kind}: ${forecastRangeText(board.forecast, currency, 'revenue')}` : '';
  return {
    text: `${title}: ${window.top.map((r) => `${r.rank}. <@${r.userId}> ${formatMoney(r.actual, currency)}${r.hasTarget ? ` (${formatPercent(r.percent)})` : ''}`).join(', ')}`,
    blocks: [
      header(title),
      section(lines.join('\n')),
      context(
        `${total}${projection}`,
        board.final
          ? `Final: the ${period.kind} is over. Ranked by % of target; reps without a target follow by amount.${derivedNote(board)} ▲▼ against the ${period.kind} before`
          : `Ranked by % of target; reps without a target follow by amount.${derivedNote(board)} :large_green_circle: ahead · :large_yellow_circle: on track · :red_circle: behind · ▲▼ since last period`,
      ),
    ],
  };
}
