// Memberships that existed before teams had dates become stints from the beginning: after the
// migration every team still counts the same sales, and the migration can be taken back.
import { Migrator, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/open.js';
import { salesTotal } from '../../src/store/leaderboard.js';
import { salesTeamMemberIds } from '../../src/store/teams.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const MIGRATION = '0011_team_dates';
let database: TestDatabase;
let handle: DatabaseHandle;
let migrator: Migrator;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR, poolSize: 1 });
  migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations } });
  const before = Object.keys(migrations)[Object.keys(migrations).indexOf(MIGRATION) - 1]!;
  const { error } = await migrator.migrateTo(before);
  expect(error).toBeUndefined();
});
afterAll(async () => {
  await handle.close();
  await database.drop();
});

describe(MIGRATION, () => {
  it('keeps every existing member from the beginning, so team totals do not change', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run on Kysely<any>, as in migrations/
    const db = handle.db as unknown as Kysely<any>;
    await db.insertInto('workspaces').values({ team_id: 'T0MIG', timezone: 'UTC', currency: 'USD' }).execute();
    const { id } = await db
      .insertInto('sales_teams')
      .values({ team_id: 'T0MIG', name: 'east', created_by: 'U0ADMIN' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('sales_team_members')
      .values(['U0A', 'U0B'].map((user_id) => ({ team_id: 'T0MIG', sales_team_id: id, user_id })))
      .execute();
    const sale = (rep_id: string, amount: bigint, closed_on: string) => ({
      team_id: 'T0MIG',
      rep_id,
      amount_minor: amount,
      currency: 'USD',
      original_amount_minor: amount,
      original_currency: 'USD',
      closed_on,
      source: 'command',
      idempotency_key: `${rep_id}:${closed_on}`,
      created_by: rep_id,
    });
    await db
      .insertInto('sales')
      .values([sale('U0A', 100_00n, '2019-03-04'), sale('U0B', 250_00n, '2026-11-20'), sale('U0C', 999_00n, '2026-11-20')])
      .execute();

    const { error } = await migrator.migrateTo(MIGRATION);
    expect(error).toBeUndefined();
    expect(await db.selectFrom('sales_team_members').select(['user_id', 'valid_from', 'valid_to']).orderBy('user_id').execute()).toEqual([
      { user_id: 'U0A', valid_from: null, valid_to: null },
      { user_id: 'U0B', valid_from: null, valid_to: null },
    ]);
    expect(await salesTeamMemberIds(handle.db, 'T0MIG', BigInt(id), '2019-01-01')).toEqual(['U0A', 'U0B']);
    expect(await salesTotal(handle.db, { teamId: 'T0MIG', from: '2019-01-01', to: '2027-01-01', salesTeamId: BigInt(id) })).toEqual({
      amount: 350_00n,
      deals: 2n,
    });
  });

  it('is taken back to one row per member and team', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run on Kysely<any>, as in migrations/
    const db = handle.db as unknown as Kysely<any>;
    const { id } = await db.selectFrom('sales_teams').select('id').where('team_id', '=', 'T0MIG').executeTakeFirstOrThrow();
    await db
      .insertInto('sales_team_members')
      .values({ team_id: 'T0MIG', sales_team_id: id, user_id: 'U0C', valid_from: '2026-01-01', valid_to: '2026-02-01' })
      .execute();
    await db
      .insertInto('sales_team_members')
      .values({ team_id: 'T0MIG', sales_team_id: id, user_id: 'U0C', valid_from: '2026-03-01' })
      .execute();
    const { error } = await migrator.migrateDown();
    expect(error).toBeUndefined();
    expect(
      (await db.selectFrom('sales_team_members').select('user_id').orderBy('user_id').execute()).map((r: { user_id: string }) => r.user_id),
    ).toEqual(['U0A', 'U0B', 'U0C']);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
  });
});
