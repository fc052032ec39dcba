// Dated membership: a person belongs to a sales team (or manages one) for stints of local
// dates [from, to); a null `from` reaches back to the beginning, a null `to` runs on until
// changed. Joining or leaving applies from a date on and leaves every day before it as it was.
// Pure: the store keeps the stints these functions return.
import { dayjs } from './dayjs.js';

export interface Stint {
  from: string | null;
  to: string | null;
}

/** Oldest first; a stint from the beginning comes first. */
function sorted(stints: readonly Stint[]): Stint[] {
  return [...stints].sort((a, b) => (a.from === b.from ? 0 : a.from === null ? -1 : b.from === null ? 1 : a.from < b.from ? -1 : 1));
}

/**
 * The stints after joining from `date` on: member on every day from `date`, the days before
 * unchanged. Null when nothing changes (already a member from that day on for good).
 */
export function joinFrom(stints: readonly Stint[], date: string): Stint[] | null {
  const before = sorted(stints);
  // Stints ending before `date` stay; those reaching `date` or later merge into one open stint.
  const kept = before.filter((s) => s.to !== null && s.to < date);
  const merged = before.filter((s) => !(s.to !== null && s.to < date));
  const from = merged.reduce<string | null>((min, s) => (s.from === null || min === null ? null : s.from < min ? s.from : min), date);
  const after = sorted([...kept, { from, to: null }]);
  return sameStints(before, after) ? null : after;
}

/**
 * The stints after leaving from `date` on: not a member on `date` or later, the days before
 * unchanged. Null when nothing changes (not a member on any day from `date`).
 */
export function leaveFrom(stints: readonly Stint[], date: string): Stint[] | null {
  const before = sorted(stints);
  const after = before
    .filter((s) => s.from === null || s.from < date)
    .map((s) => (s.to === null || s.to > date ? { from: s.from, to: date } : s));
  return sameStints(before, after) ? null : after;
}

function sameStints(a: readonly Stint[], b: readonly Stint[]): boolean {
  return a.length === b.length && a.every((s, i) => s.from === b[i]!.from && s.to === b[i]!.to);
}

/**
 * The day whose members a period's team target adds up: today while the period runs, its last
 * day once it is over (so a later change never alters it), its first day before it starts.
 */
export function membershipDay(period: { startDate: string; endDate: string }, today: string): string {
  if (today < period.startDate) return period.startDate;
  if (today >= period.endDate) return dayjs.utc(period.endDate).subtract(1, 'day').format('YYYY-MM-DD');
  return today;
}
