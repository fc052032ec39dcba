// What every HTTP scenario of the benchmark shares: the apps under test as processes (Tally,
// the two reference Bolt apps), a check that each answers as expected, a warm-up, and one
// measured run with the work it caused (statements Tally sent, rows the database read).
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { BENCH_DB_URL, BOT_TOKEN, LOAD, SIGNING_SECRET, TIMEZONE } from './config.js';
import { runLoad, sendOne, type RequestKind } from './load.js';
import { AppProcess, postgresCpu, postgresCpuSince, type AppSpec, type SlackStandIn } from './processes.js';
import type { ScenarioRun } from './report.js';

/** /logsale as the load sends it: each sale names another customer. */
export const LOGSALE: RequestKind = { type: 'command', command: '/logsale', text: '1200 Acme {n}' };

export interface Target {
  app: AppProcess;
  baseUrl: string;
}

export function tallySpec(
  name: string,
  port: number,
  slackUrl: string,
  database: { DATABASE_URL: string } | { DATA_DIR: string },
): AppSpec {
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

export function floorSpec(mode: 'ack' | 'insert', port: number, slackUrl: string): AppSpec {
  return {
    name: `bolt-${mode}`,
    command: process.execPath,
    args: ['--import', 'tsx', 'bench/apps/bolt-floor.ts', mode],
    env: { PORT: String(port), SLACK_API_URL: slackUrl, DATABASE_URL: BENCH_DB_URL },
  };
}

export async function startTarget(spec: AppSpec, port: number): Promise<Target & { startupMs: number }> {
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

/**
 * Rows PostgreSQL read for all clients of the bench database: returned (by sequential scans, and
 * index entries by index scans) and fetched (table rows an index scan fetched, an index-only scan
 * too when the visibility map does not vouch for the page).
 */
async function tuplesRead(client: pg.Client): Promise<{ returned: number; fetched: number }> {
  const { rows } = await client.query<{ returned: string; fetched: string }>(
    'select tup_returned as returned, tup_fetched as fetched from pg_stat_database where datname = current_database()',
  );
  return { returned: Number(rows[0]?.returned ?? 0), fetched: Number(rows[0]?.fetched ?? 0) };
}

/** The work counters before a run: statements Tally sent, rows the database read (and of them, fetched by index; PostgreSQL only). */
async function workCounters(
  baseUrl: string,
  db: pg.Client | undefined,
): Promise<{ statements: number | null; tuples: number | null; fetched: number | null }> {
  const statements = await metricValue(baseUrl, 'tally_database_statements_total');
  if (!db) return { statements, tuples: await metricValue(baseUrl, 'tally_database_tuples_read'), fetched: null };
  const read = await tuplesRead(db);
  return { statements, tuples: read.returned + read.fetched, fetched: read.fetched };
}

/** Milestones crossed so far (each a celebration, posted in the background after the sale's reply). */
async function celebrations(client: pg.Client | undefined): Promise<number | null> {
  if (!client) return null;
  const { rows } = await client.query<{ n: string }>('select count(*) as n from celebrations');
  return Number(rows[0]?.n ?? 0);
}

async function maxSaleId(client: pg.Client | undefined): Promise<number> {
  if (!client) return 0;
  const { rows } = await client.query<{ id: string | null }>('select max(id) as id from sales');
  return Number(rows[0]?.id ?? 0);
}

export async function smokeCheck(
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

export async function measureRun(
  target: Target,
  kind: RequestKind,
  responseUrl: string,
  slack: SlackStandIn,
  round: number,
  db: pg.Client | undefined,
  seconds = LOAD.seconds,
): Promise<ScenarioRun> {
  await slack.loadMode(true);
  const errorsBefore = await appErrors(target.baseUrl);
  const idBefore = await maxSaleId(db);
  const celebrationsBefore = await celebrations(db);
  // Server processes hand their counters over within a second of going idle.
  await sleep(1_200);
  const workBefore = await workCounters(target.baseUrl, db);
  const appCpu = target.app.cpuSeconds();
  const pgCpu = postgresCpu();
  const ownCpu = process.cpuUsage();
  const wallStart = performance.now();
  const result = await runLoad(target.baseUrl, kind, responseUrl, seconds);
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
    celebrationsPerRequest: perRequest(celebrationsBefore, await celebrations(db)),
    statementsPerRequest: perRequest(workBefore.statements, workAfter.statements),
    tuplesPerRequest: perRequest(workBefore.tuples, workAfter.tuples),
    fetchedPerRequest: perRequest(workBefore.fetched, workAfter.fetched),
  };
  run.errors += (await appErrors(target.baseUrl)) - errorsBefore;
  await slack.loadMode(false);
  return run;
}

/** Load not counted; returns the requests it sent. */
export async function warmUp(
  target: Target,
  kind: RequestKind,
  responseUrl: string,
  slack: SlackStandIn,
  seconds = LOAD.warmupSeconds,
): Promise<number> {
  await slack.loadMode(true);
  const { requests } = await runLoad(target.baseUrl, kind, responseUrl, seconds);
  await slack.loadMode(false);
  return requests;
}
