import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { SALE_MONTH, isWholeMonths, salesTeamMonthsQuery, stintHoldsMonth, totalsByRanges } from './sales.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface LeaderboardQuery {
  teamId: string;
  /** The period's local dates [from, to). */
  from: string;
  to: string;
  /**
   * Only the sales of this sales team: each rep's sales closed while they were a member. Every
   * rep who was a member during the period is listed (also with nothing yet).
   */
  salesTeamId?: bigint | undefined;
}

export interface LeaderboardRow {
  rep_id: string;
  amount: bigint;
  deals: bigint;
}

/**
 * Each rep's live total and count in the period: one query. Reps appear when they sold or
 * belong to the chosen sales team (their targets come from store/targets.ts).
 * A period of whole months (month, quarter, year) adds up the monthly rollup, one row per rep
 * and month; a week is an index-only range scan of sales_team_closed_on.
 */
export async function leaderboardRows(db: Db, q: LeaderboardQuery): Promise<LeaderboardRow[]> {
  if (q.salesTeamId !== undefined) return salesTeamLeaderboardRows(db, { ...q, salesTeamId: q.salesTeamId });
  const actuals = isOneMonth(q)
    ? sql`
      select rep_id, amount_minor as amount, deals
      from sales_monthly
      where team_id = ${q.teamId} and month = ${q.from} and deals > 0`
    : isWholeMonths(q)
      ? sql`
      select rep_id, sum(amount_minor)::int8 as amount, sum(deals)::int8 as deals
      from sales_monthly
      where team_id = ${q.teamId} and month >= ${q.from} and month < ${q.to}
      group by rep_id
      having sum(deals) > 0`
      : sql`
      select rep_id, sum(amount_minor)::int8 as amount, count(*)::int8 as deals
      from sales
      where team_id = ${q.teamId} and voided_at is null
        and closed_on >= ${q.from} and closed_on < ${q.to}
      group by rep_id`;
  const { rows } = await sql<LeaderboardRow>`${actuals}`.execute(db);
  return rows;
}

/**
 * A sales team's board: its members' sales closed while they were members (so a rep who moved
 * mid-period counts for each team for their days in it). A period of whole months reads the
 * monthly rollup (src/store/sales.ts salesTeamMonthsQuery); a week, the sales of each day.
 */
async function salesTeamLeaderboardRows(db: Db, q: LeaderboardQuery & { salesTeamId: bigint }): Promise<LeaderboardRow[]> {
  if (isWholeMonths(q)) {
    const { rows } = await sql<LeaderboardRow>`
      with actuals as (
        select key as rep_id, sum(amount)::int8 as amount, sum(deals)::int8 as deals
        from (${salesTeamMonthsQuery(q.teamId, q.salesTeamId, q.from, q.to, sql``, 'rep')}) team_reps
        group by key
      ),
      reps as (
        select distinct user_id as rep_id from sales_team_members
        where team_id = ${q.teamId} and sales_team_id = ${q.salesTeamId}
          and (valid_from is null or valid_from < ${q.to}) and (valid_to is null or valid_to > ${q.from})
      )
      select reps.rep_id, coalesce(a.amount, 0)::int8 as amount, coalesce(a.deals, 0)::int8 as deals
      from reps
      left join actuals a on a.rep_id = reps.rep_id`.execute(db);
    return rows;
  }
  const { rows } = await sql<LeaderboardRow>`
    with stints as (
      select user_id, valid_from, valid_to
      from sales_team_members
      where team_id = ${q.teamId} and sales_team_id = ${q.salesTeamId}
        and (valid_from is null or valid_from < ${q.to}) and (valid_to is null or valid_to > ${q.from})
    ),
    actuals as (
      select s.rep_id, sum(s.amount_minor)::int8 as amount, count(*)::int8 as deals
      from sales s
      join stints m on m.user_id = s.rep_id
        and (m.valid_from is null or m.valid_from <= s.closed_on) and (m.valid_to is null or m.valid_to > s.closed_on)
      where s.team_id = ${q.teamId} and s.voided_at is null
        and s.closed_on >= ${q.from} and s.closed_on < ${q.to}
      group by s.rep_id
    ),
    reps as (select distinct user_id as rep_id from stints)
    select reps.rep_id, coalesce(a.amount, 0)::int8 as amount, coalesce(a.deals, 0)::int8 as deals
    from reps
    left join actuals a on a.rep_id = reps.rep_id
  `.execute(db);
  return rows;
}

