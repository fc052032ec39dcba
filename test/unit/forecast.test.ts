import { describe, expect, it } from 'vitest';
import { forecast, forecastRangeText, type Forecast } from '../../src/domain/forecast.js';

const DAY = 86_400_000n;
const MONTH = 30n * DAY;
// Mean 4,050,000; sample standard deviation 229,128.78 -> 229,129.
const SIX_MONTHS = [3_800_000n, 4_100_000n, 4_250_000n] as const;

describe('forecast', () => {
  it.each([
    // [what, actual, elapsed, history, projection, low, high, method]
    // 2,000,000 + 1/2 x 4,050,000; spread 229,129 / 2 = 114,564.5 -> 114,565
    ['halfway, with history', 2_000_000n, 15n * DAY, SIX_MONTHS, 4_025_000n, 3_910_435n, 4_139_565n, 'blended'],
    // 1,000,000 + 2/3 x 4,050,000; spread 229,129 x 2/3 = 152,752.67 -> 152,753
    ['a third in, with history', 1_000_000n, 10n * DAY, SIX_MONTHS, 3_700_000n, 3_547_247n, 3_852_753n, 'blended'],
    // f = 0: the trailing average, with the full standard deviation around it
    ['start of period', 0n, 0n, SIX_MONTHS, 4_050_000n, 3_820_871n, 4_279_129n, 'blended'],
    // f = 0 with sales already above the trailing average (dated ahead): actual, never below it
    ['start of period, actual above average', 5_000_000n, 0n, SIX_MONTHS, 5_000_000n, 5_000_000n, 5_229_129n, 'blended'],
    // f = 1: what was sold, no range left
    ['end of period', 3_500_000n, MONTH, SIX_MONTHS, 3_500_000n, 3_500_000n, 3_500_000n, 'blended'],
    ['after the end (clamped)', 3_500_000n, MONTH + DAY, SIX_MONTHS, 3_500_000n, 3_500_000n, 3_500_000n, 'blended'],
    ['before the start (clamped)', 0n, -DAY, SIX_MONTHS, 4_050_000n, 3_820_871n, 4_279_129n, 'blended'],
    // run-rate 1,000,000 x 30/12; band 20% x 18/30 = 12% of 2,500,000
    ['no history', 1_000_000n, 12n * DAY, [], 2_500_000n, 2_200_000n, 2_800_000n, 'run-rate'],
    ['no history, nothing elapsed', 0n, 0n, [], 0n, 0n, 0n, 'run-rate'],
    ['no history, nothing sold', 0n, 15n * DAY, [], 0n, 0n, 0n, 'run-rate'],
    // 1,500,000 + 18/30 x 4,000,000; band 20% x 18/30 of 3,900,000 = 468,000
    ['one past period', 1_500_000n, 12n * DAY, [4_000_000n], 3_900_000n, 3_432_000n, 4_368_000n, 'blended'],
    // average 3,500,000 < actual: 5,000,000 + 1/3 x 5,000,000 = 6,666,666.67;
    // sample sd of [3M, 4M] = 707,106.78 -> 707,107, x 1/3 = 235,702.33 -> 235,702
    ['actual above the trailing average', 5_000_000n, 20n * DAY, [3_000_000n, 4_000_000n], 6_666_667n, 6_430_965n, 6_902_369n, 'blended'],
    // 0 + 1/2 x 3,500,000; spread 707,107 / 2 = 353,553.5 -> 353,554; low stays above 0 = actual
    ['zero actual, halfway', 0n, 15n * DAY, [3_000_000n, 4_000_000n], 1_750_000n, 1_396_446n, 2_103_554n, 'blended'],
    // a wide history never drags low below what is already sold
    ['low floored at actual', 1_000_000n, 15n * DAY, [0n, 10_000_000n], 3_500_000n, 1_000_000n, 7_035_534n, 'blended'],
    // deals: 6 + 1/2 x 12; sample sd sqrt(2) -> 1, x 1/2 = 0.5 -> 1
    ['deals, halfway', 6n, 15n * DAY, [10n, 12n, 14n, 13n, 11n, 12n], 12n, 11n, 13n, 'blended'],
    // 1 + 1/2 x 1 = 1.5 rounds half up
    ['rounds half up', 1n, 1n, [1n], 2n, 2n, 2n, 'blended'],
    // beyond float precision: (10^18 + 1) x 1.5 = 1,500,000,000,000,000,001.5 -> ...002
    ['exact beyond 2^53', 10n ** 18n + 1n, 1n, [10n ** 18n + 1n], 15n * 10n ** 17n + 2n, null, null, 'blended'],
  ] as const)('%s', (_what, actual, elapsedMs, history, projection, low, high, method) => {
    const f = forecast({ actual, elapsedMs, totalMs: elapsedMs === 1n ? 2n : MONTH, history });
    expect(f.projection).toBe(projection);
    if (low !== null) expect(f.low).toBe(low);
    if (high !== null) expect(f.high).toBe(high);
    expect(f.method).toBe(method);
  });

  it('keeps actual <= low <= projection <= high across a whole period', () => {
    for (let day = 0n; day <= 30n; day += 1n) {
      const actual = 130_000n * day;
      const f = forecast({ actual, elapsedMs: day * DAY, totalMs: MONTH, history: SIX_MONTHS });
      expect(actual <= f.low && f.low <= f.projection && f.projection <= f.high).toBe(true);
    }
  });

  it('narrows the range as the period goes on', () => {
    const width = (day: bigint) => {
      const f = forecast({ actual: 130_000n * day, elapsedMs: day * DAY, totalMs: MONTH, history: SIX_MONTHS });
      return f.high - f.low;
    };
    expect([width(0n), width(10n), width(20n), width(30n)]).toEqual([458_258n, 305_506n, 152_752n, 0n]);
  });

  it('refuses a period without length', () => {
    expect(() => forecast({ actual: 0n, elapsedMs: 0n, totalMs: 0n, history: [] })).toThrow(RangeError);
  });
});

