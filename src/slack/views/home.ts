// App Home (views.publish), by role (see services/home.ts). Pure: HomeData in, a home view
// out, within 100 blocks for any number of reps and teams (long lists are cut with "and N more").
import type { types } from '@slack/bolt';
import { formatMoney } from '../../domain/money.js';
import { describeSchedule } from '../../domain/schedule.js';
import { escapeSlackText } from '../../domain/slack-text.js';
import type { HomeData, ManagedTeam, ManagerHome, RepStanding, SetupStatus, TeamStanding } from '../../services/home.js';
import type { SaleWithProduct } from '../../services/sale-lookup.js';
import { ACTIONS } from '../ids.js';
import { button, context, divider, header, plainText, section, type Block } from './blocks.js';
import { describePeriod, formatAmount, formatPercent } from './format.js';
import { leaderboardRow } from './leaderboard.js';
import { progressBlocks } from './my-progress.js';
import { productReasons } from './products.js';

const MAX_BEHIND = 15;
const MAX_STANDINGS = 10;
const MAX_PRODUCTS = 10;

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

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/**
 * Where the person stands on this month's leaderboard and how that moved since where they
 * finished last month: the same rank and ▲/▼ as `/leaderboard`.
 */
export function rankLine(standing: RepStanding): string {
  const { entry, of, period } = standing;
  const kind = period.kind;
  if (!entry) return `:trophy: Not on this ${kind}'s leaderboard yet: a sale this ${kind} puts you on it.`;
  const moved =
    entry.movement.kind === 'up'
      ? `up ${entry.movement.by} since last ${kind} (${entry.movement.text})`
      : entry.movement.kind === 'down'
        ? `down ${entry.movement.by} since last ${kind} (${entry.movement.text})`
        : entry.movement.kind === 'same'
          ? `same place as last ${kind}`
          : `not ranked last ${kind}`;
  return `:trophy: *${ordinal(entry.rank)} of ${of}* on this ${kind}'s leaderboard · ${moved}`;
}

/**
 * A team on the team board: `*East* · 1st of 3 teams` and its period so far against its
 * target, with the pace mark once (`/tally teams` has its projection).
 */
export function teamStandingLine(standing: TeamStanding, currency: string): string {
  const { team, rank, of, amount, target, measure } = standing;
  const place = of > 1 ? ` · ${ordinal(rank)} of ${of} teams` : '';
  const numbers =
    measure && target.amount !== null
      ? `${formatMoney(amount, currency)} of ${formatMoney(target.amount, currency)} · *${formatPercent(measure.percent)}* · ${measure.mark} ${measure.label}`
      : `${formatMoney(amount, currency)} so far · no target`;
  return `*${escapeSlackText(team.name)}*${place}\n${numbers}`;
}

function ownNumbers(data: HomeData, blocks: Block[], forRep: boolean): void {
  const { snapshot, workspace } = data;
  const currency = workspace.currency;
  blocks.push(header('Your numbers'), section(rankLine(data.standing)));
  if (snapshot.progress.length > 0) blocks.push(...progressBlocks(snapshot.progress, currency));
  else if (forRep) blocks.push(section('You have no targets yet. Your manager sets them with `/target`.'));
  blocks.push(
    context(
      snapshot.totals
        .map((t) => `${t.label}: *${formatMoney(t.amountMinor, currency)}* (${formatAmount(t.deals, 'deals', currency)})`)
        .join('  ·  '),
    ),
  );
}

function actionButtons(data: HomeData): types.ActionsBlock {
  const actions: types.Button[] = [button('Log a sale', ACTIONS.openLogSale, 'self', { style: 'primary' })];
  if (data.manager)
    actions.push(button('Log a sale for a rep', ACTIONS.openLogSale, 'for_rep'), button('Set target', ACTIONS.openSetTarget, 'open'));
  // Managers change the guard rails there; admins every setting.
  if (data.manager) actions.push(button('Settings', ACTIONS.openSettings, 'open'));
  return { type: 'actions', block_id: 'home_actions', elements: actions };
}

