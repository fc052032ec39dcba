// Replies about a single sale: the /logsale confirmation and the Undo result. Pure.
import type { Sale } from '../../db/schema.js';
import type { PeriodTotal } from '../../services/progress.js';
import type { TargetProgress } from '../../services/targets.js';
import { formatMoney } from '../../domain/money.js';
import { escapeSlackText } from '../../domain/slack-text.js';
import { ACTIONS } from '../ids.js';
import { button, context, section, type SlackMessage } from './blocks.js';
import { progressBlocks } from './my-progress.js';

export interface SaleConfirmationInput {
  sale: Sale;
  productName: string | null;
  /** The rep's totals for the current periods, e.g. this week and this month. */
  totals: PeriodTotal[];
  /** The rep's current targets, measured after this sale. */
  progress: TargetProgress[];
  /** True when this request repeated one already stored (nothing new was saved). */
  replayed: boolean;
  viewerId: string;
}

export function describeSale(sale: Sale, productName: string | null): string {
  const parts = [`*${formatMoney(sale.amount_minor, sale.currency)}*`];
  if (sale.original_currency !== sale.currency) parts[0] += ` (${formatMoney(sale.original_amount_minor, sale.original_currency)})`;
  if (sale.customer) parts.push(`from *${escapeSlackText(sale.customer)}*`);
  if (productName) parts.push(`· ${escapeSlackText(productName)}`);
  parts.push(`· closed ${sale.closed_on}`);
  return parts.join(' ');
}

export function saleConfirmationMessage(input: SaleConfirmationInput): SlackMessage {
  const { sale, productName, totals, progress, replayed, viewerId } = input;
  const forWhom = sale.rep_id === viewerId ? '' : ` for <@${sale.rep_id}>`;
  const headline = replayed
    ? `:information_source: Already logged${forWhom}: ${describeSale(sale, productName)}. Nothing new was saved.`
    : `:white_check_mark: Logged${forWhom} ${describeSale(sale, productName)}`;
  const totalsLine = totals
    .map((t) => `${t.label}: *${formatMoney(t.amountMinor, sale.currency)}* (${t.deals} ${t.deals === 1n ? 'deal' : 'deals'})`)
    .join('  ·  ');
  return {
    text: headline.replaceAll('*', ''),
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: headline },
        accessory: button('Undo', ACTIONS.undoSale, String(sale.id), {
          confirm: {
            title: { type: 'plain_text', text: 'Undo this sale?' },
            // Dialog text is at most 300 characters: amount and date, no customer or product.
            text: {
              type: 'plain_text',
              text: `The sale of ${formatMoney(sale.amount_minor, sale.currency)} closed ${sale.closed_on} will be voided and count nowhere.`,
            },
            confirm: { type: 'plain_text', text: 'Undo sale' },
            deny: { type: 'plain_text', text: 'Keep it' },
            style: 'danger',
          },
        }),
      },
      ...progressBlocks(progress, sale.currency),
      context(`${sale.rep_id === viewerId ? 'Your' : `<@${sale.rep_id}>'s`} totals — ${totalsLine}`),
    ],
  };
}

export function saleVoidedMessage(sale: Sale, productName: string | null): SlackMessage {
  const text = `:wastebasket: Voided ${describeSale(sale, productName)}. It no longer counts anywhere.`;
  return { text: text.replaceAll('*', ''), blocks: [section(text)] };
}
