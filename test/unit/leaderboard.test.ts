import { describe, expect, it } from 'vitest';
import { type RepTotal, leaderboardWindow, movement, rankReps } from '../../src/domain/leaderboard.js';

const summary = (rows: RepTotal[]) => rankReps(rows).map((r) => [r.rank, r.userId, r.percent, r.hasTarget]);

describe('rankReps', () => {
  it('shares ranks on ties (1, 2, 2, 4) and orders ties by user id', () => {
    expect(
      summary([
        { userId: 'U_D', actual: 100n, target: 1_000n },
        { userId: 'U_C', actual: 600n, target: 2_000n },
        { userId: 'U_A', actual: 500n, target: 1_000n },
        { userId: 'U_B', actual: 300n, target: 1_000n },
      ]),
    ).toEqual([
      [1, 'U_A', 50, true],
      [2, 'U_B', 30, true],
      [2, 'U_C', 30, true],
      [4, 'U_D', 10, true],
    ]);
  });

  it('puts reps without a target (none or zero) after, by amount, with a zero actual first among targets', () => {
    expect(
      summary([
        { userId: 'U_BIG', actual: 9_000_000n, target: null },
        { userId: 'U_ZERO_TARGET', actual: 5_000n, target: 0n },
        { userId: 'U_NOTHING_YET', actual: 0n, target: 1_000n },
        { userId: 'U_HALF', actual: 500n, target: 1_000n },
        { userId: 'U_SAME', actual: 5_000n, target: null },
      ]),
    ).toEqual([
      [1, 'U_HALF', 50, true],
      [2, 'U_NOTHING_YET', 0, true],
      [3, 'U_BIG', null, false],
      [4, 'U_SAME', null, false],
      [4, 'U_ZERO_TARGET', null, false],
    ]);
  });

  it('compares shares exactly, not as floats', () => {
    // 100000000000000001 / 100000000000000000 and 1 / 1 are equal as doubles.
    expect(
      summary([
        { userId: 'U_A', actual: 1n, target: 1n },
        { userId: 'U_B', actual: 100_000_000_000_000_001n, target: 100_000_000_000_000_000n },
        { userId: 'U_C', actual: 2n, target: 2n },
      ]).map(([rank, userId]) => [rank, userId]),
    ).toEqual([
      [1, 'U_B'],
      [2, 'U_A'],
      [2, 'U_C'],
    ]);
  });

  it('keeps the fields it was given', () => {
    const [row] = rankReps([{ userId: 'U_A', actual: 1n, target: 2n, name: 'Ada' }]);
    expect(row).toEqual({ userId: 'U_A', actual: 1n, target: 2n, name: 'Ada', rank: 1, percent: 50, hasTarget: true });
  });

  it('ranks nobody when there are no rows', () => {
    expect(rankReps([])).toEqual([]);
  });
});

describe('leaderboardWindow', () => {
  // 500 reps, U001 best; each with a target of 1,000 and actual 1,000 less 2 per place.
  const ranked = rankReps(
    Array.from({ length: 500 }, (_, i) => ({
      userId: `U${String(i + 1).padStart(3, '0')}`,
      actual: BigInt(1_000 - 2 * i),
      target: 1_000n,
    })),
  );

  it('shows the top 10 and the viewer outside them', () => {
    const view = leaderboardWindow(ranked, 'U250');
    expect(view.top.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(view.viewer && [view.viewer.userId, view.viewer.rank]).toEqual(['U250', 250]);
    expect(view.notShown).toBe(489);
  });

  it.each([
    ['U003', 490], // in the top 10: no extra row
    ['U_STRANGER', 490], // not on the board
    ['U500', 489],
  ])('for %s leaves %i not shown', (viewerId, notShown) => {
    const view = leaderboardWindow(ranked, viewerId);
    expect(view.top).toHaveLength(10);
    expect(view.viewer?.userId ?? null).toBe(viewerId === 'U500' ? 'U500' : null);
    expect(view.notShown).toBe(notShown);
  });

  it('shows everyone when there are fewer rows than the top', () => {
    const view = leaderboardWindow(ranked.slice(0, 4), 'U002', 10);
    expect([view.top.length, view.viewer, view.notShown]).toEqual([4, null, 0]);
  });

  it('takes another top size', () => {
    const view = leaderboardWindow(ranked, 'U004', 3);
    expect([view.top.length, view.viewer?.rank, view.notShown]).toEqual([3, 4, 496]);
  });
});

describe('movement', () => {
  it.each([
    [1, 3, 'up', 2, '▲2'],
    [4, 3, 'down', 1, '▼1'],
    [2, 2, 'same', 0, '–'],
    [5, null, 'new', 0, 'new'],
  ] as const)('from %s to %s is %s by %i (%s)', (current, previous, kind, by, text) => {
    expect(movement(current, previous)).toEqual({ kind, by, text });
  });
});
