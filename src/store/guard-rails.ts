// The reads behind the guard rails (src/services/guard-rails.ts): one round trip for every sale,
// and a second only for an amount above the rep's month target.
import { sql, type Kysely, type Transaction } from 'kysely';
import { CompiledOnce } from '../db/compiled-once.js';
import type { Database } from '../db/schema.js';
import { rowInForce } from '../domain/target-in-force.js';
import { targetRowsQuery, type CandidateTarget } from './targets.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface GuardRailQuery {
  teamId: string;
  repId: string;
  idempotencyKey: string;
  originalAmountMinor: bigint;
  originalCurrency: string;
  customer: string | null;
  closedOn: string;
  /** Logged after this instant (and not after `until`) is "just logged". */
  since: Date;
  until: Date;
  /** The current month, [monthStart, monthEnd), whose rep revenue target is read. */
  monthStart: string;
  monthEnd: string;
}

export interface GuardRailReads {
  /** A sale with this idempotency key is stored already: the request is a replay. */
  replay: boolean;
  /** The latest live sale of the rep with the same amount, customer and close date logged in [since, until]. */
  same: { id: bigint; createdAt: Date } | null;
  /** The rep's revenue target for the current month, if any. */
  monthTarget: bigint | null;
}

type GuardRailValues = Omit<GuardRailQuery, 'customer'> & { customer: string };

interface GuardRailRow {
  replay: boolean;
  same_id: bigint | null;
  same_created_at: Date | null;
  month_targets: JsonTargetRow[] | string;
}

/** The guard rails' statement: its text is the same for every sale, compiled once. */
const guardRailStatements = new CompiledOnce<GuardRailValues, GuardRailRow>(1);

export async function guardRailReads(db: Db, query: GuardRailQuery): Promise<GuardRailReads> {
  const {
    rows: [row],
  } = await db.executeQuery(boundGuardRailStatement(db, query));
  const { same_id: sameId, same_created_at: sameAt } = row!;
  return {
    replay: Boolean(row!.replay),
    same: sameId !== null && sameAt !== null ? { id: BigInt(sameId), createdAt: new Date(sameAt) } : null,
    monthTarget: monthTargetOf(row!.month_targets, query.monthStart),
  };
}

/** The guard rails' statement with this sale's values bound. */
export function boundGuardRailStatement(db: Db, query: GuardRailQuery) {
  // The customer as the duplicate check compares it: trimmed, lower case, none as ''.
  const values: GuardRailValues = { ...query, customer: (query.customer ?? '').trim().toLowerCase() };
  return guardRailStatements.bind('', values, (slots) => guardRailStatement(db, slots).compile());
}

/** Every value of `q` goes in as a parameter only (see CompiledOnce). */
export function guardRailStatement(db: Db, q: GuardRailValues) {
  const sameSale = (column: 'id' | 'created_at') =>
    db
      .selectFrom('sales')
      .select(column)
      .where('team_id', '=', q.teamId)
      .where('rep_id', '=', q.repId)
      .where('voided_at', 'is', null)
      .where('original_amount_minor', '=', q.originalAmountMinor)
      .where('original_currency', '=', q.originalCurrency)
      .where('closed_on', '=', q.closedOn)
      .where(sql<boolean>`lower(btrim(coalesce(customer, ''))) = ${q.customer}`)
      .where('created_at', '>', q.since)
      .where('created_at', '<=', q.until)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1);
  // The rows that may be in force this month; which one is, the target rule decides below.
  const targets = targetRowsQuery(db, {
    teamId: q.teamId,
    subjectType: 'rep',
    subjectIds: [q.repId],
    metric: 'revenue',
    windows: [{ kind: 'month', from: q.monthStart, to: q.monthEnd }],
  }).as('t');
  return db
    .selectNoFrom((eb) => [
      eb
        .exists(eb.selectFrom('sales').select('id').where('team_id', '=', q.teamId).where('idempotency_key', '=', q.idempotencyKey))
        .as('replay'),
      sameSale('id').as('same_id'),
      sameSale('created_at').as('same_created_at'),
      eb
        .selectFrom(targets)
        .select(
          sql<string>`coalesce(json_agg(json_build_object('id', t.id::text, 'period_kind', t.period_kind, 'first_period_start', t.first_period_start, 'last_period_start', t.last_period_start, 'amount', t.amount::text)), '[]')`.as(
            'rows',
          ),
        )
        .as('month_targets'),
    ])
    .$castTo<GuardRailRow>();
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

type JsonTargetRow = Record<'id' | 'amount' | 'period_kind' | 'first_period_start' | 'last_period_start', string | null>;

/** The month's rep target from the candidate rows read as JSON (the rule: domain/target-in-force.ts). */
function monthTargetOf(json: JsonTargetRow[] | string, monthStart: string): bigint | null {
  const rows = (typeof json === 'string' ? (JSON.parse(json) as JsonTargetRow[]) : json).map((r) => ({
    id: BigInt(r.id!),
    amount: BigInt(r.amount!),
    period_kind: r.period_kind as CandidateTarget['period_kind'],
    first_period_start: r.first_period_start!,
    last_period_start: r.last_period_start,
  }));
  return rowInForce(rows, 'month', monthStart)?.amount ?? null;
}
