// The /logsale text grammar:
//   /logsale <amount> [CUR] [customer words…] [#product] [date] [@rep]
// Pure: `today` (YYYY-MM-DD in the workspace timezone) and the workspace's date order are
// arguments. Checking the product against the catalogue, rates, locked periods and who may log
// for whom is the caller's job. The date forms are in typed-date.ts.
//
// Decisions where the grammar is ambiguous:
// - The amount may be written in groups of three digits after a space, `1 200` or `1 200 000.50`:
//   that is one amount, 1,200. Any other number right after the amount (`1 20 Acme`, `1200 84
//   Lumber`) is refused rather than split into an amount and a customer; a customer whose name
//   starts with a number follows an explicit currency code: `1200 USD 84 Lumber`.
// - The token right after the amount is a currency only when it is a known ISO 4217 code
//   written all in capitals (`EUR`) or all in lowercase (`eur`). Anything else, including
//   an unknown capitalised 3-letter token (`IBM`, `XYZ`), is a customer word: customers are
//   often acronyms, and a mistyped code then shows up as the customer in the confirmation.
//   A code later in the text is a customer word too.
// - `today`, `yesterday` and weekdays are dates only in lowercase, so `Today Tix` and `Sun
//   Microsystems` are customers; `last friday` in any case is a date. A month name is a date only
//   next to a day number (`Dec 1`, `1 Dec`): `May Corp` is a customer.
// - Tokens split on whitespace, but a Slack escape `<…>` is one token even with spaces.
//   Escapes that are not a user or a channel (`<!channel>`, links) are customer words.
// - The customer is stored as typed: Slack's `&amp;` `&lt;` `&gt;` are decoded (`AT&amp;T`
//   -> `AT&T`) and views escape it again.
import { CURRENCY_SYMBOLS, isCurrencyCode, parseAmount } from './money.js';
import { escapeSlackText, unescapeSlackText } from './slack-text.js';
import { readTypedDate, type DateOrder } from './typed-date.js';

export const LOGSALE_USAGE = '/logsale <amount> [CUR] [customer] [#product] [date] [@rep]';
const EXAMPLE = 'Example: `/logsale 1200 Acme yesterday` (a product of the catalogue follows a `#`; `/tally products` lists them).';

export interface LogSaleDraft {
  amountMinor: bigint;
  currency: string;
  customer: string | null;
  productName: string | null;
  /** YYYY-MM-DD, the local date the deal closed. */
  closedOn: string;
  repUserId: string | null;
}

const MAX_TEXT_CHARS = 1000;
const MAX_CUSTOMER_CHARS = 200;
const TOKEN = /<[^<>]*>|[^\s<]+|</g;
// Control characters other than tab and line breaks, which separate words like a space.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const PRODUCT = /^#([\p{L}\p{N}._-]+)$/u;
const PRODUCT_CHANNEL = /^<#[CG][A-Z0-9]+\|([\p{L}\p{N}._-]+)>$/u;
const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
/** A group of three digits continuing an amount: `200` in `1 200`, `000.50` in `1 000.50`. */
const DIGIT_GROUP = /^\d{3}(?:\.\d+)?$/;
/** A token that reads as (part of) an amount. */
const NUMBER_LIKE = /^\d[\d,.]*[kKmM]?$/;

