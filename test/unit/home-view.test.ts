// App Home for reps, managers and admins: the right sections in the right order for each role,
// exact wording, escaping, and Slack's view limits for any team size (300 reps, 60 teams,
// everyone behind pace, 12 flagged products, 20 digest channels).
import { describe, expect, it } from 'vitest';
import type { Role, Workspace } from '../../src/db/schema.js';
import { leaderboardWindow, movement, rankReps } from '../../src/domain/leaderboard.js';
import { measure } from '../../src/domain/pace.js';
import { periodOfDate } from '../../src/domain/periods.js';
import type { HomeData, ManagerHome, RepStanding, SetupStatus, TeamStanding } from '../../src/services/home.js';
import type { Leaderboard } from '../../src/services/leaderboard.js';
import type { SaleWithProduct } from '../../src/store/sales.js';
import { homeView, ordinal, rankLine, setupMissing, teamStandingLine } from '../../src/slack/views/home.js';
import { progressLine } from '../../src/slack/views/format.js';
import { validateView } from '../../slack-standin/block-kit-limits.js';
import { readAddProductForm, readAddTeamForm, readDigestChannelForm } from '../../src/slack/home-setup-forms.js';
import { SETUP_FIELDS as SF } from '../../src/slack/ids.js';
import { addProductModal, addTeamModal, digestChannelModal } from '../../src/slack/views/home-setup.js';

const TZ = 'UTC';
const NOVEMBER = periodOfDate('month', '2026-11-01', TZ, 1);
const NOW = new Date('2026-11-13T00:00:00Z');
const FORECAST = { projection: 900_000n, low: 850_000n, high: 950_000n, method: 'blended' as const };
const workspace: Workspace = {
  team_id: 'T0TEAM',
  name: null,
  timezone: TZ,
  currency: 'USD',
  fiscal_year_start_month: 4,
  date_order: null,
  locked_through: '2026-10-31',
  celebrations_enabled: true,
  milestones: [50, 100],
  guard_rails_enabled: true,
  version: 1,
  created_at: NOW,
  updated_at: NOW,
};

function sale(i: number): SaleWithProduct {
  return {
    id: BigInt(i),
    team_id: 'T0TEAM',
    rep_id: 'U0REP',
    amount_minor: 10_000n * BigInt(i),
    currency: 'USD',
    original_amount_minor: 10_000n * BigInt(i),
    original_currency: 'USD',
    fx_rate: null,
    closed_on: `2026-11-${String(i).padStart(2, '0')}`,
    customer: i === 1 ? '<!channel> & co' : `Customer ${i}`,
    product_id: null,
    product_name: i === 2 ? 'w<b>' : null,
    note: null,
    source: 'command',
    idempotency_key: `k${i}`,
    voided_at: null,
    voided_by: null,
    void_reason: null,
    created_by: 'U0REP',
    created_at: NOW,
    updated_at: NOW,
  };
}

/** A month board of `reps` reps, every one behind pace; the viewer U0REP is not among them. */
function board(reps: number): Leaderboard {
  const ranked = rankReps(
    Array.from({ length: reps }, (_, i) => {
      const target = 1_000_000n;
      const actual = BigInt(i * 1000);
      return {
        userId: `U${String(i).padStart(5, '0')}`,
        actual,
        deals: 1n,
        target,
        measure: measure({ actual, target, period: NOVEMBER, now: NOW, tz: TZ }),
      };
    }),
  ).map((r) => ({ ...r, movement: movement(r.rank, null) }));
  return {
    period: NOVEMBER,
    salesTeam: null,
    currency: 'USD',
    ranked,
    window: leaderboardWindow(ranked, 'U0REP', 15),
    totals: { actual: 0n, target: null, deals: 0n },
    forecast: null,
    final: false,
  };
}

function team(i: number, of: number, name = `team-${i}`, target: bigint | null = 2_000_000n): TeamStanding {
  const amount = 500_000n;
  return {
    team: { id: BigInt(i), name },
    rank: i,
    of,
    amount,
    deals: 2n,
    target: { amount: target, source: target === null ? 'none' : 'rollup', membersSum: target ?? 0n, gap: null },
    measure: target === null ? null : measure({ actual: amount, target, period: NOVEMBER, now: NOW, tz: TZ }),
  };
}

