// (e) The grown run: /logsale with 0, 100,000 and 1,000,000 sales already stored, on PostgreSQL
// and on PGlite, each point seeded afresh without the bench's VACUUM or ANALYZE (and with
// autovacuum off for every table on PostgreSQL). Tally is started on each: its start-up refresh
// of statistics (src/services/statistics.ts: every table changed by more than 50 + 10% of its
// rows, or grown by a tenth of its pages, is analyzed) and the scheduler's, every five minutes,
// are all the planner gets, as on a server without autovacuum or in the embedded database.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../src/db/open.js';
import { GROWN, LOAD, SERVER_URL, TMP_DIR, withDatabase } from './config.js';
import { LOGSALE, measureRun, smokeCheck, startTarget, tallySpec, warmUp, type Target } from './harness.js';
import { freePort, type SlackStandIn } from './processes.js';
import type { GrownPoint, GrownResult } from './report.js';
import { seedPglite, seedPostgres } from './seed.js';

type Log = (message: string) => void;

export async function runGrown(slack: SlackStandIn, log: Log): Promise<GrownResult> {
  const responseUrl = `${slack.baseUrl}/respond/bench`;
  const points: GrownPoint[] = [];
  const sizes = [...GROWN.sales].sort((a, b) => a - b);
  const url = withDatabase(SERVER_URL, GROWN.database);
  try {
    for (const sales of sizes) {
      log(`  PostgreSQL, ${sales.toLocaleString('en-US')} sales: seeding without VACUUM or ANALYZE, autovacuum off`);
      const seed = await seedPostgres({ database: GROWN.database, sales, grown: true });
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        const point = await measurePoint('PostgreSQL', sales, seed.seconds, { DATABASE_URL: url }, db, slack, responseUrl);
        point.statistics = await postgresStatistics(db);
        points.push(point);
        log(`    ${describe(point)}`);
      } finally {
        await db.end();
      }
    }
  } finally {
    await dropDatabase(GROWN.database);
  }

  const dir = join(TMP_DIR, 'pglite-grown');
  // The time to seed a point, foreseen from the last one seeded: its fixed part (creating the
  // folder, the migrations) plus its loading (COPY and the rollups) scaled by the sales.
  let last: { sales: number; seconds: number; loadSeconds: number } | undefined;
  try {
    for (const sales of sizes) {
      const expected = last && last.sales > 0 ? last.seconds - last.loadSeconds + (last.loadSeconds / last.sales) * sales : undefined;
      if (last && expected !== undefined && expected > GROWN.maxPgliteSeedSeconds && !GROWN.forcePglite) {
        const skipped =
          `seeding ${last.sales.toLocaleString('en-US')} sales took ${last.seconds.toFixed(0)} s (${last.loadSeconds.toFixed(0)} s of it loading them), ` +
          `so ${sales.toLocaleString('en-US')} would take about ${expected.toFixed(0)} s, more than ${GROWN.maxPgliteSeedSeconds} s; BENCH_GROWN_PGLITE_FORCE=1 measures it`;
        points.push({ database: 'PGlite', sales, seedSeconds: 0, skipped });
        log(`  PGlite, ${sales.toLocaleString('en-US')} sales: skipped, ${skipped}`);
        continue;
      }
      log(`  PGlite, ${sales.toLocaleString('en-US')} sales: seeding without VACUUM or ANALYZE`);
      rmSync(dir, { recursive: true, force: true });
      const seed = await seedPglite(dir, { sales, grown: true });
      last = { sales, seconds: seed.seconds, loadSeconds: seed.copySeconds };
      const point = await measurePoint('PGlite', sales, seed.seconds, { DATA_DIR: dir }, undefined, slack, responseUrl);
      point.statistics = await pgliteStatistics(dir);
      points.push(point);
      log(`    ${describe(point)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { seconds: GROWN.seconds, warmupSalesPerRep: GROWN.warmupSalesPerRep, points };
}

async function measurePoint(
  database: GrownPoint['database'],
  sales: number,
  seedSeconds: number,
  env: { DATABASE_URL: string } | { DATA_DIR: string },
  db: pg.Client | undefined,
  slack: SlackStandIn,
  responseUrl: string,
): Promise<GrownPoint> {
  const port = await freePort();
  // Tally analyzes the stale tables before it answers /healthz.
  const target: Target = await startTarget(tallySpec(`tally-grown-${database.toLowerCase()}`, port, slack.url, env), port);
  try {
    await smokeCheck(target, LOGSALE, responseUrl, (b) => b.includes('Logged'), `/logsale on a grown ${database}`);
    // Every rep logs a few sales before the run: the first sale of a rep on a seeded history
    // records the milestones that history had already crossed (the seed stores no celebrations),
    // a catch-up a history grown through Tally would not have.
    let warmupRequests = 0;
    const warmupStarted = performance.now();
    while (warmupRequests < GROWN.warmupSalesPerRep * LOAD.reps && performance.now() - warmupStarted < GROWN.maxWarmupSeconds * 1000)
      warmupRequests += await warmUp(target, LOGSALE, responseUrl, slack);
    const run = await measureRun(target, LOGSALE, responseUrl, slack, 1, db, GROWN.seconds);
    return { database, sales, seedSeconds, warmupRequests, run };
  } finally {
    await target.app.stop();
  }
}

async function postgresStatistics(db: pg.Client): Promise<GrownPoint['statistics']> {
  const { rows } = await db.query<{ estimated: number; rows: string; analyzed: string }>(
    `select c.reltuples::float8 as estimated, (select count(*) from sales) as rows, s.analyze_count + s.autoanalyze_count as analyzed
     from pg_class c join pg_stat_user_tables s on s.relid = c.oid where c.relname = 'sales' and s.schemaname = current_schema()`,
  );
  const row = rows[0]!;
  return { estimatedRows: Number(row.estimated), rows: Number(row.rows), analyzeCount: Number(row.analyzed) };
}

/** Read once the app has stopped (the folder has one user at a time); the embedded database's counters do not outlive its process. */
async function pgliteStatistics(dir: string): Promise<GrownPoint['statistics']> {
  const database = await openDatabase({ dataDir: dir });
  try {
    const { rows } = await sql<{ estimated: number; rows: string }>`
      select (select reltuples::float8 from pg_class where relname = 'sales') as estimated, (select count(*) from sales) as rows`.execute(
      database.db,
    );
    return { estimatedRows: Number(rows[0]!.estimated), rows: Number(rows[0]!.rows), analyzeCount: null };
  } finally {
    await database.close();
  }
}

async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}

export function describe(point: GrownPoint): string {
  const run = point.run;
  if (!run) return `skipped: ${point.skipped ?? 'not measured'}`;
  const perRequest = (v: number | null) => (v === null ? '–' : v.toFixed(1));
  const s = point.statistics;
  return (
    `seeded in ${point.seedSeconds.toFixed(1)} s, warm-up ${point.warmupRequests ?? 0} requests; ${run.rps.toFixed(0)} req/s, p99 ${run.p99Ms} ms, failed ${run.non2xx + run.errors + run.timeouts}, ` +
    `statements/req ${perRequest(run.statementsPerRequest)}, rows read/req ${perRequest(run.tuplesPerRequest)} (fetched through an index ${perRequest(run.fetchedPerRequest ?? null)}), milestones/req ${perRequest(run.celebrationsPerRequest ?? null)}, ` +
    `app CPU ${((run.appCpu / run.rps) * 1000).toFixed(2)} ms/req` +
    (s
      ? `; sales in the statistics ${s.estimatedRows.toFixed(0)} of ${s.rows}${s.analyzeCount === null ? '' : `, analyzed ${s.analyzeCount}×`}`
      : '')
  );
}
