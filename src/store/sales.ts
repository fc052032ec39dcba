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

/**
 * Inserts a sale and its `sale.logged` audit entry in one statement (atomic by itself, one round
 * trip instead of a transaction's four), unless a sale with the same idempotency key exists in
 * the workspace: then nothing is written and that sale is returned. The audit keeps the sale as
 * insertAudit keeps a row read in JavaScript: bigints as strings, times as ISO-8601 UTC.
 */
export async function insertSaleWithAudit(db: Db, sale: NewSale, actorId: string): Promise<{ sale: Sale; created: boolean }> {
  const insert = db
    .insertInto('sales')
    .values(sale)
    .onConflict((oc) => oc.columns(['team_id', 'idempotency_key']).doNothing())
    .returningAll();
  const iso = (column: string) => sql`to_char(${sql.ref(`inserted.${column}`)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const { rows } = await sql<Sale>`
    with inserted as (${insert}),
    audited as (
      insert into audit_log (team_id, actor_id, action, entity_type, entity_id, after)
      select team_id, ${actorId}, 'sale.logged', 'sale', id::text,
        to_jsonb(inserted) || jsonb_build_object(
          'id', id::text, 'amount_minor', amount_minor::text, 'original_amount_minor', original_amount_minor::text,
          'product_id', product_id::text, 'fx_rate', fx_rate::text,
          'created_at', ${iso('created_at')}, 'updated_at', ${iso('updated_at')}, 'voided_at', ${iso('voided_at')})
      from inserted
    )
    select * from inserted`.execute(db);
  if (rows[0]) return { sale: rows[0], created: true };
  return insertSale(db, sale);
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
 * Live totals for several date ranges in one round trip that returns a row per month and per
 * day, added up here. Whole months (every month, quarter and year) read the monthly rollup
 * `sales_monthly` (kept exact by a trigger on sales); other ranges (weeks) and product totals
 * sum the sales of each day, from one range scan of sales_rep_closed_on for a rep or
 * sales_team_closed_on otherwise. (Grouped rows cost less to plan and run than a FILTER per range.)
 */
export async function totalsByRanges(db: Db, scope: TotalsScope, ranges: readonly DateRange[]): Promise<Totals[]> {
  if (ranges.length === 0) return [];
  if (scope.repIds && scope.repIds.length === 0) return ranges.map(() => ({ amountMinor: 0n, deals: 0n }));
  const monthly = ranges.map((r) => scope.productId === undefined && isWholeMonths(r));
  const bounds = (wanted: boolean) => {
    const chosen = ranges.filter((_, i) => monthly[i] === wanted);
    if (chosen.length === 0) return undefined;
    return { from: chosen.reduce((min, r) => (r.from < min ? r.from : min), chosen[0]!.from), to: chosen.reduce((max, r) => (r.to > max ? r.to : max), chosen[0]!.to) };
  };
  const reps =
    scope.repId !== undefined ? sql`and rep_id = ${scope.repId}` : scope.repIds ? sql`and rep_id in (${sql.join(scope.repIds)})` : sql``;
  const parts = [];
  const months = bounds(true);
  if (months) {
    parts.push(sql`
      select true as monthly, month as day, sum(amount_minor)::int8 as amount, sum(deals)::int8 as deals
      from sales_monthly
      where team_id = ${scope.teamId} and month >= ${months.from} and month < ${months.to} ${reps}
      group by month`);
  }
  const days = bounds(false);
  if (days) {
    const product = scope.productId === undefined ? sql`` : sql`and product_id = ${scope.productId}`;
    parts.push(sql`
      select false as monthly, closed_on as day, sum(amount_minor)::int8 as amount, count(*)::int8 as deals
      from sales
      where team_id = ${scope.teamId} and voided_at is null and closed_on >= ${days.from} and closed_on < ${days.to} ${reps} ${product}
      group by closed_on`);
  }
  const { rows } = await sql<{ monthly: boolean; day: string; amount: bigint; deals: bigint }>`${sql.join(parts, sql` union all `)}`.execute(db);
  return ranges.map((range, i) => {
    const totals = { amountMinor: 0n, deals: 0n };
    for (const row of rows) {
      if (row.monthly === monthly[i] && row.day >= range.from && row.day < range.to) {
        totals.amountMinor += row.amount;
        totals.deals += row.deals;
      }
    }
    return totals;
  });
}

/** A range of whole calendar months: it starts and ends on the first of a month. */
export function isWholeMonths(range: DateRange): boolean {
  return range.from.endsWith('-01') && range.to.endsWith('-01');
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
