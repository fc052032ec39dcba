// App Home (views.publish). Pure: HomeData in, a home view out, within 100 blocks for any
// number of reps (long lists are cut with "and N more").
import type { types } from '@slack/bolt';
import { formatMoney } from '../../domain/money.js';
import { escapeSlackText } from '../../domain/slack-text.js';
import type { HomeData } from '../../services/home.js';
import type { SaleWithProduct } from '../../store/sales.js';
import { ACTIONS } from '../ids.js';
import { button, context, divider, header, plainText, section, type Block } from './blocks.js';
import { describePeriod, formatAmount, formatPercent } from './format.js';
import { leaderboardRow } from './leaderboard.js';
import { progressBlocks } from './my-progress.js';
import { productReasons } from './products.js';

const MAX_BEHIND = 15;

export function saleLine(sale: SaleWithProduct, currency: string): string {
  const parts = [`*${formatMoney(sale.amount_minor, sale.currency)}*`, sale.closed_on];
  if (sale.customer) parts.push(escapeSlackText(sale.customer));
  if (sale.product_name) parts.push(`#${escapeSlackText(sale.product_name)}`);
  if (sale.original_currency !== currency) parts.push(`(${formatMoney(sale.original_amount_minor, sale.original_currency)})`);
  return parts.join(' · ');
}

function saleBlock(sale: SaleWithProduct, currency: string): types.SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: saleLine(sale, currency) },
    accessory: {
      type: 'overflow',
      action_id: ACTIONS.saleMenu,
      options: [
        { text: plainText('Edit'), value: `edit:${sale.id}` },
        { text: plainText('Void'), value: `void:${sale.id}` },
      ],
    },
  };
}

export function homeView(data: HomeData): types.HomeView {
  const { workspace, snapshot, manager } = data;
  const currency = workspace.currency;
  const blocks: Block[] = [header('Your numbers')];
  if (snapshot.progress.length > 0) blocks.push(...progressBlocks(snapshot.progress, currency));
  else blocks.push(section('You have no targets yet. Your manager sets them with `/target`.'));
  blocks.push(context(snapshot.totals.map((t) => `${t.label}: *${formatMoney(t.amountMinor, currency)}* (${formatAmount(t.deals, 'deals', currency)})`).join('  ·  ')));

  const actions: types.Button[] = [button('Log a sale', ACTIONS.openLogSale, 'self', { style: 'primary' })];
  if (manager) actions.push(button('Log a sale for a rep', ACTIONS.openLogSale, 'for_rep'), button('Set target', ACTIONS.openSetTarget, 'open'));
  // Managers change the guard rails there; admins every setting.
  if (data.role === 'admin' || manager) actions.push(button('Settings', ACTIONS.openSettings, 'open'));
  blocks.push({ type: 'actions', block_id: 'home_actions', elements: actions });

  blocks.push(divider(), header('Your last sales'));
  if (data.recentSales.length === 0) blocks.push(section('No sales yet. Log one with `/logsale 1200 Acme` or the button above.'));
  else blocks.push(...data.recentSales.map((sale) => saleBlock(sale, currency)));

  if (manager) {
    const { board } = manager;
    blocks.push(divider(), header(`Team · ${describePeriod(board.period)}`));
    if (board.ranked.length === 0) blocks.push(section('No sales or targets this month yet.'));
    else {
      const lines = board.window.top.map((row) => leaderboardRow(row, currency, data.userId));
      if (board.ranked.length > board.window.top.length) lines.push(`_and ${board.ranked.length - board.window.top.length} more: \`/leaderboard\`_`);
      blocks.push(section(lines.join('\n')));
    }
    if (manager.behind.length > 0) {
      const lines = manager.behind
        .slice(0, MAX_BEHIND)
        .map((r) => `• <@${r.userId}> ${formatPercent(r.measure!.percent)} of ${formatMoney(r.target!, currency)}, ${formatMoney(r.measure!.stillNeeded, currency)} to go`);
      if (manager.behind.length > MAX_BEHIND) lines.push(`_and ${manager.behind.length - MAX_BEHIND} more_`);
      blocks.push(section(`:red_circle: *Behind pace*\n${lines.join('\n')}`));
    }
    if (manager.products.length > 0) {
      const lines = manager.products.slice(0, 10).map((p) => `• *${escapeSlackText(p.name)}*: ${productReasons(p, currency)}`);
      blocks.push(section(`:warning: *Products needing attention*\n${lines.join('\n')}`));
    }
  }
  if (data.role === 'admin') {
    const locked = workspace.locked_through ? `locked through ${workspace.locked_through}` : 'no closed periods';
    blocks.push(
      divider(),
      context(
        `Workspace: ${workspace.timezone} · ${workspace.currency} · fiscal year starts in month ${workspace.fiscal_year_start_month} · ${locked} · celebrations ${workspace.celebrations_enabled ? `on at ${workspace.milestones.join('/')}%` : 'off'}`,
      ),
    );
  }
  return { type: 'home', blocks };
}
