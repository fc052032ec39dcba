// Frozen once released: never edit, add a new migration instead.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('workspaces')
    .addColumn('celebrations_enabled', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('milestones', sql`smallint[]`, (col) => col.notNull().defaultTo(sql`'{50,100,150}'`))
    .execute();

  await db.schema
    .createTable('digest_subscriptions')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (col) => col.notNull().references('workspaces.team_id').onDelete('cascade'))
    .addColumn('channel_id', 'text', (col) => col.notNull())
    .addColumn('sales_team_id', 'bigint', (col) => col.references('sales_teams.id').onDelete('cascade'))
    .addColumn('cadence', 'text', (col) => col.notNull().check(sql`cadence in ('weekly', 'daily')`))
    .addColumn('at_time', 'text', (col) => col.notNull().check(sql`at_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`))
    .addColumn('weekday', 'smallint', (col) => col.notNull().check(sql`weekday between 1 and 7`))
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index digest_subscriptions_channel_team on digest_subscriptions (team_id, channel_id, coalesce(sales_team_id, 0))`.execute(
    db,
  );

  // One row per (subscription, slot): claimed before posting, so exactly one replica posts.
  await db.schema
    .createTable('digest_runs')
    .addColumn('subscription_id', 'bigint', (col) => col.notNull().references('digest_subscriptions.id').onDelete('cascade'))
    .addColumn('slot', 'timestamptz', (col) => col.notNull())
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('claimed', 'posted', 'failed', 'abandoned', 'skipped')`))
    .addColumn('claimed_by', 'text')
    .addColumn('lease_expires_at', 'timestamptz')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('message_ts', 'text')
    .addColumn('posted_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('digest_runs_pkey', ['subscription_id', 'slot'])
    .execute();

  // A milestone of a rep's target in a period is celebrated once.
  await db.schema
    .createTable('celebrations')
    .addColumn('team_id', 'text', (col) => col.notNull().references('workspaces.team_id').onDelete('cascade'))
    .addColumn('rep_id', 'text', (col) => col.notNull())
    .addColumn('metric', 'text', (col) => col.notNull())
    .addColumn('period_kind', 'text', (col) => col.notNull())
    .addColumn('period_start', 'date', (col) => col.notNull())
    .addColumn('milestone', 'smallint', (col) => col.notNull())
    .addColumn('reached_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('celebrations_pkey', ['team_id', 'rep_id', 'metric', 'period_kind', 'period_start', 'milestone'])
    .execute();
  await sql`create index celebrations_team_reached on celebrations (team_id, reached_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['celebrations', 'digest_runs', 'digest_subscriptions']) await db.schema.dropTable(table).ifExists().execute();
  await db.schema.alterTable('workspaces').dropColumn('celebrations_enabled').dropColumn('milestones').execute();
}
