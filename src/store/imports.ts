import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Import, ImportKind, NewSale, NewTarget } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Rows per multi-row INSERT: 1,000 sales are about 15,000 parameters, well under PostgreSQL's 65,535. */
export const INSERT_BATCH = 1000;

export interface NewImport {
  teamId: string;
  kind: ImportKind;
  fileName: string;
  fileSha256: string;
  content: string | null;
  rowCount: number;
  requestKey: string | null;
  createdBy: string;
  createdAt: Date;
}

/** Records a checked file; undefined when the same request (request_key) already did. */
export function insertImport(db: Db, entry: NewImport): Promise<Import | undefined> {
  return db
    .insertInto('imports')
    .values({
      team_id: entry.teamId,
      kind: entry.kind,
      file_name: entry.fileName,
      file_sha256: entry.fileSha256,
      content: entry.content,
      row_count: entry.rowCount,
      request_key: entry.requestKey,
      created_by: entry.createdBy,
      created_at: entry.createdAt,
    })
    .onConflict((oc) => oc.columns(['team_id', 'request_key']).where('request_key', 'is not', null).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Forgets checked imports nobody committed since `before`, with their file text. */
export async function deleteUncommittedImports(db: Db, teamId: string, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('imports')
    .where('team_id', '=', teamId)
    .where('status', '=', 'checked')
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function findImport(db: Db, teamId: string, id: bigint): Promise<Import | undefined> {
  return db.selectFrom('imports').selectAll().where('team_id', '=', teamId).where('id', '=', id).executeTakeFirst();
}

export function findImportByRequestKey(db: Db, teamId: string, requestKey: string): Promise<Import | undefined> {
  return db.selectFrom('imports').selectAll().where('team_id', '=', teamId).where('request_key', '=', requestKey).executeTakeFirst();
}

/** Locks a checked import for its commit; undefined once it is committed (a second click waits here, then finds nothing). */
export function lockCheckedImport(db: Transaction<Database>, teamId: string, id: bigint): Promise<Import | undefined> {
  return db
    .selectFrom('imports')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .where('status', '=', 'checked')
    .forUpdate()
    .executeTakeFirst();
}

export async function markImportCommitted(
  db: Db,
  teamId: string,
  id: bigint,
  by: string,
  counts: { added: number; existing: number },
  at: Date,
): Promise<Import> {
  return db
    .updateTable('imports')
    .set({
      status: 'committed',
      committed_by: by,
      committed_at: at,
      content: null,
      added_count: counts.added,
      existing_count: counts.existing,
    })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Which of these idempotency keys the workspace's sales already hold. */
export async function existingSaleKeys(db: Db, teamId: string, keys: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += INSERT_BATCH) {
    const batch = keys.slice(i, i + INSERT_BATCH);
    const rows = await db
      .selectFrom('sales')
      .select('idempotency_key')
      .where('team_id', '=', teamId)
      .where('idempotency_key', 'in', batch)
      .execute();
    for (const row of rows) found.add(row.idempotency_key);
  }
  return found;
}

/**
 * Inserts sales in multi-row batches; a key the workspace already has is skipped
 * (ON CONFLICT DO NOTHING). Returns how many were added and their total. Call it in a transaction.
 */
export async function insertSalesSkippingExisting(db: Db, sales: readonly NewSale[]): Promise<{ added: number; amountMinor: bigint }> {
  let added = 0;
  let amountMinor = 0n;
  for (let i = 0; i < sales.length; i += INSERT_BATCH) {
    const rows = await db
      .insertInto('sales')
      .values(sales.slice(i, i + INSERT_BATCH))
      .onConflict((oc) => oc.columns(['team_id', 'idempotency_key']).doNothing())
      .returning('amount_minor')
      .execute();
    added += rows.length;
    for (const row of rows) amountMinor += row.amount_minor;
  }
  return { added, amountMinor };
}

export async function insertTargetsInBatches(db: Db, targets: readonly NewTarget[]): Promise<number> {
  for (let i = 0; i < targets.length; i += INSERT_BATCH) {
    await db
      .insertInto('targets')
      .values(targets.slice(i, i + INSERT_BATCH))
      .execute();
  }
  return targets.length;
}

/** The workspace's locked_through, read with a share lock: no one changes it until the transaction ends. */
export async function lockedThroughForShare(db: Transaction<Database>, teamId: string): Promise<string | null> {
  const row = await db.selectFrom('workspaces').select('locked_through').where('team_id', '=', teamId).forShare().executeTakeFirstOrThrow();
  return row.locked_through;
}

/** Every sale (voided ones too) that closed in [from, to), oldest first, with its product's name. */
export function salesForExport(db: Db, teamId: string, from: string, to: string) {
  return db
    .selectFrom('sales')
    .leftJoin('products', 'products.id', 'sales.product_id')
    .select([
      'sales.id',
      'sales.closed_on',
      'sales.rep_id',
      'sales.amount_minor',
      'sales.currency',
      'sales.original_amount_minor',
      'sales.original_currency',
      'sales.fx_rate',
      'sales.customer',
      'products.name as product_name',
      'sales.note',
      'sales.source',
      'sales.created_by',
      'sales.created_at',
      'sales.voided_at',
      // The teams the sale counts for: its rep's on its close date.
      sql<string[]>`array(
        select t.name from sales_team_members m join sales_teams t on t.id = m.sales_team_id
        where m.team_id = sales.team_id and m.user_id = sales.rep_id
          and (m.valid_from is null or m.valid_from <= sales.closed_on) and (m.valid_to is null or m.valid_to > sales.closed_on)
        order by lower(t.name))`.as('teams'),
    ])
    .where('sales.team_id', '=', teamId)
    .where('sales.closed_on', '>=', from)
    .where('sales.closed_on', '<', to)
    .orderBy('sales.closed_on')
    .orderBy('sales.id')
    .execute();
}
