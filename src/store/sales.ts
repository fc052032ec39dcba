import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { CompiledOnce } from '../db/compiled-once.js';
import { PREPARED } from '../db/open.js';
import type { Database, NewSale, Sale, SaleUpdate } from '../db/schema.js';
import { recordedMilestonesQuery, type PeriodStart, type RecordedMilestone } from './celebrations.js';
import { targetRowsQuery, type CandidateTarget, type TargetWindow } from './targets.js';

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

/** What the statement that logs a sale reads besides: the rep's progress, and the settings' version. */
export interface SaleProgressReads {
  /** The version of the workspace settings the sale was checked against: changed, nothing is stored. */
  workspaceVersion: number;
  /** The windows of the rep's stored targets that are read. */
  targetWindows: readonly TargetWindow[];
  /** The date ranges whose rep totals are read (with the sale in them). */
  ranges: readonly DateRange[];
  /** The periods whose recorded milestones of the rep are read. */
  milestonePeriods: readonly PeriodStart[];
}

/** What the statement that logs a sale saw of the rep's milestones (docs/rules.md#celebrations). */
export interface MilestonesSeen {
  /**
   * No other change of the rep's sales was committed between the statement's snapshot and the
   * moment it locked the rep's version row: the totals it read are everything before the sale.
   * False when no sale was stored.
   */
  complete: boolean;
  /** The rep's milestones already recorded in the periods read. */
  recorded: RecordedMilestone[];
}

export type SaleWithProgress =
  | { status: 'workspace changed' }
  | { status: 'saved'; sale: Sale; created: boolean; targets: CandidateTarget[]; totals: Totals[]; milestones: MilestonesSeen };

interface SaleWithProgressRow extends Partial<Sale> {
  workspace_version: number | null;
  targets: Array<Omit<CandidateTarget, 'amount' | 'id'> & { amount: string; id: string }>;
  totals: Array<{ source: TotalsSource; day: string; amount: string; deals: string }>;
  milestones_complete: boolean | null;
  recorded: RecordedMilestone[];
  /** Null when no sale came back: the same key was being inserted by another request. */
  created: boolean | null;
}

/**
 * Logs a sale in one statement, one round trip: inserts it with its `sale.logged` audit entry
 * unless a sale with the same idempotency key exists in the workspace (then that sale comes
 * back, nothing written), and reads the rep's targets and totals for the confirmation. Nothing
 * is stored when the workspace settings are no longer the version the sale was checked against.
 *
 * The reads see the database as it was when the statement began, so the totals add the sale
 * this call stored. The audit keeps the sale as insertAudit keeps a row read in JavaScript:
 * bigints as strings, times as ISO-8601 UTC.
 */
export async function insertSaleReadingProgress(
  db: Db,
  sale: NewSale,
  actorId: string,
  reads: SaleProgressReads,
  attempt = 1,
): Promise<SaleWithProgress> {
  const { rows } = await db.executeQuery(boundSaleStatement(db, sale, actorId, reads));
  const row = rows[0]!;
  if (row.workspace_version !== reads.workspaceVersion) return { status: 'workspace changed' };
  const { workspace_version: _, targets: targetRows, totals: totalRows, created, milestones_complete: complete, recorded, ...stored } = row;
  const read = {
    milestones: { complete: complete === true, recorded },
    targets: targetRows.map((t) => ({ ...t, id: BigInt(t.id), amount: BigInt(t.amount) })),
    totals: foldTotals(
      { teamId: sale.team_id, repId: sale.rep_id },
      reads.ranges,
      totalRows.map((t) => ({ ...t, amount: BigInt(t.amount), deals: BigInt(t.deals) })),
    ),
  };
  // Found: a replay, already counted in what was read. Created: counted here.
  if (created === false) return { status: 'saved', sale: stored as Sale, created: false, ...read };
  if (created === true)
    return { status: 'saved', sale: stored as Sale, created: true, ...read, totals: withSale(reads.ranges, read.totals, stored as Sale) };
  // Neither: another request was inserting the same key when this statement began, and has
  // finished since (committed: its sale comes back; rolled back: this one is stored, audited).
  if (attempt >= 3) throw new Error(`sale ${sale.idempotency_key} was neither stored nor found`);
  return insertSaleReadingProgress(db, sale, actorId, reads, attempt + 1);
}

