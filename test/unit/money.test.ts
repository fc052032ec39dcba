import { describe, expect, it } from 'vitest';
import {
  convert,
  CURRENCY_SYMBOLS,
  formatMoney,
  formatMoneyShort,
  isCurrencyCode,
  MAX_AMOUNT_MAJOR,
  minorDigits,
  parseAmount,
  toMajorString,
} from '../../src/domain/money.js';

describe('minorDigits', () => {
  it.each([
    ['JPY', 0],
    ['USD', 2],
    ['EUR', 2],
    ['BHD', 3],
    ['KWD', 3],
    ['CLP', 0],
    ['ISK', 0],
    ['IQD', 3], // ICU says 0, ISO 4217 says 3
    ['COP', 2], // ICU says 0, ISO 4217 says 2
    ['HUF', 2], // ICU says 0, ISO 4217 says 2
  ])('%s has %i', (currency, digits) => {
    expect(minorDigits(currency)).toBe(digits);
  });

  it('matches ISO 4217 for every currency Intl knows (fails if a new ICU changes a value)', () => {
    const notTwo = Intl.supportedValuesOf('currency')
      .filter((c) => minorDigits(c) !== 2)
      .map((c) => `${c}:${minorDigits(c)}`);
    expect(notTwo).toEqual([
      'BHD:3',
      'BIF:0',
      'CLP:0',
      'DJF:0',
      'GNF:0',
      'IQD:3',
      'ISK:0',
      'JOD:3',
      'JPY:0',
      'KMF:0',
      'KRW:0',
      'KWD:3',
      'LYD:3',
      'OMR:3',
      'PYG:0',
      'RWF:0',
      'TND:3',
      'UGX:0',
      'VND:0',
      'VUV:0',
      'XAF:0',
      'XOF:0',
      'XPF:0',
    ]);
  });
});

describe('isCurrencyCode', () => {
  it.each([
    ['USD', true],
    ['EUR', true],
    ['BHD', true],
    ['usd', false],
    ['XYZ', false],
    ['IBM', false],
    ['US', false],
    ['USDX', false],
    ['', false],
  ])('%j -> %s', (code, expected) => {
    expect(isCurrencyCode(code)).toBe(expected);
  });
});

