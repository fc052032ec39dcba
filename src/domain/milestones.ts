// Milestones of a target (docs/rules.md#celebrations): percentages of it, celebrated once when a rep reaches them.

export const DEFAULT_MILESTONES = [50, 100, 150] as const;

/** The milestones `actual` has reached against `target` (exact: actual x 100 >= target x m). */
export function reachedMilestones(actual: bigint, target: bigint, milestones: readonly number[]): number[] {
  if (target <= 0n) return [];
  return milestones.filter((m) => actual * 100n >= target * BigInt(m));
}