const rank = (r: number, previous: number | null, of = 12): RepStanding => ({
  period: NOVEMBER,
  entry: {
    userId: 'U0REP',
    actual: 400_000n,
    deals: 3n,
    target: 1_000_000n,
    measure: null,
    rank: r,
    percent: 40,
    hasTarget: true,
    movement: movement(r, previous),
  },
  of,
});

const PROGRESS = [
  {
    metric: 'revenue' as const,
    period: NOVEMBER,
    target: { source: 'own' as const, amount: 1_000_000n },
    measure: measure({ actual: 400_000n, target: 1_000_000n, period: NOVEMBER, now: NOW, tz: TZ }),
    forecast: FORECAST,
  },
];

const products = Array.from({ length: 12 }, (_, i) => ({
  id: BigInt(i),
  name: `product-${i}`,
  monthActual: 0n,
  monthTarget: 100_000n,
  expected: 40_000n,
  lastWeek: 0n,
  trailingAverage: 50_000n,
  flags: { belowTarget: true, belowTrend: true, changePercent: -100 },
}));

const COMPLETE: SetupStatus = {
  digestChannels: [{ channelId: 'C0SALES', teamName: null, cadence: 'weekly', time: '09:00', weekday: 1 }],
  teams: 3,
  products: 1,
  targets: 7n,
};
const EMPTY: SetupStatus = { digestChannels: [], teams: 0, products: 0, targets: 0n };

interface Options {
  role: Role;
  reps?: number;
  scope?: ManagerHome['scope'];
  teams?: number;
  own?: boolean;
  sales?: number;
  setup?: SetupStatus;
}

function home({ role, reps = 1, scope = 'workspace', teams = 2, own = true, sales = 10, setup = COMPLETE }: Options): HomeData {
  const b = board(reps);
  const standings = Array.from({ length: teams }, (_, i) => team(i + 1, teams));
  const behind = b.ranked.filter((r) => r.measure?.status === 'behind');
  const manager: ManagerHome | null =
    role === 'rep'
      ? null
      : scope === 'workspace'
        ? { scope, teams: [], board: b, behind, standings, products }
        : {
            scope,
            teams: standings.slice(0, 5).map((standing) => ({ standing, board: b, behind })),
            board: null,
            behind,
            standings,
            products,
          };
  return {
    userId: 'U0REP',
    role,
    workspace,
    snapshot: { totals: [{ label: 'This month', amountMinor: 400_000n, deals: 3n }], progress: own ? PROGRESS : [] },
    standing: rank(2, 4),
    recentSales: Array.from({ length: sales }, (_, i) => sale(i + 1)),
    myTeams: standings.slice(0, 1),
    manager,
    setup: role === 'admin' ? setup : null,
  };
}

const texts = (view: ReturnType<typeof homeView>) => JSON.stringify(view.blocks);
const headers = (view: ReturnType<typeof homeView>) =>
  view.blocks.filter((b) => b.type === 'header').map((b) => (b as { text: { text: string } }).text.text);
const sectionTexts = (view: ReturnType<typeof homeView>) =>
  view.blocks.flatMap((b) =>
    b.type === 'section' && (b as { text?: { text: string } }).text ? [(b as { text: { text: string } }).text.text] : [],
  );

