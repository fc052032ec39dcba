// `npm run bench`: seeds PostgreSQL (and PGlite), starts the fake Slack and the apps under
// test as processes of their own, measures (a) HTTP throughput and latency, (b) queries at
// scale, (c) the digest fan-out and (d) memory and start-up, prints the table, the budget
// (PASS/FAIL) and the change since the last saved run, and saves the results in docs/bench/.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { BENCH_DB_URL, BOT_TOKEN, DIGEST, LOAD, RESULTS_DIR, SCALE, SIGNING_SECRET, TEAM, TIMEZONE, TMP_DIR } from './config.js';
import { runDigestFanOut } from './digest.js';
import { runLoad, sendOne, type RequestKind } from './load.js';
import { AppProcess, SlackStandIn, freePort, postgresCpu, postgresCpuSince, type AppSpec } from './processes.js';
import { measureQueries } from './queries.js';
import { budget, changes, markdown, summarize, type Results, type ScenarioId, type ScenarioRun } from './report.js';
import { checkServer, seedPglite, seedPostgres } from './seed.js';
import type { Config } from '../src/config.js';
import { seal } from '../src/sealing.js';
import { sourceSealingKey } from '../src/services/sources.js';

const started = performance.now();
const loadAtStart = loadavg();
const startedAt = new Date().toISOString();
const log = (message: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

interface Target {
  app: AppProcess;
  baseUrl: string;
}

function tallySpec(name: string, port: number, slackUrl: string, database: { DATABASE_URL: string } | { DATA_DIR: string }): AppSpec {
  return {
    name,
    command: process.execPath,
    args: ['dist/src/main.js'],
    env: {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slackUrl,
      PORT: String(port),
      DEFAULT_TIMEZONE: TIMEZONE,
      LOG_LEVEL: 'warn',
      ...database,
    },
  };
}

function floorSpec(mode: 'ack' | 'insert', port: number, slackUrl: string): AppSpec {
  return {
    name: `bolt-${mode}`,
    command: process.execPath,
    args: ['--import', 'tsx', 'bench/apps/bolt-floor.ts', mode],
    env: { PORT: String(port), SLACK_API_URL: slackUrl, DATABASE_URL: BENCH_DB_URL },
  };
}

async function startTarget(spec: AppSpec, port: number): Promise<Target & { startupMs: number }> {
  const app = AppProcess.start(spec);
  const baseUrl = `http://127.0.0.1:${port}`;
  const startupMs = await app.waitHealthy(`${baseUrl}/healthz`);
  return { app, baseUrl, startupMs };
}

/** Requests Tally's handlers failed (they answer 200 with "try again"), from its /metrics. */
async function appErrors(baseUrl: string): Promise<number> {
  const text = await fetch(`${baseUrl}/metrics`).then(
    (r) => (r.ok ? r.text() : ''),
    () => '',
  );
  let total = 0;
  for (const match of text.matchAll(/^tally_requests_total\{[^}]*outcome="error"[^}]*\} (\d+)/gm)) total += Number(match[1]);
  return total;
}

/** One unlabelled sample of the app's /metrics; null when the app serves none (the reference apps). */
async function metricValue(baseUrl: string, name: string): Promise<number | null> {
  const text = await fetch(`${baseUrl}/metrics`).then(
    (r) => (r.ok ? r.text() : ''),
    () => '',
  );
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : null;
}

/** Rows PostgreSQL read for all clients of the bench database (tup_returned + tup_fetched). */
async function tuplesRead(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ read: string }>(
    'select tup_returned + tup_fetched as read from pg_stat_database where datname = current_database()',
  );
  return Number(rows[0]?.read ?? 0);
}

/** The work counters before a run: statements Tally sent, rows the database read. */
async function workCounters(baseUrl: string, db: pg.Client | undefined): Promise<{ statements: number | null; tuples: number | null }> {
  const statements = await metricValue(baseUrl, 'tally_database_statements_total');
  const tuples = db ? await tuplesRead(db) : await metricValue(baseUrl, 'tally_database_tuples_read');
  return { statements, tuples };
}

