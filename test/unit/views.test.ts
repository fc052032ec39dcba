// The pure Block Kit builders: a text fallback, blocks within Slack's limits, user text
// escaped, and the exact lines people read.
import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import type { Sale, SalesTeam } from '../../src/db/schema.js';
import { leaderboardWindow, movement, rankReps } from '../../src/domain/leaderboard.js';
import { measure } from '../../src/domain/pace.js';
import { type Period, periodOfDate } from '../../src/domain/periods.js';
import { type PlanRow, planRows, teamTarget } from '../../src/domain/target-plan.js';
import type { Leaderboard } from '../../src/services/leaderboard.js';
import type { SaleFormChoices } from '../../src/services/sale-form.js';
import type { CurrentTarget, TargetProgress } from '../../src/services/targets.js';
import { ACTIONS, LOG_SALE_FIELDS, TARGET_FIELDS, VIEWS } from '../../src/slack/ids.js';
import { managerListMessage, productListMessage } from '../../src/slack/views/admin-messages.js';
import { ephemeral, type SlackMessage, section } from '../../src/slack/views/blocks.js';
import { describePeriod, formatAmount, formatPercent, progressLine } from '../../src/slack/views/format.js';
import { helpMessage } from '../../src/slack/views/help.js';
import { leaderboardMessage } from '../../src/slack/views/leaderboard.js';
import { logSaleModal } from '../../src/slack/views/log-sale-modal.js';
import { myProgressMessage, progressBlocks, progressSummary } from '../../src/slack/views/my-progress.js';
import { saleConfirmationMessage, saleVoidedMessage } from '../../src/slack/views/sale-messages.js';
import { currencyOptions, selectOption, timeZoneOptions } from '../../src/slack/views/select-options.js';
import { targetInfoText, targetModal, targetSavedMessage } from '../../src/slack/views/target-modal.js';
import { type TeamOverview, teamChangeMessage, teamTargetLine, teamsListMessage } from '../../src/slack/views/teams.js';
import { BLOCK_KIT_LIMITS, validateMessageBlocks, validateView } from '../../slack-standin/block-kit-limits.js';

const TZ = 'UTC';
const NOVEMBER = periodOfDate('month', '2026-11-01', TZ, 1);
const MONTH_NOV = 'Month 2026-11 (Nov 1 – Nov 30)';
/** 12 of November's 30 days have passed: 40% of a target is expected. */
const NOW = new Date('2026-11-13T00:00:00Z');

const measured = (actual: bigint, target = 1_000_000n, period: Period = NOVEMBER, now = NOW) =>
  measure({ actual, target, period, now, tz: TZ });

/** Every message has a fallback for notifications and blocks Slack accepts. */
function expectValidMessage(message: SlackMessage): void {
  expect(message.text.trim()).not.toBe('');
  expect(validateMessageBlocks(message.blocks)).toEqual([]);
}

const sectionTexts = (message: SlackMessage) => message.blocks.map((b) => (b.type === 'section' ? b.text?.text : undefined));

function sale(fields: Partial<Sale> = {}): Sale {
  return {
    id: 42n,
    team_id: 'T0TEAM',
    rep_id: 'U0REP',
    amount_minor: 120_000n,
    currency: 'USD',
    original_amount_minor: 120_000n,
    original_currency: 'USD',
    fx_rate: null,
    closed_on: '2026-11-12',
    customer: 'Acme',
    product_id: null,
    note: null,
    source: 'command',
    idempotency_key: 'key-1',
    voided_at: null,
    voided_by: null,
    void_reason: null,
    created_by: 'U0REP',
    created_at: NOW,
    updated_at: NOW,
    ...fields,
  };
}

// ---- format.ts -----------------------------------------------------------------------------

describe('formatAmount and formatPercent', () => {
  it.each([
    [120_050n, 'revenue', 'USD', '$1,200.50'],
    [5_000_000n, 'revenue', 'USD', '$50,000.00'],
    [1_200n, 'revenue', 'JPY', '¥1,200'],
    [1_234_567n, 'revenue', 'BHD', 'BHD\u00a01,234.567'], // Intl puts a no-break space after a code
    [0n, 'deals', 'USD', '0 deals'],
    [1n, 'deals', 'USD', '1 deal'],
    [12n, 'deals', 'USD', '12 deals'],
  ] as const)('formatAmount(%s, %s, %s) = %s', (amount, metric, currency, text) => {
    expect(formatAmount(amount, metric, currency)).toBe(text);
  });

  it.each([
    [null, '–'],
    [0, '0.0%'],
    [87.5, '87.5%'],
    [100, '100.0%'],
    [33.3, '33.3%'],
  ])('formatPercent(%s) = %s', (percent, text) => {
    expect(formatPercent(percent)).toBe(text);
  });
});

describe('describePeriod', () => {
  it.each([
    [MONTH_NOV, periodOfDate('month', '2026-11-20', TZ, 1)],
    ['Month 2028-02 (Feb 1 – Feb 29)', periodOfDate('month', '2028-02-10', TZ, 1)],
    ['Week 2026-W49 (Nov 30 – Dec 6)', periodOfDate('week', '2026-12-01', TZ, 1)], // across a month
    ['Week 2026-W53 (Dec 28 – Jan 3)', periodOfDate('week', '2027-01-01', TZ, 1)], // across a year
    ['Quarter FY2027-Q1 (Apr 1 – Jun 30)', periodOfDate('quarter', '2026-05-15', TZ, 4)],
    ['Quarter FY2027-Q4 (Jan 1 – Mar 31)', periodOfDate('quarter', '2027-02-15', TZ, 4)],
    ['Year FY2027 (Apr 1 – Mar 31)', periodOfDate('year', '2026-05-15', TZ, 4)],
    ['Month 2026-03 (Mar 1 – Mar 31)', periodOfDate('month', '2026-03-10', 'America/Los_Angeles', 1)], // a DST month
  ])('%s', (text, period) => {
    expect(describePeriod(period)).toBe(text);
  });
});

