// `npm run bench`: seeds PostgreSQL (and PGlite), starts the fake Slack and the apps under
// test as processes of their own, measures (a) HTTP throughput and latency, (b) queries at
// scale, (c) the digest fan-out, (d) memory and start-up and (e) /logsale on a grown history
// (bench/grown.ts), prints the table, the budget (PASS/FAIL, and why a line fails) and the
// change since the last saved run, and saves the results in docs/bench/. BENCH_ONLY=grown runs (e) alone.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { BENCH_DB_URL, DIGEST, GROWN, LOAD, ONLY, RESULTS_DIR, SCALE, SIGNING_SECRET, TEAM, TMP_DIR } from './config.js';
import { runDigestFanOut } from './digest.js';
import { runGrown } from './grown.js';
import { LOGSALE, floorSpec, measureRun, smokeCheck, startTarget, tallySpec, warmUp, type Target } from './harness.js';
import type { RequestKind } from './load.js';
import { type AppProcess, SlackStandIn, freePort } from './processes.js';
import { measureQueries } from './queries.js';
import {
  budget,
  budgetMarkdown,
  budgetSummary,
  changes,
  grownBudget,
  grownMarkdown,
  markdown,
  summarize,
  type Results,
  type ScenarioId,
  type ScenarioRun,
} from './report.js';
import { checkServer, seedPglite, seedPostgres } from './seed.js';
import type { Config } from '../src/config.js';
import { seal } from '../src/sealing.js';
import { sourceSealingKey } from '../src/services/sources.js';

