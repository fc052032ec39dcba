// Frozen once released: never edit, add a new migration instead.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One row per workspace that installed Tally through OAuth. The installation (with its
  // tokens) is stored sealed: AES-256-GCM with a key derived from SLACK_CLIENT_SECRET.
  await db.schema
    .createTable('slack_installations')
    .addColumn('team_id', 'text', (col) => col.primaryKey())
    .addColumn('enterprise_id', 'text')
    .addColumn('bot_user_id', 'text')
    .addColumn('installation_sealed', 'text', (col) => col.notNull())
    .addColumn('installed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('slack_installations').ifExists().execute();
}
