// Frozen once released: never edit, add a new migration instead.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A system that sends won deals (a signed generic webhook, or Pipedrive). Its secret (the
  // HMAC key, or Pipedrive's Basic credentials) is stored sealed with AES-256-GCM.
  await db.schema
    .createTable('sources')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('team_id', 'text', (col) => col.notNull().references('workspaces.team_id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('webhook', 'pipedrive')`))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('secret_sealed', 'text', (col) => col.notNull())
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('rotated_at', 'timestamptz')
    .addUniqueConstraint('sources_team_name', ['team_id', 'name'])
    .execute();

  // One row per deal a source told Tally about: the sale it made, and the time of the last
  // delivery applied to it (an older delivery changes nothing). A deal whose rep is not yet
  // known waits here with what it would log.
  await db.schema
    .createTable('source_deals')
    .addColumn('source_id', 'text', (col) => col.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('deal_id', 'text', (col) => col.notNull())
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull().check(sql`state in ('new', 'won', 'void', 'waiting')`))
    .addColumn('sale_id', 'bigint', (col) => col.references('sales.id').onDelete('set null'))
    .addColumn('owner_id', 'text')
    .addColumn('pending', 'jsonb')
    .addColumn('last_event_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
    .addPrimaryKeyConstraint('source_deals_pkey', ['source_id', 'deal_id'])
    .execute();
  await sql`create index source_deals_waiting on source_deals (source_id, owner_id) where state = 'waiting'`.execute(db);

  // Pipedrive owners and the Slack user each one is; notified_at: when the admin was told to map one.
  await db.schema
    .createTable('source_owners')
    .addColumn('source_id', 'text', (col) => col.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('owner_id', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text')
    .addColumn('notified_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
    .addPrimaryKeyConstraint('source_owners_pkey', ['source_id', 'owner_id'])
    .execute();

  // Every delivery and what came of it, for `/tally connect log NAME`.
  await db.schema
    .createTable('source_deliveries')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('source_id', 'text', (col) => col.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('received_at', 'timestamptz', (col) => col.notNull())
    .addColumn('deal_id', 'text')
    .addColumn('status', 'integer', (col) => col.notNull())
    .addColumn('outcome', 'text', (col) => col.notNull())
    .addColumn('sale_id', 'bigint')
    .addColumn('reason', 'text')
    .execute();
  await sql`create index source_deliveries_recent on source_deliveries (source_id, id desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('source_deliveries').ifExists().execute();
  await db.schema.dropTable('source_owners').ifExists().execute();
  await db.schema.dropTable('source_deals').ifExists().execute();
  await db.schema.dropTable('sources').ifExists().execute();
}
