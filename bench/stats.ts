// Percentiles of latency samples: simple-statistics' quantile (nearest rank on sorted samples).
import { quantileSorted } from 'simple-statistics';

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  return quantileSorted(
    [...samples].sort((a, b) => a - b),
    p / 100,
  );
}
