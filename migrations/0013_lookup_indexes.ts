// Frozen once released: never edit, add a new migration instead.
import { sql, type Kysely } from 'kysely';

// Indexes that match the lookups of a sale exactly, found by counting the rows each statement
// of a /logsale reads (issue 14):
// - The guard rails ask before storing "the same sale again" (docs/rules.md#sales): the same
//   rep, amount, currency, customer and close date logged in the last 10 minutes. That lookup
//   walked sales_team_created_at through every sale of the workspace logged in those minutes
//   (6,000 rows a /logsale with 3,000 sales just logged). sales_same_sale holds the query's
//   equalities, then created_at and id in its order: it reads only earlier logs of that very
//   sale. closed_on comes after the equalities, so a rep's totals by date keep the index-only
//   sales_rep_closed_on. sales_team_created_at served nothing else.
// - A celebration is found by its id (recording a post, withdrawing it), which had no index:
//   each lookup read every celebration ever recorded.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create index sales_same_sale on sales
      (team_id, rep_id, original_amount_minor, original_currency, (lower(btrim(coalesce(customer, '')))), closed_on, created_at, id)
      where voided_at is null`.execute(db);
  await sql`drop index if exists sales_team_created_at`.execute(db);
  await sql`create unique index celebrations_id on celebrations (team_id, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists celebrations_id`.execute(db);
  await sql`create index if not exists sales_team_created_at on sales (team_id, created_at desc)`.execute(db);
  await sql`drop index if exists sales_same_sale`.execute(db);
}
