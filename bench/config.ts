// What the benchmark runs against and what it measures: one place for every number.
// Durations can be shortened for a quick look (BENCH_SECONDS=3 npm run bench); the saved
// results and the budget are only meaningful at the defaults.
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const TMP_DIR = fileURLToPath(new URL('./results/tmp/', import.meta.url));

const env = process.env;
/** Any BENCH_* size or duration changed: a quick look, saved apart from the real results. */
export const QUICK = Object.keys(env).some((key) => key.startsWith('BENCH_') && !['BENCH_SERVER_URL', 'BENCH_DATABASE'].includes(key));
export const RESULTS_DIR = QUICK
  ? fileURLToPath(new URL('./results/tmp/quick/', import.meta.url))
  : fileURLToPath(new URL('../docs/bench/', import.meta.url));
const number = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);

/** The PostgreSQL server the bench uses (its own database on it is dropped and made anew). */
export const SERVER_URL = env.BENCH_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const BENCH_DB = env.BENCH_DATABASE ?? 'tally_bench';
export const BENCH_DB_URL = withDatabase(SERVER_URL, BENCH_DB);

export const SIGNING_SECRET = 'bench-signing-secret-0b6d';
export const TEAM = 'T0BENCH';
export const BOT_TOKEN = 'xoxb-bench';
export const BOT_USER = 'U0TALLYBOT';
export const TIMEZONE = 'America/New_York';
/** Where /logsale and the modal are used from; every rep is a member. */
export const GENERAL_CHANNEL = 'C0GENERAL';

export const SCALE = {
  sales: number('BENCH_SALES', 1_000_000),
  reps: 2_000,
  teams: 200,
  products: 50,
  years: 3,
  /** Share of sales voided (they count nowhere but stay in the table). */
  voidedShare: 0.01,
  /** The embedded database gets a smaller history: it is seeded in WebAssembly. */
  pgliteSales: number('BENCH_PGLITE_SALES', 100_000),
};

/**
 * The grown run: /logsale on a history of each size, loaded without the bench's VACUUM or
 * ANALYZE, so the plans rest on the statistics Tally keeps itself. A point on PGlite is skipped
 * when its seeding would take longer than maxPgliteSeedSeconds (judged from the points before
 * it), unless BENCH_GROWN_PGLITE_FORCE=1.
 */
export const GROWN = {
  sales: (env.BENCH_GROWN_SALES ?? '0,100000,1000000').split(',').map(Number),
  seconds: number('BENCH_GROWN_SECONDS', 5),
  maxPgliteSeedSeconds: 180,
  forcePglite: env.BENCH_GROWN_PGLITE_FORCE === '1',
  /** The warm-up of a point goes on (LOAD.warmupSeconds at a time) until every rep logged this many sales, or for at most maxWarmupSeconds. */
  warmupSalesPerRep: 2,
  maxWarmupSeconds: 30,
  database: `${BENCH_DB}_grown`,
};

/** BENCH_ONLY=grown runs the grown run alone. */
export const ONLY = env.BENCH_ONLY;

export const LOAD = {
  /** Seconds per scenario run. */
  seconds: number('BENCH_SECONDS', 15),
  rounds: number('BENCH_ROUNDS', 2),
  /** Seconds of each scenario before the rounds, not counted: JIT, pools, first-time work (a rep's first milestone). */
  warmupSeconds: number('BENCH_WARMUP_SECONDS', 3),
  connections: 32,
  /** Requests come from this many different reps. */
  reps: 200,
};

/** The fake Slack's limits for the digest fan-out (docs/rules.md#digests; Slack: 1 post/s per channel, a few hundred a minute per workspace). */
export const DIGEST = {
  channels: number('BENCH_DIGEST_CHANNELS', 500),
  workspaceBurst: 200,
  workspacePerSecond: 5,
  perChannelPerSecond: 1,
};

export const QUERIES = {
  /** Each query runs this many times (after a warm-up), or for at most maxSeconds. */
  iterations: number('BENCH_QUERY_ITERATIONS', 200),
  maxSeconds: 4,
};

export const BUDGET = {
  logsaleVsInsert: 0.9,
  leaderboardVsInsert: 0.5,
  p99Ms: 50,
  queryP99Ms: 50,
  digestSlack: 0.1,
  rssMb: 250,
  startupPostgresMs: 2_000,
  startupPgliteMs: 5_000,
  pgliteLogsaleRps: 300,
  /** Rows the database reads for one /logsale, whatever the history's size. */
  logsaleTuples: 150,
};

export function repId(i: number): string {
  return `U${String(i).padStart(7, '0')}`;
}

export function teamChannel(i: number): string {
  return `CTEAM${String(i).padStart(4, '0')}`;
}

export function digestChannel(i: number): string {
  return `CDIGEST${String(i).padStart(4, '0')}`;
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
