// Guard rails: before a sale is stored, a likely duplicate (the same rep, amount, customer and
// close date logged within the last 10 minutes: another date is another deal, e.g. a backfill) or an unusually large amount (above both 5x the rep's
// largest sale of the last year and their month target) is put to the person as a question.
// Nothing is stored until they confirm. A workspace can turn the check off in Settings.
import type { Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { dayjs } from '../domain/dayjs.js';
import { DUPLICATE_WINDOW_MINUTES, isUnusuallyLarge } from '../domain/guard-rails.js';
import { localDate, periodAt } from '../domain/periods.js';
import { guardRailReads, largestSaleSince } from '../store/guard-rails.js';

export type GuardRailFinding =
  | { kind: 'duplicate'; saleId: bigint; loggedAt: Date; minutesAgo: number }
  | { kind: 'large'; largestLastYear: bigint | null; monthTarget: bigint };

export interface GuardedSale {
  teamId: string;
  repId: string;
  /** As typed, and as counted in the workspace currency. */
  originalAmountMinor: bigint;
  originalCurrency: string;
  amountMinor: bigint;
  customer: string | null;
  closedOn: string;
  idempotencyKey: string;
}

/** What should be asked before `sale` is stored; empty when nothing (or when the check is off). */
export async function guardRailFindings(
  deps: Pick<Deps, 'db' | 'clock'>,
  workspace: Workspace,
  sale: GuardedSale,
): Promise<GuardRailFinding[]> {
  if (!workspace.guard_rails_enabled) return [];
  const now = deps.clock.now();
  const { timezone: tz, fiscal_year_start_month: fy } = workspace;
  const reads = await guardRailReads(deps.db, {
    ...sale,
    since: new Date(now.getTime() - DUPLICATE_WINDOW_MINUTES * 60_000),
    until: now,
    monthStart: periodAt('month', now, tz, fy).startDate,
    monthEnd: periodAt('month', now, tz, fy).endDate,
  });
  // A request already stored (a retry, a second click) is answered as a replay, not asked again.
  if (reads.replay) return [];
  const findings: GuardRailFinding[] = [];
  if (reads.same) {
    const minutesAgo = Math.floor((now.getTime() - reads.same.createdAt.getTime()) / 60_000);
    findings.push({ kind: 'duplicate', saleId: reads.same.id, loggedAt: reads.same.createdAt, minutesAgo });
  }
  const target = reads.monthTarget;
  if (target !== null && sale.amountMinor > target) {
    const yearAgo = dayjs.utc(localDate(now, tz)).subtract(1, 'year').format('YYYY-MM-DD');
    const largest = await largestSaleSince(deps.db, sale.teamId, sale.repId, yearAgo);
    if (isUnusuallyLarge(sale.amountMinor, largest, target))
      findings.push({ kind: 'large', largestLastYear: largest, monthTarget: target });
  }
  return findings;
}
