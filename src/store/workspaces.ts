import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { PREPARED } from '../db/open.js';
import type { Database, Workspace, WorkspaceUpdate } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface WorkspaceDefaults {
  timezone: string;
  currency: string;
}

/** The workspace's settings, created with the defaults the first time a team is seen. */
export async function ensureWorkspace(db: Db, teamId: string, defaults: WorkspaceDefaults, now: Date): Promise<Workspace> {
  const existing = await findWorkspace(db, teamId);
  if (existing) return existing;
  await db
    .insertInto('workspaces')
    .values({ team_id: teamId, timezone: defaults.timezone, currency: defaults.currency, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('team_id').doNothing())
    .execute();
  return db.selectFrom('workspaces').selectAll().where('team_id', '=', teamId).executeTakeFirstOrThrow();
}

export function findWorkspace(db: Db, teamId: string): Promise<Workspace | undefined> {
  // Read on nearly every request, always by its key.
  return db.selectFrom('workspaces').modifyFront(PREPARED).selectAll().where('team_id', '=', teamId).executeTakeFirst();
}

/** The workspace's settings, locked until the transaction ends. */
export function lockWorkspace(trx: Transaction<Database>, teamId: string): Promise<Workspace> {
  return trx.selectFrom('workspaces').selectAll().where('team_id', '=', teamId).forUpdate().executeTakeFirstOrThrow();
}

export function updateWorkspace(db: Db, teamId: string, change: WorkspaceUpdate): Promise<Workspace> {
  return db.updateTable('workspaces').set(change).where('team_id', '=', teamId).returningAll().executeTakeFirstOrThrow();
}

/** How many sales the workspace has stored, voided ones included. */
export async function countSales(db: Db, teamId: string): Promise<bigint> {
  const { count } = await db
    .selectFrom('sales')
    .select(sql<bigint>`count(*)::int8`.as('count'))
    .where('team_id', '=', teamId)
    .executeTakeFirstOrThrow();
  return count;
}