function lastSales(data: HomeData, blocks: Block[]): void {
  blocks.push(divider(), header('Your last sales'));
  if (data.recentSales.length === 0) blocks.push(section('No sales yet. Log one with `/logsale 1200 Acme` or the button above.'));
  else blocks.push(...data.recentSales.map((sale) => saleBlock(sale, data.workspace.currency)));
}

function myTeams(data: HomeData, blocks: Block[]): void {
  const title = data.myTeams.length > 1 ? 'Your teams' : 'Your team';
  blocks.push(divider(), header(`${title} · ${describePeriod(data.standing.period)}`));
  if (data.myTeams.length === 0) blocks.push(section("You're in no sales team yet. A manager adds you with `/tally teams NAME add @you`."));
  else blocks.push(section(data.myTeams.map((t) => teamStandingLine(t, data.workspace.currency)).join('\n\n')));
}

function behindLine(r: ManagerHome['behind'][number], currency: string): string {
  return `• <@${r.userId}> ${formatPercent(r.measure!.percent)} of ${formatMoney(r.target!, currency)}, ${formatMoney(r.measure!.stillNeeded, currency)} to go`;
}

function managedTeamBlocks(team: ManagedTeam, currency: string, viewerId: string): Block[] {
  const { board } = team;
  const name = escapeSlackText(team.standing.team.name);
  const lines = board.window.top.map((row) => leaderboardRow(row, currency, viewerId));
  if (board.ranked.length === 0) lines.push('_No sales or targets this month yet._');
  else if (board.ranked.length > board.window.top.length)
    lines.push(`_and ${board.ranked.length - board.window.top.length} more: \`/leaderboard ${name}\`_`);
  return [section(teamStandingLine(team.standing, currency)), section(lines.join('\n'))];
}

function managerBlocks(data: HomeData, manager: ManagerHome): Block[] {
  const currency = data.workspace.currency;
  const month = describePeriod(data.standing.period);
  const blocks: Block[] = [];
  if (manager.scope === 'teams') {
    blocks.push(header(`Your teams · ${month}`));
    if (manager.standings.length === 0)
      blocks.push(section('You manage no sales team today. An admin gives you one with `/tally teams NAME managers add @you`.'));
    for (const team of manager.teams) blocks.push(...managedTeamBlocks(team, currency, data.userId));
    if (manager.standings.length > manager.teams.length)
      blocks.push(context(`and ${manager.standings.length - manager.teams.length} more teams: \`/tally teams\``));
  } else {
    const board = manager.board!;
    blocks.push(header(`Leaderboard · ${month}`));
    if (board.ranked.length === 0) blocks.push(section('No sales or targets this month yet.'));
    else {
      const lines = board.window.top.map((row) => leaderboardRow(row, currency, data.userId));
      if (board.ranked.length > board.window.top.length)
        lines.push(`_and ${board.ranked.length - board.window.top.length} more: \`/leaderboard\`_`);
      blocks.push(section(lines.join('\n')));
    }
    if (manager.standings.length > 0) {
      const lines = manager.standings.slice(0, MAX_STANDINGS).map((t) => teamStandingLine(t, currency));
      if (manager.standings.length > MAX_STANDINGS) lines.push(`_and ${manager.standings.length - MAX_STANDINGS} more: \`/tally teams\`_`);
      blocks.push(section(`*Teams*\n${lines.join('\n\n')}`));
    }
  }
  if (manager.behind.length > 0) {
    const lines = manager.behind.slice(0, MAX_BEHIND).map((r) => behindLine(r, currency));
    if (manager.behind.length > MAX_BEHIND) lines.push(`_and ${manager.behind.length - MAX_BEHIND} more_`);
    blocks.push(section(`:red_circle: *Behind pace*\n${lines.join('\n')}`));
  }
  if (manager.products.length > 0) {
    const lines = manager.products.slice(0, MAX_PRODUCTS).map((p) => `• *${escapeSlackText(p.name)}*: ${productReasons(p, currency)}`);
    if (manager.products.length > MAX_PRODUCTS) lines.push(`_and ${manager.products.length - MAX_PRODUCTS} more: \`/tally products\`_`);
    blocks.push(section(`:warning: *Products needing attention*\n${lines.join('\n')}`));
  }
  return blocks;
}

