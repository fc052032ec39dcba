// Frozen once released: never edit, add a new migration instead.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A rate holds from valid_on until the next rate of the same currency.
  await db.schema
    .createTable('fx_rates')
    .addColumn('team_id', 'text', (col) => col.notNull().references('workspaces.team_id').onDelete('cascade'))
    .addColumn('currency', 'text', (col) => col.notNull())
    .addColumn('valid_on', 'date', (col) => col.notNull())
    // Units of the workspace currency for one unit of `currency`, exact.
    .addColumn('rate', 'numeric', (col) => col.notNull().check(sql`rate > 0`))
    .addColumn('set_by', 'text', (col) => col.notNull())
    .addColumn('set_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('fx_rates_pkey', ['team_id', 'currency', 'valid_on'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('fx_rates').ifExists().execute();
}
