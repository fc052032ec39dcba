// Which products need attention (docs/rules.md#digests): below 80% of what their target expects by now,
// or, last week, more than 20% below their trailing average. Pure; exact integer comparisons.

export interface ProductFigures {
  /** Sales so far in the target's period (the month). */
  periodActual: bigint;
  /** Expected by now from the product's target; null without a target. */
  expected: bigint | null;
  /** Sales in the last complete week. */
  weekActual: bigint;
  /** Average week over the trailing weeks before it; null without history. */
  trailingAverage: bigint | null;
}

export interface ProductFlags {
  belowTarget: boolean;
  belowTrend: boolean;
  /** Last week against the trailing average, in percent (e.g. -35); null without history. */
  changePercent: number | null;
}

export function productFlags({ periodActual, expected, weekActual, trailingAverage }: ProductFigures): ProductFlags {
  const belowTarget = expected !== null && expected > 0n && periodActual * 10n < expected * 8n;
  const hasHistory = trailingAverage !== null && trailingAverage > 0n;
  return {
    belowTarget,
    belowTrend: hasHistory && weekActual * 10n < trailingAverage * 8n,
    changePercent: hasHistory ? Number(((weekActual - trailingAverage) * 1000n) / trailingAverage) / 10 : null,
  };
}

/** Total over n periods divided by n, rounded half up. */
export function averageOf(total: bigint, periods: number): bigint {
  if (periods <= 0) return 0n;
  const n = BigInt(periods);
  return (total * 2n + n) / (2n * n);
}
