// Frozen once released: never edit, add a new migration instead.
import { sql, type Kysely } from 'kysely';

// A workspace's settings change rarely and are read on every sale, so they are kept in memory.
// `version` goes up on every change, whoever makes it (the settings page, another replica, or
// SQL typed by hand): the statement that stores a sale checks it, so a sale is never checked
// against settings that are no longer current.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('workspaces')
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .execute();
  await sql`
    create function workspaces_next_version() returns trigger language plpgsql as $$
    begin
      new.version := old.version + 1;
      return new;
    end
    $$`.execute(db);
  await sql`
    create trigger workspaces_next_version before update on workspaces
    for each row execute function workspaces_next_version()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists workspaces_next_version on workspaces`.execute(db);
  await sql`drop function if exists workspaces_next_version()`.execute(db);
  await db.schema.alterTable('workspaces').dropColumn('version').execute();
}
