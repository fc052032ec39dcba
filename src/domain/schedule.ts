// When digests are due (docs/rules.md#digests). Pure: `now` and the timezone are arguments.
//
// A subscription posts at a local time (HH:MM) every day, or on one ISO weekday
// (1 = Monday ... 7 = Sunday) every week, in the workspace timezone. Its slot is the
// instant of the most recent such local time at or before `now`. A slot missed while Tally
// was down is still posted if it is less than 24 hours old; older ones are skipped.
import { dayjs } from './dayjs.js';

export type Cadence = 'weekly' | 'daily';

export interface Schedule {
  cadence: Cadence;
  /** Local time, 'HH:MM' (24-hour). */
  time: string;
  /** ISO weekday for weekly posts: 1 = Monday ... 7 = Sunday. */
  weekday: number;
}

export const DEFAULT_SCHEDULE: Schedule = { cadence: 'weekly', time: '09:00', weekday: 1 };
export const CATCH_UP_MS = 24 * 60 * 60 * 1000;

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** The instant of the most recent slot at or before `now`. */
export function latestSlot(schedule: Schedule, now: Date, tz: string): Date {
  const today = dayjs(now).tz(tz).format('YYYY-MM-DD');
  let day = dayjs.utc(today);
  if (schedule.cadence === 'weekly') day = day.subtract((day.isoWeekday() - schedule.weekday + 7) % 7, 'day');
  const step = schedule.cadence === 'weekly' ? 7 : 1;
  let slot = localTime(day.format('YYYY-MM-DD'), schedule.time, tz);
  while (slot.getTime() > now.getTime()) {
    day = day.subtract(step, 'day');
    slot = localTime(day.format('YYYY-MM-DD'), schedule.time, tz);
  }
  return slot;
}

export type SlotDecision = { action: 'post'; slot: Date } | { action: 'skip'; slot: Date; ageMs: number };

/** Whether the latest slot should still be posted at `now` (it is under 24 hours old) or skipped. */
export function decideSlot(schedule: Schedule, now: Date, tz: string): SlotDecision {
  const slot = latestSlot(schedule, now, tz);
  const ageMs = now.getTime() - slot.getTime();
  return ageMs < CATCH_UP_MS ? { action: 'post', slot } : { action: 'skip', slot, ageMs };
}

/** The instant of a local date and time in `tz`. In a DST gap the clock time moves forward. */
export function localTime(date: string, time: string, tz: string): Date {
  return dayjs.tz(`${date} ${time}`, tz).toDate();
}

export function isClockTime(text: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(text);
}

/** Reads `9:00`, `09:30`, `17:05` into 'HH:MM'; null when it is not a time of day. */
export function parseClockTime(text: string): string | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const time = `${match[1]!.padStart(2, '0')}:${match[2]}`;
  return isClockTime(time) ? time : null;
}

/** Reads `monday`, `Mon`, `tue`... into an ISO weekday; null when it is not a day. */
export function parseWeekday(text: string): number | null {
  const word = text.trim().toLowerCase();
  if (word.length < 3) return null;
  const index = WEEKDAYS.findIndex((day) => day.startsWith(word));
  return index === -1 ? null : index + 1;
}

export function describeSchedule(schedule: Schedule): string {
  const day = WEEKDAYS[schedule.weekday - 1]!;
  return schedule.cadence === 'daily'
    ? `every day at ${schedule.time}`
    : `every ${day[0]!.toUpperCase()}${day.slice(1)} at ${schedule.time}`;
}
