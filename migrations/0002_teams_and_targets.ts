// Frozen once released: never edit, add a new migration instead.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sales_teams')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (col) => col.notNull().references('workspaces.team_id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('channel_id', 'text')
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index sales_teams_team_name_key on sales_teams (team_id, lower(name))`.execute(db);

  await db.schema
    .createTable('sales_team_members')
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('sales_team_id', 'bigint', (col) => col.notNull().references('sales_teams.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('added_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('sales_team_members_pkey', ['sales_team_id', 'user_id'])
    .execute();
  await sql`create index sales_team_members_user on sales_team_members (team_id, user_id)`.execute(db);

  // One row is one amount for a run of consecutive periods of one kind:
  // [first_period_start, last_period_start], or open-ended ("repeats until changed") when
  // last_period_start is null. The newest row covering a period is its target, so a change
  // made from some period on leaves every earlier period's target as it was.
  await db.schema
    .createTable('targets')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (col) => col.notNull().references('workspaces.team_id').onDelete('cascade'))
    .addColumn('subject_type', 'text', (col) => col.notNull().check(sql`subject_type in ('rep', 'team', 'product', 'company')`))
    .addColumn('subject_id', 'text', (col) => col.notNull())
    .addColumn('metric', 'text', (col) => col.notNull().check(sql`metric in ('revenue', 'deals')`))
    .addColumn('period_kind', 'text', (col) => col.notNull().check(sql`period_kind in ('week', 'month', 'quarter', 'year')`))
    .addColumn('first_period_start', 'date', (col) => col.notNull())
    .addColumn('last_period_start', 'date')
    .addColumn('amount', 'bigint', (col) => col.notNull().check(sql`amount >= 0`))
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('targets_last_after_first', sql`last_period_start is null or last_period_start >= first_period_start`)
    .execute();
  await sql`create index targets_lookup on targets (team_id, subject_type, metric, period_kind, subject_id, first_period_start, id desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['targets', 'sales_team_members', 'sales_teams']) await db.schema.dropTable(table).ifExists().execute();
}
