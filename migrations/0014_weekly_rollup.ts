// Frozen once released: never edit, add a new migration instead.
import { sql, type Kysely } from 'kysely';

// Each rep's live sales per ISO week (closed_on is the workspace's local date; a week starts on
// Monday), kept exact by a trigger in the very transaction that inserts, edits, voids or deletes
// a sale, as sales_monthly is for months. A rep's week totals (the /logsale reply, its
// celebrations, /tally me, the forecasts' past weeks) read one row per week instead of every
// sale of the week: a rep who logs hundreds of sales a week no longer makes each sale read them.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table sales_weekly (
      team_id text not null,
      week date not null,
      rep_id text not null,
      amount_minor bigint not null,
      deals bigint not null,
      constraint sales_weekly_pkey primary key (team_id, week, rep_id)
    ) with (fillfactor = 70)`.execute(db);
  await sql`create index sales_weekly_rep on sales_weekly (team_id, rep_id, week)`.execute(db);

  // The Monday of a date's ISO week, by date arithmetic alone (no time zone involved).
  await sql`
    create function sales_weekly_apply() returns trigger language plpgsql as $$
    begin
      if tg_op <> 'INSERT' and old.voided_at is null then
        insert into sales_weekly as w (team_id, week, rep_id, amount_minor, deals)
        values (old.team_id, old.closed_on - (extract(isodow from old.closed_on)::int - 1), old.rep_id, -old.amount_minor, -1)
        on conflict (team_id, week, rep_id)
        do update set amount_minor = w.amount_minor + excluded.amount_minor, deals = w.deals + excluded.deals;
      end if;
      if tg_op <> 'DELETE' and new.voided_at is null then
        insert into sales_weekly as w (team_id, week, rep_id, amount_minor, deals)
        values (new.team_id, new.closed_on - (extract(isodow from new.closed_on)::int - 1), new.rep_id, new.amount_minor, 1)
        on conflict (team_id, week, rep_id)
        do update set amount_minor = w.amount_minor + excluded.amount_minor, deals = w.deals + excluded.deals;
      end if;
      return null;
    end
    $$`.execute(db);
  // Writers that started before this migration must not slip past both the trigger and the backfill.
  await sql`lock table sales in share row exclusive mode`.execute(db);
  await sql`
    create trigger sales_weekly_apply
    after insert or delete or update of team_id, rep_id, amount_minor, closed_on, voided_at on sales
    for each row execute function sales_weekly_apply()`.execute(db);
  await sql`
    insert into sales_weekly (team_id, week, rep_id, amount_minor, deals)
    select team_id, closed_on - (extract(isodow from closed_on)::int - 1), rep_id, sum(amount_minor), count(*)
    from sales where voided_at is null
    group by 1, 2, 3`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists sales_weekly_apply on sales`.execute(db);
  await sql`drop function if exists sales_weekly_apply()`.execute(db);
  await db.schema.dropTable('sales_weekly').ifExists().execute();
}
