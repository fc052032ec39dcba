// A rep's live totals for the current periods, in one query.
import type { Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { periodAt, type PeriodKind } from '../domain/periods.js';
import { repTotals } from '../store/sales.js';
import type { PeriodTotal } from '../slack/views/sale-messages.js';

const LABELS: Record<PeriodKind, string> = { week: 'This week', month: 'This month', quarter: 'This quarter', year: 'This year' };

export async function currentTotals(
  deps: Pick<Deps, 'db' | 'clock'>,
  workspace: Workspace,
  repId: string,
  kinds: readonly PeriodKind[] = ['week', 'month', 'quarter'],
): Promise<PeriodTotal[]> {
  const now = deps.clock.now();
  const periods = kinds.map((kind) => periodAt(kind, now, workspace.timezone, workspace.fiscal_year_start_month));
  const totals = await repTotals(
    deps.db,
    workspace.team_id,
    repId,
    periods.map((p) => ({ from: p.startDate, to: p.endDate })),
  );
  return periods.map((p, i) => ({ label: LABELS[p.kind], amountMinor: totals[i]!.amountMinor, deals: totals[i]!.deals }));
}
