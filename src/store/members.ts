import type { Kysely, Transaction } from 'kysely';
import { PREPARED } from '../db/open.js';
import type { Database, Role } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function findMemberRole(db: Db, teamId: string, userId: string): Promise<Role | undefined> {
  const row = await db
    .selectFrom('members')
    .modifyFront(PREPARED)
    .select('role')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role;
}

/** Sets a member's stored role; returns the role they had before (undefined when new). */
export async function upsertMemberRole(db: Db, teamId: string, userId: string, role: Role, now: Date): Promise<Role | undefined> {
  const before = await findMemberRole(db, teamId, userId);
  await db
    .insertInto('members')
    .values({ team_id: teamId, user_id: userId, role, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ role, updated_at: now }))
    .execute();
  return before;
}

export function listMembersWithRole(db: Db, teamId: string, role: Role) {
  return db
    .selectFrom('members')
    .select(['user_id', 'role'])
    .where('team_id', '=', teamId)
    .where('role', '=', role)
    .orderBy('user_id')
    .execute();
}
