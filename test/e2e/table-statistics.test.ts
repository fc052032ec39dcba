// Tally analyzes its own tables (src/services/statistics.ts), on the embedded database and on
// PostgreSQL alike: a table that changed past its threshold is analyzed, one that did not is
// left alone, start-up does it, and of two processes at it at once only one does the work.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/open.js';
import { createLogger } from '../../src/logger.js';
import { refreshStatistics } from '../../src/services/statistics.js';
import { tableActivity } from '../../src/store/statistics.js';
import { startTally } from '../../src/tally.js';
import { FakeSlack } from '../../slack-standin/fake-slack.js';
import { BOT_TOKEN, SIGNING_SECRET, seedWorkspace } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const logger = createLogger('error');
const NOW = new Date('2026-06-15T12:00:00Z');
let database: TestDatabase;
let handle: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  // One connection: the counters of the statements below are this connection's to hand over.
  handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR, poolSize: 1 });
  await migrateToLatest(handle.db);
  await addWorkspace(handle.db);
});
afterAll(async () => {
  await handle.close();
  await database.drop();
});

async function addWorkspace(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({ team_id: 'T0STATS', timezone: 'UTC', currency: 'USD', created_at: NOW, updated_at: NOW })
    .execute();
}

async function addProducts(db: Kysely<Database>, from: number, count: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => ({
    team_id: 'T0STATS',
    name: `product-${from + i}`,
    created_by: 'U0ADMIN',
    created_at: NOW,
  }));
  await db.insertInto('products').values(rows).execute();
}

const activityOf = async (table: string) => (await tableActivity(handle.db)).find((t) => t.table === table);
const reltuples = async (table: string) =>
  Number(
    (await sql<{ n: number }>`select reltuples::float8 as n from pg_class where oid = ${table}::regclass`.execute(handle.db)).rows[0]!.n,
  );

describe('refreshStatistics', () => {
  it('analyzes a table once it changed past its threshold, and leaves it alone below it', async () => {
    await refreshStatistics({ db: handle.db, logger });
    await addProducts(handle.db, 0, 120);
    expect(await activityOf('products')).toMatchObject({ rows: 120, changedSinceAnalyze: 120 });

    const analyzed = await refreshStatistics({ db: handle.db, logger });
    expect(analyzed).toContain('products');
    expect(await reltuples('products')).toBe(120);
    expect(await activityOf('products')).toMatchObject({ changedSinceAnalyze: 0, analyzedBefore: true });

    // 50 + 10% of 120 = 62 changes make it stale again: 40 do not, 30 more do.
    await addProducts(handle.db, 120, 40);
    expect(await refreshStatistics({ db: handle.db, logger })).not.toContain('products');
    expect(await reltuples('products')).toBe(120);
    await addProducts(handle.db, 160, 30);
    expect(await refreshStatistics({ db: handle.db, logger })).toContain('products');
    expect(await reltuples('products')).toBe(190);
  });

  it('analyzes nothing when nothing changed', async () => {
    await refreshStatistics({ db: handle.db, logger });
    expect(await refreshStatistics({ db: handle.db, logger })).toEqual([]);
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    'leaves the work to another process that is analyzing at the moment (PostgreSQL: two connections)',
    async () => {
      await addProducts(handle.db, 1_000, 200);
      const other = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR, poolSize: 1 });
      try {
        await other.db.transaction().execute(async (trx) => {
          await sql`select pg_advisory_xact_lock(hashtext('tally:analyze'))`.execute(trx);
          expect(await refreshStatistics({ db: handle.db, logger })).toEqual([]);
        });
        expect(await refreshStatistics({ db: handle.db, logger })).toContain('products');
      } finally {
        await other.close();
      }
    },
  );
});

describe('start-up', () => {
  it('analyzes the tables that changed while Tally was not running', async () => {
    const fresh = await createTestDatabase();
    const slack = await FakeSlack.start({ clock: { now: () => NOW } });
    seedWorkspace(slack);
    try {
      const before = await openDatabase({ databaseUrl: fresh.env.DATABASE_URL, dataDir: fresh.env.DATA_DIR, poolSize: 1 });
      await migrateToLatest(before.db);
      await addWorkspace(before.db);
      await addProducts(before.db, 0, 300);
      await before.close();

      const env = { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.url, PORT: '0', ...fresh.env };
      const tally = await startTally(env, { clock: { now: () => NOW }, logger, scheduler: false });
      try {
        const count = await sql<{ n: number }>`select reltuples::float8 as n from pg_class where oid = 'products'::regclass`.execute(
          tally.deps.db,
        );
        expect(Number(count.rows[0]!.n)).toBe(300);
      } finally {
        await tally.stop();
      }
    } finally {
      await slack.stop();
      await fresh.drop();
    }
  });
});