type SaleStatementValues = Partial<Record<keyof NewSale, unknown>> & { '#actor': string; '#version': number };

const saleStatements = new CompiledOnce<SaleStatementValues, SaleWithProgressRow>();

/**
 * The sale's statement with this sale's values bound, compiled once per shape: the sale's
 * columns, and the periods read (the same all day in a workspace's timezone and fiscal year).
 */
export function boundSaleStatement(db: Db, sale: NewSale, actorId: string, reads: SaleProgressReads) {
  const columns = (Object.keys(sale) as Array<keyof NewSale>).filter((column) => sale[column] !== undefined);
  const values: SaleStatementValues = { '#actor': actorId, '#version': reads.workspaceVersion };
  for (const column of columns) values[column] = sale[column];
  const shape = [
    columns.join(),
    reads.targetWindows.map((w) => `${w.kind} ${w.from} ${w.to}`).join(),
    reads.ranges.map((r) => `${r.from} ${r.to}`).join(),
    reads.milestonePeriods.map((p) => `${p.kind} ${p.start}`).join(),
  ].join('|');
  return saleStatements.bind(shape, values, (slots) => {
    const { '#actor': actor, '#version': version, ...slotted } = slots;
    return saleStatement(db, slotted as NewSale, actor, { ...reads, workspaceVersion: version }).compile(db);
  });
}