describe('progressLine', () => {
  it.each([
    [
      'ahead',
      measured(450_000n),
      'revenue',
      '▓▓▓▓░░░░░░ *45.0%* of $10,000.00 · :large_green_circle: ahead · $5,500.00 to go ($305.56/day) · likely $9K–$10K',
    ],
    [
      'on track',
      measured(380_000n),
      'revenue',
      '▓▓▓░░░░░░░ *38.0%* of $10,000.00 · :large_yellow_circle: on track · $6,200.00 to go ($344.45/day) · likely $9K–$10K',
    ],
    [
      'behind',
      measured(100_000n),
      'revenue',
      '▓░░░░░░░░░ *10.0%* of $10,000.00 · :red_circle: behind · $9,000.00 to go ($500.00/day) · likely $9K–$10K',
    ],
    [
      'reached',
      measured(1_200_000n),
      'revenue',
      '▓▓▓▓▓▓▓▓▓▓+ *120.0%* of $10,000.00 · :large_green_circle: ahead · target reached :tada: · likely $9K–$10K',
    ],
    [
      'period over: final, no pace, no projection',
      measured(500_000n, 1_000_000n, NOVEMBER, new Date('2026-12-02T00:00:00Z')),
      'revenue',
      '▓▓▓▓▓░░░░░ *50.0%* of $10,000.00 · final · $5,000.00 short',
    ],
    [
      'period over, target reached',
      measured(1_000_000n, 1_000_000n, NOVEMBER, new Date('2026-12-01T00:00:00Z')),
      'revenue',
      '▓▓▓▓▓▓▓▓▓▓ *100.0%* of $10,000.00 · final · target reached :tada:',
    ],
    [
      'deals won',
      measured(5n, 20n),
      'deals',
      '▓▓░░░░░░░░ *25.0%* of 20 deals · :red_circle: behind · 15 deals to go (1 deal/day) · likely 12–14 deals',
    ],
  ] as const)('%s', (_name, m, metric, line) => {
    const forecast =
      metric === 'revenue'
        ? { projection: 950_000n, low: 900_000n, high: 1_000_000n, method: 'blended' as const }
        : { projection: 13n, low: 12n, high: 14n, method: 'blended' as const };
    expect(progressLine(m, metric, 'USD', forecast)).toBe(line);
  });

  // Slack draws inline code red: a bar in backticks looks "behind" even when pace is green.
  it.each([
    ['ahead', 450_000n, [':large_green_circle:']],
    ['on track', 380_000n, [':large_yellow_circle:']],
    ['behind', 100_000n, [':red_circle:']],
  ] as const)('%s: the bar is plain text and the pace colour shows once', (_name, actual, marks) => {
    const line = progressLine(measured(actual), 'revenue', 'USD', {
      projection: 950_000n,
      low: 900_000n,
      high: 1_000_000n,
      method: 'blended',
    });
    expect(line).not.toContain('`');
    expect(
      line.match(/:(?:large_green_circle|large_yellow_circle|red_circle|large_green_square|large_yellow_square|red_square):/g),
    ).toEqual(marks);
  });
});

// ---- blocks.ts, help.ts, admin-messages.ts ------------------------------------------------

describe('small messages', () => {
  it('wraps a string as an ephemeral section', () => {
    expect(ephemeral('Try `/tally help`.')).toEqual({
      response_type: 'ephemeral',
      text: 'Try `/tally help`.',
      blocks: [section('Try `/tally help`.')],
    });
  });

  it('keeps the blocks of an ephemeral message', () => {
    const message = helpMessage([]);
    expect(ephemeral(message)).toEqual({ response_type: 'ephemeral', ...message });
  });

  it.each([
    [[], 'No products in the catalogue yet: a manager adds one with `/tally products add NAME`, then `#NAME` logs a sale for it.'],
    [['gadgets'], 'Products: `#gadgets`, e.g. `/logsale 1200 Acme #gadgets`.'],
    [
      ['a<b', 'b', 'c', 'd', 'e', 'f', 'g'],
      'Products: `#a&lt;b`, `#b`, `#c`, `#d`, `#e` and 2 more (`/tally products`), e.g. `/logsale 1200 Acme #a&lt;b`.',
    ],
  ])('gives a product example from the catalogue %j, or says how to add one', (products, line) => {
    const commands = (helpMessage(products).blocks[1] as types.SectionBlock).text!.text;
    expect(commands.split('\n')[1]).toBe(`• ${line}`);
    expect(commands).not.toContain('widgets');
  });

  it('builds the help message', () => {
    const message = helpMessage(['gadgets']);
    expectValidMessage(message);
    expect(message.text).toBe('Tally commands');
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    const hints = JSON.stringify(message.blocks[3]);
    for (const form of [
      '`1 200`',
      '`12/01/2026`',
      '`Dec 1`',
      '`last friday`',
      '`last month`',
      '`2026-W48`',
      '`2026-Q3` (fiscal)',
      '`FY2026`',
    ])
      expect(hints).toContain(form);
  });

  it.each([
    [[], 'The product catalogue is empty. A manager can add products with `/tally products add NAME`.'],
    [['widgets'], '*Products* (1): `widgets`\nLog a sale for one with `/logsale 1200 Acme #widgets`.'],
    [['a<b&c', 'pro-plan'], '*Products* (2): `a&lt;b&amp;c`, `pro-plan`\nLog a sale for one with `/logsale 1200 Acme #a&lt;b&amp;c`.'],
  ])('lists products %j', (names, text) => {
    const message = productListMessage(names);
    expectValidMessage(message);
    expect(sectionTexts(message)).toEqual([text]);
    expect(message.text).toBe(text.replaceAll('*', ''));
  });

  it.each([
    [[], 'No managers yet. An admin can grant the role with `/tally managers add @user`.'],
    [['U1', 'W2'], '*Managers*: <@U1>, <@W2>'],
  ])('lists managers %j', (ids, text) => {
    const message = managerListMessage(ids);
    expectValidMessage(message);
    expect(sectionTexts(message)).toEqual([text]);
  });
});

// ---- sale-messages.ts, my-progress.ts ------------------------------------------------------

const NOVEMBER_FORECAST = { projection: 950_000n, low: 900_000n, high: 1_000_000n, method: 'blended' as const };
const NOVEMBER_PROGRESS: TargetProgress = {
  metric: 'revenue',
  period: NOVEMBER,
  target: { source: 'own', amount: 1_000_000n },
  measure: measured(380_000n),
  forecast: NOVEMBER_FORECAST,
};
const NOVEMBER_LINE = `*${MONTH_NOV}* · revenue\n▓▓▓░░░░░░░ *38.0%* of $10,000.00 · :large_yellow_circle: on track · $6,200.00 to go ($344.45/day) · likely $9K–$10K`;
const TOTALS = [
  { label: 'This week', amountMinor: 120_000n, deals: 1n },
  { label: 'This month', amountMinor: 380_000n, deals: 3n },
];

