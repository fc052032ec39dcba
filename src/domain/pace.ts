// Attainment and pace (docs/rules.md#pace), exact. Amounts are bigint: money in minor units, or a
// count of deals won, so one code path serves both metrics. Amounts and targets are
// never negative (sales must be > 0 and voided sales count nowhere).
//
// Elapsed time enters as whole milliseconds (bigint), never as a float fraction:
// expected = target * elapsedMs / totalMs, rounded half up to the unit.
import { daysRemaining, durationMs, elapsedMs, type Period } from './periods.js';

export type PaceStatus = 'ahead' | 'on_track' | 'behind';

/** actual / target in percent with one decimal (87.5), or null without a positive target. */
export function attainmentPercent(actual: bigint, target: bigint): number | null {
  if (target <= 0n) return null;
  return Number(divideRoundHalfUp(actual * 1000n, target)) / 10;
}

/** The part of `target` due after `elapsedMs` of a period lasting `totalMs`. */
export function expectedToDate(target: bigint, elapsedMs: bigint, totalMs: bigint): bigint {
  return divideRoundHalfUp(target * clamp(elapsedMs, totalMs), totalMs);
}

/** Ahead at or above expected, on track at 90% of it or more, behind below that. */
export function paceStatus(actual: bigint, expected: bigint): PaceStatus {
  if (actual >= expected) return 'ahead';
  if (actual * 10n >= expected * 9n) return 'on_track';
  return 'behind';
}

export function stillNeeded(actual: bigint, target: bigint): bigint {
  return actual >= target ? 0n : target - actual;
}

/** What is still needed per remaining day, rounded up; null when no day is left. */
export function neededPerDay(actual: bigint, target: bigint, daysLeft: number): bigint | null {
  if (daysLeft <= 0) return null;
  const days = BigInt(daysLeft);
  return (stillNeeded(actual, target) + days - 1n) / days;
}

/** Where the period ends if the rate so far holds: actual * totalMs / elapsedMs, half up. */
export function runRateProjection(actual: bigint, elapsedMs: bigint, totalMs: bigint): bigint {
  const elapsed = clamp(elapsedMs, totalMs);
  if (elapsed === 0n) return actual;
  return divideRoundHalfUp(actual * totalMs, elapsed);
}

/**
 * A text bar such as `▓▓▓▓░░░░░░` (45%). A cell fills only once its share is reached,
 * so a full bar means the target is met; above 100% the full bar gets a `+`. Shown as plain
 * text, never in inline code, which Slack draws red whatever the pace.
 */
export function progressBar(percent: number | null, width = 10): string {
  const share = Math.max(percent ?? 0, 0);
  const filled = Math.min(Math.floor((share * width) / 100), width);
  return '▓'.repeat(filled) + '░'.repeat(width - filled) + (share > 100 ? '+' : '');
}

const MARKS: Record<PaceStatus, string> = {
  ahead: ':large_green_circle:',
  on_track: ':large_yellow_circle:',
  behind: ':red_circle:',
};

const LABELS: Record<PaceStatus, string> = { ahead: 'ahead', on_track: 'on track', behind: 'behind' };

export function paceMark(status: PaceStatus): string {
  return MARKS[status];
}

export function paceLabel(status: PaceStatus): string {
  return LABELS[status];
}

export interface Measure {
  actual: bigint;
  target: bigint;
  percent: number | null;
  expected: bigint;
  status: PaceStatus;
  stillNeeded: bigint;
  daysRemaining: number;
  neededPerDay: bigint | null;
  bar: string;
  mark: string;
  label: string;
  /** The period is over at `now`: the numbers are final, and pace and projection say nothing more. */
  final: boolean;
}

/** Everything shown about one target in one period at `now` (its projection is the forecast's: domain/forecast.ts). */
export function measure(input: { actual: bigint; target: bigint; period: Period; now: Date; tz: string }): Measure {
  const { actual, target, period, now, tz } = input;
  const elapsed = BigInt(elapsedMs(period, now));
  const total = BigInt(durationMs(period));
  const percent = attainmentPercent(actual, target);
  const expected = expectedToDate(target, elapsed, total);
  const status = paceStatus(actual, expected);
  const daysLeft = daysRemaining(period, now, tz);
  return {
    actual,
    target,
    percent,
    expected,
    status,
    stillNeeded: stillNeeded(actual, target),
    daysRemaining: daysLeft,
    neededPerDay: neededPerDay(actual, target, daysLeft),
    bar: progressBar(percent),
    mark: paceMark(status),
    label: paceLabel(status),
    final: elapsed >= total,
  };
}

/** n / d rounded half up, for n >= 0 and d > 0. */
function divideRoundHalfUp(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d);
}

function clamp(elapsed: bigint, total: bigint): bigint {
  return elapsed < 0n ? 0n : elapsed > total ? total : elapsed;
}
