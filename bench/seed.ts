// Seeds a workspace at the scale of the benchmark: 2,000 reps in 200 sales teams, 50
// products, targets for every rep and some teams, and a history of sales spread over three
// years up to today (1,000,000 on PostgreSQL, through COPY; fewer on PGlite). The data is
// made by a seeded PRNG, so every run sees the same shape.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { Migrator, sql, type Kysely } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { migrations } from '../migrations/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import type { Database } from '../src/db/schema.js';
import { dayjs } from '../src/domain/dayjs.js';
import { localDate } from '../src/domain/periods.js';
import { BENCH_DB, BOT_USER, SCALE, SERVER_URL, TEAM, TIMEZONE, repId, teamChannel, withDatabase } from './config.js';

export interface SeedResult {
  sales: number;
  seconds: number;
  copySeconds: number;
}

/** A small, fast, seeded PRNG (mulberry32): the same history on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fails with one clear sentence when the server is not there: the bench does not start PostgreSQL. */
export async function checkServer(): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${SERVER_URL.replace(/\/\/[^@]*@/, '//')} (${(error as Error).message}). ` +
        'Start it (e.g. `service postgresql start`) or point BENCH_SERVER_URL at a server with trust or password auth.',
    );
  } finally {
    await client.end().catch(() => {});
  }
}

export async function recreateDatabase(name = BENCH_DB): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
}

/** The columns of a seeded sale, in COPY order. */
const SALE_COLUMNS = [
  'team_id',
  'rep_id',
  'amount_minor',
  'currency',
  'original_amount_minor',
  'original_currency',
  'closed_on',
  'customer',
  'product_id',
  'source',
  'idempotency_key',
  'voided_at',
  'voided_by',
  'void_reason',
  'created_by',
  'created_at',
  'updated_at',
] as const;

/** COPY text lines for `count` sales closed over the last SCALE.years years, in chunks of 20,000. */
export function* saleLines(count: number, productIds: readonly bigint[], today: string): Generator<string> {
  const random = prng(20261126);
  const days = SCALE.years * 365;
  const end = dayjs.utc(today);
  const dates = Array.from({ length: days }, (_, i) => end.subtract(i, 'day').format('YYYY-MM-DD'));
  let chunk: string[] = [];
  for (let i = 0; i < count; i++) {
    const rep = repId(Math.floor(random() * SCALE.reps));
    const date = dates[Math.floor(random() * days)]!;
    const r = random();
    const amount = 10_000 + Math.floor(r * r * 990_000);
    const product = random() < 0.8 ? String(productIds[Math.floor(random() * productIds.length)]) : '\\N';
    const voided = random() < SCALE.voidedShare;
    const createdAt = `${date} 17:00:00+00`;
    chunk.push(
      [
        TEAM,
        rep,
        amount,
        'USD',
        amount,
        'USD',
        date,
        `Customer ${Math.floor(random() * 5000)}`,
        product,
        'import',
        `seed:${i}`,
        voided ? `${date} 18:00:00+00` : '\\N',
        voided ? rep : '\\N',
        voided ? 'duplicate' : '\\N',
        rep,
        createdAt,
        createdAt,
      ].join('\t'),
    );
    if (chunk.length === 20_000) {
      yield `${chunk.join('\n')}\n`;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield `${chunk.join('\n')}\n`;
}

/** Workspace, products, sales teams and members, targets: everything but the sales. Returns the product ids. */
export async function seedReference(db: Kysely<Database>, today: string): Promise<bigint[]> {
  const now = new Date();
  await db
    .insertInto('workspaces')
    .values({ team_id: TEAM, name: 'Bench Inc', timezone: TIMEZONE, currency: 'USD', created_at: now, updated_at: now })
    .execute();
  const products = await db
    .insertInto('products')
    .values(
      Array.from({ length: SCALE.products }, (_, i) => ({
        team_id: TEAM,
        name: `product-${String(i).padStart(2, '0')}`,
        created_by: BOT_USER,
        created_at: now,
      })),
    )
    .returning('id')
    .execute();
  const teams = await db
    .insertInto('sales_teams')
    .values(
      Array.from({ length: SCALE.teams }, (_, i) => ({
        team_id: TEAM,
        name: `team-${String(i).padStart(3, '0')}`,
        channel_id: teamChannel(i),
        created_by: BOT_USER,
        created_at: now,
      })),
    )
    .returning('id')
    .execute();
  const perTeam = SCALE.reps / SCALE.teams;
  await db
    .insertInto('sales_team_members')
    .values(
      Array.from({ length: SCALE.reps }, (_, i) => ({
        team_id: TEAM,
        sales_team_id: teams[Math.floor(i / perTeam)]!.id,
        user_id: repId(i),
        added_at: now,
      })),
    )
    .execute();

  // Every rep: revenue targets per week, month and quarter since the start of the history;
  // every fourth team a hand-set monthly target; the company a weekly one.
  const random = prng(7);
  const first = dayjs.utc(today).subtract(SCALE.years, 'year').startOf('month');
  const quarterStart = first.subtract(first.month() % 3, 'month').format('YYYY-MM-DD');
  const weekStart = first.startOf('isoWeek').format('YYYY-MM-DD');
  const target = (
    subject_type: 'rep' | 'team' | 'company',
    subject_id: string,
    period_kind: 'week' | 'month' | 'quarter',
    first_period_start: string,
    amount: bigint,
  ) => ({
    team_id: TEAM,
    subject_type,
    subject_id,
    metric: 'revenue' as const,
    period_kind,
    first_period_start,
    last_period_start: null,
    amount,
    created_by: BOT_USER,
    created_at: now,
  });
  const rows = [];
  for (let i = 0; i < SCALE.reps; i++) {
    const month = BigInt(4_000_000 + Math.floor(random() * 1_500_000));
    rows.push(target('rep', repId(i), 'month', first.format('YYYY-MM-DD'), month));
    rows.push(target('rep', repId(i), 'quarter', quarterStart, month * 3n));
    rows.push(target('rep', repId(i), 'week', weekStart, (month * 12n) / 52n));
  }
  for (let t = 0; t < SCALE.teams; t += 4)
    rows.push(target('team', String(teams[t]!.id), 'month', first.format('YYYY-MM-DD'), 48_000_000n));
  rows.push(target('company', '', 'week', weekStart, 2_200_000_000n));
  for (let i = 0; i < rows.length; i += 2000)
    await db
      .insertInto('targets')
      .values(rows.slice(i, i + 2000))
      .execute();
  return products.map((p) => p.id);
}

/**
 * How a seed is made. `grown`: a database as one that grew would be, with nothing the bench does
 * for the planner: no VACUUM, no ANALYZE (Tally's own refresh of statistics is all there is),
 * and on PostgreSQL autovacuum off for every table, whatever the server's setting.
 */
export interface SeedOptions {
  sales: number;
  grown?: boolean;
}

/** Drops and recreates the bench database (or `database`), migrates it and loads the whole history. */
export async function seedPostgres(options: SeedOptions & { database?: string } = { sales: SCALE.sales }): Promise<SeedResult> {
  const started = performance.now();
  const name = options.database ?? BENCH_DB;
  const url = withDatabase(SERVER_URL, name);
  await recreateDatabase(name);
  const today = localDate(new Date(), TIMEZONE);
  const database = await openDatabase({ databaseUrl: url, dataDir: 'unused' });
  const client = new pg.Client({ connectionString: url });
  try {
    // The history goes in before the migrations that derive data from sales (the monthly
    // rollup), as in a deployment that upgrades with its sales already there.
    await migrateBeforeRollup(database.db);
    const productIds = await seedReference(database.db, today);
    await client.connect();
    const copyStarted = performance.now();
    const copy = client.query(copyFrom(`copy sales (${SALE_COLUMNS.join(', ')}) from stdin`));
    await pipeline(Readable.from(saleLines(options.sales, productIds, today)), copy);
    await migrateToLatest(database.db);
    if (options.grown) {
      const { rows } = await client.query<{ name: string }>('select tablename as name from pg_tables where schemaname = current_schema()');
      for (const { name: table } of rows)
        await client.query(`alter table ${client.escapeIdentifier(table)} set (autovacuum_enabled = false)`);
    } else {
      // Fresh statistics and a visibility map, as autovacuum would leave them after a while.
      await client.query('vacuum (analyze)');
    }
    return { sales: options.sales, seconds: (performance.now() - started) / 1000, copySeconds: (performance.now() - copyStarted) / 1000 };
  } finally {
    await client.end().catch(() => {});
    await database.close();
  }
}

/** Applies the migrations before 0005 (which adds the monthly rollup and fills it from sales). */
async function migrateBeforeRollup(db: Kysely<Database>): Promise<void> {
  const names = Object.keys(migrations).sort();
  const last = names.filter((name) => name < '0005').at(-1)!;
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(last);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/** The same shape in an embedded PGlite folder, with a shorter history. */
export async function seedPglite(dataDir: string, options: SeedOptions = { sales: SCALE.pgliteSales }): Promise<SeedResult> {
  const started = performance.now();
  const today = localDate(new Date(), TIMEZONE);
  let database = await openDatabase({ dataDir });
  let productIds: bigint[];
  try {
    await migrateBeforeRollup(database.db);
    productIds = await seedReference(database.db, today);
  } finally {
    await database.close();
  }
  const pglite = await PGlite.create(dataDir);
  const copyStarted = performance.now();
  try {
    // 100,000 sales a COPY: the text of a million at once is more than the WebAssembly heap takes in.
    let batch: string[] = [];
    const flush = async () => {
      await pglite.query(`copy sales (${SALE_COLUMNS.join(', ')}) from '/dev/blob'`, [], { blob: new Blob([batch.join('')]) });
      batch = [];
    };
    for (const chunk of saleLines(options.sales, productIds, today)) {
      batch.push(chunk);
      if (batch.length === 5) await flush();
    }
    if (batch.length > 0) await flush();
  } finally {
    await pglite.close();
  }
  database = await openDatabase({ dataDir });
  try {
    await migrateToLatest(database.db);
    // The embedded database has no autovacuum: a grown folder has only what Tally itself does.
    if (!options.grown) await sql`vacuum (analyze)`.execute(database.db);
  } finally {
    await database.close();
  }
  return { sales: options.sales, seconds: (performance.now() - started) / 1000, copySeconds: (performance.now() - copyStarted) / 1000 };
}

/** Row counts, to show what was measured against. */
export async function countRows(db: Kysely<Database>): Promise<Record<string, number>> {
  const { rows } = await sql<{ sales: string; reps: string; teams: string; products: string; targets: string }>`
    select (select count(*) from sales) as sales, (select count(distinct user_id) from sales_team_members) as reps,
           (select count(*) from sales_teams) as teams, (select count(*) from products) as products, (select count(*) from targets) as targets`.execute(
    db,
  );
  return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
}
