import { formatMoney } from '../../domain/money.js';
import type { Period } from '../../domain/periods.js';
import { derivedTargetLabel } from '../../domain/target-in-force.js';
import type { PeriodTotal } from '../../services/progress.js';
import type { TargetProgress } from '../../services/targets.js';
import { context, header, section, type Block, type SlackMessage } from './blocks.js';
import { describePeriod, formatPercent, progressLine } from './format.js';

export interface MyProgressInput {
  currency: string;
  /** The period asked for (`/tally me last month`), and whether it is over; none for the current targets of every kind. */
  period?: { period: Period; final: boolean };
  totals: PeriodTotal[];
  progress: TargetProgress[];
}

const METRIC_LABEL = { revenue: 'revenue', deals: 'deals won' } as const;

/** One section per current target: period, metric, bar, %, pace, what is still needed, projection. */
export function progressBlocks(progress: readonly TargetProgress[], currency: string): Block[] {
  return progress.map((p) => {
    const derived = derivedTargetLabel(p.target);
    return section(
      `*${describePeriod(p.period)}* · ${METRIC_LABEL[p.metric]}${derived ? ` · _${derived}_` : ''}\n${progressLine(p.measure, p.metric, currency, p.forecast)}`,
    );
  });
}

/** A one-line summary of each target, for notifications and the /logsale confirmation. */
export function progressSummary(progress: readonly TargetProgress[]): string {
  return progress.map((p) => `${p.period.kind} ${formatPercent(p.measure.percent)} (${p.measure.label})`).join(', ');
}

/** `/tally me`: the person's own targets with attainment and pace, then their totals. */
export function myProgressMessage({ currency, period, totals, progress }: MyProgressInput): SlackMessage {
  const totalsLine = totals
    .map((t) => `*${t.label}*: ${formatMoney(t.amountMinor, currency)} from ${t.deals} ${t.deals === 1n ? 'deal' : 'deals'}`)
    .join('\n');
  const blocks: Block[] = [header(period ? `Your numbers · ${describePeriod(period.period)}` : 'Your numbers')];
  if (progress.length > 0) blocks.push(...progressBlocks(progress, currency));
  else if (period) blocks.push(section(`You ${period.final ? 'had' : 'have'} no target for ${period.period.key}.`));
  else blocks.push(section('You have no targets yet. Your manager can set them with `/target`.'));
  blocks.push(
    section(totalsLine),
    context(
      period?.final
        ? 'Final: the period is over.'
        : 'Pace: :large_green_circle: ahead of the expected amount to date · :large_yellow_circle: on track (90% or more of it) · :red_circle: behind',
    ),
  );
  const summary = progress.length > 0 ? `Your targets: ${progressSummary(progress)}. ` : '';
  return {
    text: `${summary}Your sales: ${totals.map((t) => `${t.label} ${formatMoney(t.amountMinor, currency)}`).join(', ')}`,
    blocks,
  };
}
