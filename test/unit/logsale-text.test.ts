import { describe, expect, it } from 'vitest';
import { LOGSALE_USAGE, parseLogSaleText, type LogSaleDraft } from '../../src/domain/logsale-text.js';
import { escapeSlackText } from '../../src/domain/slack-text.js';
import { localDate } from '../../src/domain/periods.js';
import { dateForms, dateOrderOf, type DateOrder } from '../../src/domain/typed-date.js';

// Wednesday 2026-11-25.
const ctx = { today: '2026-11-25', workspaceCurrency: 'USD', dateOrder: 'mdy' as DateOrder };
const EXAMPLE = ' Example: `/logsale 1200 Acme yesterday` (a product of the catalogue follows a `#`; `/tally products` lists them).';

function draft(fields: Partial<LogSaleDraft>): LogSaleDraft {
  return {
    amountMinor: 120000n,
    currency: 'USD',
    customer: null,
    productName: null,
    closedOn: '2026-11-25',
    repUserId: null,
    ...fields,
  };
}

describe('parseLogSaleText accepts', () => {
  it.each([
    ['1200', draft({})],
    ['1,200 Acme', draft({ customer: 'Acme' })],
    ['1,200.50 Acme', draft({ amountMinor: 120050n, customer: 'Acme' })],
    ['$1200 Acme Corp #widgets yesterday', draft({ customer: 'Acme Corp', productName: 'widgets', closedOn: '2026-11-24' })],
    ['€950 Globex 2026-11-20', draft({ amountMinor: 95000n, currency: 'EUR', customer: 'Globex', closedOn: '2026-11-20' })],
    ['£10 Hooli', draft({ amountMinor: 1000n, currency: 'GBP', customer: 'Hooli' })],
    ['¥5000 Sony', draft({ amountMinor: 5000n, currency: 'JPY', customer: 'Sony' })],
    ['12.5k Initech <@U02REP|bob>', draft({ amountMinor: 1250000n, customer: 'Initech', repUserId: 'U02REP' })],
    ['1.2m Umbrella <@W0ENT>', draft({ amountMinor: 120000000n, customer: 'Umbrella', repUserId: 'W0ENT' })],
    ['1200 <#C0123|widgets> Acme', draft({ customer: 'Acme', productName: 'widgets' })],
    ['1200 #widgets.v2_pro-X', draft({ productName: 'widgets.v2_pro-X' })],
    // The token after the amount: a known code in one case is a currency, anything else a customer word.
    ['1200 EUR Acme', draft({ currency: 'EUR', customer: 'Acme' })],
    ['1200 eur Acme', draft({ currency: 'EUR', customer: 'Acme' })],
    ['1200 BHD', draft({ amountMinor: 1200000n, currency: 'BHD' })],
    ['$1200 USD Acme', draft({ customer: 'Acme' })],
    ['1200 IBM', draft({ customer: 'IBM' })],
    ['1200 XYZ', draft({ customer: 'XYZ' })],
    ['1200 usd2', draft({ customer: 'usd2' })],
    ['1200 Eur Acme', draft({ customer: 'Eur Acme' })],
    ['1200 Acme EUR', draft({ customer: 'Acme EUR' })],
    // Dates
    ['1200 Acme today', draft({ customer: 'Acme' })],
    ['1200 Acme 2026-11-25', draft({ customer: 'Acme' })],
    ['1200 Acme 2024-02-29', draft({ customer: 'Acme', closedOn: '2024-02-29' })],
    ['1200 Today Tix', draft({ customer: 'Today Tix' })],
    // Any order after the amount
    [
      '1200 <@U02REP> 2026-11-01 #widgets Acme Corp',
      draft({ customer: 'Acme Corp', productName: 'widgets', closedOn: '2026-11-01', repUserId: 'U02REP' }),
    ],
    // Customer words: kept as typed, Slack's entities decoded, whitespace collapsed
    ['1200 <!channel>', draft({ customer: '<!channel>' })],
    ['1200 &lt;!channel&gt;', draft({ customer: '<!channel>' })],
    ['1200 AT&amp;T', draft({ customer: 'AT&T' })],
    ['1200 Store @ Main', draft({ customer: 'Store @ Main' })],
    ['1200 <http://acme.com|Acme Site> Ltd', draft({ customer: '<http://acme.com|Acme Site> Ltd' })],
    ['  1200   Acme    Corp  ', draft({ customer: 'Acme Corp' })],
    ['1200\tAcme\nCorp', draft({ customer: 'Acme Corp' })],
    [`1200 ${'a'.repeat(200)}`, draft({ customer: 'a'.repeat(200) })],
    [`1200 Acme${' '.repeat(991)}`, draft({ customer: 'Acme' })], // exactly 1,000 characters
  ])('%j', (text, expected) => {
    expect(parseLogSaleText(text, ctx)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['yesterday', { ...ctx, today: '2026-03-01' }, '2026-02-28'],
    ['yesterday', { ...ctx, today: '2024-03-01' }, '2024-02-29'],
    ['yesterday', { ...ctx, today: '2027-01-01' }, '2026-12-31'],
  ])('%s from %o is %s', (word, context, closedOn) => {
    expect(parseLogSaleText(`1200 ${word}`, context)).toEqual({ ok: true, value: draft({ closedOn }) });
  });

  it('uses the workspace currency and its digits when none is typed', () => {
    const jpy = { ...ctx, workspaceCurrency: 'JPY' };
    expect(parseLogSaleText('1200 Acme', jpy)).toEqual({
      ok: true,
      value: draft({ amountMinor: 1200n, currency: 'JPY', customer: 'Acme' }),
    });
    expect(parseLogSaleText('12.5 Acme', jpy)).toEqual({
      ok: false,
      error: `\`12.5\` has more decimals than JPY allows (0). Try \`13\`.${EXAMPLE}`,
    });
  });
});

const FORMS = dateForms('mdy');

describe('parseLogSaleText refuses', () => {
  const usage = `Log a sale with \`${LOGSALE_USAGE}\`.`;
  const notAmount = (token: string) => `\`${token}\` is not an amount. Type digits, like \`1200\`, \`1,200.50\` or \`12.5k\`.`;
  it.each([
    ['', usage],
    ['   ', usage],
    ['abc', notAmount('abc')],
    ['Acme 1200', notAmount('Acme')],
    ['1e309 Acme', notAmount('1e309')],
    ['NaN', notAmount('NaN')],
    ['Infinity', notAmount('Infinity')],
    ['$', 'Type an amount, like `1200` or `1,200.50`.'],
    ['-5 Acme', '`-5` is negative: amounts must be more than zero, like `1200`.'],
    ['$-5', '`-5` is negative: amounts must be more than zero, like `1200`.'],
    ['0 Acme', '`0` is zero: amounts must be more than zero, like `1200`.'],
    ['0.00', '`0.00` is zero: amounts must be more than zero, like `1200`.'],
    ['1,20 Acme', '`1,20` has a misplaced comma: commas separate groups of three digits, like `1,200`.'],
    ['12.345 Acme', '`12.345` has more decimals than USD allows (2). Try `12.35`.'],
    ['¥12.5', '`12.5` has more decimals than JPY allows (0). Try `13`.'],
    ['1200.5 JPY', '`1200.5` has more decimals than JPY allows (0). Try `1201`.'],
    ['1000000000.01', '`1000000000.01` is over the maximum of $1,000,000,000.00. Type a smaller amount.'],
    ['2b Acme', notAmount('2b')],
    ['$1200 EUR', '`$` means USD but you also typed EUR: type `1200 EUR` without the `$`.'],
    ['€1200 usd Acme', '`€` means EUR but you also typed USD: type `1200 USD` without the `€`.'],
    ['1200 2026-02-30', `\`2026-02-30\` is not a date on the calendar. Type one of ${FORMS}.`],
    ['1200 2026-13-01', `\`2026-13-01\` is not a date on the calendar. Type one of ${FORMS}.`],
    ['1200 2026-2-3', `\`2026-2-3\` is not a date on the calendar. Type one of ${FORMS}.`],
    ['1200 2026-11-26', "2026-11-26 is after today (2026-11-25): you can't log a sale in the future."],
    ['1200 2027-01-01', "2027-01-01 is after today (2026-11-25): you can't log a sale in the future."],
    ['1200 today yesterday', 'One date per sale, please: you typed 2026-11-25 and 2026-11-24.'],
    ['1200 #widgets #gadgets', 'One product per sale, please: you typed #widgets and #gadgets.'],
    ['1200 #widgets <#C0123|gadgets>', 'One product per sale, please: you typed #widgets and #gadgets.'],
    [
      '1200 Store #',
      "I can't read a product name in `#`: type `#` then a product of the catalogue (letters, digits, `-`, `_` or `.`; `/tally products` lists them).",
    ],
    [
      '1200 #wid!gets',
      "I can't read a product name in `#wid!gets`: type `#` then a product of the catalogue (letters, digits, `-`, `_` or `.`; `/tally products` lists them).",
    ],
    [
      '1200 <#C0123>',
      "I can't read a product name in `<#C0123>`: type `#` then a product of the catalogue (letters, digits, `-`, `_` or `.`; `/tally products` lists them).",
    ],
    ['1200 <@U01> <@U02|bob>', 'One rep per sale, please: you mentioned two people.'],
    ['1200 Acme @bob', '`@bob` is not a mention: type @ and pick the person from the list, so Slack turns it into a mention.'],
    ['1200 <@bob>', "I can't read the mention `<@bob>`: type @ and pick the person from the list."],
    ['<!channel> 1200', '`<!channel>` is not an amount. Type digits, like `1200`, `1,200.50` or `12.5k`.'],
    ['1200 EUX Acme', '`EUX` is not a currency: did you mean EUR? If EUX is the customer, type the currency first, like `1200 USD EUX`.'],
    ['1200 UDS Acme', '`UDS` is not a currency: did you mean USD? If UDS is the customer, type the currency first, like `1200 USD UDS`.'],
    ['x'.repeat(10_000), 'That text is 10,000 characters long; /logsale takes at most 1,000.'],
    [`1200 Acme${' '.repeat(992)}`, 'That text is 1,001 characters long; /logsale takes at most 1,000.'],
    [`1200 ${'a'.repeat(201)}`, 'The customer name is 201 characters long; keep it to 200.'],
    ['1200 Acme\u0000', 'The text contains control characters; type it again as plain text.'],
    ['1200 Ac\u0007me', 'The text contains control characters; type it again as plain text.'],
  ])('%j', (text, reason) => {
    // What the person typed is quoted escaped (& < >), so it can never ping anyone.
    expect(parseLogSaleText(text, ctx)).toEqual({ ok: false, error: escapeSlackText(reason + EXAMPLE) });
  });
});

describe('dates as people type them', () => {
  // Wednesday 2026-11-25, month/day (a USD workspace) unless a case says otherwise.
  const dmy = { ...ctx, workspaceCurrency: 'EUR', dateOrder: 'dmy' as DateOrder };
  it.each([
    ['1200 Acme 11/20', ctx, 'Acme', '2026-11-20'],
    ['1200 Acme 11/20/2026', ctx, 'Acme', '2026-11-20'],
    ['1200 Acme 1/11/2026', ctx, 'Acme', '2026-01-11'],
    ['1200 Acme 20/11', dmy, 'Acme', '2026-11-20'],
    ['1200 Acme 1/11/2026', dmy, 'Acme', '2026-11-01'],
    ['1200 Acme 01/11', dmy, 'Acme', '2026-11-01'],
    ['1200 Acme Nov 20', ctx, 'Acme', '2026-11-20'],
    ['1200 Acme nov. 3', ctx, 'Acme', '2026-11-03'],
    ['1200 Acme November 20th', ctx, 'Acme', '2026-11-20'],
    ['1200 Acme Nov 20, 2025', ctx, 'Acme', '2025-11-20'],
    ['1200 Acme 20 Nov', ctx, 'Acme', '2026-11-20'],
    ['1200 Acme 1st November 2025', dmy, 'Acme', '2025-11-01'],
    ['1200 20 Nov Acme', ctx, 'Acme', '2026-11-20'],
    ['1200 Acme 2026-11-20', dmy, 'Acme', '2026-11-20'],
    // A weekday is the latest such day before today: Wednesday the 25th.
    ['1200 Acme mon', ctx, 'Acme', '2026-11-23'],
    ['1200 Acme tue', ctx, 'Acme', '2026-11-24'],
    ['1200 Acme wed', ctx, 'Acme', '2026-11-18'],
    ['1200 Acme thurs', ctx, 'Acme', '2026-11-19'],
    ['1200 Acme fri', ctx, 'Acme', '2026-11-20'],
    ['1200 Acme saturday', ctx, 'Acme', '2026-11-21'],
    ['1200 Acme sun', ctx, 'Acme', '2026-11-22'],
    ['1200 Acme last friday', ctx, 'Acme', '2026-11-20'],
    ['1200 Acme Last Friday', ctx, 'Acme', '2026-11-20'],
    ['1200 last wed Acme', ctx, 'Acme', '2026-11-18'],
    // Words that are dates only in lowercase or next to a day stay customer words.
    ['1200 Sun Microsystems', ctx, 'Sun Microsystems', '2026-11-25'],
    ['1200 Friday Ltd', ctx, 'Friday Ltd', '2026-11-25'],
    ['1200 May Corp', ctx, 'May Corp', '2026-11-25'],
    ['1200 Last Mile', ctx, 'Last Mile', '2026-11-25'],
    ['1200 Route 66', ctx, 'Route 66', '2026-11-25'],
    ['1200 Web 2.0', ctx, 'Web 2.0', '2026-11-25'],
  ] as const)('%j (%o) is %s closed on %s', (text, context, customer, closedOn) => {
    expect(parseLogSaleText(text, context)).toEqual({
      ok: true,
      value: draft({ customer, closedOn, ...(context === dmy ? { currency: 'EUR' } : {}) }),
    });
  });

  it.each([
    // Across the new year: the nearest such day, which is last December.
    ['12/30', { ...ctx, today: '2027-01-02' }, '2026-12-30'],
    ['30/12', { ...dmy, today: '2027-01-02' }, '2026-12-30'],
    ['Dec 30', { ...ctx, today: '2027-01-02' }, '2026-12-30'],
    ['31 dec', { ...ctx, today: '2027-01-01' }, '2026-12-31'],
    ['last friday', { ...ctx, today: '2027-01-02' }, '2027-01-01'],
    ['thu', { ...ctx, today: '2027-01-02' }, '2026-12-31'],
    ['sat', { ...ctx, today: '2027-01-02' }, '2026-12-26'],
    // Early in the year a month late in the year is last year's; mid-year, this year's.
    ['6/10', { ...ctx, today: '2026-11-25' }, '2026-06-10'],
    ['11/20', { ...ctx, today: '2027-02-01' }, '2026-11-20'],
    // February 29th only in a leap year.
    ['2/29', { ...ctx, today: '2028-03-01' }, '2028-02-29'],
    ['29 Feb 2024', { ...ctx, today: '2026-11-25' }, '2024-02-29'],
    // The day the clocks change is a day like any other: dates are calendar dates.
    ['3/8/2026', ctx, '2026-03-08'],
    ['last sunday', { ...ctx, today: '2026-11-02' }, '2026-11-01'],
    // The reported case, typed on Thursday 2026-12-03.
    ['12/01/2026', { ...ctx, today: '2026-12-03' }, '2026-12-01'],
    ['12/01/2026', { ...dmy, today: '2026-12-03' }, '2026-01-12'],
    ['12/01', { ...ctx, today: '2026-12-03' }, '2026-12-01'],
    ['last friday', { ...ctx, today: '2026-12-03' }, '2026-11-27'],
  ] as const)('%j with %o is %s', (word, context, closedOn) => {
    const parsed = parseLogSaleText(`1200 Acme ${word}`, context);
    expect(parsed).toMatchObject({ ok: true, value: { customer: 'Acme', closedOn } });
  });

  const DMY_FORMS = dateForms('dmy');
  it.each([
    ['1200 Acme 12/01/26', ctx, `I can't read \`12/01/26\` as a date. Type one of ${FORMS}.`],
    ['1200 Acme 2026/11/20', ctx, `I can't read \`2026/11/20\` as a date. Type one of ${FORMS}.`],
    ['1200 Acme 20.11.2026', dmy, `I can't read \`20.11.2026\` as a date. Type one of ${DMY_FORMS}.`],
    ['1200 Acme 11-20-2026', ctx, `I can't read \`11-20-2026\` as a date. Type one of ${FORMS}.`],
    ['1200 Acme 20/11', ctx, `\`20/11\` is not a date on the calendar. Type one of ${FORMS}.`],
    ['1200 Acme 11/20', dmy, `\`11/20\` is not a date on the calendar. Type one of ${DMY_FORMS}.`],
    ['1200 Acme 2/30', ctx, `\`2/30\` is not a date on the calendar. Type one of ${FORMS}.`],
    ['1200 Acme Nov 31', ctx, `\`Nov 31\` is not a date on the calendar. Type one of ${FORMS}.`],
    ['1200 Acme 29 Feb 2026', ctx, `\`29 Feb 2026\` is not a date on the calendar. Type one of ${FORMS}.`],
    ['1200 Acme next friday', ctx, `I can't read \`next friday\` as a date. Type one of ${FORMS}.`],
    ['1200 Acme last week', ctx, `I can't read \`last week\` as a date. Type one of ${FORMS}.`],
    ['1200 Acme this month', ctx, `I can't read \`this month\` as a date. Type one of ${FORMS}.`],
    ['1200 Acme tomorrow', ctx, "`tomorrow` is after today: you can't log a sale in the future."],
    ['1200 Acme 12/01', ctx, "`12/01` (2026-12-01, read month/day) is after today (2026-11-25): you can't log a sale in the future."],
    ['1200 Acme Dec 1', ctx, "`Dec 1` (2026-12-01) is after today (2026-11-25): you can't log a sale in the future."],
    [
      '1200 Acme 12/01/2026',
      ctx,
      "`12/01/2026` (2026-12-01, read month/day) is after today (2026-11-25): you can't log a sale in the future.",
    ],
    [
      '1200 Acme 2/29',
      { ...ctx, today: '2027-03-01' },
      "`2/29` (2028-02-29, read month/day) is after today (2027-03-01): you can't log a sale in the future.",
    ],
    // In a day/month workspace on December 3rd, 12/01 is January 12th, and the nearest one is next month.
    [
      '1200 Acme 12/01',
      { ...dmy, today: '2026-12-03' },
      "`12/01` (2027-01-12, read day/month) is after today (2026-12-03): you can't log a sale in the future.",
    ],
    ['1200 Acme 2026-11-26', ctx, "2026-11-26 is after today (2026-11-25): you can't log a sale in the future."],
    ['1200 Acme fri 11/20', ctx, 'One date per sale, please: you typed 2026-11-20 and 2026-11-20.'],
    ['1200 Acme last friday yesterday', ctx, 'One date per sale, please: you typed 2026-11-20 and 2026-11-24.'],
  ] as const)('refuses %j', (text, context, reason) => {
    expect(parseLogSaleText(text, context)).toEqual({ ok: false, error: escapeSlackText(reason + EXAMPLE) });
  });

  it.each([
    // 23:30 on Sunday November 1st in New York, the day the clocks went back; already Monday the 2nd in Berlin.
    ['2026-11-02T04:30:00Z', 'America/New_York', 'yesterday', '2026-10-31'],
    ['2026-11-02T04:30:00Z', 'America/New_York', 'last friday', '2026-10-30'],
    ['2026-11-02T04:30:00Z', 'America/New_York', 'sun', '2026-10-25'],
    ['2026-11-02T04:30:00Z', 'Europe/Berlin', 'yesterday', '2026-11-01'],
    ['2026-11-02T04:30:00Z', 'Europe/Berlin', 'sun', '2026-11-01'],
    // New Year's Eve in New York is New Year's Day in Tokyo: `12/31` is yesterday there.
    ['2026-12-31T20:00:00Z', 'America/New_York', '12/31', '2026-12-31'],
    ['2026-12-31T20:00:00Z', 'Asia/Tokyo', '12/31', '2026-12-31'],
    ['2026-12-31T20:00:00Z', 'Asia/Tokyo', 'thu', '2026-12-31'],
  ] as const)('at %s in %s, %j is %s', (at, tz, word, closedOn) => {
    const today = localDate(new Date(at), tz);
    expect(parseLogSaleText(`1200 Acme ${word}`, { ...ctx, today })).toMatchObject({ ok: true, value: { closedOn } });
  });

  it.each([
    ['USD', null, 'mdy'],
    ['EUR', null, 'dmy'],
    ['GBP', null, 'dmy'],
    ['USD', 'dmy', 'dmy'],
    ['EUR', 'mdy', 'mdy'],
  ] as const)('a %s workspace set to %s reads dates as %s', (currency, setting, order) => {
    expect(dateOrderOf(setting, currency)).toBe(order);
  });
});

describe('amounts written in groups of digits', () => {
  it.each([
    ['1 200 Acme', draft({ customer: 'Acme' })],
    ['1 200 000 Acme', draft({ amountMinor: 120_000_000n, customer: 'Acme' })],
    ['1 200.50 Acme', draft({ amountMinor: 120_050n, customer: 'Acme' })],
    ['$1 200 Acme', draft({ customer: 'Acme' })],
    ['12 000 Acme', draft({ amountMinor: 1_200_000n, customer: 'Acme' })],
    ['1 200 EUR Acme', draft({ currency: 'EUR', customer: 'Acme' })],
    ['1 200', draft({})],
    ['1200 USD 84 Lumber', draft({ customer: '84 Lumber' })],
    ['5 20 Nov', draft({ amountMinor: 500n, closedOn: '2026-11-20' })],
  ])('%j', (text, expected) => {
    expect(parseLogSaleText(text, ctx)).toEqual({ ok: true, value: expected });
  });

  const split = (typed: string, suggestion: string) =>
    `I can't tell where the amount ends in \`${typed}\`: type the amount in one piece (\`1200\`, \`1,200\`, or \`1 200\` in groups of three digits). If the customer's name starts with a number, type the currency first, like \`${suggestion}\`.`;
  it.each([
    ['1 20 Acme', split('1 20', '1 USD 20')],
    ['1 2000 Acme', split('1 2000', '1 USD 2000')],
    ['1 200k Acme', split('1 200k', '1 USD 200k')],
    ['1 200,50 Acme', split('1 200,50', '1 USD 200,50')],
    ['1.5 200 Acme', split('1.5 200', '1.5 USD 200')],
    ['1200 84 Lumber', split('1200 84', '1200 USD 84')],
    ['1 200 84 Lumber', split('1 200 84', '1,200 USD 84')],
    ['€1200 84 Lumber', split('€1200 84', '1200 EUR 84')],
  ])('refuses %j', (text, reason) => {
    expect(parseLogSaleText(text, ctx)).toEqual({ ok: false, error: escapeSlackText(reason + EXAMPLE) });
  });
});
