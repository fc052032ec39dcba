// Reporting periods in a workspace's timezone (docs/rules.md#periods). Pure: the clock and the
// timezone are always arguments.
//
// Sales carry a local calendar date `closed_on` (YYYY-MM-DD in the workspace timezone),
// so a period is first a half-open range of local dates [startDate, endDate), which is
// what SQL uses: `closed_on >= startDate AND closed_on < endDate`. `start` and `end` are
// the instants of local midnight of those dates, for elapsed-time maths (a DST week is
// 167 or 169 hours long).
//
// - week: ISO week, Monday to Sunday, key `2026-W48` named by the ISO week-year
//   (2026-12-31 is in 2026-W53, 2027-01-03 is in 2026-W53 too).
// - month: calendar month, key `2026-11`.
// - quarter, year: follow the fiscal year, which starts on the first day of month
//   `fyStartMonth` (1-12) and is named after the calendar year in which it ENDS:
//   fyStartMonth 1 -> FY2026 = Jan-Dec 2026; 4 -> FY2027 = Apr 2026-Mar 2027;
//   2 -> FY2027 = Feb 2026-Jan 2027. Keys `FY2027-Q1` and `FY2027`.
//
// Calendar arithmetic runs on dayjs UTC values that stand for local dates, so it never
// depends on the timezone of the process; only `localDate` and the midnight instants
// look at `tz`.
import { type Dayjs, dayjs } from './dayjs.js';

export type PeriodKind = 'week' | 'month' | 'quarter' | 'year';
export const PERIOD_KINDS: readonly PeriodKind[] = ['week', 'month', 'quarter', 'year'];

export interface Period {
  kind: PeriodKind;
  key: string;
  /** First local date in the period, YYYY-MM-DD. */
  startDate: string;
  /** First local date after the period, YYYY-MM-DD (exclusive). */
  endDate: string;
  /** Local midnight of startDate in the workspace timezone. */
  start: Date;
  /** Local midnight of endDate in the workspace timezone (exclusive). */
  end: Date;
}

const DATE = 'YYYY-MM-DD';

/** The local calendar date (YYYY-MM-DD) of an instant in `tz`. */
export function localDate(instant: Date, tz: string): string {
  const ms = instant.getTime();
  const last = lastLocalDates.get(tz);
  if (last?.ms === ms) return last.date;
  let format = dateFormats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(tz, format);
  }
  let year = '';
  let month = '';
  let day = '';
  for (const part of format.formatToParts(instant)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  const date = `${year.padStart(4, '0')}-${month}-${day}`;
  if (lastLocalDates.size > 100) lastLocalDates.clear();
  lastLocalDates.set(tz, { ms, date });
  return date;
}

// Periods are asked for on every request (the current ones and the history before them), and
// working out a local midnight in a timezone is slow: the answers, which never change, are
// kept. Bounded, and each caller gets its own copy.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** The last instant asked for in each timezone: a leaderboard asks about `now` for every rep. */
const lastLocalDates = new Map<string, { ms: number; date: string }>();
const knownPeriods = new Map<string, Period>();
const MAX_KNOWN_PERIODS = 20_000;

export function periodOfDate(kind: PeriodKind, date: string, tz: string, fyStartMonth: number): Period {
  const key = `${kind} ${date} ${tz} ${fyStartMonth}`;
  let period = knownPeriods.get(key);
  if (!period) {
    if (knownPeriods.size >= MAX_KNOWN_PERIODS) knownPeriods.clear();
    period = computePeriod(kind, date, tz, fyStartMonth);
    knownPeriods.set(key, period);
  }
  return { ...period, start: new Date(period.start), end: new Date(period.end) };
}

function computePeriod(kind: PeriodKind, date: string, tz: string, fyStartMonth: number): Period {
  const day = dayjs.utc(date);
  switch (kind) {
    case 'week': {
      const start = day.startOf('isoWeek');
      return makePeriod(kind, `${day.isoWeekYear()}-W${pad(day.isoWeek())}`, start, start.add(1, 'week'), tz);
    }
    case 'month': {
      const start = day.startOf('month');
      return makePeriod(kind, start.format('YYYY-MM'), start, start.add(1, 'month'), tz);
    }
    case 'quarter': {
      const { fiscalYear, fyStart, monthsIn } = fiscalPosition(day, fyStartMonth);
      const quarter = Math.floor(monthsIn / 3) + 1;
      const start = fyStart.add((quarter - 1) * 3, 'month');
      return makePeriod(kind, `FY${fiscalYear}-Q${quarter}`, start, start.add(3, 'month'), tz);
    }
    case 'year': {
      const { fiscalYear, fyStart } = fiscalPosition(day, fyStartMonth);
      return makePeriod(kind, `FY${fiscalYear}`, fyStart, fyStart.add(12, 'month'), tz);
    }
  }
}

export function periodAt(kind: PeriodKind, instant: Date, tz: string, fyStartMonth: number): Period {
  return periodOfDate(kind, localDate(instant, tz), tz, fyStartMonth);
}

export function nextPeriod(p: Period, tz: string, fyStartMonth: number): Period {
  return periodOfDate(p.kind, p.endDate, tz, fyStartMonth);
}

