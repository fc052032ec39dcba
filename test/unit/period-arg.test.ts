// The period grammar every command shares: each form, each refusal, year and fiscal-year
// boundaries and DST, with the clock passed in.
import { describe, expect, it } from 'vitest';
import { isClosedPeriod, periodFromText, periodFromWords, periodPhraseLength, PERIOD_FORMS } from '../../src/domain/period-arg.js';
import { periodOfDate } from '../../src/domain/periods.js';

const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe('periodFromWords reads', () => {
  // Thursday 2026-11-26, 15:00 in New York; the fiscal year starts in April (FY2027 = Apr 2026 – Mar 2027).
  const now = new Date('2026-11-26T20:00:00Z');
  const tz = 'America/New_York';
  it.each([
    ['', 'month', '2026-11', '2026-11-01', '2026-12-01'],
    ['month', 'month', '2026-11', '2026-11-01', '2026-12-01'],
    ['this month', 'month', '2026-11', '2026-11-01', '2026-12-01'],
    ['last month', 'month', '2026-10', '2026-10-01', '2026-11-01'],
    ['Last Month', 'month', '2026-10', '2026-10-01', '2026-11-01'],
    ['week', 'week', '2026-W48', '2026-11-23', '2026-11-30'],
    ['this week', 'week', '2026-W48', '2026-11-23', '2026-11-30'],
    ['last week', 'week', '2026-W47', '2026-11-16', '2026-11-23'],
    ['quarter', 'quarter', 'FY2027-Q3', '2026-10-01', '2027-01-01'],
    ['this quarter', 'quarter', 'FY2027-Q3', '2026-10-01', '2027-01-01'],
    ['last quarter', 'quarter', 'FY2027-Q2', '2026-07-01', '2026-10-01'],
    ['year', 'year', 'FY2027', '2026-04-01', '2027-04-01'],
    ['last year', 'year', 'FY2026', '2025-04-01', '2026-04-01'],
    ['2026-10', 'month', '2026-10', '2026-10-01', '2026-11-01'],
    ['2025-12', 'month', '2025-12', '2025-12-01', '2026-01-01'],
    ['2026-W48', 'week', '2026-W48', '2026-11-23', '2026-11-30'],
    ['2026-w01', 'week', '2026-W01', '2025-12-29', '2026-01-05'],
    ['2026-Q3', 'quarter', 'FY2026-Q3', '2025-10-01', '2026-01-01'],
    ['2027-q1', 'quarter', 'FY2027-Q1', '2026-04-01', '2026-07-01'],
    ['FY2027-Q2', 'quarter', 'FY2027-Q2', '2026-07-01', '2026-10-01'],
    ['FY2026', 'year', 'FY2026', '2025-04-01', '2026-04-01'],
    ['fy2027', 'year', 'FY2027', '2026-04-01', '2027-04-01'],
  ])('%j as %s %s [%s, %s)', (text, kind, key, startDate, endDate) => {
    expect(periodFromWords(words(text), now, tz, 4)).toEqual({
      ok: true,
      period: expect.objectContaining({ kind, key, startDate, endDate }),
    });
  });

  it.each([
    // New Year's Day in Berlin, 00:30 local, is still 2025 in UTC: the local date decides.
    ['last month', '2025-12-31T23:30:00Z', 'Europe/Berlin', 1, '2025-12'],
    ['last year', '2025-12-31T23:30:00Z', 'Europe/Berlin', 1, 'FY2025'],
    ['last week', '2025-12-31T23:30:00Z', 'Europe/Berlin', 1, '2025-W52'],
    ['last quarter', '2025-12-31T23:30:00Z', 'Europe/Berlin', 1, 'FY2025-Q4'],
    // The same instant is still 2025-12-31 in New York.
    ['last month', '2025-12-31T23:30:00Z', 'America/New_York', 1, '2025-11'],
    // 2026-12-31 is in ISO week 2026-W53; a week later the last week is W53.
    ['last week', '2027-01-06T12:00:00Z', 'UTC', 1, '2026-W53'],
    ['2026-W53', '2027-01-06T12:00:00Z', 'UTC', 1, '2026-W53'],
    // A fiscal year starting in February: FY2027 runs Feb 2026 – Jan 2027.
    ['last year', '2026-01-15T12:00:00Z', 'UTC', 2, 'FY2025'],
    ['year', '2026-02-01T12:00:00Z', 'UTC', 2, 'FY2027'],
    ['2026-Q1', '2026-11-26T12:00:00Z', 'UTC', 2, 'FY2026-Q1'],
  ])('%j at %s in %s (fiscal start %i) as %s', (text, at, tz, fy, key) => {
    expect(periodFromWords(words(text), new Date(at), tz, fy)).toMatchObject({ ok: true, period: { key } });
  });

  it('measures last month across the DST change in its own timezone', () => {
    // October 2026 in New York is 31 days and one hour: the clocks went back on November 1st.
    const read = periodFromWords(['last', 'month'], new Date('2026-11-26T20:00:00Z'), 'America/New_York', 1);
    expect(read.ok && [read.period.start.toISOString(), read.period.end.toISOString()]).toEqual([
      '2026-10-01T04:00:00.000Z',
      '2026-11-01T04:00:00.000Z',
    ]);
    const march = periodFromWords(['2026-03'], new Date('2026-11-26T20:00:00Z'), 'America/New_York', 1);
    expect(march.ok && (march.period.end.getTime() - march.period.start.getTime()) / 3_600_000).toBe(31 * 24 - 1);
  });
});

