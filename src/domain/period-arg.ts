// A period named in a command: one grammar for `/leaderboard`, `/tally me`, `/tally teams` and
// `/tally export`. Pure: `now`, the timezone and the fiscal year start month are arguments.
//
//   (nothing)                      the current month
//   week | month | quarter | year  the current one; `this week` … `this year` too
//   last week … last year          the one before the current one
//   2026-10                        a calendar month
//   2026-W48                       an ISO week
//   2026-Q3, FY2026-Q3             a quarter of fiscal year 2026
//   FY2026                         fiscal year 2026
//
// Words are read in any case. Fiscal years are named after the calendar year they end in (see
// periods.ts), so with a fiscal year starting in April, `2027-Q1` is April to June 2026. A period
// that has not started yet is refused: there is nothing to show for it.
import { parsePeriodKey, periodAt, previousPeriod, type Period, type PeriodKind } from './periods.js';
import { quoteInput, unescapeSlackText } from './slack-text.js';

const KINDS: Readonly<Record<string, PeriodKind>> = { week: 'week', month: 'month', quarter: 'quarter', year: 'year' };

export const PERIOD_FORMS =
  '`week`, `month`, `quarter`, `year`, `last month` (also `this …`/`last …` with week, quarter, year), `2026-10`, `2026-W48`, `2026-Q3` or `FY2026`';

export type PeriodWords = { ok: true; period: Period } | { ok: false; error: string };

/**
 * The period named by `words` as a whole (one or two words); the current month for none.
 * An error that says what to type for words that are not a period.
 */
export function periodFromWords(words: readonly string[], now: Date, tz: string, fyStartMonth: number): PeriodWords {
  if (words.length === 0) return { ok: true, period: periodAt('month', now, tz, fyStartMonth) };
  const text = words.join(' ');
  const period = readPeriod(words, now, tz, fyStartMonth);
  if (period === null) return { ok: false, error: `I don't know the period \`${quoted(text)}\`: name one as ${PERIOD_FORMS}.` };
  if (period.start.getTime() > now.getTime()) {
    return { ok: false, error: `${period.key} hasn't started yet: name the current period or a past one, like \`last month\`.` };
  }
  return { ok: true, period };
}

/** periodFromWords for the text after a command word (`last month`); null or blank for none. */
export function periodFromText(text: string | null, now: Date, tz: string, fyStartMonth: number): PeriodWords {
  return periodFromWords(text?.trim().split(/\s+/).filter(Boolean) ?? [], now, tz, fyStartMonth);
}

/** How many of the words at `from` start a period phrase: 2 (`last month`), 1 (`2026-10`) or 0. */
export function periodPhraseLength(words: readonly string[], from: number): 0 | 1 | 2 {
  const first = words[from]?.toLowerCase();
  if (first === undefined) return 0;
  if (first === 'last' || first === 'this') return words[from + 1] === undefined ? 1 : 2;
  return KINDS[first] || looksLikePeriodKey(first) ? 1 : 0;
}

/** Whether `word` is meant as a period key (it may still be a wrong one, like `2026-13`). */
export function looksLikePeriodKey(word: string): boolean {
  return /^(fy)?\d{4}(-|$)/i.test(word);
}

/** `true` when the whole of `period` lies before `now`: its numbers are final. */
export function isClosedPeriod(period: Period, now: Date): boolean {
  return period.end.getTime() <= now.getTime();
}

/** What was typed, safe to quote back: never a live mention. */
export function quoted(typed: string): string {
  return quoteInput(unescapeSlackText(typed));
}

function readPeriod(words: readonly string[], now: Date, tz: string, fyStartMonth: number): Period | null {
  const [first = '', second, ...rest] = words.map((w) => w.toLowerCase());
  if (rest.length > 0) return null;
  if (second !== undefined) {
    const kind = KINDS[second];
    if (!kind || (first !== 'this' && first !== 'last')) return null;
    const current = periodAt(kind, now, tz, fyStartMonth);
    return first === 'this' ? current : previousPeriod(current, tz, fyStartMonth);
  }
  const kind = KINDS[first];
  if (kind) return periodAt(kind, now, tz, fyStartMonth);
  const key = first.toUpperCase();
  const fiscalQuarter = /^(\d{4})-(Q\d)$/.exec(key);
  return parsePeriodKey(fiscalQuarter ? `FY${fiscalQuarter[1]}-${fiscalQuarter[2]}` : key, tz, fyStartMonth);
}
