// Frozen once released: never edit, add a new migration instead.
import { sql, type Kysely } from 'kysely';

// Team membership and a manager's teams have dates: a row is one stint [valid_from, valid_to)
// of local dates in the workspace timezone; a null valid_from reaches back to the beginning,
// a null valid_to runs on until changed. Memberships that exist already become stints from the
// beginning, so every past number stays as it was. A person may have several stints in a team
// (left and came back); they never overlap.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table sales_team_members drop constraint sales_team_members_pkey`.execute(db);
  await db.schema
    .alterTable('sales_team_members')
    .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('valid_from', 'date')
    .addColumn('valid_to', 'date')
    .execute();
  await sql`alter table sales_team_members add constraint sales_team_members_dates check (valid_from is null or valid_to is null or valid_from < valid_to)`.execute(
    db,
  );
  await sql`create index sales_team_members_team on sales_team_members (sales_team_id, user_id)`.execute(db);

  await db.schema
    .createTable('sales_team_managers')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('sales_team_id', 'bigint', (col) => col.notNull().references('sales_teams.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('valid_from', 'date')
    .addColumn('valid_to', 'date')
    .addCheckConstraint('sales_team_managers_dates', sql`valid_from is null or valid_to is null or valid_from < valid_to`)
    .execute();
  await sql`create index sales_team_managers_user on sales_team_managers (team_id, user_id)`.execute(db);
  await sql`create index sales_team_managers_team on sales_team_managers (sales_team_id, user_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sales_team_managers').ifExists().execute();
  await sql`drop index if exists sales_team_members_team`.execute(db);
  await sql`alter table sales_team_members drop constraint if exists sales_team_members_dates`.execute(db);
  // Keeps one row per person and team, as before.
  await sql`delete from sales_team_members a using sales_team_members b where a.sales_team_id = b.sales_team_id and a.user_id = b.user_id and a.id > b.id`.execute(
    db,
  );
  await db.schema.alterTable('sales_team_members').dropColumn('id').dropColumn('valid_from').dropColumn('valid_to').execute();
  await sql`alter table sales_team_members add constraint sales_team_members_pkey primary key (sales_team_id, user_id)`.execute(db);
}
