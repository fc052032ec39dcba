// The dates people type after /logsale, read strictly. Pure: `today` (YYYY-MM-DD in the
// workspace timezone) and the workspace's date order are arguments.
//
//   today, yesterday            lowercase only, so `Today Tix` stays a customer
//   2026-12-01                  ISO
//   12/01, 12/01/2026           month/day or day/month, as the workspace reads dates
//   Dec 1, Dec 1 2026, 1 Dec    a month name (Dec, dec., December) and a day (1, 1st, 1,)
//   mon … sun, monday … sunday  lowercase only (a customer may be called Sun): the latest such
//   last friday                 day before today, never today itself
//
// Without a year, a date is the nearest such day to today: `12/30` typed on January 2nd is
// last December; typed on December 3rd it is this December, and so in the future.
// Anything that looks like a date but is none of these (`12/01/26`, `01.12.2026`, `12-01-2026`,
// `31/31`, `next friday`, `tomorrow`) is refused with the forms above, never taken for a
// customer word.
import { dayjs } from './dayjs.js';

export type DateOrder = 'mdy' | 'dmy';

/** How a workspace reads `12/01`: its own setting, else month/day for USD and day/month otherwise. */
export function dateOrderOf(setting: DateOrder | null, currency: string): DateOrder {
  return setting ?? (currency === 'USD' ? 'mdy' : 'dmy');
}

export type TypedDate =
  | { kind: 'none' }
  /** `typed` is the text it was read from; `order` says the date order decided it (`12/01`). */
  | { kind: 'date'; date: string; tokens: number; typed: string; order: DateOrder | null }
  | { kind: 'error'; error: string; tokens: number };

export interface DateContext {
  /** YYYY-MM-DD, today in the workspace timezone. */
  today: string;
  order: DateOrder;
}

/** The accepted forms, for messages. */
export function dateForms(order: DateOrder): string {
  const [short, long] = order === 'mdy' ? ['12/01', '12/01/2026'] : ['01/12', '01/12/2026'];
  return `\`today\`, \`yesterday\`, \`2026-12-01\`, \`${short}\` or \`${long}\` (${order === 'mdy' ? 'month/day' : 'day/month'}), \`Dec 1\`, \`1 Dec\`, a weekday like \`fri\`, or \`last friday\``;
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};
/** ISO weekday numbers, Monday 1 to Sunday 7. */
const WEEKDAYS: Readonly<Record<string, number>> = {
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
  sun: 7,
  sunday: 7,
};
const RELATIVE_UNITS = new Set(['day', 'week', 'month', 'year', 'weekend']);

const ISO_LIKE = /^\d{4}-\d{1,2}-\d{1,2}$/;
const SLASH = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?$/;
/** Numbers joined by / . or - that read as a date in some country: refused, never a customer. */
const DATE_LIKE = /^(?:\d+\/\d+(?:\/\d+)?|\d{1,4}[.-]\d{1,2}[.-]\d{1,4})$/;
const DAY = /^(\d{1,2})(?:st|nd|rd|th)?(,?)$/i;
const YEAR = /^(\d{4})$/;