describe('saleConfirmationMessage', () => {
  const confirmation = (fields: Partial<Sale>, more: { productName?: string | null; replayed?: boolean; viewerId?: string } = {}) =>
    saleConfirmationMessage({
      sale: sale(fields),
      productName: more.productName ?? null,
      totals: TOTALS,
      progress: [NOVEMBER_PROGRESS],
      replayed: more.replayed ?? false,
      viewerId: more.viewerId ?? 'U0REP',
    });

  it('escapes the customer and product, with the progress and totals after it', () => {
    const message = confirmation({ customer: '<!channel> & co' }, { productName: 'w<b>' });
    expectValidMessage(message);
    const headline = ':white_check_mark: Logged *$1,200.00* from *&lt;!channel&gt; &amp; co* · w&lt;b&gt; · closed 2026-11-12';
    expect(message.text).toBe(':white_check_mark: Logged $1,200.00 from &lt;!channel&gt; &amp; co · w&lt;b&gt; · closed 2026-11-12');
    expect(message.blocks).toEqual([
      {
        type: 'section',
        text: { type: 'mrkdwn', text: headline },
        accessory: {
          type: 'button',
          text: { type: 'plain_text', text: 'Undo', emoji: true },
          action_id: ACTIONS.undoSale,
          value: '42',
          confirm: {
            title: { type: 'plain_text', text: 'Undo this sale?' },
            text: { type: 'plain_text', text: 'The sale of $1,200.00 closed 2026-11-12 will be voided and count nowhere.' },
            confirm: { type: 'plain_text', text: 'Undo sale' },
            deny: { type: 'plain_text', text: 'Keep it' },
            style: 'danger',
          },
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: NOVEMBER_LINE } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'Your totals — This week: *$1,200.00* (1 deal)  ·  This month: *$3,800.00* (3 deals)' }],
      },
    ]);
    expect(JSON.stringify(message)).not.toContain('<!channel>');
  });

  it.each([
    [
      'a sale without customer or product',
      {},
      { productName: null },
      ':white_check_mark: Logged *$1,200.00* from *Acme* · closed 2026-11-12',
    ],
    ['no customer', { customer: null }, {}, ':white_check_mark: Logged *$1,200.00* · closed 2026-11-12'],
    [
      'a converted amount',
      { amount_minor: 108_000n, original_amount_minor: 100_000n, original_currency: 'EUR' },
      {},
      ':white_check_mark: Logged *$1,080.00* (€1,000.00) from *Acme* · closed 2026-11-12',
    ],
    [
      'a manager for a rep',
      {},
      { viewerId: 'U0MGR' },
      ':white_check_mark: Logged for <@U0REP> *$1,200.00* from *Acme* · closed 2026-11-12',
    ],
    [
      'a replayed request',
      {},
      { replayed: true },
      ':information_source: Already logged: *$1,200.00* from *Acme* · closed 2026-11-12. Nothing new was saved.',
    ],
  ] as const)('%s', (_name, fields, more, headline) => {
    const message = confirmation(fields, more);
    expectValidMessage(message);
    expect(sectionTexts(message)[0]).toBe(headline);
    expect(message.text).toBe(headline.replaceAll('*', ''));
  });

  it("shows the rep's totals to a manager", () => {
    const message = confirmation({}, { viewerId: 'U0MGR' });
    expect(message.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: "<@U0REP>'s totals — This week: *$1,200.00* (1 deal)  ·  This month: *$3,800.00* (3 deals)" }],
    });
  });

  it('stays within limits with the longest customer and product', () => {
    const message = confirmation(
      { customer: 'C'.repeat(200), original_amount_minor: 100_000n, original_currency: 'EUR' },
      { productName: 'p'.repeat(50) },
    );
    expectValidMessage(message);
  });

  // BUG (reported): a confirmation dialog's text may hold at most 300 characters, and the
  // Undo dialog repeats the whole sale description. With a 200-character customer and a
  // 50-character product (both allowed) it is longer, so Slack refuses the confirmation.
  // (block-kit-limits does not check confirm dialogs, hence the direct check.) Change
  // it.fails to it once fixed.
  it('keeps the Undo dialog text within 300 characters', () => {
    const message = confirmation({ customer: 'C'.repeat(200) }, { productName: 'p'.repeat(50) });
    const first = message.blocks[0] as types.SectionBlock;
    const dialog = (first.accessory as types.Button).confirm!;
    expect(dialog.text.text.length).toBeLessThanOrEqual(300);
  });
});

describe('saleVoidedMessage', () => {
  it('says what was voided, escaped', () => {
    const message = saleVoidedMessage(sale({ customer: 'A&B <Ltd>' }), 'widgets');
    expectValidMessage(message);
    expect(sectionTexts(message)).toEqual([
      ':wastebasket: Voided *$1,200.00* from *A&amp;B &lt;Ltd&gt;* · widgets · closed 2026-11-12. It no longer counts anywhere.',
    ]);
    expect(message.text).toBe(
      ':wastebasket: Voided $1,200.00 from A&amp;B &lt;Ltd&gt; · widgets · closed 2026-11-12. It no longer counts anywhere.',
    );
  });
});

describe('my progress', () => {
  const WEEK = periodOfDate('week', '2026-11-12', TZ, 1);
  const weekProgress: TargetProgress = {
    metric: 'deals',
    period: WEEK,
    target: { source: 'own', amount: 4n },
    measure: measure({ actual: 2n, target: 4n, period: WEEK, now: NOW, tz: TZ }),
    forecast: { projection: 4n, low: 3n, high: 5n, method: 'blended' },
  };

  it('shows each target, then the totals and the pace legend', () => {
    const message = myProgressMessage({ currency: 'USD', totals: TOTALS, progress: [NOVEMBER_PROGRESS, weekProgress] });
    expectValidMessage(message);
    expect(message.text).toBe(
      'Your targets: month 38.0% (on track), week 50.0% (ahead). Your sales: This week $1,200.00, This month $3,800.00',
    );
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'context']);
    expect(sectionTexts(message).slice(1, 4)).toEqual([
      NOVEMBER_LINE,
      // Friday 00:00: 4 of 7 days gone, 2 of 4 expected (2.29), 3 days left, 3.5 projected.
      '*Week 2026-W46 (Nov 9 – Nov 15)* · deals won\n▓▓▓▓▓░░░░░ *50.0%* of 4 deals · :large_green_circle: ahead · 2 deals to go (1 deal/day) · likely 3–5 deals',
      '*This week*: $1,200.00 from 1 deal\n*This month*: $3,800.00 from 3 deals',
    ]);
  });

  it('says when there are no targets', () => {
    const message = myProgressMessage({ currency: 'USD', totals: TOTALS, progress: [] });
    expectValidMessage(message);
    expect(message.text).toBe('Your sales: This week $1,200.00, This month $3,800.00');
    expect(sectionTexts(message)[1]).toBe('You have no targets yet. Your manager can set them with `/target`.');
  });

  it('summarises and blocks each target', () => {
    expect(progressSummary([NOVEMBER_PROGRESS])).toBe('month 38.0% (on track)');
    expect(progressBlocks([NOVEMBER_PROGRESS], 'USD')).toEqual([section(NOVEMBER_LINE)]);
    expect(progressBlocks([], 'USD')).toEqual([]);
  });
});

// ---- leaderboard.ts ------------------------------------------------------------------------

interface Rep {
  userId: string;
  actual: bigint;
  target: bigint | null;
  previousRank?: number;
}

