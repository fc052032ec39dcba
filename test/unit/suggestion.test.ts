import { describe, expect, it } from 'vitest';
import { suggestTarget, type Suggestion, type SuggestionInput } from '../../src/domain/suggestion.js';

type Period = { key: string; total: bigint };

/** Consecutive month keys from `first` (YYYY-MM). */
function monthKeys(first: string, count: number): string[] {
  const [year, month] = first.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const m = month - 1 + i;
    return `${year + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
  });
}

/** A history from keys and a total per position, rounded to the unit. */
function series(keys: readonly string[], total: (t: number, key: string) => number): Period[] {
  return keys.map((key, t) => ({ key, total: BigInt(Math.round(total(t, key))) }));
}

/** A tiny seeded LCG (Numerical Recipes constants): uniform in [0, 1). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function suggest(history: Period[], extra: Partial<SuggestionInput> = {}): Suggestion {
  return suggestTarget({ history, periodsPerYear: 12, metric: 'revenue', currency: 'USD', ...extra });
}

function amountOf(s: Suggestion): bigint {
  if (!s.ok) throw new Error(`expected a suggestion, got: ${s.reason}`);
  return s.amount;
}

/** |suggested / truth - 1| */
function error(amount: bigint, truth: number): number {
  return Math.abs(Number(amount) / truth - 1);
}

describe('suggestTarget backtests', () => {
  it('steady growth of 3%/month over 24 months: within 10% of the true next month', () => {
    // $10,000.00 growing 3% a month from January 2024; the next month (January 2026) is $20,327.94.
    const growth = (t: number) => 1_000_000 * 1.03 ** t;
    const s = suggest(series(monthKeys('2024-01', 24), growth));
    expect(s).toEqual({
      ok: true,
      amount: 2_000_000n, // $20,000: the line through the last 12 months, 2 significant figures
      basis: 'Based on the trend of the last 12 months (+2.9%/month); no season repeats from one year to the next.',
    });
    expect(error(amountOf(s), growth(24))).toBeLessThan(0.1); // 1.6% under
  });

  it('steady growth over 6 months: the trend alone, as the basis says', () => {
    const growth = (t: number) => 1_000_000 * 1.03 ** t;
    const s = suggest(series(monthKeys('2025-01', 6), growth));
    expect(s).toEqual({ ok: true, amount: 1_200_000n, basis: 'Based on the trend of the last 6 months (+3.0%/month).' });
    expect(error(amountOf(s), growth(6))).toBeLessThan(0.1); // truth $11,940.52
  });

  it('a strong Q4 (Oct-Dec 1.6x) with 1%/month growth: next November within 10% of the true one', () => {
    // November 2023 to October 2025; the next period is November 2025, truth $20,315.75.
    const q4 = (t: number, key: string) => 1_000_000 * 1.01 ** t * (Number(key.slice(5)) >= 10 ? 1.6 : 1);
    const keys = monthKeys('2023-11', 25);
    const s = suggest(series(keys.slice(0, 24), q4));
    expect(s).toEqual({
      ok: true,
      amount: 2_000_000n,
      basis:
        "Based on the last 12 months' trend (+1.1%/month, seasonally adjusted) " +
        'and the season: November runs 39% above an average month.',
    });
    const truth = q4(24, keys[24]!);
    expect(error(amountOf(s), truth)).toBeLessThan(0.1); // 1.6% under
    // Without the season the line alone would miss November by far more than 10%.
    const trendOnly = amountOf(suggest(series(keys.slice(12, 24), (t, key) => q4(t + 12, key))));
    expect(error(trendOnly, truth)).toBeGreaterThan(0.1);
  });

  it('a strong Q4 in quarters: next Q4 within 10%', () => {
    const keys = ['FY2024-Q1', 'FY2024-Q2', 'FY2024-Q3', 'FY2024-Q4', 'FY2025-Q1', 'FY2025-Q2', 'FY2025-Q3', 'FY2025-Q4'];
    const quarterly = (t: number) => 3_000_000 * (1 + 0.02 * t) * (t % 4 === 3 ? 1.5 : 1);
    const history = series([...keys, 'FY2026-Q1', 'FY2026-Q2', 'FY2026-Q3'], quarterly);
    const s = suggest(history, { periodsPerYear: 4 });
    expect(s).toEqual({
      ok: true,
      amount: 5_500_000n,
      basis:
        "Based on the last 4 quarters' trend (+1.8%/quarter, seasonally adjusted) " +
        'and the season: Q4 runs 33% above an average quarter.',
    });
    expect(error(amountOf(s), quarterly(11))).toBeLessThan(0.1); // truth $54,900
  });

  describe('flat noise of ±15% around $10,000', () => {
    const noisy = (seed: number, count: number) => {
      const random = lcg(seed);
      return series(monthKeys('2024-01', count), () => 1_000_000 * (1 + 0.3 * (random() - 0.5)));
    };

    it('seed 1: the exact suggestions', () => {
      expect(suggest(noisy(1, 12))).toEqual({
        ok: true,
        amount: 980_000n,
        basis: 'Based on the trend of the last 12 months (±0.0%/month).',
      });
      expect(suggest(noisy(1, 24))).toEqual({
        ok: true,
        amount: 890_000n,
        basis: 'Based on the trend of the last 12 months (-1.6%/month); no season repeats from one year to the next.',
      });
    });

    it.each([12, 24])('stays inside the noise band with %i months, seeds 1 to 20', (count) => {
      for (let seed = 1; seed <= 20; seed++) {
        const amount = amountOf(suggest(noisy(seed, count)));
        expect(amount, `seed ${seed}`).toBeGreaterThanOrEqual(850_000n);
        expect(amount, `seed ${seed}`).toBeLessThanOrEqual(1_150_000n);
      }
    });
  });

  it('noise that happens to look like a decline is followed: seed 8 over 36 months', () => {
    // Its last 12 months drift from $11.3k to $8.5k; the trend reads that as a decline and
    // suggests $8,000, outside the ±15% band (seeds 1 to 20 over 36 months: the only one).
    const random = lcg(8);
    const history = series(monthKeys('2023-01', 36), () => 1_000_000 * (1 + 0.3 * (random() - 0.5)));
    expect(suggest(history)).toEqual({
      ok: true,
      amount: 800_000n,
      basis: 'Based on the trend of the last 12 months (-2.7%/month); no season repeats from one year to the next.',
    });
  });

  it('a step from $10k (12 months) to $15k (6 months): between the two, closer to the new', () => {
    // One year plus 6 months: the line through the last 12 months reaches $16,591 next
    // month, and last July ($10k) was 20% below that year's $12.5k average:
    // 16,591 x 0.8 = $13,273 -> $13,000.
    const s = suggest(series(monthKeys('2024-01', 18), (t) => (t < 12 ? 1_000_000 : 1_500_000)));
    expect(s).toEqual({
      ok: true,
      amount: 1_300_000n,
      basis: "Based on the last 12 months' trend (+5.0%/month) and last July, 20% below its year's average.",
    });
    const amount = amountOf(s);
    expect(amount > 1_000_000n && amount < 1_500_000n).toBe(true);
    expect(1_500_000n - amount < amount - 1_000_000n).toBe(true);
  });

  it('the same step in weeks: no seasonality for weeks, the trend overshoots', () => {
    const keys = Array.from({ length: 18 }, (_, i) => `2025-W${String(i + 1).padStart(2, '0')}`);
    const s = suggest(
      series(keys, (t) => (t < 12 ? 1_000_000 : 1_500_000)),
      { periodsPerYear: 52 },
    );
    expect(s).toEqual({ ok: true, amount: 1_700_000n, basis: 'Based on the trend of the last 12 weeks (+5.0%/week).' });
  });
});

describe('suggestTarget without a useful suggestion', () => {
  it.each([
    [0, 12, 'Not enough history for a suggestion: 0 months of sales so far, 3 needed.'],
    [1, 12, 'Not enough history for a suggestion: 1 month of sales so far, 3 needed.'],
    [2, 12, 'Not enough history for a suggestion: 2 months of sales so far, 3 needed.'],
    [2, 4, 'Not enough history for a suggestion: 2 quarters of sales so far, 3 needed.'],
    [2, 52, 'Not enough history for a suggestion: 2 weeks of sales so far, 3 needed.'],
  ])('%i periods (%i a year)', (count, periodsPerYear, reason) => {
    const history = series(monthKeys('2025-01', count), () => 5_000_000);
    expect(suggest(history, { periodsPerYear })).toEqual({ ok: false, reason });
  });

  it('zero totals: a suggestion of 0 is no suggestion', () => {
    expect(suggest(series(monthKeys('2025-01', 6), () => 0))).toEqual({
      ok: false,
      reason: 'No sales in the last 6 months, so there is nothing to base a suggestion on.',
    });
  });

  it('sales only before the trend window still count as none', () => {
    const history = series(monthKeys('2024-01', 24), (t) => (t < 12 ? 1_000_000 : 0));
    expect(suggest(history)).toEqual({
      ok: false,
      reason: 'No sales in the last 12 months, so there is nothing to base a suggestion on.',
    });
  });

  it('a trend falling to zero or below', () => {
    expect(
      suggest(
        series(monthKeys('2025-01', 3), (t) => [30, 20, 10][t]!),
        { metric: 'deals' },
      ),
    ).toEqual({
      ok: false,
      reason: 'Following the trend of the last 3 months, next month would have no sales, so there is no useful suggestion.',
    });
    expect(suggest(series(monthKeys('2025-01', 4), (t) => [400_000, 300_000, 100_000, 10_000][t]!))).toEqual({
      ok: false,
      reason: 'Following the trend of the last 4 months, next month would have no sales, so there is no useful suggestion.',
    });
  });

  it('an amount that rounds to nothing', () => {
    expect(suggest(series(monthKeys('2025-01', 3), () => 40))).toEqual({
      ok: false, // $0.40 a month rounds to $0
      reason: 'Following the trend of the last 3 months, next month would have no sales, so there is no useful suggestion.',
    });
  });
});

describe('suggestTarget rounding', () => {
  const flat = (total: number, extra: Partial<SuggestionInput> = {}) =>
    amountOf(
      suggest(
        series(monthKeys('2025-01', 3), () => total),
        extra,
      ),
    );

  it.each([
    [4_123_755, 'USD', 4_100_000n], // $41,237.55 -> $41,000
    [4_150_000, 'USD', 4_200_000n], // $41,500 -> $42,000: half up
    [4_149_999, 'USD', 4_100_000n],
    [100_000, 'USD', 100_000n], // $1,000 exactly
    [104_999_999, 'USD', 100_000_000n], // $1,049,999.99 -> $1,000,000
    [83_740, 'USD', 83_700n], // below $1,000: whole dollars, $837.40 -> $837
    [99_960, 'USD', 100_000n], // $999.60 -> $1,000
    [41_237, 'JPY', 41_000n], // no minor units
    [837, 'JPY', 837n],
    [41_237_550, 'BHD', 41_000_000n], // 3 minor digits: BHD 41,237.550 -> 41,000
  ])('%i minor units of %s a month suggest %s', (total, currency, amount) => {
    expect(flat(total, { currency })).toBe(amount);
  });

  it('deals: whole deals, half up', () => {
    const deals = (totals: number[]) =>
      suggest(
        series(monthKeys('2025-01', totals.length), (t) => totals[t]!),
        { metric: 'deals' },
      );
    expect(deals([10, 12, 11, 13, 14, 15])).toEqual({
      ok: true,
      amount: 16n, // the line reaches 15.93
      basis: 'Based on the trend of the last 6 months (+7.5%/month).',
    });
    expect(amountOf(deals([3, 4, 4]))).toBe(5n); // 4.67
    expect(amountOf(deals([4, 4, 4]))).toBe(4n); // flat stays flat
  });

  it('years: the trend of the last 3 years, no season', () => {
    const years = ['FY2021', 'FY2022', 'FY2023', 'FY2024', 'FY2025'];
    const s = suggest(
      series(years, (t) => [80_000_000, 90_000_000, 100_000_000, 110_000_000, 120_000_000][t]!),
      {
        periodsPerYear: 1,
      },
    );
    expect(s).toEqual({ ok: true, amount: 130_000_000n, basis: 'Based on the trend of the last 3 years (+9.1%/year).' });
  });
});