describe('periodFromWords refuses', () => {
  const now = new Date('2026-11-26T20:00:00Z');
  const unknown = (text: string) => ({ ok: false, error: `I don't know the period \`${text}\`: name one as ${PERIOD_FORMS}.` });
  it.each([
    'last',
    'this',
    'last monthly',
    'next month',
    'lastmonth',
    'november',
    '2026',
    '2026-13',
    '2026-00',
    '2026-W54',
    '2021-W53',
    '2026-Q5',
    'FY2027-Q0',
    'FY27',
    'last month east',
    '2026-11 2026-12',
  ])('%j', (text) => {
    expect(periodFromWords(words(text), now, 'UTC', 4)).toEqual(unknown(text));
  });

  it('quotes what was typed escaped, so a mention in it pings nobody', () => {
    expect(periodFromWords(['<!channel>'], now, 'UTC', 4)).toEqual({
      ok: false,
      error: `I don't know the period \`&lt;!channel&gt;\`: name one as ${PERIOD_FORMS}.`,
    });
    expect(periodFromWords(['last', 'a&amp;b'], now, 'UTC', 4)).toEqual({
      ok: false,
      error: `I don't know the period \`last a&amp;b\`: name one as ${PERIOD_FORMS}.`,
    });
  });

  it.each([
    ['2026-12', '2026-12'],
    ['2026-W49', '2026-W49'],
    ['FY2028', 'FY2028'],
    ['2027-Q4', 'FY2027-Q4'],
  ])('%j, which has not started yet', (text, key) => {
    expect(periodFromWords([text], now, 'UTC', 4)).toEqual({
      ok: false,
      error: `${key} hasn't started yet: name the current period or a past one, like \`last month\`.`,
    });
  });
});

describe('periodFromText', () => {
  const now = new Date('2026-11-26T20:00:00Z');
  it.each([
    [null, '2026-11'],
    ['   ', '2026-11'],
    ['  last   month ', '2026-10'],
    ['2026-w47', '2026-W47'],
  ])('%j as %s', (text, key) => {
    expect(periodFromText(text, now, 'UTC', 1)).toMatchObject({ ok: true, period: { key } });
  });
});

describe('periodPhraseLength', () => {
  it.each([
    [['last', 'month', 'east'], 0, 2],
    [['This', 'week'], 0, 2],
    [['last'], 0, 1],
    [['east', '2026-10'], 1, 1],
    [['fy2026'], 0, 1],
    [['2026-13'], 0, 1],
    [['Quarter'], 0, 1],
    [['east'], 0, 0],
    [['<#C0EAST|east>'], 0, 0],
    [[], 0, 0],
  ] as const)('%j from %i is %i words', (list, from, length) => {
    expect(periodPhraseLength(list, from)).toBe(length);
  });
});

describe('isClosedPeriod', () => {
  const november = periodOfDate('month', '2026-11-01', 'Europe/Berlin', 1);
  it.each([
    ['2026-11-30T22:59:59.999Z', false], // 23:59:59.999 in Berlin
    ['2026-11-30T23:00:00Z', true], // midnight of December 1st in Berlin
    ['2026-11-15T12:00:00Z', false],
  ])('at %s: %s', (at, closed) => {
    expect(isClosedPeriod(november, new Date(at))).toBe(closed);
  });
});