export function parseLogSaleText(
  text: string,
  ctx: { today: string; workspaceCurrency: string; dateOrder: DateOrder },
): { ok: true; value: LogSaleDraft } | { ok: false; error: string } {
  // The error quotes what was typed: escaped, so a quoted `<!channel>` pings nobody (docs/rules.md#security).
  const fail = (reason: string) => ({ ok: false as const, error: escapeSlackText(`${reason} ${EXAMPLE}`) });

  const length = [...text].length;
  if (length > MAX_TEXT_CHARS) {
    const [count, max] = [length, MAX_TEXT_CHARS].map((n) => n.toLocaleString('en-US'));
    return fail(`That text is ${count} characters long; /logsale takes at most ${max}.`);
  }
  if (CONTROL.test(text)) return fail('The text contains control characters; type it again as plain text.');
  const [amountToken, ...rest] = text.match(TOKEN) ?? [];
  if (amountToken === undefined) return fail(`Log a sale with \`${LOGSALE_USAGE}\`.`);

  const symbol = amountToken.charAt(0);
  const symbolCurrency = CURRENCY_SYMBOLS[symbol];
  let amountText = symbolCurrency ? amountToken.slice(1) : amountToken;
  let amountTyped = amountToken;
  if (/^\d{1,3}$/.test(amountText)) {
    while (rest[0] !== undefined && DIGIT_GROUP.test(rest[0]) && !amountText.includes('.')) {
      amountTyped += ` ${rest[0]}`;
      amountText += `,${rest.shift()}`;
    }
  }
  const codeCurrency = rest[0] === undefined ? undefined : currencyCode(rest[0]);
  if (codeCurrency) rest.shift();
  // `1200 EUX Acme` is a mistyped EUR far more often than a customer called EUX: ask. A customer
  // such a word really is can follow an explicit code (`1200 USD GAP`). Others (IBM) pass.
  const lookalike = codeCurrency || symbolCurrency || rest[0] === undefined ? undefined : mistypedCurrency(rest[0], ctx.workspaceCurrency);
  if (lookalike) {
    return fail(
      `\`${rest[0]}\` is not a currency: did you mean ${lookalike}? If ${rest[0]} is the customer, type the currency first, like \`${amountText} ${ctx.workspaceCurrency} ${rest[0]}\`.`,
    );
  }
  if (symbolCurrency && codeCurrency && symbolCurrency !== codeCurrency) {
    return fail(
      `\`${symbol}\` means ${symbolCurrency} but you also typed ${codeCurrency}: type \`${amountText} ${codeCurrency}\` without the \`${symbol}\`.`,
    );
  }
  const currency = symbolCurrency ?? codeCurrency ?? ctx.workspaceCurrency;
  const amount = parseAmount(amountText, currency);
  if (!amount.ok) return fail(amount.error);
  const dateCtx = { today: ctx.today, order: ctx.dateOrder };
  if (!codeCurrency && rest[0] !== undefined && NUMBER_LIKE.test(rest[0]) && readTypedDate(rest, 0, dateCtx).kind === 'none') {
    return fail(
      `I can't tell where the amount ends in \`${amountTyped} ${rest[0]}\`: type the amount in one piece (\`1200\`, \`1,200\`, or \`1 200\` in groups of three digits). If the customer's name starts with a number, type the currency first, like \`${amountText} ${currency} ${rest[0]}\`.`,
    );
  }

  let productName: string | null = null;
  let closedOn: string | null = null;
  let repUserId: string | null = null;
  const words: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    const typedDate = readTypedDate(rest, i, dateCtx);
    if (typedDate.kind === 'error') return fail(typedDate.error);
    if (typedDate.kind === 'date') {
      const date = typedDate.date;
      if (closedOn !== null) return fail(`One date per sale, please: you typed ${closedOn} and ${date}.`);
      if (date > ctx.today) return fail(`${futureDate(typedDate)} is after today (${ctx.today}): you can't log a sale in the future.`);
      closedOn = date;
      i += typedDate.tokens - 1;
    } else if (token.startsWith('#') || token.startsWith('<#')) {
      const name = (PRODUCT.exec(token) ?? PRODUCT_CHANNEL.exec(token))?.[1];
      if (name === undefined) {
        return fail(
          `I can't read a product name in \`${token}\`: type \`#\` then a product of the catalogue (letters, digits, \`-\`, \`_\` or \`.\`; \`/tally products\` lists them).`,
        );
      }
      if (productName !== null) return fail(`One product per sale, please: you typed #${productName} and #${name}.`);
      productName = name;
    } else if (token.startsWith('<@')) {
      const id = USER_MENTION.exec(token)?.[1];
      if (id === undefined) return fail(`I can't read the mention \`${token}\`: type @ and pick the person from the list.`);
      if (repUserId !== null) return fail('One rep per sale, please: you mentioned two people.');
      repUserId = id;
    } else if (/^@\S/.test(token)) {
      return fail(`\`${token}\` is not a mention: type @ and pick the person from the list, so Slack turns it into a mention.`);
    } else {
      words.push(token);
    }
  }

  const customer = unescapeSlackText(words.join(' ')) || null;
  if (customer !== null && [...customer].length > MAX_CUSTOMER_CHARS) {
    return fail(`The customer name is ${[...customer].length} characters long; keep it to ${MAX_CUSTOMER_CHARS}.`);
  }
  return {
    ok: true,
    value: { amountMinor: amount.minor, currency, customer, productName, closedOn: closedOn ?? ctx.today, repUserId },
  };
}

/** A date past today as the person will recognise it: `12/01` (2027-01-12, read day/month). */
function futureDate(read: { date: string; typed: string; order: DateOrder | null }): string {
  if (read.typed === read.date) return read.date;
  const order = read.order === null ? '' : `, read ${read.order === 'mdy' ? 'month/day' : 'day/month'}`;
  return `\`${read.typed}\` (${read.date}${order})`;
}

/** `EUR` or `eur` -> 'EUR' when it is a known ISO 4217 code; otherwise undefined. */
function currencyCode(token: string): string | undefined {
  const upper = token.toUpperCase();
  const oneCase = token === upper || token === token.toLowerCase();
  return oneCase && isCurrencyCode(upper) ? upper : undefined;
}

// The currencies sales are mostly logged in: a near miss of one of them is a typo to ask about.
const COMMON_CURRENCIES = [
  'USD',
  'EUR',
  'GBP',
  'JPY',
  'CHF',
  'CAD',
  'AUD',
  'NZD',
  'SEK',
  'NOK',
  'DKK',
  'INR',
  'CNY',
  'HKD',
  'SGD',
  'BRL',
  'MXN',
  'ZAR',
  'PLN',
];

/**
 * For three capital letters that look like a mistyped common currency (the last letter wrong,
 * EUX for EUR, or letters swapped, UDS for USD): that currency. IBM, GAP or UPS pass.
 */
function mistypedCurrency(token: string, workspaceCurrency: string): string | undefined {
  if (!/^[A-Z]{3}$/.test(token)) return undefined;
  const sorted = (code: string) => [...code].sort().join('');
  return [workspaceCurrency, ...COMMON_CURRENCIES].find(
    (code) => code !== token && (code.slice(0, 2) === token.slice(0, 2) || sorted(code) === sorted(token)),
  );
}
