// The database handle Tally opens: on PostgreSQL, statements marked PREPARED are prepared once
// per connection, every other one is planned for its values; a schema change under a prepared
// statement does not break it. The workspace version moves on any change of the row.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase, PREPARED, type DatabaseHandle } from '../../src/db/open.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let handle: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  // One connection, so every statement below meets the same prepared statements.
  handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR, poolSize: 1 });
  await migrateToLatest(handle.db);
});
afterAll(async () => {
  await handle.close();
  await database.drop();
});

describe('workspaces.version', () => {
  it('goes up by one on every change of the row, whoever makes it', async () => {
    const { db } = handle;
    await db
      .insertInto('workspaces')
      .values({
        team_id: 'T0VERSION',
        timezone: 'UTC',
        currency: 'USD',
        created_at: '2026-11-26T20:00:00Z',
        updated_at: '2026-11-26T20:00:00Z',
      })
      .execute();
    const version = async () =>
      (await db.selectFrom('workspaces').select('version').where('team_id', '=', 'T0VERSION').executeTakeFirstOrThrow()).version;
    expect(await version()).toBe(1);
    await db.updateTable('workspaces').set({ locked_through: '2026-10-31' }).where('team_id', '=', 'T0VERSION').execute();
    expect(await version()).toBe(2);
    await sql`update workspaces set timezone = 'Europe/Paris' where team_id = 'T0VERSION'`.execute(db);
    expect(await version()).toBe(3);
  });
});

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('prepared statements on PostgreSQL', () => {
  const prepared = async () =>
    (await sql<{ statement: string }>`select statement from pg_prepared_statements order by prepare_time`.execute(handle.db)).rows.map(
      (r) => r.statement,
    );

  it('prepares a marked statement once and sends the others unnamed', async () => {
    const marked = (n: number) => sql<{ n: number }>`${PREPARED}select ${n}::int as n`.execute(handle.db);
    expect((await marked(1)).rows).toEqual([{ n: 1 }]);
    expect((await marked(2)).rows).toEqual([{ n: 2 }]);
    await sql`select 3 as unmarked`.execute(handle.db);
    const statements = await prepared();
    expect(statements.filter((s) => s.includes('::int as n'))).toHaveLength(1);
    expect(statements.some((s) => s.includes('unmarked'))).toBe(false);
  });

  it('keeps working when a migration changes the columns a prepared statement returns', async () => {
    const { db } = handle;
    await sql`create table widgets (id int primary key)`.execute(db);
    await sql`insert into widgets values (1)`.execute(db);
    const read = () => sql<Record<string, unknown>>`${PREPARED}select * from widgets`.execute(db);
    expect((await read()).rows).toEqual([{ id: 1 }]);
    await sql`alter table widgets add column name text default 'gear'`.execute(db);
    expect((await read()).rows).toEqual([{ id: 1, name: 'gear' }]);
  });
});
