// App Home for reps, managers and admins: right sections for each role, within Slack's view
// limits for any team size (300 reps, everyone behind pace, 10 flagged products).
import { describe, expect, it } from 'vitest';
import type { Role, Workspace } from '../../src/db/schema.js';
import { leaderboardWindow, movement, rankReps } from '../../src/domain/leaderboard.js';
import { measure } from '../../src/domain/pace.js';
import { periodOfDate } from '../../src/domain/periods.js';
import type { HomeData } from '../../src/services/home.js';
import type { SaleWithProduct } from '../../src/store/sales.js';
import { homeView } from '../../src/slack/views/home.js';
import { validateView } from '../../slack-standin/block-kit-limits.js';

const TZ = 'UTC';
const NOVEMBER = periodOfDate('month', '2026-11-01', TZ, 1);
const NOW = new Date('2026-11-13T00:00:00Z');
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

function home(role: Role, reps: number): HomeData {
  const ranked = rankReps(
    Array.from({ length: reps }, (_, i) => {
      const target = 1_000_000n;
      const actual = BigInt(i * 1000);
      return { userId: `U${String(i).padStart(5, '0')}`, actual, deals: 1n, target, measure: measure({ actual, target, period: NOVEMBER, now: NOW, tz: TZ }) };
    }),
  ).map((r) => ({ ...r, movement: movement(r.rank, null) }));
  const board = {
    period: NOVEMBER,
    salesTeam: null,
    currency: 'USD',
    ranked,
    window: leaderboardWindow(ranked, 'U0REP', 15),
    totals: { actual: 0n, target: null, deals: 0n },
    forecast: null,
    final: false,
  };
  const progress = [{ metric: 'revenue' as const, period: NOVEMBER, target: { source: 'own' as const, amount: 1_000_000n }, measure: measure({ actual: 400_000n, target: 1_000_000n, period: NOVEMBER, now: NOW, tz: TZ }), forecast: { projection: 900_000n, low: 850_000n, high: 950_000n, method: 'blended' as const } }];
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
  return {
    userId: 'U0REP',
    role,
    workspace,
    snapshot: { totals: [{ label: 'This month', amountMinor: 400_000n, deals: 3n }], progress },
    recentSales: Array.from({ length: 10 }, (_, i) => sale(i + 1)),
    manager: role === 'rep' ? null : { board, behind: ranked.filter((r) => r.measure?.status === 'behind'), products },
  };
}

const texts = (view: ReturnType<typeof homeView>) => JSON.stringify(view.blocks);

describe('homeView', () => {
  it.each([
    ['rep', 1, 16],
    ['manager', 300, 21],
    ['admin', 300, 23],
  ] as const)('%s with %i reps: valid, %i blocks', (role, reps, blocks) => {
    const view = homeView(home(role, reps));
    expect(validateView(view)).toEqual([]);
    expect(view.blocks).toHaveLength(blocks);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it('shows a rep their targets, last sales with Edit/Void, and Log a sale; nothing of managers', () => {
    const text = texts(homeView(home('rep', 1)));
    expect(text).toContain('*40.0%* of $10,000.00');
    expect(text).toContain('likely $8.5K–$9.5K');
    expect(text).toContain('"value":"edit:1"');
    expect(text).toContain('"value":"void:10"');
    expect(text).toContain('&lt;!channel&gt; &amp; co');
    expect(text).toContain('#w&lt;b&gt;');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('Set target');
    expect(text).not.toContain('Settings');
  });

  it('cuts long lists for managers: 15 leaderboard rows, 15 behind pace, 10 products', () => {
    const text = texts(homeView(home('manager', 300)));
    expect(text).toContain('_and 285 more: `/leaderboard`_');
    expect(text).toContain('_and 285 more_');
    expect(text).toContain('product-9');
    expect(text).not.toContain('product-10');
    expect(text).toContain('Set target');
    // Settings, where managers turn the guard rails on or off; not the workspace line.
    expect(text).toContain('"action_id":"open_settings"');
    expect(text).not.toContain('Workspace:');
  });

  it('adds Settings and the workspace line for admins', () => {
    const text = texts(homeView(home('admin', 3)));
    expect(text).toContain('"action_id":"open_settings"');
    expect(text).toContain('Workspace: UTC · USD · fiscal year starts in month 4 · locked through 2026-10-31 · celebrations on at 50/100%');
  });
});
