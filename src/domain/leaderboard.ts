// Leaderboard ranking (docs/rules.md#leaderboard): by share of target, compared exactly by cross
// multiplication; reps without a target (none or zero) follow, ranked by amount. Equal
// scores share a rank (1, 2, 2, 4); userId orders ties so the display is stable.
import { attainmentPercent } from './pace.js';

export interface RepTotal {
  userId: string;
  actual: bigint;
  target: bigint | null;
}

export type RankedRow<T extends RepTotal = RepTotal> = T & {
  rank: number;
  percent: number | null;
  hasTarget: boolean;
};

export function rankReps<T extends RepTotal>(rows: readonly T[]): Array<RankedRow<T>> {
  // A sort compares each row many times: a float score orders nearly every pair cheaply, and the
  // exact comparison settles the pairs whose floats are too close to tell apart.
  const sorted = rows
    .map((row) => ({ row, approx: approximateScore(row) }))
    .sort((a, b) => compareApproximate(a.approx, b.approx) || compareScore(a.row, b.row) || compareIds(a.row.userId, b.row.userId))
    .map(({ row }) => row);
  const ranked: Array<RankedRow<T>> = [];
  sorted.forEach((row, i) => {
    const above = ranked[i - 1];
    const rank = above && compareScore(above, row) === 0 ? above.rank : i + 1;
    // Object.assign rather than a spread: several times faster on thousands of rows.
    ranked.push(Object.assign({}, row, { rank, percent: attainmentPercent(row.actual, row.target ?? 0n), hasTarget: hasTarget(row) }));
  });
  return ranked;
}

export interface Movement {
  kind: 'up' | 'down' | 'same' | 'new';
  by: number;
  /** `▲2`, `▼1`, `–` or `new`. */
  text: string;
}

/** How a rep moved since the previous leaderboard; `previousRank` null means not on it. */
export function movement(currentRank: number, previousRank: number | null): Movement {
  if (previousRank === null) return { kind: 'new', by: 0, text: 'new' };
  const by = previousRank - currentRank;
  if (by > 0) return { kind: 'up', by, text: `▲${by}` };
  if (by < 0) return { kind: 'down', by: -by, text: `▼${-by}` };
  return { kind: 'same', by: 0, text: '–' };
}

export interface LeaderboardWindow<T> {
  top: T[];
  /** The viewer's row when it is not in `top`. */
  viewer: T | null;
  /** Rows shown neither in `top` nor as `viewer` ("and N more"). */
  notShown: number;
}

export function leaderboardWindow<T extends { userId: string }>(ranked: readonly T[], viewerId: string, top = 10): LeaderboardWindow<T> {
  const shown = ranked.slice(0, top);
  const viewer = shown.some((r) => r.userId === viewerId) ? null : (ranked.find((r) => r.userId === viewerId) ?? null);
  return { top: shown, viewer, notShown: ranked.length - shown.length - (viewer ? 1 : 0) };
}

function hasTarget(row: RepTotal): row is RepTotal & { target: bigint } {
  return row.target !== null && row.target > 0n;
}

/** Reps with a target first (by share of it), then the rest (by amount); within 1e-12 of exact. */
function approximateScore(row: RepTotal): { withTarget: boolean; value: number } {
  return hasTarget(row)
    ? { withTarget: true, value: Number(row.actual) / Number(row.target) }
    : { withTarget: false, value: Number(row.actual) };
}

/** Like compareScore, or 0 when the floats are too close for their order to be sure. */
function compareApproximate(a: { withTarget: boolean; value: number }, b: { withTarget: boolean; value: number }): number {
  if (a.withTarget !== b.withTarget) return a.withTarget ? -1 : 1;
  const difference = b.value - a.value;
  return Math.abs(difference) > 1e-9 * Math.max(Math.abs(a.value), Math.abs(b.value)) ? Math.sign(difference) : 0;
}

/** Negative when `a` ranks above `b`, 0 when they share a rank. */
function compareScore(a: RepTotal, b: RepTotal): number {
  if (hasTarget(a) && hasTarget(b)) return sign(b.actual * a.target - a.actual * b.target);
  if (hasTarget(a)) return -1;
  if (hasTarget(b)) return 1;
  return sign(b.actual - a.actual);
}

function sign(n: bigint): number {
  return n > 0n ? 1 : n < 0n ? -1 : 0;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