/** The one statement of insertSaleReadingProgress (see boundSaleStatement). */
export function saleStatement(db: Db, sale: NewSale, actorId: string, reads: SaleProgressReads) {
  const columns = (Object.keys(sale) as Array<keyof NewSale>).filter((column) => sale[column] !== undefined);
  const insert = db
    .insertInto('sales')
    .columns(columns)
    .expression(
      db
        .selectNoFrom((eb) => columns.map((column) => eb.val(sale[column]).as(column)))
        .where(sql<boolean>`exists (select from current_workspace where version = ${reads.workspaceVersion})`),
    )
    .onConflict((oc) => oc.columns(['team_id', 'idempotency_key']).doNothing())
    .returningAll();
  const targets = targetRowsQuery(db, {
    teamId: sale.team_id,
    subjectType: 'rep',
    subjectIds: [sale.rep_id],
    windows: reads.targetWindows,
  });
  const totals =
    totalsRowsQuery({ teamId: sale.team_id, repId: sale.rep_id }, reads.ranges) ??
    sql`select null::text as source, null::date as day, 0::int8 as amount, 0::int8 as deals where false`;
  const iso = (column: string) => sql`to_char(${sql.ref(`inserted.${column}`)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return sql<SaleWithProgressRow>`${PREPARED}
    with current_workspace as (select version from workspaces where team_id = ${sale.team_id}),
    inserted as (${insert}),
    audited as (
      insert into audit_log (team_id, actor_id, action, entity_type, entity_id, at, after)
      select team_id, ${actorId}, 'sale.logged', 'sale', id::text, created_at,
        to_jsonb(inserted) || jsonb_build_object(
          'id', id::text, 'amount_minor', amount_minor::text, 'original_amount_minor', original_amount_minor::text,
          'product_id', product_id::text, 'fx_rate', fx_rate::text,
          'created_at', ${iso('created_at')}, 'updated_at', ${iso('updated_at')}, 'voided_at', ${iso('voided_at')})
      from inserted
    ),
    saved as (
      select true as created, * from inserted
      union all
      -- A replay's sale, looked up only when nothing was inserted (a one-time filter: a new sale skips the lookup).
      select false, * from sales where team_id = ${sale.team_id} and idempotency_key = ${sale.idempotency_key} and not exists (select from inserted)
    ),
    rep_targets as (${targets}),
    rep_totals as (${totals}),
    -- The rep's version row, locked until the sale commits: its newest version (a writer still at
    -- work is waited for) against the one this statement's snapshot holds tells whether another
    -- change of the rep's sales was committed in between (migration 0015).
    version_seen as (select version from sales_rep_versions where team_id = ${sale.team_id} and rep_id = ${sale.rep_id}),
    version_locked as (
      insert into sales_rep_versions as v (team_id, rep_id, version)
      select ${sale.team_id}, ${sale.rep_id}, 0 where exists (select from inserted)
      on conflict (team_id, rep_id) do update set version = v.version
      returning version
    ),
    rep_milestones as (${recordedMilestonesQuery(db, sale.team_id, sale.rep_id, reads.milestonePeriods)})
    select
      (select version from current_workspace) as workspace_version,
      (select version from version_locked) = coalesce((select version from version_seen), 0) as milestones_complete,
      (select coalesce(json_agg(json_build_object(
        'metric', metric, 'period_kind', period_kind, 'period_start', period_start, 'milestone', milestone)), '[]') from rep_milestones) as recorded,
      (select coalesce(json_agg(json_build_object(
        'id', id::text, 'subject_id', subject_id, 'metric', metric, 'period_kind', period_kind, 'amount', amount::text,
        'first_period_start', first_period_start, 'last_period_start', last_period_start)), '[]') from rep_targets) as targets,
      (select coalesce(json_agg(json_build_object('source', source, 'day', day, 'amount', amount::text, 'deals', deals::text)), '[]') from rep_totals) as totals,
      saved.*
    from (select) as one left join saved on true`;
}

/** Totals with one more sale counted in the ranges holding its close date. */
function withSale(ranges: readonly DateRange[], totals: readonly Totals[], sale: Sale): Totals[] {
  return totals.map((total, i) => {
    const range = ranges[i]!;
    if (sale.voided_at !== null || sale.closed_on < range.from || sale.closed_on >= range.to) return total;
    return { amountMinor: total.amountMinor + sale.amount_minor, deals: total.deals + 1n };
  });
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
  return db.selectFrom('sales').selectAll().where('team_id', '=', teamId).where('id', '=', saleId).forUpdate().executeTakeFirst();
}

export function markSaleVoided(db: Db, teamId: string, saleId: bigint, by: string, reason: string, at: Date): Promise<Sale> {
  return db
    .updateTable('sales')
    .set({ voided_at: at, voided_by: by, void_reason: reason, updated_at: at })
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
  /** One rep, several reps, one product, or (none of them) the whole workspace. */
  repId?: string | undefined;
  repIds?: readonly string[] | undefined;
  /** A sales team: its reps' sales closed while they were members. */
  salesTeamId?: bigint | undefined;
  productId?: bigint | undefined;
}

/** Where a row of totals comes from: the monthly or the weekly rollup, or the sales of one day. */
type TotalsSource = 'month' | 'week' | 'day';

interface TotalsRow {
  source: TotalsSource;
  day: string;
  amount: bigint;
  deals: bigint;
}

/**
 * Live totals for several date ranges in one round trip that returns a row per month, week and
 * day, added up here. Whole months (every month, quarter and year) read the monthly rollup
 * `sales_monthly`, whole ISO weeks of reps or of the workspace the weekly rollup `sales_weekly`
 * (both kept exact by triggers on sales), so their cost does not grow with the sales in them;
 * other ranges, product totals and a sales team's weeks sum the sales of each day, from one range
 * scan of sales_rep_closed_on for a rep or sales_team_closed_on otherwise. (Grouped rows cost
 * less to plan and run than a FILTER per range.)
 */
export async function totalsByRanges(db: Db, scope: TotalsScope, ranges: readonly DateRange[]): Promise<Totals[]> {
  const query = totalsRowsQuery(scope, ranges);
  if (!query) return ranges.map(() => ({ amountMinor: 0n, deals: 0n }));
  const { rows } = await query.execute(db);
  return foldTotals(scope, ranges, rows);
}

/** Where a range's totals are read: the monthly rollup, the weekly rollup, or the sales of each day. */
function sourceOf(scope: TotalsScope, range: DateRange): TotalsSource {
  if (scope.productId !== undefined) return 'day';
  if (isWholeMonths(range)) return 'month';
  // The weekly rollup holds reps' weeks; a sales team's weeks follow its members' stints by day.
  return scope.salesTeamId === undefined && isWholeWeeks(range) ? 'week' : 'day';
}

/** The stint `m` covers the whole calendar month that begins on `month`. */
export function stintHoldsMonth(month: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(m.valid_from is null or m.valid_from <= ${month}) and (m.valid_to is null or m.valid_to >= (${month} + interval '1 month')::date)`;
}

