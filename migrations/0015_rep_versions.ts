// Frozen once released: never edit, add a new migration instead.
import { sql, type Kysely } from 'kysely';

// A counter per rep, raised by a trigger in the very transaction that inserts, edits, voids or
// deletes one of the rep's sales. The statement that logs a sale locks the rep's row and
// compares the counter it sees there (the newest, waiting for a writer still at work) with the
// one its own snapshot holds: equal, no other change of the rep's sales was committed in
// between, so the totals the statement read are all there is, and its milestones are exact
// without reading them again (docs/rules.md#celebrations).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table sales_rep_versions (
      team_id text not null,
      rep_id text not null,
      version bigint not null,
      constraint sales_rep_versions_pkey primary key (team_id, rep_id)
    ) with (fillfactor = 50)`.execute(db);

  await sql`
    create function sales_rep_versions_bump() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' then
        insert into sales_rep_versions as v (team_id, rep_id, version) values (old.team_id, old.rep_id, 1)
        on conflict (team_id, rep_id) do update set version = v.version + 1;
      end if;
      if tg_op = 'INSERT' or (tg_op = 'UPDATE' and (new.team_id, new.rep_id) is distinct from (old.team_id, old.rep_id)) then
        insert into sales_rep_versions as v (team_id, rep_id, version) values (new.team_id, new.rep_id, 1)
        on conflict (team_id, rep_id) do update set version = v.version + 1;
      end if;
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger sales_rep_versions_bump
    after insert or delete or update of team_id, rep_id, amount_minor, closed_on, voided_at on sales
    for each row execute function sales_rep_versions_bump()`.execute(db);
  // No backfill: a rep without a row is at version 0, as the statement that logs a sale reads it.

  // A rep's milestones of given periods (read by that statement and by each settle), found by
  // the periods instead of walking every milestone the rep ever reached.
  await sql`create index celebrations_rep_period on celebrations (team_id, rep_id, period_kind, period_start)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists celebrations_rep_period`.execute(db);
  await sql`drop trigger if exists sales_rep_versions_bump on sales`.execute(db);
  await sql`drop function if exists sales_rep_versions_bump()`.execute(db);
  await db.schema.dropTable('sales_rep_versions').ifExists().execute();
}
