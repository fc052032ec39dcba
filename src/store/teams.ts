import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, SalesTeam } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export function insertSalesTeam(
  db: Db,
  teamId: string,
  name: string,
  channelId: string | null,
  createdBy: string,
  now: Date,
): Promise<SalesTeam | undefined> {
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

/** Every sales team, by name. */
export function salesTeamsByName(db: Db, teamId: string): Promise<SalesTeam[]> {
  return db.selectFrom('sales_teams').selectAll().where('team_id', '=', teamId).orderBy(sql`lower(name)`).execute();
}

/** Rows of a stint table in force on a local date (membership or management). */
export function inForceOn(date: string, alias = '') {
  const col = (name: string) => sql.ref(alias ? `${alias}.${name}` : name);
  return sql<boolean>`(${col('valid_from')} is null or ${col('valid_from')} <= ${date}) and (${col('valid_to')} is null or ${col('valid_to')} > ${date})`;
}

export interface DatedPerson {
  userId: string;
  /** The stint in force on the day asked about, or the next one: null ends are open. */
  from: string | null;
  to: string | null;
}

export type SalesTeamWithPeople = SalesTeam & { member_ids: string[]; members: DatedPerson[]; managers: DatedPerson[] };

/**
 * Every sales team by name, with its members on `date` (member_ids), and its members and
 * managers with the dates of the stint in force on `date` or starting after it.
 */
export async function listSalesTeams(db: Db, teamId: string, date: string): Promise<SalesTeamWithPeople[]> {
  const [teams, members, managers] = await Promise.all([
    salesTeamsByName(db, teamId),
    datedPeople(db, 'sales_team_members', teamId, date),
    datedPeople(db, 'sales_team_managers', teamId, date),
  ]);
  const of = (people: ReadonlyArray<DatedPerson & { salesTeamId: bigint }>, id: bigint) =>
    people.filter((p) => p.salesTeamId === id).map(({ userId, from, to }) => ({ userId, from, to }));
  return teams.map((team) => {
    const teamMembers = of(members, team.id);
    return {
      ...team,
      member_ids: teamMembers.filter((m) => (m.from === null || m.from <= date) && (m.to === null || m.to > date)).map((m) => m.userId),
      members: teamMembers,
      managers: of(managers, team.id),
    };
  });
}

/** Per team and person, the stint in force on `date` or the next one after it. */
async function datedPeople(db: Db, table: 'sales_team_members' | 'sales_team_managers', teamId: string, date: string) {
  const rows = await db
    .selectFrom(table)
    .select(['sales_team_id', 'user_id', 'valid_from', 'valid_to'])
    .distinctOn(['sales_team_id', 'user_id'])
    .where('team_id', '=', teamId)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', date)]))
    .orderBy('sales_team_id')
    .orderBy('user_id')
    .orderBy(sql`valid_from nulls first`)
    .execute();
  return rows.map((r) => ({ salesTeamId: r.sales_team_id, userId: r.user_id, from: r.valid_from, to: r.valid_to }));
}

/** A person's stints in a sales team (as a member or as a manager), locked for a change. */
export async function stintsOf(
  db: Transaction<Database>,
  table: 'sales_team_members' | 'sales_team_managers',
  salesTeamId: bigint,
  userId: string,
) {
  const rows = await db
    .selectFrom(table)
    .select(['valid_from', 'valid_to'])
    .where('sales_team_id', '=', salesTeamId)
    .where('user_id', '=', userId)
    .forUpdate()
    .execute();
  return rows.map((r) => ({ from: r.valid_from, to: r.valid_to }));
}

/** Replaces a person's stints in a sales team. */
export async function replaceStints(
  db: Transaction<Database>,
  table: 'sales_team_members' | 'sales_team_managers',
  key: { teamId: string; salesTeamId: bigint; userId: string; at: Date },
  stints: ReadonlyArray<{ from: string | null; to: string | null }>,
): Promise<void> {
  await db.deleteFrom(table).where('sales_team_id', '=', key.salesTeamId).where('user_id', '=', key.userId).execute();
  if (stints.length === 0) return;
  const rows = stints.map((s) => ({
    team_id: key.teamId,
    sales_team_id: key.salesTeamId,
    user_id: key.userId,
    valid_from: s.from,
    valid_to: s.to,
  }));
  if (table === 'sales_team_members')
    await db
      .insertInto(table)
      .values(rows.map((r) => ({ ...r, added_at: key.at })))
      .execute();
  else await db.insertInto(table).values(rows).execute();
}

/** Locks a sales team's row: changes to its members or managers are made one at a time. */
export async function lockSalesTeam(db: Transaction<Database>, teamId: string, salesTeamId: bigint): Promise<void> {
  await db.selectFrom('sales_teams').select('id').where('team_id', '=', teamId).where('id', '=', salesTeamId).forUpdate().execute();
}

/** The members of a sales team on a local date. */
export async function salesTeamMemberIds(db: Db, teamId: string, salesTeamId: bigint, date: string): Promise<string[]> {
  const rows = await db
    .selectFrom('sales_team_members')
    .select('user_id')
    .distinct()
    .where('team_id', '=', teamId)
    .where('sales_team_id', '=', salesTeamId)
    .where(inForceOn(date))
    .orderBy('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/** The sales teams a rep belongs to on a local date, by name. */
export function teamsOfRepOn(
  db: Db,
  teamId: string,
  repId: string,
  date: string,
): Promise<Array<{ id: bigint; name: string; channel_id: string | null }>> {
  return db
    .selectFrom('sales_teams as t')
    .innerJoin('sales_team_members as m', 'm.sales_team_id', 't.id')
    .select(['t.id', 't.name', 't.channel_id'])
    .distinct()
    .where('t.team_id', '=', teamId)
    .where('m.team_id', '=', teamId)
    .where('m.user_id', '=', repId)
    .where(inForceOn(date, 'm'))
    .orderBy('t.name')
    .execute();
}

/** The channels of the sales teams a rep belongs to on a local date, for their celebrations. */
export async function teamChannelsOfRep(db: Db, teamId: string, repId: string, date: string): Promise<string[]> {
  const teams = await teamsOfRepOn(db, teamId, repId, date);
  return [...new Set(teams.flatMap((t) => (t.channel_id ? [t.channel_id] : [])))];
}

/** The ids of the sales teams a manager manages on a local date. */
export async function managedTeamIdsOn(db: Db, teamId: string, userId: string, date: string): Promise<bigint[]> {
  const rows = await db
    .selectFrom('sales_team_managers')
    .select('sales_team_id')
    .distinct()
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .where(inForceOn(date))
    .execute();
  return rows.map((r) => r.sales_team_id);
}

/** Whether a manager has ever been given a team to manage (then their rights are per team). */
export async function hasTeamAssignments(db: Db, teamId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('sales_team_managers')
    .select('id')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Ends every team a person manages from a local date on; the days before stay as they were. */
export async function endManagement(db: Db, teamId: string, userId: string, date: string): Promise<void> {
  await db
    .deleteFrom('sales_team_managers')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .where('valid_from', '>=', date)
    .execute();
  await db
    .updateTable('sales_team_managers')
    .set({ valid_to: date })
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', date)]))
    .execute();
}

/** Every sales team's members on a local date, in one query. */
export async function memberIdsByTeamOn(db: Db, teamId: string, date: string): Promise<Map<bigint, string[]>> {
  const rows = await db
    .selectFrom('sales_team_members')
    .select(['sales_team_id', 'user_id'])
    .distinct()
    .where('team_id', '=', teamId)
    .where(inForceOn(date))
    .orderBy('sales_team_id')
    .orderBy('user_id')
    .execute();
  const members = new Map<bigint, string[]>();
  for (const row of rows) {
    const team = members.get(row.sales_team_id);
    if (team) team.push(row.user_id);
    else members.set(row.sales_team_id, [row.user_id]);
  }
  return members;
}

/**
 * The people who are members of a sales team on a local date (of the given teams, or of any),
 * leaving out those Tally stores as managers or admins: the reps someone may log a sale for.
 */
export async function repIdsOn(db: Db, teamId: string, date: string, salesTeamIds: readonly bigint[] | null): Promise<string[]> {
  if (salesTeamIds !== null && salesTeamIds.length === 0) return [];
  let query = db
    .selectFrom('sales_team_members as m')
    .leftJoin('members as r', (join) => join.onRef('r.team_id', '=', 'm.team_id').onRef('r.user_id', '=', 'm.user_id'))
    .select('m.user_id')
    .distinct()
    .where('m.team_id', '=', teamId)
    .where(inForceOn(date, 'm'))
    .where((eb) => eb.or([eb('r.role', 'is', null), eb('r.role', '=', 'rep')]))
    .orderBy('m.user_id');
  if (salesTeamIds !== null) query = query.where('m.sales_team_id', 'in', [...salesTeamIds]);
  const rows = await query.execute();
  return rows.map((r) => r.user_id);
}
