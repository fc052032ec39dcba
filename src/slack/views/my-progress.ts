import { formatMoney } from '../../domain/money.js';
import { header, section, type SlackMessage } from './blocks.js';
import type { PeriodTotal } from './sale-messages.js';

export interface MyProgressInput {
  currency: string;
  totals: PeriodTotal[];
}

/** `/tally me`: the person's own totals for the current week, month and quarter. */
export function myProgressMessage({ currency, totals }: MyProgressInput): SlackMessage {
  const lines = totals.map(
    (t) => `*${t.label}*: ${formatMoney(t.amountMinor, currency)} from ${t.deals} ${t.deals === 1n ? 'deal' : 'deals'}`,
  );
  return {
    text: `Your sales: ${totals.map((t) => `${t.label} ${formatMoney(t.amountMinor, currency)}`).join(', ')}`,
    blocks: [header('Your sales'), section(lines.join('\n'))],
  };
}
