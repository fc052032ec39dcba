// The rules of /logsale for the rows of an import, asked once per kind of row: a file of
// thousands of sales repeats the same few dates, reps, currencies and products.
import type { SlackDirectory } from '../slack-directory.js';
import type { Workspace } from '../../db/schema.js';
import type { SaleDraft } from '../../domain/csv-import.js';
import { convert } from '../../domain/money.js';
import { type UserError, isUserError } from '../../errors.js';
import type { ServiceDeps } from '../deps.js';
import { checkSale } from '../sales.js';

type CheckedSale = Awaited<ReturnType<typeof checkSale>>;
type Remembered = { kind: 'error'; error: UserError } | { kind: 'ok'; result: CheckedSale; probe: bigint };

/**
 * Checks rows with checkSale, the rules every sale meets (date, locked period, who may log for
 * whom, product, currency and exchange rate). Its answer depends on the row's date, currency,
 * product and rep (the importer, or someone whose teams on that date decide), and on the amount only through the exchange
 * rate; so it is asked once per such combination and its answer is reused for the other rows,
 * with the amount converted at the rate it found. Whenever that reuse can't reproduce
 * checkSale's own answer exactly, the row is checked on its own.
 */
export class SaleRules {
  private readonly remembered = new Map<string, Remembered>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly client: SlackDirectory,
    private readonly workspace: Workspace,
    private readonly actorId: string,
  ) {}

  async check(draft: SaleDraft, repId: string): Promise<CheckedSale | UserError> {
    // Whether the importer may log for the rep depends on the rep's teams on the date.
    const key = JSON.stringify([
      draft.closedOn,
      repId === this.actorId ? '' : repId,
      draft.currency,
      draft.productName?.toLowerCase() ?? null,
    ]);
    const known = this.remembered.get(key);
    if (known?.kind === 'error') return known.error;
    if (known?.kind === 'ok') {
      const counted = rebase(known.result.counted, known.probe, draft.amountMinor);
      if (counted) return { ...known.result, repId, counted };
    }
    try {
      const result = await checkSale(this.deps, this.client, this.workspace, {
        teamId: this.workspace.team_id,
        actorId: this.actorId,
        repId,
        amountMinor: draft.amountMinor,
        currency: draft.currency,
        productName: draft.productName,
        closedOn: draft.closedOn,
      });
      if (!known) this.remembered.set(key, { kind: 'ok', result, probe: draft.amountMinor });
      return result;
    } catch (error) {
      if (!isUserError(error)) throw error;
      // An amount-specific refusal (too small once converted) says nothing about other rows.
      if (!known && error.field !== 'amount') this.remembered.set(key, { kind: 'error', error });
      return error;
    }
  }
}

/** The counted amount checkSale gave for `probe`, redone for `amount`; null when that can't be done exactly. */
function rebase(counted: CheckedSale['counted'], probe: bigint, amount: bigint): CheckedSale['counted'] | null {
  if (counted.original_amount_minor !== probe) return null;
  if (counted.fx_rate === null) {
    return counted.amount_minor === probe && counted.currency === counted.original_currency
      ? { ...counted, amount_minor: amount, original_amount_minor: amount }
      : null;
  }
  if (convert(probe, counted.original_currency, counted.currency, counted.fx_rate) !== counted.amount_minor) return null;
  const converted = convert(amount, counted.original_currency, counted.currency, counted.fx_rate);
  return converted > 0n ? { ...counted, amount_minor: converted, original_amount_minor: amount } : null;
}