async function maxSaleId(client: pg.Client | undefined): Promise<number> {
  if (!client) return 0;
  const { rows } = await client.query<{ id: string | null }>('select max(id) as id from sales');
  return Number(rows[0]?.id ?? 0);
}

async function smokeCheck(
  target: Target,
  kind: RequestKind,
  responseUrl: string,
  expect: (body: string) => boolean,
  what: string,
): Promise<void> {
  const answer = await sendOne(target.baseUrl, kind, responseUrl);
  if (answer.status !== 200 || !expect(answer.body)) {
    throw new Error(
      `${target.app.spec.name} did not answer as expected to ${what}: HTTP ${answer.status} ${answer.body.slice(0, 500)}\n${target.app.tail()}`,
    );
  }
}

async function measureRun(
  target: Target,
  kind: RequestKind,
  responseUrl: string,
  slack: SlackStandIn,
  round: number,
  db: pg.Client | undefined,
): Promise<ScenarioRun> {
  await slack.loadMode(true);
  const errorsBefore = await appErrors(target.baseUrl);
  const idBefore = await maxSaleId(db);
  // Server processes hand their counters over within a second of going idle.
  await sleep(1_200);
  const workBefore = await workCounters(target.baseUrl, db);
  const appCpu = target.app.cpuSeconds();
  const pgCpu = postgresCpu();
  const ownCpu = process.cpuUsage();
  const wallStart = performance.now();
  const result = await runLoad(target.baseUrl, kind, responseUrl);
  const wall = (performance.now() - wallStart) / 1000;
  const own = process.cpuUsage(ownCpu);
  const cpu = {
    app: (target.app.cpuSeconds() - appCpu) / wall,
    postgres: postgresCpuSince(pgCpu) / wall,
    loadgen: (own.user + own.system) / 1e6 / wall,
  };
  // What the requests set going in the background (celebrations) finishes, and is counted.
  await sleep(1_200);
  const workAfter = await workCounters(target.baseUrl, db);
  const perRequest = (before: number | null, after: number | null) =>
    before === null || after === null || result.requests === 0 ? null : (after - before) / result.requests;
  const run: ScenarioRun = {
    ...result,
    round,
    appCpu: cpu.app,
    postgresCpu: cpu.postgres,
    loadgenCpu: cpu.loadgen,
    salesStored: (await maxSaleId(db)) - idBefore,
    statementsPerRequest: perRequest(workBefore.statements, workAfter.statements),
    tuplesPerRequest: perRequest(workBefore.tuples, workAfter.tuples),
  };
  run.errors += (await appErrors(target.baseUrl)) - errorsBefore;
  await slack.loadMode(false);
  return run;
}

async function warmUp(target: Target, kind: RequestKind, responseUrl: string, slack: SlackStandIn): Promise<void> {
  await slack.loadMode(true);
  await runLoad(target.baseUrl, kind, responseUrl, LOAD.warmupSeconds);
  await slack.loadMode(false);
}

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

async function main(): Promise<void> {
  mkdirSync(TMP_DIR, { recursive: true });
  mkdirSync(RESULTS_DIR, { recursive: true });
  for (const name of ['bolt-ack.log', 'bolt-insert.log', 'tally-postgres.log', 'tally-pglite.log', 'digest-tick.log', 'startup.log'])
    rmSync(join(TMP_DIR, name), { force: true });
  await checkServer();
  if (!existsSync('dist/src/main.js')) throw new Error('dist/src/main.js is missing: run `npm run build` first (npm run bench does).');

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

    const logsale: RequestKind = { type: 'command', command: '/logsale', text: '1200 Acme {n}' };
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
  const failed = results.budget.filter((b) => !b.pass);
  console.log(
    `\nBudget: ${results.budget.length - failed.length} PASS, ${failed.length} FAIL${failed.length ? ` (${failed.map((b) => b.what).join('; ')})` : ''}.`,
  );
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
