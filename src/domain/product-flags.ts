// Which products need attention (SPEC 4, 5): below 80% of what their target expects by now,
// or more than 20% below their trailing average. Pure; exact integer comparisons.

export interface ProductFigures {
  actual: bigint;
  /** Expected by now from the product's target; null without a target. */
  expected: bigint | null;
  /** Average of the same span over the trailing periods; null without history. */
  trailingAverage: bigint | null;
}

export interface ProductFlags {
  belowTarget: boolean;
  belowTrend: boolean;
  /** actual / trailing average - 1, in percent (e.g. -35); null without history. */
  changePercent: number | null;
}

export function productFlags({ actual, expected, trailingAverage }: ProductFigures): ProductFlags {
  const belowTarget = expected !== null && expected > 0n && actual * 10n < expected * 8n;
  const belowTrend = trailingAverage !== null && trailingAverage > 0n && actual * 10n < trailingAverage * 8n;
  const changePercent = trailingAverage !== null && trailingAverage > 0n ? Number(((actual - trailingAverage) * 1000n) / trailingAverage) / 10 : null;
  return { belowTarget, belowTrend, changePercent };
}

/** Total over n periods divided by n, rounded half up. */
export function averageOf(total: bigint, periods: number): bigint {
  if (periods <= 0) return 0n;
  const n = BigInt(periods);
  return (total * 2n + n) / (2n * n);
}