/** The first day of the month of the sale `s`. */
export const SALE_MONTH = sql`date_trunc('month', s.closed_on)::date`;

/**
 * A sales team's totals per month in [from, to), from the monthly rollup: a member's month
 * wholly inside one of their stints in the team is their rollup row; the sales of a month a
 * stint covers only in part (a rep who joined or left mid-month) are added up from those days.
 * So the work grows with the team and the months, not with the sales, and equals adding up
 * each sale closed while its rep was a member.
 */
export function salesTeamMonthsQuery(
  teamId: string,
  salesTeamId: bigint,
  from: string,
  to: string,
  reps: RawBuilder<unknown>,
  groupBy: 'month' | 'rep',
) {
  const stints = sql`(
    select user_id, valid_from, valid_to from sales_team_members
    where team_id = ${teamId} and sales_team_id = ${salesTeamId}
      and (valid_from is null or valid_from < ${to}) and (valid_to is null or valid_to > ${from}))`;
  // Stints that begin or end inside the range, not on the first of a month.
  const edgeStints = sql`(
    select user_id, valid_from, valid_to from sales_team_members
    where team_id = ${teamId} and sales_team_id = ${salesTeamId}
      and ((valid_from > ${from} and valid_from < ${to} and extract(day from valid_from) <> 1)
        or (valid_to > ${from} and valid_to < ${to} and extract(day from valid_to) <> 1)))`;
  const wholeMonth = stintHoldsMonth;
  const saleMonth = SALE_MONTH;
  const [key, partKey] = groupBy === 'month' ? [sql`r.month`, saleMonth] : [sql`r.rep_id`, sql`s.rep_id`];
  return sql<{ key: string; amount: bigint; deals: bigint }>`
    select ${key} as key, sum(r.amount_minor)::int8 as amount, sum(r.deals)::int8 as deals
    from sales_monthly r
    join ${stints} m on m.user_id = r.rep_id and ${wholeMonth(sql`r.month`)}
    where r.team_id = ${teamId} and r.month >= ${from} and r.month < ${to} ${reps}
    group by 1
    union all
    select ${partKey} as key, sum(s.amount_minor)::int8 as amount, count(*)::int8 as deals
    from ${edgeStints} m
    join sales s on s.team_id = ${teamId} and s.rep_id = m.user_id and s.voided_at is null
      and s.closed_on >= ${from} and s.closed_on < ${to}
      and (m.valid_from is null or m.valid_from <= s.closed_on) and (m.valid_to is null or m.valid_to > s.closed_on)
      and not (${wholeMonth(saleMonth)})
    where true ${reps}
    group by 1`;
}