export function previousPeriod(p: Period, tz: string, fyStartMonth: number): Period {
  return periodOfDate(p.kind, dayBefore(p.startDate), tz, fyStartMonth);
}

/** Reads `2026-W48`, `2026-11`, `FY2027-Q1` or `FY2027`; null for anything else. */
export function parsePeriodKey(key: string, tz: string, fyStartMonth: number): Period | null {
  const found = keyToDate(key, fyStartMonth);
  if (!found) return null;
  const period = periodOfDate(found.kind, found.date, tz, fyStartMonth);
  // Out-of-range parts (2026-13, 2026-W54, 2021-W53) land in another period.
  return period.key === key ? period : null;
}

/** Every period from `first` to `last`, both included; empty when last is before first. */
export function periodsBetween(first: Period, last: Period, tz: string, fyStartMonth: number): Period[] {
  if (first.kind !== last.kind) throw new Error(`periodsBetween: ${first.kind} and ${last.kind} differ`);
  const periods: Period[] = [];
  for (let p = first; p.startDate <= last.startDate; p = nextPeriod(p, tz, fyStartMonth)) periods.push(p);
  return periods;
}

/**
 * The periods of `kind` that overlap `p`: the 3 months of a quarter, the 12 months of a
 * year, or the ISO weeks touching a month (the first and last may stick out of it).
 */
export function subPeriods(p: Period, kind: PeriodKind, tz: string, fyStartMonth: number): Period[] {
  const first = periodOfDate(kind, p.startDate, tz, fyStartMonth);
  const last = periodOfDate(kind, dayBefore(p.endDate), tz, fyStartMonth);
  return periodsBetween(first, last, tz, fyStartMonth);
}

/** Milliseconds of `p` that have passed at `now`, clamped to [0, duration]. */
export function elapsedMs(p: Period, now: Date): number {
  return Math.min(Math.max(now.getTime() - p.start.getTime(), 0), durationMs(p));
}

export function durationMs(p: Period): number {
  return p.end.getTime() - p.start.getTime();
}

/** Share of `p` that has passed at `now`, in [0, 1], by real elapsed time. */
export function elapsedFraction(p: Period, now: Date): number {
  return elapsedMs(p, now) / durationMs(p);
}

/**
 * Whole local days left in `p`, today included: 1 on the last day, 0 once it is over,
 * every day of the period before it starts.
 */
export function daysRemaining(p: Period, now: Date, tz: string): number {
  const today = localDate(now, tz);
  const from = today > p.startDate ? today : p.startDate;
  if (from >= p.endDate) return 0;
  // Both are calendar dates: parsed as UTC midnights, their difference is whole days.
  return Math.round((Date.parse(p.endDate) - Date.parse(from)) / 86_400_000);
}

function makePeriod(kind: PeriodKind, key: string, startDay: Dayjs, endDay: Dayjs, tz: string): Period {
  const startDate = startDay.format(DATE);
  const endDate = endDay.format(DATE);
  return { kind, key, startDate, endDate, start: localMidnight(startDate, tz), end: localMidnight(endDate, tz) };
}

/** The first instant of a local date; where midnight is skipped by DST, the first that exists. */
function localMidnight(date: string, tz: string): Date {
  return dayjs.tz(date, tz).toDate();
}

/** Where a date sits in its fiscal year (see the header for the naming convention). */
function fiscalPosition(day: Dayjs, fyStartMonth: number): { fiscalYear: number; fyStart: Dayjs; monthsIn: number } {
  const monthsIn = (day.month() - (fyStartMonth - 1) + 12) % 12;
  const fyStart = day.startOf('month').subtract(monthsIn, 'month');
  return { fiscalYear: fyStart.add(11, 'month').year(), fyStart, monthsIn };
}

function fiscalYearStart(fiscalYear: number, fyStartMonth: number): Dayjs {
  const startYear = fyStartMonth === 1 ? fiscalYear : fiscalYear - 1;
  return dayjs.utc(`${startYear}-${pad(fyStartMonth)}-01`);
}

/** The kind of a key and a local date inside the period it names, before validation. */
function keyToDate(key: string, fyStartMonth: number): { kind: PeriodKind; date: string } | null {
  const week = /^(\d{4})-W(\d{2})$/.exec(key);
  if (week) {
    // ISO week 1 is the week holding January 4th.
    const week1 = dayjs.utc(`${week[1]}-01-04`).startOf('isoWeek');
    return { kind: 'week', date: week1.add(Number(week[2]) - 1, 'week').format(DATE) };
  }
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month) return { kind: 'month', date: `${month[1]}-${month[2]}-01` };
  const quarter = /^FY(\d{4})-Q(\d)$/.exec(key);
  if (quarter) {
    const start = fiscalYearStart(Number(quarter[1]), fyStartMonth);
    return { kind: 'quarter', date: start.add((Number(quarter[2]) - 1) * 3, 'month').format(DATE) };
  }
  const year = /^FY(\d{4})$/.exec(key);
  if (year) return { kind: 'year', date: fiscalYearStart(Number(year[1]), fyStartMonth).format(DATE) };
  return null;
}

function dayBefore(date: string): string {
  return dayjs.utc(date).subtract(1, 'day').format(DATE);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
