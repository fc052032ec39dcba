import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, NewSale, Sale, SaleUpdate } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface SaleWithProduct extends Sale {
  product_name: string | null;
}

/**
 * Inserts a sale unless one with the same idempotency key exists in the workspace.
 * Returns the stored sale and whether this call created it (a replay returns the original).
 */
export async function insertSale(db: Db, sale: NewSale): Promise<{ sale: Sale; created: boolean }> {
  const inserted = await db
    .insertInto('sales')
    .values(sale)
    .onConflict((oc) => oc.columns(['team_id', 'idempotency_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { sale: inserted, created: true };
  const existing = await db
    .selectFrom('sales')
    .selectAll()
    .where('team_id', '=', sale.team_id)
    .where('idempotency_key', '=', sale.idempotency_key)
    .executeTakeFirstOrThrow();
  return { sale: existing, created: false };
}

/** A workspace's sales with their product's name. */
function salesWithProduct(db: Db, teamId: string) {
  return db
    .selectFrom('sales')
    .leftJoin('products', 'products.id', 'sales.product_id')
    .selectAll('sales')
    .select('products.name as product_name')
    .where('sales.team_id', '=', teamId);
}

export function findSale(db: Db, teamId: string, saleId: bigint): Promise<SaleWithProduct | undefined> {
  return salesWithProduct(db, teamId).where('sales.id', '=', saleId).executeTakeFirst();
}

/** Locks the sale row for a change in this transaction. */
export function findSaleForUpdate(db: Transaction<Database>, teamId: string, saleId: bigint): Promise<Sale | undefined> {
  return db
    .selectFrom('sales')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', saleId)
    .forUpdate()
    .executeTakeFirst();
}

export function markSaleVoided(db: Db, teamId: string, saleId: bigint, by: string, reason: string): Promise<Sale> {
  return db
    .updateTable('sales')
    .set({ voided_at: new Date(), voided_by: by, void_reason: reason, updated_at: new Date() })
    .where('team_id', '=', teamId)
    .where('id', '=', saleId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface DateRange {
  /** First local date, inclusive. */
  from: string;
  /** Local date after the last, exclusive. */
  to: string;
}

export interface Totals {
  amountMinor: bigint;
  deals: bigint;
}

export interface TotalsScope {
  teamId: string;
  /** One rep, several reps (a sales team), one product, or (none of them) the whole workspace. */
  repId?: string | undefined;
  repIds?: readonly string[] | undefined;
  productId?: bigint | undefined;
}

/**
 * Live totals for several date ranges in one query: one range scan of sales_rep_closed_on for
 * a rep, of sales_team_closed_on otherwise, with a FILTER per range.
 */
export async function totalsByRanges(db: Db, scope: TotalsScope, ranges: readonly DateRange[]): Promise<Totals[]> {
  if (ranges.length === 0) return [];
  if (scope.repIds && scope.repIds.length === 0) return ranges.map(() => ({ amountMinor: 0n, deals: 0n }));
  const from = ranges.reduce((min, r) => (r.from < min ? r.from : min), ranges[0]!.from);
  const to = ranges.reduce((max, r) => (r.to > max ? r.to : max), ranges[0]!.to);
  let query = db
    .selectFrom('sales')
    .select(
      ranges.flatMap((range, i) => [
        sql<bigint>`coalesce(sum(amount_minor) filter (where closed_on >= ${range.from} and closed_on < ${range.to}), 0)::int8`.as(`amount_${i}`),
        sql<bigint>`count(*) filter (where closed_on >= ${range.from} and closed_on < ${range.to})::int8`.as(`deals_${i}`),
      ]),
    )
    .where('team_id', '=', scope.teamId)
    .where('voided_at', 'is', null)
    .where('closed_on', '>=', from)
    .where('closed_on', '<', to);
  if (scope.repId !== undefined) query = query.where('rep_id', '=', scope.repId);
  if (scope.repIds) query = query.where('rep_id', 'in', scope.repIds);
  if (scope.productId !== undefined) query = query.where('product_id', '=', scope.productId);
  const values = (await query.executeTakeFirstOrThrow()) as Record<string, bigint>;
  return ranges.map((_, i) => ({ amountMinor: values[`amount_${i}`] ?? 0n, deals: values[`deals_${i}`] ?? 0n }));
}

/** A rep's live totals for several date ranges, in one index-only scan. */
export function repTotals(db: Db, teamId: string, repId: string, ranges: readonly DateRange[]): Promise<Totals[]> {
  return totalsByRanges(db, { teamId, repId }, ranges);
}

export function recentSalesOfRep(db: Db, teamId: string, repId: string, limit: number): Promise<SaleWithProduct[]> {
  return salesWithProduct(db, teamId)
    .where('sales.rep_id', '=', repId)
    .where('sales.voided_at', 'is', null)
    .orderBy('sales.closed_on', 'desc')
    .orderBy('sales.id', 'desc')
    .limit(limit)
    .execute();
}

export function updateSale(db: Db, teamId: string, saleId: bigint, changes: SaleUpdate): Promise<Sale> {
  return db.updateTable('sales').set(changes).where('team_id', '=', teamId).where('id', '=', saleId).returningAll().executeTakeFirstOrThrow();
}
