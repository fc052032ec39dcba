// Frozen once released: never edit, add a new migration instead.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A CSV import between its dry run and its commit. The file's text is kept until the commit,
  // which checks every row again (periods may have been locked since) and then drops it.
  await db.schema
    .createTable('imports')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (col) => col.notNull().references('workspaces.team_id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('sales', 'targets')`))
    .addColumn('file_name', 'text', (col) => col.notNull())
    .addColumn('file_sha256', 'text', (col) => col.notNull())
    .addColumn('content', 'text')
    .addColumn('row_count', 'integer', (col) => col.notNull())
    // What asked for it (a modal submission's view id): the same request checks the file once.
    .addColumn('request_key', 'text')
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('checked').check(sql`status in ('checked', 'committed')`))
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('committed_by', 'text')
    .addColumn('committed_at', 'timestamptz')
    .addColumn('added_count', 'integer')
    .addColumn('existing_count', 'integer')
    .execute();
  await sql`create unique index imports_team_request_key on imports (team_id, request_key) where request_key is not null`.execute(db);
  await sql`create index imports_team_created_at on imports (team_id, created_at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('imports').ifExists().execute();
}