describe('homeView within Slack limits', () => {
  it.each([
    ['rep', 20, { role: 'rep' }],
    ['rep with no sales and no team', 11, { role: 'rep', sales: 0, teams: 0 }],
    ['manager of 5 of 60 teams, 300 reps each', 32, { role: 'manager', reps: 300, scope: 'teams', teams: 60 }],
    ['manager of the workspace, 300 reps, 60 teams', 23, { role: 'manager', reps: 300, teams: 60 }],
    ['manager without targets or sales', 6, { role: 'manager', reps: 300, own: false, sales: 0 }],
    ['admin, nothing set up', 32, { role: 'admin', reps: 300, teams: 60, setup: EMPTY }],
    [
      'admin, 20 digest channels',
      32,
      {
        role: 'admin',
        reps: 300,
        teams: 60,
        setup: {
          ...COMPLETE,
          digestChannels: Array.from({ length: 20 }, (_, i) => ({ ...COMPLETE.digestChannels[0]!, channelId: `C${i}` })),
        },
      },
    ],
  ] as const)('%s: valid, %i blocks', (_, blocks, options) => {
    const view = homeView(home(options as Options));
    expect(validateView(view)).toEqual([]);
    expect(view.blocks).toHaveLength(blocks);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });
});

describe('pieces', () => {
  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [11, '11th'],
    [12, '12th'],
    [13, '13th'],
    [21, '21st'],
    [22, '22nd'],
    [101, '101st'],
    [111, '111th'],
    [112, '112th'],
  ])('ordinal(%i) is %s', (n, text) => expect(ordinal(n)).toBe(text));

  it.each([
    ['moved up', rank(2, 4), ":trophy: *2nd of 12* on this month's leaderboard · up 2 since last month (▲2)"],
    ['moved down', rank(3, 2), ":trophy: *3rd of 12* on this month's leaderboard · down 1 since last month (▼1)"],
    ['same place', rank(1, 1, 1), ":trophy: *1st of 1* on this month's leaderboard · same place as last month"],
    ['not ranked last month', rank(5, null), ":trophy: *5th of 12* on this month's leaderboard · not ranked last month"],
    [
      'not on the board',
      { period: NOVEMBER, entry: null, of: 4 },
      ":trophy: Not on this month's leaderboard yet: a sale this month puts you on it.",
    ],
  ] as const)('rankLine: %s', (_, standing, text) => expect(rankLine(standing as RepStanding)).toBe(text));

  it.each([
    // 40% of the month gone (Nov 13 of 30 days): 25% of the target is behind pace; 40% ahead.
    ['behind pace', team(2, 3, 'east'), '*east* · 2nd of 3 teams\n$5,000.00 of $20,000.00 · *25.0%* · :red_circle: behind'],
    [
      'ahead of pace',
      team(1, 3, 'north', 1_000_000n),
      '*north* · 1st of 3 teams\n$5,000.00 of $10,000.00 · *50.0%* · :large_green_circle: ahead',
    ],
    ['without a target', team(1, 3, 'west', null), '*west* · 1st of 3 teams\n$5,000.00 so far · no target'],
    ['the only team, its name escaped', team(1, 1, '<!here>&co', null), '*&lt;!here&gt;&amp;co*\n$5,000.00 so far · no target'],
  ] as const)('teamStandingLine: %s', (_, standing, text) => expect(teamStandingLine(standing, 'USD')).toBe(text));

  it.each([
    ['nothing', EMPTY, ['a digest channel', 'a sales team', 'a product', 'a target']],
    ['targets only', { ...EMPTY, targets: 1n }, ['a digest channel', 'a sales team', 'a product']],
    ['no digest channel', { ...COMPLETE, digestChannels: [] }, ['a digest channel']],
    ['everything', COMPLETE, []],
  ] as const)('setupMissing: %s', (_, setup, missing) => expect(setupMissing(setup as SetupStatus)).toEqual(missing));
});

