// "Log it anyway?": what the guard rails ask before storing a likely duplicate or an unusually
// large sale, and the answer to Cancel. Pure.
import { formatMoney } from '../../domain/money.js';
import { attainmentPercent } from '../../domain/pace.js';
import { escapeSlackText } from '../../domain/slack-text.js';
import type { GuardRailFinding } from '../../services/guard-rails.js';
import { ACTIONS } from '../ids.js';
import { encodePendingSale, type PendingSale } from '../pending-sale.js';
import { button, section, type SlackMessage } from './blocks.js';
import { formatPercent } from './format.js';

/** The sale as typed: amount, customer, product, close date and, when not the viewer's, whose. */
export function describePendingSale(sale: PendingSale, viewerId: string): string {
  const parts = [`*${formatMoney(sale.amountMinor, sale.currency)}*`];
  if (sale.customer) parts.push(`from *${escapeSlackText(sale.customer)}*`);
  if (sale.productName) parts.push(`· ${escapeSlackText(sale.productName)}`);
  parts.push(`· closed ${sale.closedOn}`);
  if (sale.repId !== viewerId) parts.push(`for <@${sale.repId}>`);
  return parts.join(' ');
}

function minutesAgo(minutes: number): string {
  return minutes < 1 ? 'less than a minute ago' : minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
}

export function findingLine(finding: GuardRailFinding, sale: PendingSale, workspaceCurrency: string, viewerId: string): string {
  const own = sale.repId === viewerId;
  if (finding.kind === 'duplicate') {
    return `The same amount and customer was logged ${own ? 'for you' : `for <@${sale.repId}>`} ${minutesAgo(finding.minutesAgo)} (sale ${finding.saleId}).`;
  }
  const whose = own ? 'your' : `<@${sale.repId}>'s`;
  const largest = finding.largestLastYear === null ? 'there is none' : formatMoney(finding.largestLastYear, workspaceCurrency);
  const share = formatPercent(attainmentPercent(sale.amountMinor, finding.monthTarget));
  return (
    `This is more than 5× ${whose} largest sale of the last year (${largest}) and more than ${whose} month target ` +
    `(${formatMoney(finding.monthTarget, workspaceCurrency)}): on its own it is ${share} of the target.`
  );
}

export function saleQuestionMessage(
  findings: readonly GuardRailFinding[],
  sale: PendingSale,
  workspaceCurrency: string,
  viewerId: string,
): SlackMessage {
  const value = encodePendingSale(sale);
  const lines = findings.map((f) => `• ${findingLine(f, sale, workspaceCurrency, viewerId)}`);
  const text = `:raised_hand: *Log it anyway?* ${describePendingSale(sale, viewerId)}\n${lines.join('\n')}\nNothing is saved until you choose *Log it*.`;
  return {
    text: text.replaceAll('*', ''),
    blocks: [
      section(text),
      {
        type: 'actions',
        block_id: 'sale_question',
        elements: [button('Log it', ACTIONS.confirmSale, value, { style: 'primary' }), button('Cancel', ACTIONS.cancelSale, value)],
      },
    ],
  };
}

export function saleCancelledMessage(sale: PendingSale, viewerId: string): SlackMessage {
  const text = `:x: Not logged: ${describePendingSale(sale, viewerId)}. Nothing was saved.`;
  return { text: text.replaceAll('*', ''), blocks: [section(text)] };
}