/** A Leaderboard as buildLeaderboard makes it, from hand-made totals. */
function leaderboard(reps: readonly Rep[], viewerId: string, salesTeam: SalesTeam | null = null): Leaderboard {
  const ranked = rankReps(
    reps.map((r) => ({
      userId: r.userId,
      actual: r.actual,
      deals: 1n,
      target: r.target,
      measure: r.target && r.target > 0n ? measured(r.actual, r.target) : null,
    })),
  ).map((r) => ({ ...r, movement: movement(r.rank, reps.find((p) => p.userId === r.userId)?.previousRank ?? null) }));
  const withTarget = ranked.filter((r) => r.hasTarget);
  return {
    period: NOVEMBER,
    salesTeam,
    currency: 'USD',
    ranked,
    window: leaderboardWindow(ranked, viewerId),
    totals: {
      actual: ranked.reduce((sum, r) => sum + r.actual, 0n),
      deals: ranked.reduce((sum, r) => sum + r.deals, 0n),
      target: withTarget.length > 0 ? withTarget.reduce((sum, r) => sum + r.target!, 0n) : null,
    },
    forecast: { projection: 2_500_000n, low: 2_300_000n, high: 2_700_000n, method: 'blended' },
    final: false,
  };
}

const salesTeam = (name: string, id = 7n): SalesTeam => ({
  id,
  team_id: 'T0TEAM',
  name,
  channel_id: null,
  created_by: 'U0MGR',
  created_at: NOW,
});

describe('leaderboardMessage', () => {
  it('ranks a small board: medals, shared ranks, no target, movement', () => {
    const board = leaderboard(
      [
        { userId: 'U_E', actual: 900_000n, target: null, previousRank: 3 },
        { userId: 'U_G', actual: 50_000n, target: 500_000n, previousRank: 6 },
        { userId: 'U_D', actual: 100_000n, target: 1_000_000n, previousRank: 4 },
        { userId: 'U_C', actual: 800_000n, target: 2_000_000n },
        { userId: 'U_B', actual: 500_000n, target: 1_000_000n, previousRank: 1 },
        { userId: 'U_A', actual: 600_000n, target: 1_000_000n, previousRank: 2 },
      ],
      'U_C',
    );
    const message = leaderboardMessage(board, 'U_C');
    expectValidMessage(message);
    expect(message.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: `Leaderboard · ${MONTH_NOV}`, emoji: true } },
      section(
        [
          ':first_place_medal: <@U_A>  $6,000.00 / $10,000.00 · *60.0%* :large_green_circle: ▲1',
          ':second_place_medal: <@U_B>  $5,000.00 / $10,000.00 · *50.0%* :large_green_circle: ▼1',
          ':third_place_medal: *<@U_C> (you)*  $8,000.00 / $20,000.00 · *40.0%* :large_green_circle: new',
          '4. <@U_D>  $1,000.00 / $10,000.00 · *10.0%* :red_circle:',
          '4. <@U_G>  $500.00 / $5,000.00 · *10.0%* :red_circle: ▲2',
          '6. <@U_E>  $9,000.00 · no target ▼3',
        ].join('\n'),
      ),
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'Total $29,500.00 of $55,000.00 targeted (6 deals) · by the end of the month: likely $23K–$27K' },
          {
            type: 'mrkdwn',
            text: 'Ranked by % of target; reps without a target follow by amount. :large_green_circle: ahead · :large_yellow_circle: on track · :red_circle: behind · ▲▼ since last period',
          },
        ],
      },
    ]);
    expect(message.text).toBe(
      `Leaderboard · ${MONTH_NOV}: 1. <@U_A> $6,000.00 (60.0%), 2. <@U_B> $5,000.00 (50.0%), 3. <@U_C> $8,000.00 (40.0%), 4. <@U_D> $1,000.00 (10.0%), 4. <@U_G> $500.00 (10.0%), 6. <@U_E> $9,000.00`,
    );
  });

  it('shows a past period as final: no pace marks, no projection', () => {
    const after = new Date('2026-12-03T12:00:00Z');
    const board = leaderboard([], 'U_B');
    const ranked = rankReps([
      { userId: 'U_A', actual: 1_200_000n, deals: 2n, target: 1_000_000n, measure: measured(1_200_000n, 1_000_000n, NOVEMBER, after) },
      { userId: 'U_B', actual: 300_000n, deals: 1n, target: 1_000_000n, measure: measured(300_000n, 1_000_000n, NOVEMBER, after) },
    ]).map((r) => ({ ...r, movement: movement(r.rank, null) }));
    const message = leaderboardMessage(
      {
        ...board,
        ranked,
        window: leaderboardWindow(ranked, 'U_B'),
        totals: { actual: 1_500_000n, deals: 3n, target: 2_000_000n },
        forecast: null,
        final: true,
      },
      'U_B',
    );
    expectValidMessage(message);
    expect(sectionTexts(message)[1]).toBe(
      [
        ':first_place_medal: <@U_A>  $12,000.00 / $10,000.00 · *120.0%* new',
        ':second_place_medal: *<@U_B> (you)*  $3,000.00 / $10,000.00 · *30.0%* new',
      ].join('\n'),
    );
    expect(message.blocks[2]).toMatchObject({
      elements: [
        { text: 'Total $15,000.00 of $20,000.00 targeted (3 deals)' },
        { text: 'Final: the month is over. Ranked by % of target; reps without a target follow by amount. ▲▼ against the month before' },
      ],
    });
  });

  it('totals a board where nobody has a target', () => {
    const message = leaderboardMessage(leaderboard([{ userId: 'U1', actual: 100n, target: null }], 'U1'), 'U1');
    expectValidMessage(message);
    expect(sectionTexts(message)[1]).toBe(':first_place_medal: *<@U1> (you)*  $1.00 · no target new');
    expect(message.blocks[2]).toMatchObject({
      elements: [{ text: 'Total $1.00 (1 deal) · by the end of the month: likely $23K–$27K' }, {}],
    });
  });

  it('says when there are no sales yet, escaping the team name', () => {
    const message = leaderboardMessage(leaderboard([], 'U1', salesTeam('<east>')), 'U1');
    expectValidMessage(message);
    const text = `No sales yet in ${MONTH_NOV} for &lt;east&gt;. Log one with \`/logsale 1200 Acme\`.`;
    expect(message.text).toBe(text);
    expect(message.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: `Leaderboard · <east> · ${MONTH_NOV}`, emoji: true } },
      section(text),
    ]);
  });

  describe('with 500 reps', () => {
    // U001 is best: each has a $10,000.00 target and $20.00 less than the one above.
    const reps = Array.from({ length: 500 }, (_, i) => ({
      userId: `U${String(i + 1).padStart(3, '0')}`,
      actual: 1_000_000n - 2_000n * BigInt(i),
      target: 1_000_000n,
      previousRank: 500 - i,
    }));
    const lines = (viewerId: string) => {
      const message = leaderboardMessage(leaderboard(reps, viewerId), viewerId);
      expectValidMessage(message);
      expect(message.blocks.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.messageBlocks);
      for (const text of sectionTexts(message)) expect((text ?? '').length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.sectionText);
      return sectionTexts(message)[1]!.split('\n');
    };

    it("shows 10 rows, then the viewer's own row after '…', then how many more", () => {
      const shown = lines('U250');
      expect(shown).toHaveLength(13);
      expect(shown[0]).toBe(':first_place_medal: <@U001>  $10,000.00 / $10,000.00 · *100.0%* :large_green_circle: ▲499');
      expect(shown[9]).toBe('10. <@U010>  $9,820.00 / $10,000.00 · *98.2%* :large_green_circle: ▲481');
      expect(shown.slice(10)).toEqual([
        '…',
        '250. *<@U250> (you)*  $5,020.00 / $10,000.00 · *50.2%* :large_green_circle: ▲1',
        '_and 489 more_',
      ]);
    });

    it('shows no extra row when the viewer is in the top 10', () => {
      const shown = lines('U003');
      expect(shown).toHaveLength(11);
      expect(shown[2]).toBe(':third_place_medal: *<@U003> (you)*  $9,960.00 / $10,000.00 · *99.6%* :large_green_circle: ▲495');
      expect(shown[10]).toBe('_and 490 more_');
    });

    it('shows no extra row for a viewer who is not on the board', () => {
      const shown = lines('U0MGR');
      expect(shown).toHaveLength(11);
      expect(shown).not.toContain('…');
      expect(shown[10]).toBe('_and 490 more_');
    });

    it('shows the last row for the last rep', () => {
      expect(lines('U500').slice(10)).toEqual([
        '…',
        '500. *<@U500> (you)*  $20.00 / $10,000.00 · *0.2%* :red_circle: ▼499',
        '_and 489 more_',
      ]);
    });
  });
});

