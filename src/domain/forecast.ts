// Projection to the end of a period (docs/rules.md#projection: run-rate blended with the trailing average of
// past periods). Pure: time so far enters as whole milliseconds, never read from a clock.
// The series does not matter (a rep, a team, a product, the company) and neither does the
// metric: amounts are bigint, money in minor units or a count of deals.
//
// Method, with f = elapsed / total (the share of the period gone, exact, in [0, 1]):
//
//   projection = f × run-rate + (1 − f) × max(trailing average, actual)
//     run-rate         = actual × total / elapsed
//     trailing average = mean of the comparable past periods' totals
//
// Because f × run-rate is exactly `actual`, this reads: what is sold so far, plus the
// share of the period still to come times a typical period (the trailing average, or
// `actual` if that is higher), so it never projects below what is already sold. Early in a
// period the noisy run-rate weighs little; at the end the projection is `actual`.
// - No history: projection = run-rate (method 'run-rate'); nothing elapsed = `actual`.
// - Nothing elapsed, with history: projection = max(trailing average, actual).
// The projection is exact rational arithmetic, rounded half up to the unit once.
//
// Range (a plain-language "likely low–high"), also scaled by what is left of the period:
//   spread = (1 − f) × sample standard deviation of the past totals   (2+ past periods)
//   spread = (1 − f) × 20% of the projection                           (0 or 1 past period)
//   low = max(projection − spread, actual), high = projection + spread
// The standard deviation (simple-statistics) is the only float; it is rounded to the unit
// before the exact scaling. Totals are converted to Number for it, exact below 2^53.
import { sampleStandardDeviation } from 'simple-statistics';
import { formatMoneyShort } from './money.js';
import { runRateProjection } from './pace.js';

export type ForecastMetric = 'revenue' | 'deals';

export interface ForecastInput {
  /** So far in the current period: minor units or a count of deals. */
  actual: bigint;
  elapsedMs: bigint;
  totalMs: bigint;
  /** Totals of the comparable past periods, oldest first (e.g. the last 6 months); may be empty. */
  history: readonly bigint[];
}

export interface Forecast {
  projection: bigint;
  low: bigint;
  high: bigint;
  method: 'run-rate' | 'blended';
}

/** Band of the range with fewer than 2 past periods: ±20% of the projection, times (1 − f). */
const FALLBACK_BAND_PERCENT = 20n;

export function forecast(input: ForecastInput): Forecast {
  const { actual, totalMs, history } = input;
  if (totalMs <= 0n) throw new RangeError(`forecast: totalMs must be positive, got ${totalMs}`);
  const elapsed = input.elapsedMs < 0n ? 0n : input.elapsedMs > totalMs ? totalMs : input.elapsedMs;
  const remaining = totalMs - elapsed;

  let projection: bigint;
  if (history.length === 0) {
    projection = runRateProjection(actual, elapsed, totalMs);
  } else {
    // max(trailing average, actual) as the fraction `base / n`, kept exact.
    const n = BigInt(history.length);
    const sum = history.reduce((a, b) => a + b, 0n);
    const base = sum > actual * n ? sum : actual * n;
    projection = elapsed === 0n ? divideRoundHalfUp(base, n) : actual + divideRoundHalfUp(remaining * base, totalMs * n);
  }

  const spread =
    history.length >= 2
      ? divideRoundHalfUp(BigInt(Math.round(sampleStandardDeviation(history.map(Number)))) * remaining, totalMs)
      : divideRoundHalfUp(projection * FALLBACK_BAND_PERCENT * remaining, 100n * totalMs);
  const low = projection - spread;
  return {
    projection,
    low: low < actual ? actual : low,
    high: projection + spread,
    method: history.length === 0 ? 'run-rate' : 'blended',
  };
}

/** `likely $41K–$47K`, `likely 12–15 deals`; a single figure when both ends read the same. */
export function forecastRangeText(f: Forecast, currency: string, metric: ForecastMetric): string {
  if (metric === 'revenue') {
    const low = formatMoneyShort(f.low, currency);
    const high = formatMoneyShort(f.high, currency);
    return low === high ? `likely ${low}` : `likely ${low}–${high}`;
  }
  const count = new Intl.NumberFormat('en-US');
  if (f.low === f.high) return `likely ${count.format(f.low)} ${f.low === 1n ? 'deal' : 'deals'}`;
  return `likely ${count.format(f.low)}–${count.format(f.high)} deals`;
}

/** n / d rounded half up, for n >= 0 and d > 0. */
function divideRoundHalfUp(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d);
}