/** Whether anything an admin should set up is missing. */
export function setupMissing(setup: SetupStatus): string[] {
  const missing: string[] = [];
  if (setup.digestChannels.length === 0) missing.push('a digest channel');
  if (setup.teams === 0) missing.push('a sales team');
  if (setup.products === 0) missing.push('a product');
  if (setup.targets === 0n) missing.push('a target');
  return missing;
}

function setupItem(text: string, label: string, actionId: string): types.SectionBlock {
  return { ...section(text), accessory: button(label, actionId, 'open') };
}

const plural = (n: number | bigint, one: string, many: string) => `${n} ${n === 1 || n === 1n ? one : many}`;

function setupBlocks(data: HomeData, setup: SetupStatus): Block[] {
  const { workspace } = data;
  const missing = setupMissing(setup);
  const channels = setup.digestChannels
    .slice(0, 10)
    .map(
      (c) =>
        `<#${c.channelId}> (${c.teamName ? `team ${escapeSlackText(c.teamName)}` : 'the whole company'}, ${describeSchedule({ cadence: c.cadence, time: c.time, weekday: c.weekday })})`,
    );
  if (setup.digestChannels.length > 10) channels.push(`and ${setup.digestChannels.length - 10} more: \`/tally digest\``);
  const locked = workspace.locked_through ? `locked through ${workspace.locked_through}` : 'no closed periods';
  return [
    header('Setup'),
    section(
      missing.length === 0
        ? ':white_check_mark: Tally is set up.'
        : `:warning: Still missing: ${missing.join(', ')}. Each button below sets it up.`,
    ),
    setupItem(`*Timezone* ${workspace.timezone} · *Currency* ${workspace.currency}`, 'Change', ACTIONS.openSettings),
    setupItem(
      channels.length > 0 ? `*Digest* ${channels.join(', ')}` : ':warning: *No digest channel*: no channel gets the weekly digest yet.',
      channels.length > 0 ? 'Add a channel' : 'Choose a channel',
      ACTIONS.openDigestChannel,
    ),
    setupItem(
      setup.teams > 0
        ? `*Sales teams* ${plural(setup.teams, 'team', 'teams')}: \`/tally teams\``
        : ':warning: *No sales teams*: teams get their own board, channel and digest.',
      'Add a team',
      ACTIONS.openAddTeam,
    ),
    setupItem(
      setup.products > 0
        ? `*Products* ${plural(setup.products, 'product', 'products')}: \`/tally products\``
        : ':warning: *No products*: sales can name a product once the catalogue has it.',
      'Add a product',
      ACTIONS.openAddProduct,
    ),
    setupItem(
      setup.targets > 0n
        ? `*Targets* ${plural(setup.targets, 'target', 'targets')} set`
        : ':warning: *No targets*: pace and the leaderboard need them.',
      'Set target',
      ACTIONS.openSetTarget,
    ),
    context(
      `Workspace: ${workspace.timezone} · ${workspace.currency} · fiscal year starts in month ${workspace.fiscal_year_start_month} · ${locked} · celebrations ${workspace.celebrations_enabled ? `on at ${workspace.milestones.join('/')}%` : 'off'}`,
    ),
  ];
}

export function homeView(data: HomeData): types.HomeView {
  const { manager, setup } = data;
  const blocks: Block[] = [];
  if (!manager) {
    // A rep: rank and movement, targets with pace, the last sales, their teams' standing.
    ownNumbers(data, blocks, true);
    blocks.push(actionButtons(data));
    lastSales(data, blocks);
    myTeams(data, blocks);
    return { type: 'home', blocks };
  }
  // Managers and admins: an admin with something missing sees the setup first.
  const setupFirst = setup !== null && setupMissing(setup).length > 0;
  if (setup && setupFirst) blocks.push(...setupBlocks(data, setup), divider());
  blocks.push(...managerBlocks(data, manager), actionButtons(data));
  // Their own numbers only when they sell: targets of their own, or sales.
  if (data.snapshot.progress.length > 0 || data.recentSales.length > 0) {
    blocks.push(divider());
    ownNumbers(data, blocks, false);
    lastSales(data, blocks);
  }
  if (setup && !setupFirst) blocks.push(divider(), ...setupBlocks(data, setup));
  return { type: 'home', blocks };
}