// ---- teams.ts ------------------------------------------------------------------------------

describe('teamTargetLine', () => {
  it.each([
    ['none', teamTarget(null, [null]), 'No target: set one for the team or its reps with `/target`.'],
    ['rolled up', teamTarget(null, [400_000n, null, 500_000n]), "Target $9,000.00, the sum of its reps' targets."],
    ['set, reps without targets', teamTarget(1_000_000n, [null]), 'Target $10,000.00, set for the team.'],
    [
      'set, equal to its reps',
      teamTarget(900_000n, [400_000n, 500_000n]),
      "Target $9,000.00, set for the team (equal to its reps' targets).",
    ],
    [
      'set above its reps',
      teamTarget(1_000_000n, [400_000n, 500_000n]),
      "Target $10,000.00, set for the team: :warning: $1,000.00 more than its reps' targets ($9,000.00).",
    ],
    [
      'set below its reps',
      teamTarget(800_000n, [400_000n, 500_000n]),
      "Target $8,000.00, set for the team: :warning: $1,000.00 less than its reps' targets ($9,000.00).",
    ],
  ])('%s', (_name, target, line) => {
    expect(teamTargetLine(target, 'USD')).toBe(line);
  });
});

const TODAY = '2026-11-20';
const TEAMS_HINT =
  'Add reps with `/tally teams NAME add @rep [from YYYY-MM-DD]`; a rep may be in several teams, and a sale counts for the teams its rep was in on its close date.';

describe('teamsListMessage', () => {
  const overview = (
    name: string,
    fields: Partial<TeamOverview> = {},
    memberIds: string[] = [],
    channelId: string | null = null,
  ): TeamOverview => ({
    team: {
      ...salesTeam(name),
      channel_id: channelId,
      members: memberIds.map((userId) => ({ userId, from: null, to: null })),
      managers: [],
    },
    target: teamTarget(null, []),
    measure: null,
    amount: 0n,
    forecast: { projection: 12_300n, low: 12_300n, high: 12_300n, method: 'run-rate' },
    ...fields,
  });

  it('shows each team: escaped name, channel, members, target and progress', () => {
    const message = teamsListMessage(
      [
        overview(
          '<east>',
          {
            target: teamTarget(1_000_000n, [400_000n, 500_000n]),
            measure: measured(380_000n),
            amount: 380_000n,
            forecast: { projection: 950_000n, low: 900_000n, high: 1_000_000n, method: 'blended' },
          },
          ['U1', 'U2'],
          'C0EAST',
        ),
        overview('west', { amount: 12_300n }),
      ],
      NOVEMBER,
      'USD',
      TODAY,
    );
    expectValidMessage(message);
    expect(message.text).toBe('Teams: <east>, west');
    expect(message.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: `Teams · ${MONTH_NOV}`, emoji: true } },
      section(
        "*&lt;east&gt;* · <#C0EAST>\n<@U1> <@U2>\nTarget $10,000.00, set for the team: :warning: $1,000.00 more than its reps' targets ($9,000.00).\n" +
          '▓▓▓░░░░░░░ *38.0%* of $10,000.00 · :large_yellow_circle: on track · $6,200.00 to go ($344.45/day) · likely $9K–$10K',
      ),
      section('*west*\n_no members yet_\nNo target: set one for the team or its reps with `/target`.\n$123.00 so far · likely $123'),
      { type: 'context', elements: [{ type: 'mrkdwn', text: TEAMS_HINT }] },
    ]);
  });

  it('shows members and managers with the dates of their stints where they say something', () => {
    const east = overview('east');
    east.team.members = [
      { userId: 'U1', from: null, to: null },
      { userId: 'U2', from: '2026-11-10', to: null },
      { userId: 'U3', from: null, to: '2026-11-25' },
      { userId: 'U4', from: '2026-12-01', to: null },
    ];
    east.team.managers = [{ userId: 'U9', from: '2026-11-02', to: '2027-01-01' }];
    const message = teamsListMessage([east], NOVEMBER, 'USD', TODAY);
    expectValidMessage(message);
    expect(sectionTexts(message)[1]).toBe(
      '*east*\n<@U1> <@U2> (since 2026-11-10) <@U3> (until 2026-11-25) <@U4> (from 2026-12-01)\nManaged by <@U9> (since 2026-11-02, until 2027-01-01)\n' +
        'No target: set one for the team or its reps with `/target`.\n$0.00 so far · likely $123',
    );
  });

  it('says how to create the first team', () => {
    const message = teamsListMessage([], NOVEMBER, 'USD', TODAY);
    expectValidMessage(message);
    expect(message.text).toBe(
      'No sales teams yet. A manager can create one with `/tally teams add east #team-east`, then `/tally teams east add @rep`.',
    );
  });

  it('shows 40 teams and counts the rest', () => {
    const overviews = Array.from({ length: 45 }, (_, i) =>
      overview(`team-${i + 1}`, { target: teamTarget(null, [1_000_000n]), measure: measured(500_000n) }, ['U1', 'U2', 'U3']),
    );
    const message = teamsListMessage(overviews, NOVEMBER, 'USD', TODAY);
    expectValidMessage(message);
    expect(message.blocks).toHaveLength(1 + 40 + 2);
    expect(sectionTexts(message).filter(Boolean)).toHaveLength(40);
    expect(sectionTexts(message)[40]).toMatch(/^\*team-40\*/);
    expect(message.blocks.at(-2)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'and 5 more teams' }] });
  });

  // BUG (reported): every member is listed as a mention in the team's section, so a team of
  // about 200 reps passes the 3000-character section limit and Slack refuses the whole list.
  it('stays within limits for a team of 300 reps', () => {
    const members = Array.from({ length: 300 }, (_, i) => `U0${String(i).padStart(8, '0')}`);
    expectValidMessage(teamsListMessage([overview('east', {}, members)], NOVEMBER, 'USD', TODAY));
  });
});