const started = performance.now();
const loadAtStart = loadavg();
const startedAt = new Date().toISOString();
const log = (message: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

/**
 * A generic webhook source of the bench workspace, stored as `/tally connect webhook bench` stores
 * one (its secret sealed under the key Tally derives from the signing secret it runs with).
 */
async function connectWebhookSource(db: pg.Client): Promise<RequestKind> {
  const sourceId = 'src_0000000000000000000be0c0';
  const secret = 'whsec_bench';
  const key = sourceSealingKey({ slack: { signingSecret: SIGNING_SECRET } } as Config);
  await db.query('delete from sources where id = $1', [sourceId]);
  await db.query(
    `insert into sources (id, team_id, kind, name, secret_sealed, created_by, created_at) values ($1, $2, 'webhook', 'bench', $3, 'U0BENCHADMIN', $4)`,
    [sourceId, TEAM, seal(key, JSON.stringify({ kind: 'webhook', secret })), new Date()],
  );
  return { type: 'webhook', sourceId, secret };
}

function machine(pgVersion: string, loadBefore: number[]): Record<string, string | number> {
  const cpu = cpus();
  return {
    // Other work on the machine (load average over 1, 5, 15 minutes) when the run started and ended.
    'load average at start': loadBefore.map((l) => l.toFixed(1)).join(' '),
    'load average at end': loadavg()
      .map((l) => l.toFixed(1))
      .join(' '),
    cpu: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown'}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    node: process.version,
    postgres: pgVersion,
    'load generator': `autocannon ${JSON.parse(readFileSync('node_modules/autocannon/package.json', 'utf8')).version as string}`,
  };
}

/** BENCH_ONLY=grown: the grown run alone, printed with its budget line and saved as grown.json. */
async function onlyGrown(): Promise<void> {
  log(
    `(e) /logsale on a grown history: ${GROWN.sales.map((n) => n.toLocaleString('en-US')).join(', ')} sales, no VACUUM or ANALYZE by the bench`,
  );
  const slack = await SlackStandIn.start();
  try {
    const grown = await runGrown(slack, log);
    const line = grownBudget(grown);
    console.log(`\n${[...grownMarkdown(grown), '', ...budgetMarkdown([line])].join('\n')}\n`);
    console.log(budgetSummary([line]));
    writeFileSync(join(RESULTS_DIR, 'grown.json'), `${JSON.stringify({ startedAt, grown, budget: [line] }, null, 2)}\n`);
    console.log(`Saved grown.json in ${RESULTS_DIR}. The whole run took ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  } finally {
    await slack.stop();
  }
}

async function main(): Promise<void> {
  mkdirSync(TMP_DIR, { recursive: true });
  mkdirSync(RESULTS_DIR, { recursive: true });
  for (const name of [
    'bolt-ack.log',
    'bolt-insert.log',
    'tally-postgres.log',
    'tally-pglite.log',
    'digest-tick.log',
    'startup.log',
    'tally-grown-postgresql.log',
    'tally-grown-pglite.log',
  ])
    rmSync(join(TMP_DIR, name), { force: true });
  await checkServer();
  if (!existsSync('dist/src/main.js')) throw new Error('dist/src/main.js is missing: run `npm run build` first (npm run bench does).');
  if (ONLY === 'grown') return onlyGrown();
  if (ONLY !== undefined) throw new Error(`BENCH_ONLY=${ONLY}: only "grown" can run alone`);

  log(
    `seeding PostgreSQL: ${SCALE.sales.toLocaleString('en-US')} sales, ${SCALE.reps} reps, ${SCALE.teams} teams, ${SCALE.products} products, ${SCALE.years} years`,
  );
  const seedPg = await seedPostgres();
  log(`  seeded in ${seedPg.seconds.toFixed(1)} s (COPY and vacuum ${seedPg.copySeconds.toFixed(1)} s)`);
  const pgliteDir = join(TMP_DIR, 'pglite-data');
  rmSync(pgliteDir, { recursive: true, force: true });
  log(`seeding PGlite: ${SCALE.pgliteSales.toLocaleString('en-US')} sales`);
  const seedLite = await seedPglite(pgliteDir);
  log(`  seeded in ${seedLite.seconds.toFixed(1)} s`);

  const db = new pg.Client({ connectionString: BENCH_DB_URL });
  await db.connect();
  const pgVersion = (await db.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;

  log('(b) queries at scale');
  const queries = await measureQueries();

  log('(a) HTTP load: starting the fake Slack and the apps');
  const slack = await SlackStandIn.start();
  const responseUrl = `${slack.baseUrl}/respond/bench`;
  const running: AppProcess[] = [];
  try {
    const ports = { bare: await freePort(), insert: await freePort(), tally: await freePort(), pglite: await freePort() };
    const bare = await startTarget(floorSpec('ack', ports.bare, slack.url), ports.bare);
    running.push(bare.app);
    const insert = await startTarget(floorSpec('insert', ports.insert, slack.url), ports.insert);
    running.push(insert.app);
    const tally = await startTarget(tallySpec('tally-postgres', ports.tally, slack.url, { DATABASE_URL: BENCH_DB_URL }), ports.tally);
    running.push(tally.app);

    const logsale = LOGSALE;
    const leaderboard: RequestKind = { type: 'command', command: '/leaderboard', text: 'month' };
    const modal: RequestKind = { type: 'modal', amount: '1200' };
    const webhook = await connectWebhookSource(db);
    const scenarios: Array<{ id: ScenarioId; target: Target; kind: RequestKind; expect: (body: string) => boolean }> = [
      { id: 'bare', target: bare, kind: logsale, expect: (b) => b.includes('ok') },
      { id: 'insert', target: insert, kind: logsale, expect: (b) => b.includes('ok') },
      { id: 'logsale', target: tally, kind: logsale, expect: (b) => b.includes('Logged') },
      { id: 'leaderboard', target: tally, kind: leaderboard, expect: (b) => b.includes('Leaderboard') },
      { id: 'modal', target: tally, kind: modal, expect: (b) => b === '' },
      { id: 'webhook', target: tally, kind: webhook, expect: (b) => b.includes('"outcome":"created"') },
    ];
    for (const s of scenarios) await smokeCheck(s.target, s.kind, responseUrl, s.expect, s.id);

    log(`  warm-up: ${LOAD.warmupSeconds} s of each scenario, not counted`);
    for (const s of scenarios) await warmUp(s.target, s.kind, responseUrl, slack);
    const runs = new Map<ScenarioId, ScenarioRun[]>();
    for (let round = 1; round <= LOAD.rounds; round++) {
      for (const s of scenarios) {
        const run = await measureRun(s.target, s.kind, responseUrl, slack, round, db);
        runs.set(s.id, [...(runs.get(s.id) ?? []), run]);
        log(
          `  round ${round} ${s.id}: ${run.rps.toFixed(0)} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, failed ${run.non2xx + run.errors + run.timeouts}, app CPU ${run.appCpu.toFixed(2)}, PostgreSQL ${run.postgresCpu.toFixed(2)}, load generator ${run.loadgenCpu.toFixed(2)}, statements/req ${run.statementsPerRequest?.toFixed(1) ?? '–'}, rows read/req ${run.tuplesPerRequest?.toFixed(0) ?? '–'}`,
        );
        await sleep(500);
      }
    }
    const memory = {
      tallyPostgresPeakRssMb: tally.app.memory().peakRssMb,
      barePeakRssMb: bare.app.memory().peakRssMb,
      insertPeakRssMb: insert.app.memory().peakRssMb,
      tallyPglitePeakRssMb: 0,
    };
    for (const app of running.splice(0)) await app.stop();

    log('(a) /logsale again on PGlite');
    const lite = await startTarget(tallySpec('tally-pglite', ports.pglite, slack.url, { DATA_DIR: pgliteDir }), ports.pglite);
    running.push(lite.app);
    await smokeCheck(lite, logsale, responseUrl, (b) => b.includes('Logged'), 'logsale on PGlite');
    await warmUp(lite, logsale, responseUrl, slack);
    const liteRun = await measureRun(lite, logsale, responseUrl, slack, 1, undefined);
    log(
      `  PGlite logsale: ${liteRun.rps.toFixed(0)} req/s, p50 ${liteRun.p50Ms} ms, p99 ${liteRun.p99Ms} ms, failed ${liteRun.non2xx + liteRun.errors + liteRun.timeouts}, statements/req ${liteRun.statementsPerRequest?.toFixed(1) ?? '–'}, rows read/req ${liteRun.tuplesPerRequest?.toFixed(0) ?? '–'}`,
    );
    memory.tallyPglitePeakRssMb = lite.app.memory().peakRssMb;
    for (const app of running.splice(0)) await app.stop();

    log(`(c) digest fan-out: ${DIGEST.channels} channels due in the same slot`);
    const digest = await runDigestFanOut(slack);
    log(
      `  ${digest.postsMade} posts in ${digest.totalSeconds.toFixed(1)} s (bound ${digest.boundSeconds.toFixed(1)} s), 429s: ${digest.workspace429} workspace, ${digest.channel429} channel`,
    );

    log('(d) start-up to a healthy /healthz');
    const startup = { postgresMs: [] as number[], pgliteMs: [] as number[], pgliteFirstStartMs: 0 };
    for (let i = 0; i < 3; i++) {
      const t = await startTarget(tallySpec('startup', ports.tally, slack.url, { DATABASE_URL: BENCH_DB_URL }), ports.tally);
      startup.postgresMs.push(t.startupMs);
      await t.app.stop();
    }
    for (let i = 0; i < 3; i++) {
      const t = await startTarget(tallySpec('startup', ports.pglite, slack.url, { DATA_DIR: pgliteDir }), ports.pglite);
      startup.pgliteMs.push(t.startupMs);
      await t.app.stop();
    }
    const emptyDir = join(TMP_DIR, 'pglite-empty');
    rmSync(emptyDir, { recursive: true, force: true });
    const first = await startTarget(tallySpec('startup', ports.pglite, slack.url, { DATA_DIR: emptyDir }), ports.pglite);
    startup.pgliteFirstStartMs = first.startupMs;
    await first.app.stop();
    log(
      `  PostgreSQL ${startup.postgresMs.map((m) => m.toFixed(0)).join(', ')} ms; PGlite ${startup.pgliteMs.map((m) => m.toFixed(0)).join(', ')} ms; PGlite first start ${startup.pgliteFirstStartMs.toFixed(0)} ms`,
    );

    log(
      `(e) /logsale on a grown history: ${GROWN.sales.map((n) => n.toLocaleString('en-US')).join(', ')} sales, no VACUUM or ANALYZE by the bench`,
    );
    const grown = await runGrown(slack, log);

    const base = {
      startedAt,
      totalSeconds: (performance.now() - started) / 1000,
      machine: machine(pgVersion, loadAtStart),
      seed: {
        sales: SCALE.sales,
        reps: SCALE.reps,
        teams: SCALE.teams,
        products: SCALE.products,
        years: SCALE.years,
        'PGlite sales': SCALE.pgliteSales,
        'seed seconds': Math.round(seedPg.seconds),
      },
      load: {
        seconds: LOAD.seconds,
        rounds: LOAD.rounds,
        connections: LOAD.connections,
        reps: LOAD.reps,
        warmupSeconds: LOAD.warmupSeconds,
      },
      scenarios: [...[...runs.entries()].map(([id, r]) => summarize(id, r)), summarize('logsalePglite', [liteRun])],
      queries: queries.results,
      digest,
      memory,
      startup,
      grown,
    };
    const results: Results = { ...base, budget: budget(base) };
    report(results, queries.explain);
  } finally {
    for (const app of running) await app.stop();
    await slack.stop();
    await db.end();
  }
}

function report(results: Results, explain: string): void {
  const file = join(RESULTS_DIR, 'results.json');
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Results) : undefined;
  const text = markdown(results);
  console.log(`\n${text}`);
  console.log(changes(previous, results).join('\n'));
  console.log(`\n${budgetSummary(results.budget)}`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIR, 'results.md'), text);
  writeFileSync(join(RESULTS_DIR, 'explain.md'), explain);
  console.log(`Saved results.json, results.md and explain.md in ${RESULTS_DIR}. The whole run took ${results.totalSeconds.toFixed(0)} s.`);
}

try {
  await main();
} catch (error) {
  console.error(`\nbench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
