import { describe, expect, it } from 'vitest';
import { isUnusuallyLarge } from '../../src/domain/guard-rails.js';

describe('isUnusuallyLarge', () => {
  // amount, largest sale of the last year, month target (all minor units) -> asked?
  const cases: Array<[bigint, bigint | null, bigint | null, boolean]> = [
    [120_000_000n, null, 3_600_000n, true], // $1.2m, no sale yet, $36K target
    [120_000_000n, 500_000n, 3_600_000n, true], // above 5 x $5,000 and $36K
    [3_000_000n, 500_000n, 3_600_000n, false], // above 5 x $5,000, within the target
    [3_600_001n, 500_000n, 3_600_000n, true], // one cent above both
    [3_600_000n, 500_000n, 3_600_000n, false], // exactly the target is not above it
    [2_500_000n, 400_000n, 1_000_000n, true], // above 5 x $4,000 = $20,000 and $10K
    [2_000_000n, 400_000n, 1_000_000n, false], // exactly 5x is not above it
    [4_000_000n, 1_000_000n, 3_600_000n, false], // above the target, within 5x
    [120_000_000n, null, null, false], // no month target: not asked
    [120_000_000n, 500_000n, 0n, false], // a zero target counts as none
  ];
  it.each(cases)('%s with largest %s and target %s -> %s', (amount, largest, target, expected) => {
    expect(isUnusuallyLarge(amount, largest, target)).toBe(expected);
  });
});
