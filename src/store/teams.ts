import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, SalesTeam } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export function insertSalesTeam(db: Db, teamId: string, name: string, channelId: string | null, createdBy: string, now: Date): Promise<SalesTeam | undefined> {
  return db
    .insertInto('sales_teams')
    .values({ team_id: teamId, name, channel_id: channelId, created_by: createdBy, created_at: now })
    .onConflict((oc) => oc.expression(sql`team_id, lower(name)`).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findSalesTeamByName(db: Db, teamId: string, name: string): Promise<SalesTeam | undefined> {
  return db
    .selectFrom('sales_teams')
    .selectAll()
    .where('team_id', '=', teamId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

export function findSalesTeam(db: Db, teamId: string, id: bigint): Promise<SalesTeam | undefined> {
  return db.selectFrom('sales_teams').selectAll().where('team_id', '=', teamId).where('id', '=', id).executeTakeFirst();
}

/** Every sales team with its members' user ids, by name. */
export async function listSalesTeams(db: Db, teamId: string): Promise<Array<SalesTeam & { member_ids: string[] }>> {
  const rows = await db
    .selectFrom('sales_teams as t')
    .leftJoin('sales_team_members as m', 'm.sales_team_id', 't.id')
    .selectAll('t')
    .select(sql<string[]>`coalesce(array_agg(m.user_id order by m.user_id) filter (where m.user_id is not null), '{}')`.as('member_ids'))
    .where('t.team_id', '=', teamId)
    .groupBy('t.id')
    .orderBy(sql`lower(t.name)`)
    .execute();
  return rows;
}

export async function addSalesTeamMembers(db: Db, teamId: string, salesTeamId: bigint, userIds: readonly string[], now: Date): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .insertInto('sales_team_members')
    .values(userIds.map((user_id) => ({ team_id: teamId, sales_team_id: salesTeamId, user_id, added_at: now })))
    .onConflict((oc) => oc.columns(['sales_team_id', 'user_id']).doNothing())
    .returning('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

export async function removeSalesTeamMembers(db: Db, teamId: string, salesTeamId: bigint, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .deleteFrom('sales_team_members')
    .where('team_id', '=', teamId)
    .where('sales_team_id', '=', salesTeamId)
    .where('user_id', 'in', userIds)
    .returning('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

export async function salesTeamMemberIds(db: Db, teamId: string, salesTeamId: bigint): Promise<string[]> {
  const rows = await db
    .selectFrom('sales_team_members')
    .select('user_id')
    .where('team_id', '=', teamId)
    .where('sales_team_id', '=', salesTeamId)
    .orderBy('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/** The channels of the sales teams a rep belongs to, for their celebrations. */
export async function teamChannelsOfRep(db: Db, teamId: string, repId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('sales_teams as t')
    .innerJoin('sales_team_members as m', 'm.sales_team_id', 't.id')
    .select('t.channel_id')
    .distinct()
    .where('t.team_id', '=', teamId)
    .where('m.user_id', '=', repId)
    .where('t.channel_id', 'is not', null)
    .execute();
  return rows.map((r) => r.channel_id!);
}