describe('what each role sees', () => {
  it('a rep: rank, targets, totals, Log a sale, last sales with Edit/Void, their team; nothing of managers or admins', () => {
    const view = homeView(home({ role: 'rep' }));
    expect(headers(view)).toEqual(['Your numbers', 'Your last sales', 'Your team · Month 2026-11 (Nov 1 – Nov 30)']);
    const sections = sectionTexts(view);
    expect(sections[0]).toBe(":trophy: *2nd of 12* on this month's leaderboard · up 2 since last month (▲2)");
    expect(sections[1]).toBe(
      `*Month 2026-11 (Nov 1 – Nov 30)* · revenue\n${progressLine(PROGRESS[0]!.measure, 'revenue', 'USD', FORECAST)}`,
    );
    expect(sections[2]).toBe('*$100.00* · 2026-11-01 · &lt;!channel&gt; &amp; co');
    expect(sections[3]).toBe('*$200.00* · 2026-11-02 · Customer 2 · #w&lt;b&gt;');
    expect(sections.at(-1)).toBe(teamStandingLine(team(1, 2), 'USD'));
    const text = texts(view);
    expect(text).toContain('This month: *$4,000.00* (3 deals)');
    expect(text).toContain('"value":"edit:1"');
    expect(text).toContain('"value":"void:10"');
    expect(text).not.toContain('<!channel>');
    for (const absent of ['Set target', 'Settings', 'Setup', 'Behind pace', 'Products needing attention', 'Log a sale for a rep'])
      expect(text).not.toContain(absent);
  });

  it('a rep in two teams sees both, under "Your teams"', () => {
    const data = home({ role: 'rep', teams: 3 });
    const view = homeView({ ...data, myTeams: [team(1, 3, 'east'), team(3, 3, 'west', null)] });
    expect(headers(view).at(-1)).toBe('Your teams · Month 2026-11 (Nov 1 – Nov 30)');
    expect(sectionTexts(view).at(-1)).toBe(
      '*east* · 1st of 3 teams\n$5,000.00 of $20,000.00 · *25.0%* · :red_circle: behind\n\n*west* · 3rd of 3 teams\n$5,000.00 so far · no target',
    );
  });

  it('a rep without targets, sales or team is told how to get each', () => {
    const sections = sectionTexts(homeView(home({ role: 'rep', own: false, sales: 0, teams: 0 })));
    expect(sections).toEqual([
      ":trophy: *2nd of 12* on this month's leaderboard · up 2 since last month (▲2)",
      'You have no targets yet. Your manager sets them with `/target`.',
      'No sales yet. Log one with `/logsale 1200 Acme` or the button above.',
      "You're in no sales team yet. A manager adds you with `/tally teams NAME add @you`.",
    ]);
  });

  it('a manager of teams: their teams first, each with its board, then behind pace and products; "and N more" past the limits', () => {
    const view = homeView(home({ role: 'manager', reps: 300, scope: 'teams', teams: 60 }));
    expect(headers(view)).toEqual(['Your teams · Month 2026-11 (Nov 1 – Nov 30)', 'Your numbers', 'Your last sales']);
    const sections = sectionTexts(view);
    expect(sections[0]).toBe(teamStandingLine(team(1, 60), 'USD'));
    expect(sections[1]).toMatch(/^:first_place_medal: <@U00299> {2}\$2,990\.00 \/ \$10,000\.00 · \*29\.9%\* :red_circle: new\n/);
    expect(sections[1]!.split('\n').at(-1)).toBe('_and 285 more: `/leaderboard team-1`_');
    const text = texts(view);
    expect(text).toContain('and 55 more teams: `/tally teams`');
    expect(text).toContain('_and 285 more_');
    expect(text).toContain('• *product-9*: ');
    expect(text).toContain('_and 2 more: `/tally products`_');
    expect(text).not.toContain('product-10');
    expect(text).toContain('"action_id":"open_set_target"');
    expect(text).toContain('"action_id":"open_settings"');
    for (const absent of ['Setup', 'Workspace:', 'You have no targets yet']) expect(text).not.toContain(absent);
  });

  it('a manager who manages no team today is told how to get one', () => {
    const view = homeView(home({ role: 'manager', scope: 'teams', teams: 0, own: false, sales: 0 }));
    expect(headers(view)).toEqual(['Your teams · Month 2026-11 (Nov 1 – Nov 30)']);
    expect(sectionTexts(view)[0]).toBe(
      'You manage no sales team today. An admin gives you one with `/tally teams NAME managers add @you`.',
    );
  });

  it("a manager's own numbers show only when they have targets or sales, never a 'no targets' line", () => {
    const without = homeView(home({ role: 'manager', own: false, sales: 0 }));
    expect(headers(without)).toEqual(['Leaderboard · Month 2026-11 (Nov 1 – Nov 30)']);
    expect(texts(without)).not.toContain('Your numbers');
    const sells = homeView(home({ role: 'manager', own: false, sales: 2 }));
    expect(headers(sells)).toEqual(['Leaderboard · Month 2026-11 (Nov 1 – Nov 30)', 'Your numbers', 'Your last sales']);
    expect(texts(sells)).not.toContain('You have no targets yet');
  });

  it('a manager of the workspace: the board, every team ranked, behind pace and products', () => {
    const sections = sectionTexts(homeView(home({ role: 'manager', reps: 300, teams: 12, own: false, sales: 0 })));
    expect(sections[0]!.split('\n').at(-1)).toBe('_and 285 more: `/leaderboard`_');
    const teams = Array.from({ length: 10 }, (_, i) => teamStandingLine(team(i + 1, 12), 'USD'));
    expect(sections[1]).toBe(`*Teams*\n${teams.join('\n\n')}\n\n_and 2 more: \`/tally teams\`_`);
    expect(sections[2]!.split('\n').slice(0, 2)).toEqual([
      ':red_circle: *Behind pace*',
      '• <@U00299> 29.9% of $10,000.00, $7,010.00 to go',
    ]);
    expect(sections[3]!.split('\n').slice(0, 2).join('\n')).toBe(
      ':warning: *Products needing attention*\n• *product-0*: $0.00 this month, below 80% of the $400.00 its target expects by now; $0.00 last week, -100% against its 8-week average of $500.00',
    );
  });

  it('an admin with something missing: the setup first, saying what is missing, each with a button', () => {
    const view = homeView(home({ role: 'admin', reps: 3, setup: EMPTY }));
    expect(headers(view)).toEqual(['Setup', 'Leaderboard · Month 2026-11 (Nov 1 – Nov 30)', 'Your numbers', 'Your last sales']);
    const setup = view.blocks.slice(1, 7).map((b) => {
      const s = b as { text: { text: string }; accessory?: { action_id: string; text: { text: string } } };
      return [s.text.text, s.accessory?.text.text ?? null, s.accessory?.action_id ?? null];
    });
    expect(setup).toEqual([
      [':warning: Still missing: a digest channel, a sales team, a product, a target. Each button below sets it up.', null, null],
      ['*Timezone* UTC · *Currency* USD', 'Change', 'open_settings'],
      [':warning: *No digest channel*: no channel gets the weekly digest yet.', 'Choose a channel', 'open_digest_channel'],
      [':warning: *No sales teams*: teams get their own board, channel and digest.', 'Add a team', 'open_add_team'],
      [':warning: *No products*: sales can name a product once the catalogue has it.', 'Add a product', 'open_add_product'],
      [':warning: *No targets*: pace and the leaderboard need them.', 'Set target', 'open_set_target'],
    ]);
    expect(texts(view)).toContain(
      'Workspace: UTC · USD · fiscal year starts in month 4 · locked through 2026-10-31 · celebrations on at 50/100%',
    );
  });

  it('an admin with everything set up: the setup last, with what is there', () => {
    const setup: SetupStatus = {
      digestChannels: [
        { channelId: 'C0SALES', teamName: null, cadence: 'weekly', time: '09:00', weekday: 1 },
        { channelId: 'C0EAST', teamName: 'e<a>st', cadence: 'daily', time: '08:30', weekday: 1 },
      ],
      teams: 1,
      products: 2,
      targets: 1n,
    };
    const view = homeView(home({ role: 'admin', reps: 3, setup }));
    expect(headers(view)).toEqual(['Leaderboard · Month 2026-11 (Nov 1 – Nov 30)', 'Your numbers', 'Your last sales', 'Setup']);
    const sections = sectionTexts(view);
    expect(sections.slice(-6)).toEqual([
      ':white_check_mark: Tally is set up.',
      '*Timezone* UTC · *Currency* USD',
      '*Digest* <#C0SALES> (the whole company, every Monday at 09:00), <#C0EAST> (team e&lt;a&gt;st, every day at 08:30)',
      '*Sales teams* 1 team: `/tally teams`',
      '*Products* 2 products: `/tally products`',
      '*Targets* 1 target set',
    ]);
  });
});

