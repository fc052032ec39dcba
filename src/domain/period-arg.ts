// A period named in a command: `week`, `month`, `quarter`, `year` (the current one) or a key
// such as `2026-11`, `2026-W48`, `FY2027-Q1`, `FY2027`. Pure: `now` and the timezone are arguments.
import { parsePeriodKey, periodAt, type Period, type PeriodKind } from './periods.js';

const KINDS: Readonly<Record<string, PeriodKind>> = { week: 'week', month: 'month', quarter: 'quarter', year: 'year' };

/** The period `word` names; the current month without one; null for anything else. */
export function periodFromWord(word: string | null, now: Date, tz: string, fyStartMonth: number): Period | null {
  const text = word?.trim() ?? '';
  if (text === '') return periodAt('month', now, tz, fyStartMonth);
  const kind = KINDS[text.toLowerCase()];
  if (kind) return periodAt(kind, now, tz, fyStartMonth);
  return parsePeriodKey(text.toUpperCase(), tz, fyStartMonth);
}
