// Guard rails: a sale that is probably a mistake is confirmed before it is stored. Pure.

/** The same rep, amount and customer logged again within this many minutes is probably a duplicate. */
export const DUPLICATE_WINDOW_MINUTES = 10;
/** A sale above this many times the rep's largest sale of the last year (and above their month target) is unusual. */
export const LARGE_SALE_FACTOR = 5n;

/**
 * True when `amount` is above both LARGE_SALE_FACTOR x the largest sale of the last year (0
 * without one) and the month target. Without a month target there is nothing to compare a
 * first big deal with, so it is not called unusual.
 */
export function isUnusuallyLarge(amount: bigint, largestLastYear: bigint | null, monthTarget: bigint | null): boolean {
  if (monthTarget === null || monthTarget <= 0n) return false;
  return amount > LARGE_SALE_FACTOR * (largestLastYear ?? 0n) && amount > monthTarget;
}
