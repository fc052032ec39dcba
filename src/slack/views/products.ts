// Product analysis as managers read it: /tally products and the flagged lines of the digest
// and App Home. Pure.
import { formatMoney } from '../../domain/money.js';
import { escapeSlackText } from '../../domain/slack-text.js';
import type { ProductAnalysis, ProductRow } from '../../services/products.js';
import { context, header, section, type SlackMessage } from './blocks.js';
import { describePeriod } from './format.js';

/** Why a product is flagged: below its target's pace, or well below its usual week. */
export function productReasons(row: ProductRow, currency: string): string {
  const money = (minor: bigint) => formatMoney(minor, currency);
  const reasons: string[] = [];
  if (row.flags.belowTarget && row.expected !== null)
    reasons.push(`${money(row.monthActual)} this month, below 80% of the ${money(row.expected)} its target expects by now`);
  if (row.flags.belowTrend && row.trailingAverage !== null) {
    reasons.push(
      `${money(row.lastWeek)} last week, ${row.flags.changePercent}% against its 8-week average of ${money(row.trailingAverage)}`,
    );
  }
  return reasons.join('; ');
}

const MAX_ROWS = 40;

export function productTableMessage(analysis: ProductAnalysis, currency: string): SlackMessage {
  const money = (minor: bigint) => formatMoney(minor, currency);
  if (analysis.rows.length === 0) {
    const text = 'The product catalogue is empty. A manager can add products with `/tally products add NAME`.';
    return { text, blocks: [section(text)] };
  }
  const lines = analysis.rows.slice(0, MAX_ROWS).map((row) => {
    const mark = row.flags.belowTarget || row.flags.belowTrend ? ':warning:' : ':white_check_mark:';
    const target =
      row.monthTarget === null
        ? 'no target'
        : `${money(row.monthActual)} of ${money(row.monthTarget)} (expected ${money(row.expected!)} by now)`;
    const trend =
      row.trailingAverage === null
        ? 'no history'
        : `last week ${money(row.lastWeek)} vs ${money(row.trailingAverage)} avg (${row.flags.changePercent! >= 0 ? '+' : ''}${row.flags.changePercent}%)`;
    return `${mark} *${escapeSlackText(row.name)}* · ${row.monthTarget === null ? `${money(row.monthActual)} this month, ` : ''}${target} · ${trend}`;
  });
  if (analysis.rows.length > MAX_ROWS) lines.push(`_and ${analysis.rows.length - MAX_ROWS} more_`);
  const chunks: string[] = [];
  for (const line of lines) {
    if (chunks.length > 0 && chunks[chunks.length - 1]!.length + line.length < 2900) chunks[chunks.length - 1] += `\n${line}`;
    else chunks.push(line);
  }
  return {
    text: `Products: ${analysis.rows.filter((r) => r.flags.belowTarget || r.flags.belowTrend).length} need attention`,
    blocks: [
      header(`Products · ${describePeriod(analysis.month)}`),
      ...chunks.map(section),
      context(
        `:warning: flags a product below 80% of what its month target expects by now, or more than 20% below its average week over the 8 weeks before last week (${describePeriod(analysis.week)}).`,
        'Managers add products with `/tally products add NAME` and set product targets with `/target`.',
      ),
    ],
  };
}