describe('teamChangeMessage', () => {
  const change = (changed: string[], from: string) => ({ team: { name: '<east>' }, changed, from, today: TODAY });
  it.each([
    [
      'members',
      true,
      change(['U1', 'U2'], TODAY),
      `Added <@U1>, <@U2> to *&lt;east&gt;* from today (${TODAY}): sales closed from then on count for *&lt;east&gt;*. To count earlier sales for *&lt;east&gt;* too, give the first day: \`/tally teams &lt;east&gt; add @rep from YYYY-MM-DD\`.`,
    ],
    [
      'members',
      true,
      change(['U1'], '2026-11-01'),
      'Added <@U1> to *&lt;east&gt;* from 2026-11-01: sales closed from then on count for *&lt;east&gt;*.',
    ],
    [
      'members',
      false,
      change(['U1'], '2026-11-25'),
      'Removed <@U1> from *&lt;east&gt;* from 2026-11-25. Sales closed before then still count for *&lt;east&gt;*.',
    ],
    ['members', true, change([], TODAY), `Nothing changed: they were already in *&lt;east&gt;* from ${TODAY} on.`],
    ['members', false, change([], '2026-11-25'), "Nothing changed: they weren't in *&lt;east&gt;* on or after 2026-11-25."],
    [
      'managers',
      true,
      change(['U9'], TODAY),
      `:briefcase: <@U9> manages *&lt;east&gt;* from today (${TODAY}): targets, sales and members of its reps.`,
    ],
    ['managers', false, change(['U8', 'U9'], '2027-01-01'), '<@U8>, <@U9> no longer manage *&lt;east&gt;* from 2027-01-01.'],
    ['managers', false, change([], '2027-01-01'), "Nothing changed: they don't manage *&lt;east&gt;* on or after 2027-01-01."],
  ] as const)('%s, add %s: %j', (what, add, input, text) => {
    expect(teamChangeMessage(input, what, add)).toBe(text);
  });
});

// ---- target-modal.ts -----------------------------------------------------------------------

describe('targetModal', () => {
  const input = (teams: number, products: number, subject?: 'rep' | 'team' | 'product' | 'company') => ({
    teams: Array.from({ length: teams }, (_, i) => ({ id: BigInt(i + 1), name: `team <${i + 1}>` })),
    products: Array.from({ length: products }, (_, i) => ({ id: BigInt(1000 + i), name: `product-${i + 1}` })),
    today: '2026-11-25',
    info: 'Pick who the target is for.',
    channelId: 'C0SALES',
    ...(subject ? { initial: { subject } } : {}),
  });
  const blockIds = (view: types.ModalView) => view.blocks.map((b) => b.block_id);
  const block = (view: types.ModalView, id: string) => view.blocks.find((b) => b.block_id === id) as types.InputBlock | undefined;
  const F = TARGET_FIELDS;
  const after = [F.metric, F.period, F.first, F.amount, F.ramp, F.repeat, F.last];

  it('shows the picker of the chosen kind only, each dispatching its choice', () => {
    const kinds = [
      [undefined, F.rep, 'users_select'],
      ['rep', F.rep, 'users_select'],
      ['team', F.team, 'static_select'],
      ['product', F.product, 'static_select'],
    ] as const;
    for (const [subject, picker, type] of kinds) {
      const view = targetModal(input(2, 2, subject));
      expect(validateView(view)).toEqual([]);
      expect(blockIds(view)).toEqual([F.info, F.subject, picker, ...after]);
      expect(block(view, picker)).toMatchObject({
        type: 'input',
        dispatch_action: true,
        element: { type, action_id: ACTIONS.targetSubjectChanged },
      });
      expect(block(view, picker)!.optional).toBeUndefined();
    }
    const company = targetModal(input(2, 2, 'company'));
    expect(blockIds(company)).toEqual([F.info, F.subject, ...after]);
    expect(block(company, F.subject)).toMatchObject({
      dispatch_action: true,
      label: { text: 'Target for' },
      element: { type: 'static_select', initial_option: { value: 'company' } },
    });
    expect([company.callback_id, company.private_metadata, company.title.text, company.submit?.text]).toEqual([
      VIEWS.setTarget,
      '{"channelId":"C0SALES"}',
      'Set target',
      'Save target',
    ]);
  });

  it('says how to create a team or a product when there is none, instead of an empty picker', () => {
    for (const [subject, id, command] of [
      ['team', F.team, '`/tally teams add NAME`'],
      ['product', F.product, '`/tally products add NAME`'],
    ] as const) {
      const view = targetModal(input(0, 0, subject));
      expect(validateView(view)).toEqual([]);
      const note = view.blocks.find((b) => b.block_id === id) as types.ContextBlock;
      expect(note.type).toBe('context');
      expect((note.elements[0] as types.MrkdwnElement).text).toContain(command);
    }
  });

  it('lists 100 teams, and searches a catalogue of more than 100 products as you type', () => {
    const teams = targetModal(input(150, 150, 'team'));
    expect(validateView(teams)).toEqual([]);
    const options = (block(teams, F.team)!.element as types.StaticSelect).options!;
    expect([options.length, options[0], options[99]!.value]).toEqual([
      100,
      { text: { type: 'plain_text', text: 'team <1>', emoji: true }, value: '1' },
      '100',
    ]);
    const many = targetModal(input(150, 150, 'product'));
    expect(validateView(many)).toEqual([]);
    expect(block(many, F.product)!.element).toEqual({
      type: 'external_select',
      action_id: ACTIONS.targetSubjectChanged,
      min_query_length: 1,
      placeholder: { type: 'plain_text', text: 'Type to search the catalogue', emoji: true },
    });
    const few = targetModal(input(150, 100, 'product'));
    expect((block(few, F.product)!.element as types.StaticSelect).options).toHaveLength(100);
  });

  it('preselects what it is given, and what is typical otherwise', () => {
    const initial = (view: types.ModalView, id: string) =>
      (block(view, id)!.element as { initial_option?: { value: string } }).initial_option?.value;
    const given = targetModal({ ...input(1, 1), initial: { subject: 'rep', repId: 'U0REP', metric: 'deals', period: 'quarter' } });
    const typical = targetModal(input(1, 1));
    expect([F.subject, F.metric, F.period].map((id) => initial(given, id))).toEqual(['rep', 'deals', 'quarter']);
    expect([F.subject, F.metric, F.period].map((id) => initial(typical, id))).toEqual(['rep', 'revenue', 'month']);
    expect((block(given, F.rep)!.element as types.UsersSelect).initial_user).toBe('U0REP');
    expect((block(typical, F.rep)!.element as types.UsersSelect).initial_user).toBeUndefined();
    expect((block(typical, F.first)!.element as types.Datepicker).initial_date).toBe('2026-11-25');
    expect(initial(targetModal({ ...input(2, 2), initial: { subject: 'team', teamId: '2' } }), F.team)).toBe('2');
    expect(initial(targetModal({ ...input(2, 2), initial: { subject: 'product', productId: '1001' } }), F.product)).toBe('1001');
    expect(initial(targetModal({ ...input(200, 200), initial: { subject: 'product', productId: '1150' } }), F.product)).toBe('1150');
    // A crafted id that is not one of the choices preselects nothing.
    expect(initial(targetModal({ ...input(2, 2), initial: { subject: 'team', teamId: '99' } }), F.team)).toBeUndefined();
  });
});

