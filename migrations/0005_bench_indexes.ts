// Frozen once released: never edit, add a new migration instead.
import { sql, type Kysely } from 'kysely';

// Found by `npm run bench` at 1,000,000 sales:
// - Each rep's live sales per calendar month (closed_on is already the workspace's local date),
//   kept exact by a trigger in the very transaction that inserts, edits, voids or deletes a
//   sale. Month, quarter and year totals (leaderboards, forecasts, suggested targets) read a
//   few rows per rep instead of every sale. Only a rep's own row is locked by a write.
// - A rep's own targets are found by subject without a scan of every target.
export async function up(db: Kysely<any>): Promise<void> {
  // The sums are not in the indexes and pages keep room: adding a sale to a rep's month is a
  // heap-only (HOT) update that touches no index. One index per way in: a workspace's months
  // (leaderboards, company totals) and a rep's.
  await sql`
    create table sales_monthly (
      team_id text not null,
      month date not null,
      rep_id text not null,
      amount_minor bigint not null,
      deals bigint not null,
      constraint sales_monthly_pkey primary key (team_id, month, rep_id)
    ) with (fillfactor = 70)`.execute(db);
  await sql`create index sales_monthly_rep on sales_monthly (team_id, rep_id, month)`.execute(db);

  await sql`
    create function sales_monthly_apply() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' and old.voided_at is null then
        insert into sales_monthly as m (team_id, month, rep_id, amount_minor, deals)
        values (old.team_id, date_trunc('month', old.closed_on)::date, old.rep_id, -old.amount_minor, -1)
        on conflict (team_id, month, rep_id)
        do update set amount_minor = m.amount_minor + excluded.amount_minor, deals = m.deals + excluded.deals;
      end if;
      if tg_op <> 'DELETE' and new.voided_at is null then
        insert into sales_monthly as m (team_id, month, rep_id, amount_minor, deals)
        values (new.team_id, date_trunc('month', new.closed_on)::date, new.rep_id, new.amount_minor, 1)
        on conflict (team_id, month, rep_id)
        do update set amount_minor = m.amount_minor + excluded.amount_minor, deals = m.deals + excluded.deals;
      end if;
      return null;
    end
    $$`.execute(db);
  // Writers that started before this migration must not slip past both the trigger and the backfill.
  await sql`lock table sales in share row exclusive mode`.execute(db);
  await sql`
    create trigger sales_monthly_apply
    after insert or delete or update of team_id, rep_id, amount_minor, closed_on, voided_at on sales
    for each row execute function sales_monthly_apply()`.execute(db);
  await sql`
    insert into sales_monthly (team_id, month, rep_id, amount_minor, deals)
    select team_id, date_trunc('month', closed_on)::date, rep_id, sum(amount_minor), count(*)
    from sales where voided_at is null
    group by 1, 2, 3`.execute(db);

  await sql`create index targets_subject on targets (team_id, subject_type, subject_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists targets_subject`.execute(db);
  await sql`drop trigger if exists sales_monthly_apply on sales`.execute(db);
  await sql`drop function if exists sales_monthly_apply()`.execute(db);
  await db.schema.dropTable('sales_monthly').ifExists().execute();
}
