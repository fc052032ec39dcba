// Options of the forms' selects: currencies, timezones and products, for static selects and for
// the answers to external selects (what a person typed, matched in any case). Pure.
import type { types } from '@slack/bolt';
import { plainText } from './blocks.js';

/** Slack shows at most 100 options, and an option's text at most 75 characters. */
export const MAX_OPTIONS = 100;
const OPTION_TEXT_MAX = 75;

export function selectOption(value: string, text: string): types.PlainTextOption {
  return { text: plainText(text.length > OPTION_TEXT_MAX ? `${text.slice(0, OPTION_TEXT_MAX - 1)}…` : text), value };
}

const currencyNames = new Intl.DisplayNames(['en'], { type: 'currency' });
const ALL_CURRENCIES = Intl.supportedValuesOf('currency');
const tzList = Intl.supportedValuesOf('timeZone');
const ALL_TIME_ZONES = tzList.includes('UTC') ? tzList : ['UTC', ...tzList];

/** "EUR · Euro". */
export function currencyOption(code: string): types.PlainTextOption {
  const name = currencyNames.of(code);
  return selectOption(code, name && name !== code ? `${code} · ${name}` : code);
}

/** "America/New_York". */
export function timeZoneOption(name: string): types.PlainTextOption {
  return selectOption(name, name);
}

const normalise = (text: string) => text.trim().toLowerCase().replace(/\s+/g, '_');

/** Currencies whose code or English name contains what was typed; an exact code first. */
export function currencyOptions(typed: string): types.PlainTextOption[] {
  const query = typed.trim().toLowerCase();
  const exact = ALL_CURRENCIES.filter((code) => code.toLowerCase() === query);
  const others = ALL_CURRENCIES.filter(
    (code) => code.toLowerCase() !== query && `${code} ${currencyNames.of(code) ?? ''}`.toLowerCase().includes(query),
  );
  return [...exact, ...others].slice(0, MAX_OPTIONS).map(currencyOption);
}

/** IANA timezones whose name contains what was typed (a space matches `_`), e.g. "new york". */
export function timeZoneOptions(typed: string): types.PlainTextOption[] {
  const query = normalise(typed);
  return ALL_TIME_ZONES.filter((name) => name.toLowerCase().includes(query))
    .slice(0, MAX_OPTIONS)
    .map(timeZoneOption);
}