/** The rows totalsByRanges adds up; undefined when there is nothing to read. */
function totalsRowsQuery(scope: TotalsScope, ranges: readonly DateRange[]) {
  if (ranges.length === 0 || (scope.repIds && scope.repIds.length === 0)) return undefined;
  const bounds = (wanted: TotalsSource) => {
    const chosen = ranges.filter((range) => sourceOf(scope, range) === wanted);
    if (chosen.length === 0) return undefined;
    return {
      from: chosen.reduce((min, r) => (r.from < min ? r.from : min), chosen[0]!.from),
      to: chosen.reduce((max, r) => (r.to > max ? r.to : max), chosen[0]!.to),
    };
  };
  const reps =
    scope.repId !== undefined ? sql`and rep_id = ${scope.repId}` : scope.repIds ? sql`and rep_id in (${sql.join(scope.repIds)})` : sql``;
  const parts = [];
  // A rollup's rows in the range: sales_monthly by month, sales_weekly by week.
  const rollup = (source: 'month' | 'week', range: DateRange) => {
    const [table, key] = source === 'month' ? ['sales_monthly', 'month'] : ['sales_weekly', 'week'];
    return sql`
      select ${sql.lit(source)} as source, ${sql.ref(key)} as day, sum(amount_minor)::int8 as amount, sum(deals)::int8 as deals
      from ${sql.table(table)}
      where team_id = ${scope.teamId} and ${sql.ref(key)} >= ${range.from} and ${sql.ref(key)} < ${range.to} ${reps}
      group by ${sql.ref(key)}`;
  };
  const months = bounds('month');
  if (months && scope.salesTeamId !== undefined) {
    const teamReps =
      scope.repId !== undefined
        ? sql`and m.user_id = ${scope.repId}`
        : scope.repIds
          ? sql`and m.user_id in (${sql.join(scope.repIds)})`
          : sql``;
    parts.push(sql`
      select 'month' as source, key as day, amount, deals
      from (${salesTeamMonthsQuery(scope.teamId, scope.salesTeamId, months.from, months.to, teamReps, 'month')}) team_months`);
  } else if (months) {
    parts.push(rollup('month', months));
  }
  const weeks = bounds('week');
  if (weeks) parts.push(rollup('week', weeks));
  const days = bounds('day');
  if (days) {
    const product = scope.productId === undefined ? sql`` : sql`and product_id = ${scope.productId}`;
    // A sales team's sales: each joined to the member's stint that covers its close date.
    const salesTeam =
      scope.salesTeamId === undefined
        ? sql``
        : sql`and exists (
            select from sales_team_members m
            where m.team_id = ${scope.teamId} and m.sales_team_id = ${scope.salesTeamId} and m.user_id = sales.rep_id
              and (m.valid_from is null or m.valid_from <= sales.closed_on) and (m.valid_to is null or m.valid_to > sales.closed_on))`;
    parts.push(sql`
      select 'day' as source, closed_on as day, sum(amount_minor)::int8 as amount, count(*)::int8 as deals
      from sales
      where team_id = ${scope.teamId} and voided_at is null and closed_on >= ${days.from} and closed_on < ${days.to} ${reps} ${product} ${salesTeam}
      group by closed_on`);
  }
  return sql<TotalsRow>`${sql.join(parts, sql` union all `)}`;
}

function foldTotals(scope: TotalsScope, ranges: readonly DateRange[], rows: readonly TotalsRow[]): Totals[] {
  return ranges.map((range) => {
    const source = sourceOf(scope, range);
    const totals = { amountMinor: 0n, deals: 0n };
    for (const row of rows) {
      if (row.source === source && row.day >= range.from && row.day < range.to) {
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

/** A range of whole ISO weeks: it starts and ends on a Monday. */
export function isWholeWeeks(range: DateRange): boolean {
  const monday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay() === 1;
  return monday(range.from) && monday(range.to);
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
  return db
    .updateTable('sales')
    .set(changes)
    .where('team_id', '=', teamId)
    .where('id', '=', saleId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
