// Frozen once released: never edit, add a new migration instead.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workspaces')
    .addColumn('team_id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text')
    .addColumn('timezone', 'text', (col) => col.notNull())
    .addColumn('currency', 'text', (col) => col.notNull())
    .addColumn('fiscal_year_start_month', 'smallint', (col) =>
      col.notNull().defaultTo(1).check(sql`fiscal_year_start_month between 1 and 12`),
    )
    .addColumn('locked_through', 'date')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('members')
    .addColumn('team_id', 'text', (col) => col.notNull().references('workspaces.team_id').onDelete('cascade'))
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('role', 'text', (col) => col.notNull().defaultTo('rep').check(sql`role in ('admin', 'manager', 'rep')`))
    .addColumn('name', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('members_pkey', ['team_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('products')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (col) => col.notNull().references('workspaces.team_id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index products_team_name_key on products (team_id, lower(name))`.execute(db);

  await db.schema
    .createTable('sales')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (col) => col.notNull().references('workspaces.team_id').onDelete('cascade'))
    .addColumn('rep_id', 'text', (col) => col.notNull())
    // Counted amount, in the workspace currency at the time of the sale (minor units).
    .addColumn('amount_minor', 'bigint', (col) => col.notNull().check(sql`amount_minor > 0`))
    .addColumn('currency', 'text', (col) => col.notNull())
    // The amount as typed, when it was in another currency, and the rate used.
    .addColumn('original_amount_minor', 'bigint', (col) => col.notNull())
    .addColumn('original_currency', 'text', (col) => col.notNull())
    .addColumn('fx_rate', 'numeric')
    .addColumn('closed_on', 'date', (col) => col.notNull())
    .addColumn('customer', 'text')
    .addColumn('product_id', 'bigint', (col) => col.references('products.id'))
    .addColumn('note', 'text')
    .addColumn('source', 'text', (col) => col.notNull().check(sql`source in ('command', 'modal', 'import', 'api')`))
    .addColumn('idempotency_key', 'text', (col) => col.notNull())
    .addColumn('voided_at', 'timestamptz')
    .addColumn('voided_by', 'text')
    .addColumn('void_reason', 'text')
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('sales_team_idempotency_key', ['team_id', 'idempotency_key'])
    .execute();
  // "Sum of a rep's sales in a date range" and "sales of the team in a date range, by rep"
  // are index-only scans over live (non-voided) sales.
  await sql`create index sales_rep_closed_on on sales (team_id, rep_id, closed_on) include (amount_minor) where voided_at is null`.execute(
    db,
  );
  await sql`create index sales_team_closed_on on sales (team_id, closed_on) include (rep_id, amount_minor, product_id) where voided_at is null`.execute(
    db,
  );
  await sql`create index sales_team_created_at on sales (team_id, created_at desc)`.execute(db);

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('team_id', 'text', (col) => col.notNull().references('workspaces.team_id').onDelete('cascade'))
    .addColumn('actor_id', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('entity_type', 'text', (col) => col.notNull())
    .addColumn('entity_id', 'text', (col) => col.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index audit_log_team_entity on audit_log (team_id, entity_type, entity_id, at desc)`.execute(db);
  await sql`create index audit_log_team_actor on audit_log (team_id, actor_id, at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_log', 'sales', 'products', 'members', 'workspaces']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
