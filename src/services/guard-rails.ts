// Guard rails: before a sale is stored, a likely duplicate (the same rep, amount, customer and
// close date logged within the last 10 minutes: another date is another deal, e.g. a backfill) or an unusually large amount (above both 5x the rep's
// largest sale of the last year and their month target) is put to the person as a question.
// Nothing is stored until they confirm. A workspace can turn the check off in Settings.
import type { Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { dayjs } from '../domain/dayjs.js';
import { DUPLICATE_WINDOW_MINUTES, isUnusuallyLarge } from '../domain/guard-rails.js';
import { localDate, periodAt } from '../domain/periods.js';
import { largestSaleSince, latestSameSale, saleWithKeyExists } from '../store/guard-rails.js';
import { subjectTargetsAt } from '../store/targets.js';

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
export async function guardRailFindings(deps: Pick<Deps, 'db' | 'clock'>, workspace: Workspace, sale: GuardedSale): Promise<GuardRailFinding[]> {
  if (!workspace.guard_rails_enabled) return [];
  // A request already stored (a retry, a second click) is answered as a replay, not asked again.
  if (await saleWithKeyExists(deps.db, sale.teamId, sale.idempotencyKey)) return [];
  const now = deps.clock.now();
  const findings: GuardRailFinding[] = [];

  const window = DUPLICATE_WINDOW_MINUTES * 60_000;
  const same = await latestSameSale(deps.db, { ...sale, since: new Date(now.getTime() - window), until: now });
  if (same) {
    const minutesAgo = Math.floor((now.getTime() - same.created_at.getTime()) / 60_000);
    findings.push({ kind: 'duplicate', saleId: same.id, loggedAt: same.created_at, minutesAgo });
  }

  const { timezone: tz, fiscal_year_start_month: fy } = workspace;
  const month = periodAt('month', now, tz, fy);
  const [target] = (await subjectTargetsAt(deps.db, sale.teamId, 'rep', sale.repId, [{ kind: 'month', start: month.startDate }])).filter((t) => t.metric === 'revenue');
  if (target && sale.amountMinor > target.amount) {
    const yearAgo = dayjs.utc(localDate(now, tz)).subtract(1, 'year').format('YYYY-MM-DD');
    const largest = await largestSaleSince(deps.db, sale.teamId, sale.repId, yearAgo);
    if (isUnusuallyLarge(sale.amountMinor, largest, target.amount)) findings.push({ kind: 'large', largestLastYear: largest, monthTarget: target.amount });
  }
  return findings;
}