/** A range that is exactly one calendar month. */
function isOneMonth(range: { from: string; to: string }): boolean {
  if (!isWholeMonths(range)) return false;
  const [year, month] = range.from.split('-').map(Number) as [number, number];
  return range.to === (month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`);
}

export interface SubjectTotalsQuery {
  teamId: string;
  from: string;
  to: string;
  repIds?: readonly string[] | undefined;
  salesTeamId?: bigint | undefined;
  productId?: bigint | undefined;
}

/** Live total and count of sales in a date range, for the company, some reps, a sales team or a product. */
export async function salesTotal(db: Db, q: SubjectTotalsQuery): Promise<{ amount: bigint; deals: bigint }> {
  const [totals] = await totalsByRanges(db, { teamId: q.teamId, repIds: q.repIds, salesTeamId: q.salesTeamId, productId: q.productId }, [
    { from: q.from, to: q.to },
  ]);
  return { amount: totals!.amountMinor, deals: totals!.deals };
}

export interface ProductFiguresQuery {
  teamId: string;
  /** The last complete week, [weekFrom, weekTo), and the trailing weeks before it from trailingFrom. */
  weekFrom: string;
  weekTo: string;
  trailingFrom: string;
  /** The current month so far, [monthFrom, monthTo). */
  monthFrom: string;
  monthTo: string;
}

/** Per product, in one pass over the sales: last week, the trailing weeks before it, the month so far. */
export function productFigures(db: Db, q: ProductFiguresQuery) {
  const from = q.trailingFrom < q.monthFrom ? q.trailingFrom : q.monthFrom;
  const to = q.weekTo > q.monthTo ? q.weekTo : q.monthTo;
  return db
    .selectFrom('products as p')
    .leftJoin('sales as s', (join) =>
      join
        .onRef('s.product_id', '=', 'p.id')
        .on('s.team_id', '=', q.teamId)
        .on('s.voided_at', 'is', null)
        .on('s.closed_on', '>=', from)
        .on('s.closed_on', '<', to),
    )
    .select([
      'p.id',
      'p.name',
      sql<bigint>`coalesce(sum(s.amount_minor) filter (where s.closed_on >= ${q.weekFrom} and s.closed_on < ${q.weekTo}), 0)::int8`.as(
        'week',
      ),
      sql<bigint>`coalesce(sum(s.amount_minor) filter (where s.closed_on >= ${q.trailingFrom} and s.closed_on < ${q.weekFrom}), 0)::int8`.as(
        'trailing',
      ),
      sql<boolean>`count(s.id) filter (where s.closed_on >= ${q.trailingFrom} and s.closed_on < ${q.weekFrom}) > 0`.as('has_history'),
      sql<bigint>`coalesce(sum(s.amount_minor) filter (where s.closed_on >= ${q.monthFrom} and s.closed_on < ${q.monthTo}), 0)::int8`.as(
        'month',
      ),
    ])
    .where('p.team_id', '=', q.teamId)
    .groupBy(['p.id', 'p.name'])
    .orderBy('p.name')
    .execute();
}

/** Live sales per day in [from, to) for each sales team (its members' sales while members), in one query. */
export function dailyTotalsByTeam(db: Db, teamId: string, from: string, to: string, salesTeamIds: readonly bigint[]) {
  if (salesTeamIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('sales as s')
    .innerJoin('sales_team_members as m', (join) =>
      join
        .onRef('m.user_id', '=', 's.rep_id')
        .on('m.team_id', '=', teamId)
        .on((eb) => eb.or([eb('m.valid_from', 'is', null), eb('m.valid_from', '<=', eb.ref('s.closed_on'))]))
        .on((eb) => eb.or([eb('m.valid_to', 'is', null), eb('m.valid_to', '>', eb.ref('s.closed_on'))])),
    )
    .select(['m.sales_team_id', 's.closed_on', sql<bigint>`sum(s.amount_minor)::int8`.as('amount')])
    .where('s.team_id', '=', teamId)
    .where('s.voided_at', 'is', null)
    .where('s.closed_on', '>=', from)
    .where('s.closed_on', '<', to)
    .where('m.sales_team_id', 'in', salesTeamIds)
    .groupBy(['m.sales_team_id', 's.closed_on'])
    .orderBy('s.closed_on')
    .execute();
}

/** Live sales per day in [from, to) for the whole workspace. */
export function dailyTotals(db: Db, teamId: string, from: string, to: string) {
  return db
    .selectFrom('sales')
    .select(['closed_on', sql<bigint>`sum(amount_minor)::int8`.as('amount')])
    .where('team_id', '=', teamId)
    .where('voided_at', 'is', null)
    .where('closed_on', '>=', from)
    .where('closed_on', '<', to)
    .groupBy('closed_on')
    .orderBy('closed_on')
    .execute();
}

/**
 * Each sales team's live total and count of sales in [from, to): its members' sales closed
 * while they were members (as salesTotal for one team), every team in one query. Teams without
 * such sales are left out. Over whole months it reads the monthly rollup as salesTeamMonthsQuery
 * does: a member's month wholly inside their stint is their rollup row, and only the months a
 * stint begins or ends in part are added up from the sales of those days.
 */
export async function salesTotalsByTeam(
  db: Db,
  teamId: string,
  from: string,
  to: string,
): Promise<Array<{ sales_team_id: bigint; amount: bigint; deals: bigint }>> {
  const covers = sql`(m.valid_from is null or m.valid_from <= s.closed_on) and (m.valid_to is null or m.valid_to > s.closed_on)`;
  if (!isWholeMonths({ from, to })) {
    const { rows } = await sql<{ sales_team_id: bigint; amount: bigint; deals: bigint }>`
      select m.sales_team_id, sum(s.amount_minor)::int8 as amount, count(*)::int8 as deals
      from sales s
      join sales_team_members m on m.team_id = s.team_id and m.user_id = s.rep_id and ${covers}
      where s.team_id = ${teamId} and s.voided_at is null and s.closed_on >= ${from} and s.closed_on < ${to}
      group by m.sales_team_id
    `.execute(db);
    return rows;
  }
  const wholeMonth = stintHoldsMonth;
  const saleMonth = SALE_MONTH;
  const { rows } = await sql<{ sales_team_id: bigint; amount: bigint; deals: bigint }>`
    select x.sales_team_id, sum(x.amount)::int8 as amount, sum(x.deals)::int8 as deals
    from (
      select m.sales_team_id, r.amount_minor as amount, r.deals
      from sales_monthly r
      join sales_team_members m on m.team_id = r.team_id and m.user_id = r.rep_id and ${wholeMonth(sql`r.month`)}
      where r.team_id = ${teamId} and r.month >= ${from} and r.month < ${to}
      union all
      select m.sales_team_id, s.amount_minor as amount, 1 as deals
      from sales_team_members m
      join sales s on s.team_id = m.team_id and s.rep_id = m.user_id and s.voided_at is null
        and s.closed_on >= ${from} and s.closed_on < ${to} and ${covers} and not (${wholeMonth(saleMonth)})
      where m.team_id = ${teamId}
        and ((m.valid_from > ${from} and m.valid_from < ${to} and extract(day from m.valid_from) <> 1)
          or (m.valid_to > ${from} and m.valid_to < ${to} and extract(day from m.valid_to) <> 1))
    ) x
    group by x.sales_team_id
  `.execute(db);
  return rows;
}