describe('the setup forms', () => {
  it.each([
    ['add a team', addTeamModal(), [SF.teamName, SF.teamChannel]],
    ['add a product', addProductModal(), [SF.productName]],
    ['choose a digest channel', digestChannelModal('Europe/Berlin'), [SF.digestChannel, SF.digestCadence]],
  ] as const)('%s: a valid modal with its fields', (_, view, blockIds) => {
    expect(validateView(view)).toEqual([]);
    expect(view.blocks.map((b) => b.block_id)).toEqual(blockIds);
  });

  it('the digest form says which timezone its times are in, and defaults to weekly', () => {
    const [, cadence] = digestChannelModal('Europe/Berlin').blocks as Array<{
      hint?: { text: string };
      element: { initial_option?: { value: string } };
    }>;
    expect(cadence!.hint!.text).toBe(
      "Times are in Europe/Berlin. Another day or time, or a team's digest: /tally digest here in the channel.",
    );
    expect(cadence!.element.initial_option!.value).toBe('weekly');
  });

  const text = (value: string | null) => ({ type: 'plain_text_input', value });
  const conversation = (id: string | null) => ({ type: 'conversations_select', selected_conversation: id });

  it.each([
    [
      'a name and a channel',
      { [SF.teamName]: { [SF.teamName]: text(' east ') }, [SF.teamChannel]: { [SF.teamChannel]: conversation('C0SALES') } },
      { ok: true, value: { name: 'east', channelId: 'C0SALES' } },
    ],
    [
      'a name, no channel',
      { [SF.teamName]: { [SF.teamName]: text('west') }, [SF.teamChannel]: { [SF.teamChannel]: conversation(null) } },
      { ok: true, value: { name: 'west', channelId: null } },
    ],
    [
      'no name',
      { [SF.teamName]: { [SF.teamName]: text('   ') } },
      { ok: false, errors: { [SF.teamName]: 'Give the team a name, like east.' } },
    ],
    [
      'a crafted channel',
      { [SF.teamName]: { [SF.teamName]: text('east') }, [SF.teamChannel]: { [SF.teamChannel]: conversation('<#C1>') } },
      { ok: false, errors: { [SF.teamChannel]: 'Choose a channel from the list.' } },
    ],
  ] as const)('readAddTeamForm: %s', (_, values, result) => expect(readAddTeamForm(values)).toEqual(result));

  it.each([
    ['a name', { [SF.productName]: { [SF.productName]: text('widgets') } }, { ok: true, value: { name: 'widgets' } }],
    ['nothing', {}, { ok: false, errors: { [SF.productName]: 'Give the product a name, like widgets.' } }],
  ] as const)('readAddProductForm: %s', (_, values, result) => expect(readAddProductForm(values)).toEqual(result));

  const cadence = (value: string | null) => ({ type: 'static_select', selected_option: value === null ? null : { value } });
  it.each([
    [
      'a channel, daily',
      {
        [SF.digestChannel]: { [SF.digestChannel]: conversation('G0PRIVATE') },
        [SF.digestCadence]: { [SF.digestCadence]: cadence('daily') },
      },
      { ok: true, value: { channelId: 'G0PRIVATE', cadence: 'daily' } },
    ],
    [
      'no channel',
      { [SF.digestChannel]: { [SF.digestChannel]: conversation(null) }, [SF.digestCadence]: { [SF.digestCadence]: cadence('weekly') } },
      { ok: false, errors: { [SF.digestChannel]: 'Choose a channel from the list.' } },
    ],
    [
      'a cadence not offered',
      {
        [SF.digestChannel]: { [SF.digestChannel]: conversation('C0SALES') },
        [SF.digestCadence]: { [SF.digestCadence]: cadence('hourly') },
      },
      { ok: false, errors: { [SF.digestCadence]: 'Choose how often.' } },
    ],
  ] as const)('readDigestChannelForm: %s', (_, values, result) => expect(readDigestChannelForm(values)).toEqual(result));
});
