// Suggested target for the next period from the totals of past periods (docs/rules.md#suggested-targets: trend and
// seasonality, at least 3 periods of history, otherwise no suggestion, said plainly).
// Pure: the caller passes complete past periods, oldest first, with no gaps.
//
// Method:
// 1. Fewer than 3 periods: no suggestion.
// 2. Trend: least squares (simple-statistics linearRegression) over the last N periods,
//    N = min(periods of history, 12, max(periodsPerYear, 3)): 12 months, 12 weeks,
//    4 quarters, 3 years. The suggestion is the line at the next period.
// 3. Seasonality, for months and quarters only (a single week a year ago is too noisy, and
//    a year has no season), once a full year plus one period exists, so the same period
//    last year is known. N is then exactly one year (12 months, 4 quarters).
//    a. One to two years of history: seasonal index = the same period last year / the
//       average of the last year's periods (the year ending now); suggestion = the trend
//       line of the raw last year at the next period × that index.
//       One year cannot tell a season from a trend or a step: steady growth reads as a
//       low index (3%/month with 18 months of history suggests 18% under the true next
//       month), and a step up is damped towards the year's average (10k for 12 months
//       then 15k for 6 suggests 13k).
//    b. Two full years or more, if the season repeats: classical multiplicative
//       decomposition. Each period's ratio to the centred moving average of the year
//       around it (2×12 or 2×4) is averaged per season and normalised to average 1: that
//       is the season's index. The last year is divided by its indices, the trend is
//       fitted to that seasonally adjusted year, and the line at the next period × the
//       next period's index is the suggestion. (Indices taken as a period / its year's
//       average would soak up the growth within the year, and suggest a year of growth
//       too little.) The season "repeats" when the last two years' residuals around one
//       least-squares line through both correlate season by season with r >= 0.5;
//       otherwise noise would pass for a season, and the trend of step 2 is used alone.
// 4. Never negative, and rounded to a readable figure, half up: revenue to 2 significant
//    figures from 1,000 major units up ($41,237.55 -> $41,000), whole major units below
//    ($837.40 -> $837); deals to whole deals. A suggestion that rounds to 0 is none.
// Totals go through Number for the regression (exact below 2^53 minor units).
import { linearRegression, mean, sampleCorrelation, sum } from 'simple-statistics';
import type { ForecastMetric } from './forecast.js';
import { minorDigits } from './money.js';

export interface SuggestionInput {
  /** Complete past periods, oldest first, consecutive. */
  history: ReadonlyArray<{ key: string; total: bigint }>;
  /** 52 week, 12 month, 4 quarter, 1 year. */
  periodsPerYear: number;
  metric: ForecastMetric;
  currency: string;
}

export type Suggestion = { ok: true; amount: bigint; basis: string } | { ok: false; reason: string };

export const MIN_HISTORY_PERIODS = 3;
const MAX_TREND_PERIODS = 12;
/** How alike two years' seasonal shapes must be (Pearson r) before the season is used. */
const SEASON_REPEATS_CORRELATION = 0.5;
const SEASONAL_PERIODS_PER_YEAR: ReadonlySet<number> = new Set([12, 4]);
const UNITS: Readonly<Record<number, string>> = { 52: 'week', 12: 'month', 4: 'quarter', 1: 'year' };
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function suggestTarget(input: SuggestionInput): Suggestion {
  const { history, periodsPerYear: perYear, metric, currency } = input;
  const unit = UNITS[perYear] ?? 'period';
  const n = history.length;
  if (n < MIN_HISTORY_PERIODS) {
    return {
      ok: false,
      reason: `Not enough history for a suggestion: ${count(n, unit)} of sales so far, ${MIN_HISTORY_PERIODS} needed.`,
    };
  }
  const values = history.map((p) => Number(p.total));
  const window = Math.min(n, MAX_TREND_PERIODS, Math.max(perYear, MIN_HISTORY_PERIODS));
  const recent = values.slice(n - window);
  if (recent.every((v) => v === 0)) {
    return {
      ok: false,
      reason: `No sales in the last ${count(window, unit)}, so there is nothing to base a suggestion on.`,
    };
  }

  const seasonal = SEASONAL_PERIODS_PER_YEAR.has(perYear) && n > perYear;
  const twoYears = seasonal && n >= 2 * perYear;
  const indices = twoYears && seasonRepeats(values, perYear) ? seasonalIndices(values, perYear) : null;
  const lastYearKey = history[n - perYear]?.key ?? '';
  let value: number;
  let basis: string;
  if (indices) {
    // 3b: the last year, seasonally adjusted, its trend, and the next period's season.
    const trend = fitTrend(recent.map((v, i) => v / index(indices, n - window + i)));
    const next = index(indices, n);
    value = trend.next * next;
    basis =
      `Based on the last ${count(window, unit)}' trend (${trend.text}/${unit}, seasonally adjusted) ` +
      `and the season: ${seasonName(lastYearKey, unit)} ${relative(next, `an average ${unit}`, 'runs')}.`;
  } else if (seasonal && !twoYears) {
    // 3a: the raw last year's trend and a single index from the same period last year.
    const trend = fitTrend(recent);
    const next = values[n - perYear]! / mean(recent);
    value = trend.next * next;
    basis =
      `Based on the last ${count(window, unit)}' trend (${trend.text}/${unit}) ` +
      `and last ${seasonName(lastYearKey, unit)}, ${relative(next, "its year's average")}.`;
  } else {
    const trend = fitTrend(recent);
    value = trend.next;
    const noSeason = twoYears ? '; no season repeats from one year to the next' : '';
    basis = `Based on the trend of the last ${count(window, unit)} (${trend.text}/${unit})${noSeason}.`;
  }

  const amount = readable(value, metric, currency);
  if (amount === 0n) {
    const what = indices || (seasonal && !twoYears) ? 'trend and season' : 'trend';
    return {
      ok: false,
      reason: `Following the ${what} of the last ${count(window, unit)}, next ${unit} would have no sales, so there is no useful suggestion.`,
    };
  }
  return { ok: true, amount, basis };
}