describe('forecastRangeText', () => {
  const range = (low: bigint, high: bigint): Forecast => ({ projection: low, low, high, method: 'blended' });

  it.each([
    [range(3_910_435n, 4_139_565n), 'USD', 'revenue', 'likely $39K–$41K'],
    [range(4_100_000n, 4_700_000n), 'USD', 'revenue', 'likely $41K–$47K'],
    [range(3_500_000n, 3_500_000n), 'USD', 'revenue', 'likely $35K'],
    [range(3_500_000n, 3_520_000n), 'USD', 'revenue', 'likely $35K'], // both ends read the same
    [range(120_000_000n, 150_000_000n), 'EUR', 'revenue', 'likely €1.2M–€1.5M'],
    [range(4_100_000n, 4_700_000n), 'JPY', 'revenue', 'likely ¥4.1M–¥4.7M'], // JPY has no minor units
    [range(12n, 15n), 'USD', 'deals', 'likely 12–15 deals'],
    [range(12n, 12n), 'USD', 'deals', 'likely 12 deals'],
    [range(1n, 1n), 'USD', 'deals', 'likely 1 deal'],
    [range(0n, 1n), 'USD', 'deals', 'likely 0–1 deals'],
    [range(1_200n, 1_500n), 'USD', 'deals', 'likely 1,200–1,500 deals'],
  ] as const)('%o in %s %s reads "%s"', (f, currency, metric, text) => {
    expect(forecastRangeText(f, currency, metric)).toBe(text);
  });

  it('reads a real forecast', () => {
    const f = forecast({ actual: 2_000_000n, elapsedMs: 15n * DAY, totalMs: MONTH, history: SIX_MONTHS });
    expect(forecastRangeText(f, 'USD', 'revenue')).toBe('likely $39K–$41K');
  });
});
