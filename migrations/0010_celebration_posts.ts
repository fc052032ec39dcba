// Frozen once released: never edit, add a new migration instead.
import { sql, type Kysely } from 'kysely';

// A celebration can be taken back (a void or an edit leaves its milestone unreached): each
// crossing gets an id, and each message posted for it is kept with its ts, so it can be
// updated in place. A workspace can turn off the check that asks before logging a likely
// duplicate or an unusually large sale.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('celebrations')
    .addColumn('id', 'bigint', (col) => col.notNull().generatedAlwaysAsIdentity())
    .execute();
  await db.schema
    .createTable('celebration_posts')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (col) => col.notNull().references('workspaces.team_id').onDelete('cascade'))
    .addColumn('celebration_id', 'bigint', (col) => col.notNull())
    .addColumn('channel_id', 'text', (col) => col.notNull())
    .addColumn('message_ts', 'text', (col) => col.notNull())
    .addColumn('posted_at', 'timestamptz', (col) => col.notNull())
    .addColumn('withdrawn_at', 'timestamptz')
    .execute();
  await sql`create index celebration_posts_celebration on celebration_posts (team_id, celebration_id)`.execute(db);
  await db.schema
    .alterTable('workspaces')
    .addColumn('guard_rails_enabled', 'boolean', (col) => col.notNull().defaultTo(true))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspaces').dropColumn('guard_rails_enabled').execute();
  await db.schema.dropTable('celebration_posts').ifExists().execute();
  await db.schema.alterTable('celebrations').dropColumn('id').execute();
}