describe('targetInfoText', () => {
  const current = (
    fields: Partial<Omit<CurrentTarget, 'selection'>> & { selection?: Partial<CurrentTarget['selection']> },
  ): CurrentTarget => ({
    period: NOVEMBER,
    amount: null,
    since: null,
    repeats: false,
    team: null,
    suggestion: null,
    ...fields,
    selection: { subjectType: 'rep', subjectId: 'U0REP', metric: 'revenue', periodKind: 'month', ...fields.selection },
  });

  it.each([
    [
      'nothing picked',
      current({ selection: { subjectId: null } }),
      'a rep',
      'Pick who the target is for. Targets apply from the period you choose; earlier periods keep theirs.',
    ],
    [
      'no target yet',
      current({ selection: { metric: 'deals' } }),
      '<@U0REP>',
      `*Now:* <@U0REP> · deals won · ${MONTH_NOV}: no target yet.`,
    ],
    [
      'a repeating target',
      current({ amount: 5_000_000n, since: '2026-09-01', repeats: true }),
      '<@U0REP>',
      `*Now:* <@U0REP> · revenue · ${MONTH_NOV}: $50,000.00 (since 2026-09-01, repeating).`,
    ],
    [
      'a one-off target',
      current({ amount: 12n, since: '2026-11-01', selection: { metric: 'deals' } }),
      '<@U0REP>',
      `*Now:* <@U0REP> · deals won · ${MONTH_NOV}: 12 deals (since 2026-11-01).`,
    ],
    [
      'a team rolled up from its reps',
      current({ amount: 900_000n, team: teamTarget(null, [400_000n, 500_000n]), selection: { subjectType: 'team', subjectId: '7' } }),
      'team *east*',
      `*Now:* team *east* · revenue · ${MONTH_NOV}: Target $9,000.00, the sum of its reps' targets.`,
    ],
  ])('%s', (_name, target, label, text) => {
    expect(targetInfoText(target, 'USD', label)).toBe(text);
  });

  // BUG (reported): teamTargetLine formats every amount as money, so a team's deals target
  // of 12 reads "$0.12" in the Set target modal. Change it.fails to it once fixed.
  it("shows a team's deals target as deals", () => {
    const target = current({
      amount: 12n,
      team: teamTarget(null, [5n, 7n]),
      selection: { subjectType: 'team', subjectId: '7', metric: 'deals' },
    });
    expect(targetInfoText(target, 'USD', 'team *east*')).toBe(
      `*Now:* team *east* · deals won · ${MONTH_NOV}: Target 12 deals, the sum of its reps' targets.`,
    );
  });
});

describe('targetSavedMessage', () => {
  const saved = (rows: readonly PlanRow[], metric: 'revenue' | 'deals' = 'revenue') =>
    targetSavedMessage({ subjectLabel: '<@U0REP>', metric, periodKind: 'month', rows, currency: 'USD' });
  const plan = (amounts: bigint[], rampPercents: number[], last: string | null = null) => {
    const result = planRows(
      { first: NOVEMBER, amounts, rampPercents, repeat: true, last: last === null ? null : periodOfDate('month', last, TZ, 1) },
      TZ,
      1,
    );
    if (!result.ok) throw new Error(result.error);
    return result.rows;
  };

  it.each([
    [
      'a repeating amount',
      saved(plan([5_000_000n], [])),
      ':dart: Target saved for <@U0REP> (revenue):\n• $50,000.00 per month from the month starting 2026-11-01, repeating until changed\nEarlier periods keep the targets they had.',
    ],
    [
      'a seasonal plan of deals',
      saved(plan([10n, 1n, 12n], []), 'deals'),
      ':dart: Target saved for <@U0REP> (deals won):\n• 10 deals for the month starting 2026-11-01\n• 1 deal for the month starting 2026-12-01\n• 12 deals for the month starting 2027-01-01\nEarlier periods keep the targets they had.',
    ],
    [
      'a ramp to a last period',
      saved(plan([333n], [25, 50, 75], '2027-06-01')),
      ':dart: Target saved for <@U0REP> (revenue):\n• $0.83 for the month starting 2026-11-01\n• $1.67 for the month starting 2026-12-01\n• $2.50 for the month starting 2027-01-01\n' +
        '• $3.33 per month for the months starting 2027-02-01 to 2027-06-01\nEarlier periods keep the targets they had.',
    ],
  ])('confirms %s', (_name, message, text) => {
    expectValidMessage(message);
    expect(message.text).toBe('Target saved for <@U0REP>');
    expect(sectionTexts(message)).toEqual([text]);
  });

  it('lists 24 periods and counts the rest', () => {
    const message = saved(
      plan(
        Array.from({ length: 60 }, (_, i) => BigInt(i + 1) * 100_000_000_000n),
        [],
      ),
    );
    expectValidMessage(message);
    const lines = sectionTexts(message)[0]!.split('\n');
    expect(lines).toHaveLength(1 + 24 + 1 + 1);
    expect(lines[24]).toBe('• $24,000,000,000.00 for the month starting 2028-10-01');
    expect(lines[25]).toBe('• and 36 more periods');
  });
});

// ---- log-sale-modal.ts ---------------------------------------------------------------------

