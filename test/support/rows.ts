// Rows written straight into a test database, for property tests of the store's queries: a
// workspace, and a live sale as /logsale stores it (no product, no note, in USD).
import type { Kysely } from 'kysely';
import type { Database, NewSale } from '../../src/db/schema.js';

export async function insertWorkspaceRow(db: Kysely<Database>, teamId: string, at: Date): Promise<void> {
  await db.insertInto('workspaces').values({ team_id: teamId, timezone: 'UTC', currency: 'USD', created_at: at, updated_at: at }).execute();
}

/** A live sale as /logsale stores it (no product, no note, in USD). */
export function saleRow(sale: { teamId: string; rep: string; amount: bigint; closedOn: string; key: string; at: Date }): NewSale {
  return {
    team_id: sale.teamId,
    rep_id: sale.rep,
    amount_minor: sale.amount,
    currency: 'USD',
    original_amount_minor: sale.amount,
    original_currency: 'USD',
    fx_rate: null,
    closed_on: sale.closedOn,
    customer: null,
    product_id: null,
    note: null,
    source: 'command',
    idempotency_key: sale.key,
    voided_at: null,
    voided_by: null,
    void_reason: null,
    created_by: sale.rep,
    created_at: sale.at,
    updated_at: sale.at,
  };
}

export async function insertSaleRow(
  db: Kysely<Database>,
  sale: { teamId: string; rep: string; amount: bigint; closedOn: string; key: string; at: Date },
): Promise<void> {
  await db.insertInto('sales').values(saleRow(sale)).execute();
}
