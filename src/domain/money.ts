// Money (docs/rules.md#money): integer minor units as bigint plus an ISO 4217 code. Amounts never pass
// through a float: text is read digit by digit into bigint, and Intl formats the exact
// decimal string (Node 20 keeps every digit of a numeric string, also past 2^53).

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

// ICU (CLDR) shows no minor units for some currencies whose ISO 4217 exponent is not 0.
// ISO wins: these values are what the currency's minor unit is, whatever Intl displays.
const ISO_DIGITS_WHERE_ICU_DIFFERS: Readonly<Record<string, number>> = {
  AFN: 2,
  ALL: 2,
  COP: 2,
  HUF: 2,
  IDR: 2,
  IQD: 3,
  IRR: 2,
  KPW: 2,
  LAK: 2,
  LBP: 2,
  MGA: 2,
  MMK: 2,
  PKR: 2,
  SLL: 2,
  SOS: 2,
  SYP: 2,
  YER: 2,
};

export const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = {
  $: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
};

/** The largest amount, in major units, of any currency. */
export const MAX_AMOUNT_MAJOR = 1_000_000_000n;

export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && KNOWN_CURRENCIES.has(code);
}

export function minorDigits(currency: string): number {
  const iso = ISO_DIGITS_WHERE_ICU_DIFFERS[currency];
  if (iso !== undefined) return iso;
  let digits = icuDigits.get(currency);
  if (digits === undefined) {
    // Always set for style 'currency'; the type allows undefined for other rounding modes.
    digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits!;
    icuDigits.set(currency, digits);
  }
  return digits;
}

const icuDigits = new Map<string, number>();

// Building an Intl.NumberFormat costs far more than formatting with one, and a reply formats
// dozens of amounts: one formatter per locale, currency and style, made on first use.
const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, currency: string, style: string, options: () => Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale} ${currency} ${style}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options());
    numberFormats.set(key, format);
  }
  return format;
}

// 1200 | 1,200 (groups of three) | optional .fraction | optional k/m multiplier.
const AMOUNT = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?([kKmM]?)$/;
const MULTIPLIER_ZEROS: Readonly<Record<string, number>> = { k: 3, m: 6 };

export function parseAmount(raw: string, currency: string): { ok: true; minor: bigint } | { ok: false; error: string } {
  const text = raw.trim();
  if (text === '') return { ok: false, error: 'Type an amount, like `1200` or `1,200.50`.' };
  const match = AMOUNT.exec(text);
  if (!match) {
    if (text.startsWith('-')) {
      return { ok: false, error: `\`${text}\` is negative: amounts must be more than zero, like \`1200\`.` };
    }
    if (/^\d[\d,]*(\.\d+)?[kKmM]?$/.test(text)) {
      return { ok: false, error: `\`${text}\` has a misplaced comma: commas separate groups of three digits, like \`1,200\`.` };
    }
    return { ok: false, error: `\`${text}\` is not an amount. Type digits, like \`1200\`, \`1,200.50\` or \`12.5k\`.` };
  }
  const [, whole = '', fraction = '', multiplier = ''] = match;
  const digits = minorDigits(currency);
  // amount = mantissa x 10^-scale, so minor = mantissa x 10^(digits - scale)
  const mantissa = BigInt(whole.replaceAll(',', '') + fraction);
  if (mantissa === 0n) {
    return { ok: false, error: `\`${text}\` is zero: amounts must be more than zero, like \`1200\`.` };
  }
  const scale = fraction.length - (MULTIPLIER_ZEROS[multiplier.toLowerCase()] ?? 0);
  const shift = digits - scale;
  const divisor = 10n ** BigInt(Math.max(-shift, 0));
  const minor = (mantissa * 10n ** BigInt(Math.max(shift, 0))) / divisor; // truncated
  const max = MAX_AMOUNT_MAJOR * 10n ** BigInt(digits);
  if (minor > max) {
    return { ok: false, error: `\`${text}\` is over the maximum of ${formatMoney(max, currency)}. Type a smaller amount.` };
  }
  if (mantissa % divisor !== 0n) {
    const nearest = divideRoundHalfUp(mantissa, divisor);
    const suggestion = toMajorString(nearest > 0n ? nearest : 1n, currency);
    return {
      ok: false,
      error: `\`${text}\` has more decimals than ${currency} allows (${digits}). Try \`${suggestion}\`.`,
    };
  }
  return { ok: true, minor };
}

/** `1200.50` for 120050n USD, `1200` for 1200n JPY: plain digits, for CSV and form values. */
export function toMajorString(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0n ? '-' : '';
  const padded = (minor < 0n ? -minor : minor).toString().padStart(digits + 1, '0');
  if (digits === 0) return sign + padded;
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

export function formatMoney(minor: bigint, currency: string, locale = 'en-US'): string {
  const digits = minorDigits(currency);
  return numberFormat(locale, currency, 'exact', () => ({
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  })).format(toMajorString(minor, currency) as Intl.StringNumericLiteral);
}

/** Compact form for ranges and tables: `$41K`, `$1.2M`. Rounded, so never for records. */
export function formatMoneyShort(minor: bigint, currency: string, locale = 'en-US'): string {
  return numberFormat(locale, currency, 'compact', () => ({ style: 'currency', currency, notation: 'compact' })).format(
    toMajorString(minor, currency) as Intl.StringNumericLiteral,
  );
}

/**
 * Converts `minor` of `from` into minor units of `to` at `rate` (a decimal string: units of
 * `to` per 1 `from`), exactly, rounding half away from zero to `to`'s minor digits.
 */
export function convert(minor: bigint, from: string, to: string, rate: string): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(rate);
  const [, whole = '', fraction = ''] = match ?? [];
  if (!match || BigInt(whole + fraction) === 0n) {
    throw new RangeError(`Exchange rate must be a positive decimal, got "${rate}"`);
  }
  const numerator = minor * BigInt(whole + fraction) * 10n ** BigInt(minorDigits(to));
  const denominator = 10n ** BigInt(minorDigits(from) + fraction.length);
  return divideRoundHalfUp(numerator, denominator);
}

/** n / d (d > 0) rounded to the nearest integer, halves away from zero. */
function divideRoundHalfUp(n: bigint, d: bigint): bigint {
  const quotient = n / d;
  const remainder = n % d;
  const twice = remainder < 0n ? -2n * remainder : 2n * remainder;
  if (twice < d) return quotient;
  return n < 0n ? quotient - 1n : quotient + 1n;
}