it('maps the four symbols', () => {
  expect(CURRENCY_SYMBOLS).toEqual({ $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY' });
  expect(MAX_AMOUNT_MAJOR).toBe(1_000_000_000n);
});

describe('parseAmount accepts', () => {
  it.each([
    ['1200', 'USD', 120000n],
    ['1,200.50', 'USD', 120050n],
    ['1200.5', 'USD', 120050n],
    ['1,234,567', 'USD', 123456700n],
    ['12.5k', 'USD', 1250000n],
    ['12K', 'USD', 1200000n],
    ['1.2m', 'USD', 120000000n],
    ['1.2M', 'USD', 120000000n],
    ['0.01', 'USD', 1n],
    ['12.340', 'USD', 1234n], // a trailing zero is not a real extra decimal
    [' 1200 ', 'USD', 120000n],
    ['1000000000', 'USD', 100000000000n], // exactly the maximum
    ['1,000m', 'USD', 100000000000n],
    ['12.345', 'BHD', 12345n],
    ['1200', 'BHD', 1200000n],
    ['1.5', 'KWD', 1500n],
    ['1200', 'JPY', 1200n],
    ['1.234k', 'JPY', 1234n],
    ['5000', 'CLP', 5000n],
    ['1200.5', 'COP', 120050n],
    ['1000000000', 'JPY', 1000000000n],
  ])('%j in %s -> %s', (raw, currency, minor) => {
    expect(parseAmount(raw, currency)).toEqual({ ok: true, minor });
  });
});

describe('parseAmount refuses', () => {
  it.each([
    ['', 'USD', 'Type an amount, like `1200` or `1,200.50`.'],
    ['   ', 'USD', 'Type an amount, like `1200` or `1,200.50`.'],
    ['abc', 'USD', '`abc` is not an amount. Type digits, like `1200`, `1,200.50` or `12.5k`.'],
    ['1e309', 'USD', '`1e309` is not an amount. Type digits, like `1200`, `1,200.50` or `12.5k`.'],
    ['NaN', 'USD', '`NaN` is not an amount. Type digits, like `1200`, `1,200.50` or `12.5k`.'],
    ['Infinity', 'USD', '`Infinity` is not an amount. Type digits, like `1200`, `1,200.50` or `12.5k`.'],
    ['0x10', 'USD', '`0x10` is not an amount. Type digits, like `1200`, `1,200.50` or `12.5k`.'],
    ['.5', 'USD', '`.5` is not an amount. Type digits, like `1200`, `1,200.50` or `12.5k`.'],
    ['12.', 'USD', '`12.` is not an amount. Type digits, like `1200`, `1,200.50` or `12.5k`.'],
    ['1 200', 'USD', '`1 200` is not an amount. Type digits, like `1200`, `1,200.50` or `12.5k`.'],
    ['1.5b', 'USD', '`1.5b` is not an amount. Type digits, like `1200`, `1,200.50` or `12.5k`.'],
    ['$12', 'USD', '`$12` is not an amount. Type digits, like `1200`, `1,200.50` or `12.5k`.'],
    ['-5', 'USD', '`-5` is negative: amounts must be more than zero, like `1200`.'],
    ['0', 'USD', '`0` is zero: amounts must be more than zero, like `1200`.'],
    ['0.00', 'USD', '`0.00` is zero: amounts must be more than zero, like `1200`.'],
    ['0k', 'USD', '`0k` is zero: amounts must be more than zero, like `1200`.'],
    ['1,20', 'USD', '`1,20` has a misplaced comma: commas separate groups of three digits, like `1,200`.'],
    ['1,2345', 'USD', '`1,2345` has a misplaced comma: commas separate groups of three digits, like `1,200`.'],
    ['12.345', 'USD', '`12.345` has more decimals than USD allows (2). Try `12.35`.'],
    ['0.001', 'USD', '`0.001` has more decimals than USD allows (2). Try `0.01`.'],
    ['12.3456', 'BHD', '`12.3456` has more decimals than BHD allows (3). Try `12.346`.'],
    ['12.5', 'JPY', '`12.5` has more decimals than JPY allows (0). Try `13`.'],
    ['1.2345k', 'JPY', '`1.2345k` has more decimals than JPY allows (0). Try `1235`.'],
    ['1000000000.01', 'USD', '`1000000000.01` is over the maximum of $1,000,000,000.00. Type a smaller amount.'],
    ['1001m', 'USD', '`1001m` is over the maximum of $1,000,000,000.00. Type a smaller amount.'],
    ['2,000,000,000', 'JPY', '`2,000,000,000` is over the maximum of ¥1,000,000,000. Type a smaller amount.'],
    // over the maximum by less than a minor unit: rounding gives the maximum itself
    ['1000000000.0001', 'BHD', '`1000000000.0001` has more decimals than BHD allows (3). Try `1000000000.000`.'],
    ['9'.repeat(400), 'USD', `\`${'9'.repeat(400)}\` is over the maximum of $1,000,000,000.00. Type a smaller amount.`],
  ])('%j in %s', (raw, currency, error) => {
    expect(parseAmount(raw, currency)).toEqual({ ok: false, error });
  });
});

describe('toMajorString', () => {
  it.each([
    [120050n, 'USD', '1200.50'],
    [5n, 'USD', '0.05'],
    [0n, 'USD', '0.00'],
    [-150n, 'USD', '-1.50'],
    [1200n, 'JPY', '1200'],
    [1234n, 'BHD', '1.234'],
    [123456789012345678901n, 'USD', '1234567890123456789.01'],
  ])('%s %s -> %s', (minor, currency, expected) => {
    expect(toMajorString(minor, currency)).toBe(expected);
  });
});

describe('formatMoney', () => {
  it.each([
    [120000n, 'USD', 'en-US', '$1,200.00'],
    [1n, 'USD', 'en-US', '$0.01'],
    [-150n, 'USD', 'en-US', '-$1.50'],
    [120050n, 'EUR', 'en-US', '€1,200.50'],
    [120050n, 'EUR', 'de-DE', '1.200,50\u00a0€'],
    [1200n, 'JPY', 'en-US', '¥1,200'],
    [1234n, 'BHD', 'en-US', 'BHD\u00a01.234'],
    [5n, 'BHD', 'en-US', 'BHD\u00a00.005'],
    [120050n, 'COP', 'en-US', 'COP\u00a01,200.50'], // ISO digits, not ICU's 0
    [100000000000n, 'USD', 'en-US', '$1,000,000,000.00'],
    // Past 2^53: every digit survives, no float in between.
    [123456789012345678n, 'USD', 'en-US', '$1,234,567,890,123,456.78'],
    [9007199254740993n, 'JPY', 'en-US', '¥9,007,199,254,740,993'],
  ])('%s %s %s -> %j', (minor, currency, locale, expected) => {
    expect(formatMoney(minor, currency, locale)).toBe(expected);
  });

  it('defaults to en-US', () => {
    expect(formatMoney(120000n, 'USD')).toBe('$1,200.00');
  });
});

describe('formatMoneyShort', () => {
  it.each([
    [4100000n, 'USD', '$41K'],
    [4149950n, 'USD', '$41K'],
    [120000000n, 'USD', '$1.2M'],
    [123456700n, 'USD', '$1.2M'],
    [100000000000n, 'USD', '$1B'],
    [99999n, 'USD', '$1K'],
    [1234567n, 'JPY', '¥1.2M'],
  ])('%s %s -> %s', (minor, currency, expected) => {
    expect(formatMoneyShort(minor, currency)).toBe(expected);
  });
});

describe('convert (rounds half away from zero)', () => {
  it.each([
    [100000n, 'USD', 'EUR', '0.92', 92000n],
    [100000n, 'JPY', 'USD', '0.0067', 67000n], // ¥100,000 -> $670.00
    [12345n, 'USD', 'JPY', '151.234', 18670n], // $123.45 x 151.234 = ¥18,669.8373
    [1000n, 'BHD', 'USD', '2.65', 265n], // BHD 1.000 -> $2.65
    [265n, 'USD', 'BHD', '0.377', 999n], // $2.65 -> BHD 0.99905
    [12345n, 'USD', 'USD', '1', 12345n],
    [1n, 'USD', 'EUR', '0.5', 1n], // 0.5 minor -> 1
    [3n, 'USD', 'EUR', '0.5', 2n], // 1.5 minor -> 2
    [5n, 'USD', 'EUR', '0.5', 3n], // 2.5 minor -> 3
    [1n, 'USD', 'EUR', '0.49', 0n], // 0.49 minor -> 0
    [-3n, 'USD', 'EUR', '0.5', -2n], // -1.5 minor -> -2
    [100000000000n, 'USD', 'JPY', '151.5', 151500000000n],
    [123456789012345678n, 'USD', 'EUR', '0.923456789', 114007009961591221n], // exact past 2^53
  ])('%s %s -> %s at %s = %s', (minor, from, to, rate, expected) => {
    expect(convert(minor, from, to, rate)).toBe(expected);
  });

  it.each(['0', '0.000', '-1', 'abc', '1e3', '', '.5', '1,5'])('refuses the rate %j', (rate) => {
    expect(() => convert(100n, 'USD', 'EUR', rate)).toThrow(RangeError);
  });
});