/** Reads the date that starts at `tokens[at]`, if one does, and how many tokens it takes. */
export function readTypedDate(tokens: readonly string[], at: number, ctx: DateContext): TypedDate {
  const token = tokens[at];
  if (token === undefined) return { kind: 'none' };
  const next = tokens[at + 1];
  const cannotRead = (text: string, tokens: number): TypedDate => ({
    kind: 'error',
    error: `I can't read \`${text}\` as a date. Type one of ${dateForms(ctx.order)}.`,
    tokens,
  });
  const calendar = (text: string, date: string | null, tokens: number, order: DateOrder | null = null): TypedDate =>
    date === null
      ? { kind: 'error', error: `\`${text}\` is not a date on the calendar. Type one of ${dateForms(ctx.order)}.`, tokens }
      : { kind: 'date', date, tokens, typed: text, order };

  if (token === 'today') return calendar(token, ctx.today, 1);
  if (token === 'yesterday') return calendar(token, addDays(ctx.today, -1), 1);
  if (token === 'tomorrow') return { kind: 'error', error: "`tomorrow` is after today: you can't log a sale in the future.", tokens: 1 };

  if (ISO_LIKE.test(token)) return calendar(token, /^\d{4}-\d{2}-\d{2}$/.test(token) ? validDate(token) : null, 1);

  const slash = SLASH.exec(token);
  if (slash) {
    const [first, second] = [Number(slash[1]), Number(slash[2])];
    const [month, day] = ctx.order === 'mdy' ? [first, second] : [second, first];
    return calendar(token, slash[3] ? ymd(Number(slash[3]), month, day) : nearest(month, day, ctx.today), 1, ctx.order);
  }
  if (DATE_LIKE.test(token)) return cannotRead(token, 1);

  // `Dec 1`, `Dec 1st, 2026`
  const monthFirst = monthOf(token);
  const dayAfter = next === undefined ? null : DAY.exec(next);
  if (monthFirst !== undefined && dayAfter) {
    const year = YEAR.exec(tokens[at + 2] ?? '');
    const used = year ? 3 : 2;
    const day = Number(dayAfter[1]);
    return calendar(
      tokens.slice(at, at + used).join(' '),
      year ? ymd(Number(year[1]), monthFirst, day) : nearest(monthFirst, day, ctx.today),
      used,
    );
  }
  // `1 Dec`, `1st December 2026`
  const dayFirst = DAY.exec(token);
  const monthAfter = next === undefined ? undefined : monthOf(next);
  if (dayFirst && dayFirst[2] === '' && monthAfter !== undefined) {
    const year = YEAR.exec(tokens[at + 2] ?? '');
    const used = year ? 3 : 2;
    const day = Number(dayFirst[1]);
    return calendar(
      tokens.slice(at, at + used).join(' '),
      year ? ymd(Number(year[1]), monthAfter, day) : nearest(monthAfter, day, ctx.today),
      used,
    );
  }

  // `fri`, `last friday`, `Last Friday`
  const weekday = WEEKDAYS[token];
  if (weekday !== undefined) return calendar(token, latestWeekday(weekday, ctx.today), 1);
  const lower = token.toLowerCase();
  const nextWeekday = next === undefined ? undefined : WEEKDAYS[next.toLowerCase()];
  if (lower === 'last' && nextWeekday !== undefined) return calendar(`${token} ${next}`, latestWeekday(nextWeekday, ctx.today), 2);
  if (
    (token === 'last' || token === 'next' || token === 'this') &&
    next !== undefined &&
    (nextWeekday !== undefined || RELATIVE_UNITS.has(next.toLowerCase()))
  ) {
    return cannotRead(`${token} ${next}`, 2);
  }
  return { kind: 'none' };
}

function monthOf(token: string): number | undefined {
  return MONTHS[token.toLowerCase().replace(/[.,]$/, '')];
}

function validDate(text: string): string | null {
  return dayjs.utc(text).format('YYYY-MM-DD') === text ? text : null;
}

function ymd(year: number, month: number, day: number): string | null {
  return validDate(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

/** The (month, day) nearest to today, in last year, this year or next; null if it is on no calendar. */
function nearest(month: number, day: number, today: string): string | null {
  const year = Number(today.slice(0, 4));
  const distance = (date: string) => Math.abs(Date.parse(date) - Date.parse(today));
  const candidates = [year - 1, year, year + 1].map((y) => ymd(y, month, day)).filter((d): d is string => d !== null);
  // Ties (never more than a day apart) go to the past one, which comes first.
  return candidates.reduce<string | null>((best, d) => (best === null || distance(d) < distance(best) ? d : best), null);
}

/** The latest day before today that falls on `weekday` (1 Monday … 7 Sunday): 1 to 7 days back. */
function latestWeekday(weekday: number, today: string): string {
  const back = ((dayjs.utc(today).isoWeekday() - weekday + 6) % 7) + 1;
  return addDays(today, -back);
}

function addDays(date: string, days: number): string {
  return dayjs.utc(date).add(days, 'day').format('YYYY-MM-DD');
}
