// The reads behind the guard rails (src/domain/guard-rails.ts).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export function saleWithKeyExists(db: Db, teamId: string, idempotencyKey: string): Promise<boolean> {
  return db
    .selectFrom('sales')
    .select('id')
    .where('team_id', '=', teamId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst()
    .then((row) => row !== undefined);
}

export interface SameSaleQuery {
  teamId: string;
  repId: string;
  originalAmountMinor: bigint;
  originalCurrency: string;
  customer: string | null;
  closedOn: string;
  /** Logged after this instant (and not after `until`). */
  since: Date;
  until: Date;
}

/** The latest live sale of the rep with the same amount, customer and close date logged in [since, until]. */
export function latestSameSale(db: Db, query: SameSaleQuery) {
  return db
    .selectFrom('sales')
    .select(['id', 'created_at', 'closed_on', 'customer'])
    .where('team_id', '=', query.teamId)
    .where('rep_id', '=', query.repId)
    .where('voided_at', 'is', null)
    .where('original_amount_minor', '=', query.originalAmountMinor)
    .where('original_currency', '=', query.originalCurrency)
    .where('closed_on', '=', query.closedOn)
    .where(sql<boolean>`lower(btrim(coalesce(customer, ''))) = ${(query.customer ?? '').trim().toLowerCase()}`)
    .where('created_at', '>', query.since)
    .where('created_at', '<=', query.until)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The rep's largest live sale closed on or after `from` (a local date), or null. */
export async function largestSaleSince(db: Db, teamId: string, repId: string, from: string): Promise<bigint | null> {
  const row = await db
    .selectFrom('sales')
    .select(sql<bigint | null>`max(amount_minor)::int8`.as('largest'))
    .where('team_id', '=', teamId)
    .where('rep_id', '=', repId)
    .where('voided_at', 'is', null)
    .where('closed_on', '>=', from)
    .executeTakeFirst();
  return row?.largest ?? null;
}