/** The least-squares line over values at x = 0..n-1: its value at x = n, and its slope in % of the mean. */
function fitTrend(values: readonly number[]): { next: number; text: string } {
  const line = linearRegression(values.map((v, x) => [x, v]));
  const average = mean(values);
  const percent = average > 0 ? (line.m / average) * 100 : 0;
  const rounded = Math.abs(percent).toFixed(1);
  const text = rounded === '0.0' ? '±0.0%' : `${percent > 0 ? '+' : '-'}${rounded}%`;
  return { next: line.m * values.length + line.b, text };
}

/**
 * Whether the last year's ups and downs repeat the year before's: the two years' residuals
 * around one least-squares line through both, correlated season by season.
 */
function seasonRepeats(values: readonly number[], perYear: number): boolean {
  const twoYears = values.slice(-2 * perYear);
  const line = linearRegression(twoYears.map((v, x) => [x, v]));
  const residuals = twoYears.map((v, x) => v - (line.m * x + line.b));
  // NaN when a year is flat: no season then.
  return sampleCorrelation(residuals.slice(0, perYear), residuals.slice(perYear)) >= SEASON_REPEATS_CORRELATION;
}

/**
 * Seasonal indices by position t mod perYear (perYear even: 12 or 4): each period's ratio
 * to the centred 2×perYear moving average around it, averaged per season, normalised to
 * average 1. Null when a season has no ratio or a zero index (nothing to divide by).
 */
function seasonalIndices(values: readonly number[], perYear: number): number[] | null {
  const half = perYear / 2;
  const ratios: number[][] = Array.from({ length: perYear }, () => []);
  for (let t = half; t + half < values.length; t++) {
    const centred = (values[t - half]! / 2 + sum(values.slice(t - half + 1, t + half)) + values[t + half]! / 2) / perYear;
    if (centred > 0) ratios[t % perYear]!.push(values[t]! / centred);
  }
  const raw = ratios.map((r) => (r.length > 0 ? mean(r) : 0));
  if (raw.some((r) => !(r > 0))) return null;
  const average = mean(raw);
  return raw.map((r) => r / average);
}

function index(indices: readonly number[], t: number): number {
  return indices[t % indices.length]!;
}

/** `38% above X`, `12% below X`, `in line with X`; with a verb: `runs 38% above X`. */
function relative(ratio: number, what: string, verb?: string): string {
  const percent = Math.round((ratio - 1) * 100);
  const phrase = percent === 0 ? `in line with ${what}` : `${Math.abs(percent)}% ${percent > 0 ? 'above' : 'below'} ${what}`;
  return verb ? `${verb} ${phrase}` : phrase;
}

/** `November` for `2025-11`, `Q4` for `FY2026-Q4`, else the key itself. */
function seasonName(key: string, unit: string): string {
  const month = /^\d{4}-(\d{2})$/.exec(key);
  if (month && unit === 'month') return MONTHS[Number(month[1]) - 1] ?? key;
  const quarter = /-(Q[1-4])$/.exec(key);
  if (quarter && unit === 'quarter') return quarter[1]!;
  return key;
}

function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Half up to whole deals, or money to 2 significant figures (whole major units below 1,000). */
function readable(value: number, metric: ForecastMetric, currency: string): bigint {
  if (!(value > 0)) return 0n;
  const units = BigInt(Math.round(value));
  if (metric === 'deals') return units;
  const major = 10n ** BigInt(minorDigits(currency));
  const step = units < 1000n * major ? major : 10n ** BigInt(units.toString().length - 2);
  return ((2n * units + step) / (2n * step)) * step;
}
