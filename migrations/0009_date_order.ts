// Frozen once released: never edit, add a new migration instead.
import { sql, type Kysely } from 'kysely';

// How the workspace reads a date typed as `12/01`: 'mdy' (December 1st) or 'dmy' (January
// 12th). Null until an admin picks one: then month/day for USD workspaces, day/month otherwise.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('workspaces')
    .addColumn('date_order', 'text', (col) => col.check(sql`date_order in ('mdy', 'dmy')`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspaces').dropColumn('date_order').execute();
}