describe('logSaleModal', () => {
  const L = LOG_SALE_FIELDS;
  const rep: SaleFormChoices = { reps: { kind: 'own' }, products: ['gadgets', 'widgets'], currencies: ['USD'] };
  const manager: SaleFormChoices = {
    reps: {
      kind: 'list',
      me: { id: 'U0MAX', name: 'Max' },
      reps: [
        { id: 'U0RAJ', name: 'Raj' },
        { id: 'U0RITA', name: 'Rita <R>' },
      ],
    },
    products: ['gadgets'],
    currencies: ['USD', 'EUR'],
  };
  const inputs = (view: types.ModalView) => view.blocks.filter((b): b is types.InputBlock => b.type === 'input');
  const element = (view: types.ModalView, id: string) =>
    inputs(view).find((b) => b.block_id === id)?.element as Record<string, unknown> | undefined;
  const optionTexts = (view: types.ModalView, id: string) =>
    (element(view, id)!.options as types.PlainTextOption[]).map((o) => [o.value, o.text.text]);
  const editing = {
    saleId: 42n,
    amount: '1200.00',
    currency: 'EUR',
    customer: 'Acme',
    productName: 'gadgets',
    closedOn: '2026-11-20',
    repId: 'U0RITA',
    note: null,
  };

  it("is a valid modal; a rep's has no rep field", () => {
    const view = logSaleModal({ channelId: 'C0SALES' }, rep);
    expect(validateView(view)).toEqual([]);
    expect(view.title.text.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.modalTitle);
    expect([view.callback_id, view.private_metadata, view.title.text, view.submit?.text]).toEqual([
      VIEWS.logSale,
      '{"channelId":"C0SALES"}',
      'Log a sale',
      'Log sale',
    ]);
    expect(inputs(view)).toHaveLength(view.blocks.length);
    expect(inputs(view).map((b) => [b.block_id, (b.element as { action_id: string }).action_id])).toEqual(
      [L.amount, L.currency, L.customer, L.product, L.closedOn, L.note].map((id) => [id, id]),
    );
    for (const b of inputs(view)) expect(b.label.text.trim()).not.toBe('');
    expect(
      inputs(view)
        .filter((b) => !b.optional)
        .map((b) => b.block_id),
    ).toEqual([L.amount, L.currency]);
    expect(JSON.stringify(view)).not.toContain('managers only');
  });

  it('offers the catalogue with "No product", and the currencies with a rate, the workspace one picked', () => {
    const view = logSaleModal({ channelId: null }, manager);
    expect(optionTexts(view, L.product)).toEqual([
      [':none', 'No product'],
      ['gadgets', 'gadgets'],
    ]);
    expect(element(view, L.product)!.initial_option).toBeUndefined();
    expect(optionTexts(view, L.currency)).toEqual([
      ['USD', 'USD · US Dollar'],
      ['EUR', 'EUR · Euro'],
    ]);
    expect(element(view, L.currency)!.initial_option).toMatchObject({ value: 'USD' });
    expect(inputs(logSaleModal({ channelId: null }, rep)).find((b) => b.block_id === L.currency)!.hint!.text).toContain('/tally fx');
  });

  it("a manager's lists themself first, picked, then their reps", () => {
    const view = logSaleModal({ channelId: null }, manager);
    expect(validateView(view)).toEqual([]);
    const field = inputs(view).find((b) => b.block_id === L.rep)!;
    expect([field.label.text, field.hint?.text, field.optional]).toEqual([
      'Rep',
      'Whose sale this is: yours, or one of your reps’.',
      undefined,
    ]);
    expect(optionTexts(view, L.rep)).toEqual([
      ['U0MAX', 'Max (you)'],
      ['U0RAJ', 'Raj'],
      ['U0RITA', 'Rita <R>'],
    ]);
    expect(element(view, L.rep)!.initial_option).toMatchObject({ value: 'U0MAX' });
  });

  it('without a list (no teams yet, or too many reps) uses Slack’s people picker, empty for your own sale', () => {
    const view = logSaleModal({ channelId: null }, { ...rep, reps: { kind: 'anyone' } });
    expect(inputs(view).find((b) => b.block_id === L.rep)).toMatchObject({
      optional: true,
      label: { text: 'Rep' },
      element: { type: 'users_select', placeholder: { text: 'You' } },
    });
  });

  it('says how to add a product when the catalogue is empty, and searches a long one', () => {
    const empty = logSaleModal({ channelId: null }, { ...rep, products: [] });
    expect(empty.blocks.find((b) => b.block_id === L.product)).toEqual({
      type: 'context',
      block_id: L.product,
      elements: [{ type: 'mrkdwn', text: 'No products in the catalogue yet. A manager adds one with `/tally products add NAME`.' }],
    });
    const search = logSaleModal({ channelId: null }, { ...rep, products: 'search' });
    expect(validateView(search)).toEqual([]);
    expect(element(search, L.product)).toMatchObject({ type: 'external_select', min_query_length: 1 });
  });

  it('edits a sale: its values filled in, "Rep" of the sale, wording for editing', () => {
    const view = logSaleModal({ channelId: null }, manager, editing);
    expect(validateView(view)).toEqual([]);
    expect([view.callback_id, view.private_metadata, view.title.text, view.submit?.text]).toEqual([
      VIEWS.editSale,
      '{"channelId":null,"saleId":"42"}',
      'Edit sale',
      'Save changes',
    ]);
    expect(element(view, L.rep)!.initial_option).toMatchObject({ value: 'U0RITA' });
    expect(inputs(view).find((b) => b.block_id === L.rep)!.hint!.text).toBe('Whose sale this is.');
    expect(element(view, L.currency)!.initial_option).toMatchObject({ value: 'EUR' });
    expect(element(view, L.product)!.initial_option).toMatchObject({ value: 'gadgets' });
    expect(element(view, L.closedOn)!.initial_date).toBe('2026-11-20');
    expect(JSON.stringify(view)).not.toMatch(/Leave empty|log your own/);
    // A rep editing their own sale: no rep field; a currency no longer offered stays offered.
    const own = logSaleModal({ channelId: null }, rep, { ...editing, currency: 'GBP' });
    expect(inputs(own).map((b) => b.block_id)).not.toContain(L.rep);
    expect(optionTexts(own, L.currency).map(([v]) => v)).toEqual(['USD', 'GBP']);
    expect(element(own, L.currency)!.initial_option).toMatchObject({ value: 'GBP' });
  });

  it('remembers a DM as no channel', () => {
    expect(logSaleModal({ channelId: null }, rep).private_metadata).toBe('{"channelId":null}');
  });
});

// ---- select-options.ts ---------------------------------------------------------------------

describe('the external selects’ options', () => {
  const values = (options: types.PlainTextOption[]) => options.map((o) => o.value);
  it.each([
    ['new york', ['America/New_York']],
    ['NEW_YORK', ['America/New_York']],
    ['berlin', ['Europe/Berlin']],
    ['utc', ['UTC']],
    ['Mars', []],
  ])('timezones matching %j', (typed, expected) => {
    expect(values(timeZoneOptions(typed))).toEqual(expected);
  });

  it('answers at most 100 timezones', () => {
    expect(timeZoneOptions('a')).toHaveLength(100);
  });

  it.each([
    ['eur', ['EUR']],
    [' Euro ', ['EUR']],
    ['yen', ['JPY']],
    ['xyzq', []],
  ])('currencies matching %j', (typed, expected) => {
    expect(values(currencyOptions(typed))).toEqual(expected);
  });

  it('puts the exact code before names that contain it', () => {
    const usd = values(currencyOptions('usd'));
    expect(usd[0]).toBe('USD');
    expect(values(currencyOptions('dollar'))).toEqual(expect.arrayContaining(['USD', 'CAD', 'AUD']));
  });

  it('names a currency and cuts an option text at 75 characters', () => {
    expect(currencyOptions('usd')[0]).toEqual({ text: { type: 'plain_text', text: 'USD · US Dollar', emoji: true }, value: 'USD' });
    expect(selectOption('x', 'y'.repeat(80)).text.text).toBe(`${'y'.repeat(74)}…`);
  });
});
