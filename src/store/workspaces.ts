import type { Kysely, Transaction } from 'kysely';
import { PREPARED } from '../db/open.js';
import type { Database, Workspace } from '../db/schema.js';

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
