// The benchmark's results: the budget (PASS/FAIL), the Markdown table, and the change
// against the results saved by the previous run.
import type { DigestResult } from './digest.js';
import type { LoadResult } from './load.js';
import type { QueryResult } from './queries.js';
import { BUDGET, DIGEST, LOAD } from './config.js';

export type ScenarioId = 'bare' | 'insert' | 'logsale' | 'leaderboard' | 'modal' | 'webhook' | 'logsalePglite';

export const SCENARIO_LABELS: Record<ScenarioId, string> = {
  bare: '(i) bare Bolt, command only acks',
  insert: '(ii) Bolt + one INSERT (storage floor)',
  logsale: '(iii) Tally /logsale',
  leaderboard: '(iv) Tally /leaderboard month, 1M sales',
  modal: '(v) Tally Log a sale modal submit',
  webhook: '(vi) Tally webhook delivery (signed JSON, a new deal each)',
  logsalePglite: '(iii) Tally /logsale on PGlite',
};

export interface ScenarioRun extends LoadResult {
  round: number;
  /** CPU used during the run, in cores (1.0 = one core busy all the time). */
  appCpu: number;
  postgresCpu: number;
  loadgenCpu: number;
  /** Sales rows the run added to the database. */
  salesStored: number;
  /** Statements Tally sent per request (its /metrics; null for the reference apps). */
  statementsPerRequest: number | null;
  /** Rows the database read per request (pg_stat_database; on PGlite through Tally's /metrics). */
  tuplesPerRequest: number | null;
  /** Of those rows, table rows fetched through an index (tup_fetched; PostgreSQL only; absent in older results). */
  fetchedPerRequest?: number | null;
  /** Milestones crossed per request (celebrations stored; PostgreSQL only; absent in older results). */
  celebrationsPerRequest?: number | null;
}

/** A point of (e), the grown run (bench/grown.ts). */
export interface GrownPoint {
  database: 'PostgreSQL' | 'PGlite';
  /** Sales stored before the warm-up and the run (they add theirs). */
  sales: number;
  seedSeconds: number;
  /** Requests of the warm-up, not counted. */
  warmupRequests?: number;
  /** Why the point was not measured (then run is absent). */
  skipped?: string;
  run?: ScenarioRun;
  /** What the planner believed of `sales` when the run ended: rows (reltuples; -1 never analyzed), and the rows there were. */
  statistics?: { estimatedRows: number; rows: number; analyzeCount: number | null };
}

/** (e): /logsale at each size of history, on both databases. */
export interface GrownResult {
  seconds: number;
  warmupSalesPerRep: number;
  points: GrownPoint[];
}

export interface ScenarioSummary {
  id: ScenarioId;
  label: string;
  runs: ScenarioRun[];
  rps: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
  appCpu: number;
  postgresCpu: number;
  loadgenCpu: number;
  /** CPU time a request, in ms: the app's process (the database too, on PGlite) and PostgreSQL's. */
  appCpuMsPerRequest: number;
  postgresCpuMsPerRequest: number;
  salesStored: number;
  statementsPerRequest: number | null;
  tuplesPerRequest: number | null;
  fetchedPerRequest: number | null;
  celebrationsPerRequest: number | null;
}

export interface Results {
  startedAt: string;
  totalSeconds: number;
  machine: Record<string, string | number>;
  seed: Record<string, number>;
  load: { seconds: number; rounds: number; connections: number; reps: number; warmupSeconds?: number };
  scenarios: ScenarioSummary[];
  queries: QueryResult[];
  digest: DigestResult;
  memory: { tallyPostgresPeakRssMb: number; tallyPglitePeakRssMb: number; barePeakRssMb: number; insertPeakRssMb: number };
  startup: { postgresMs: number[]; pgliteMs: number[]; pgliteFirstStartMs: number };
  /** (e) the grown run; absent in results saved before it existed. */
  grown?: GrownResult;
  budget: BudgetLine[];
}

export interface BudgetLine {
  what: string;
  target: string;
  measured: string;
  pass: boolean;
  /** Why a line that fails is not reached, from what the run measured. */
  reason?: string;
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export function summarize(id: ScenarioId, runs: ScenarioRun[]): ScenarioSummary {
  return {
    id,
    label: SCENARIO_LABELS[id],
    runs,
    rps: mean(runs.map((r) => r.rps)),
    p50Ms: mean(runs.map((r) => r.p50Ms)),
    // The worse of the runs: a budget on p99 should hold in each.
    p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
    failed: runs.reduce((s, r) => s + r.non2xx + r.errors + r.timeouts, 0),
    appCpu: mean(runs.map((r) => r.appCpu)),
    postgresCpu: mean(runs.map((r) => r.postgresCpu)),
    loadgenCpu: mean(runs.map((r) => r.loadgenCpu)),
    appCpuMsPerRequest: mean(runs.map((r) => cpuMsPerRequest(r.appCpu, r))),
    postgresCpuMsPerRequest: mean(runs.map((r) => cpuMsPerRequest(r.postgresCpu, r))),
    salesStored: runs.reduce((s, r) => s + r.salesStored, 0),
    statementsPerRequest: meanOrNull(runs.map((r) => r.statementsPerRequest)),
    tuplesPerRequest: meanOrNull(runs.map((r) => r.tuplesPerRequest)),
    fetchedPerRequest: meanOrNull(runs.map((r) => r.fetchedPerRequest)),
    celebrationsPerRequest: meanOrNull(runs.map((r) => r.celebrationsPerRequest)),
  };
}

/** Cores busy during a run, as ms of CPU a request. */
function cpuMsPerRequest(cores: number, run: ScenarioRun): number {
  return run.rps === 0 ? 0 : (cores / run.rps) * 1000;
}

function meanOrNull(values: Array<number | null | undefined>): number | null {
  return values.every((v) => typeof v === 'number') ? mean(values as number[]) : null;
}

export function budget(results: Omit<Results, 'budget'>): BudgetLine[] {
  const by = (id: ScenarioId) => results.scenarios.find((s) => s.id === id);
  const insert = by('insert')!;
  const lines: BudgetLine[] = [];
  const ratioLine = (id: ScenarioId, what: string, share: number) => {
    const s = by(id)!;
    lines.push({
      what: `${what} throughput`,
      target: `≥ ${share * 100}% of (ii) = ${(insert.rps * share).toFixed(0)} req/s`,
      measured: `${s.rps.toFixed(0)} req/s (${((s.rps / insert.rps) * 100).toFixed(0)}% of (ii))`,
      pass: s.rps >= insert.rps * share,
      reason: throughputReason(s, insert, insert.rps * share),
    });
    lines.push({
      what: `${what} p99 at that load`,
      target: `< ${BUDGET.p99Ms} ms`,
      measured: `${s.p99Ms.toFixed(1)} ms`,
      pass: s.p99Ms < BUDGET.p99Ms && s.failed === 0,
      reason: latencyReason(s, results.load.connections),
    });
  };
  ratioLine('logsale', '/logsale', BUDGET.logsaleVsInsert);
  ratioLine('leaderboard', '/leaderboard (1M sales)', BUDGET.leaderboardVsInsert);
  const worst = [...results.queries].sort((a, b) => b.p99Ms - a.p99Ms)[0]!;
  const slow = results.queries.filter((q) => q.p99Ms >= BUDGET.queryP99Ms);
  lines.push({
    what: 'every query in (b), p99',
    target: `< ${BUDGET.queryP99Ms} ms`,
    measured: `worst: ${worst.name} ${worst.p99Ms.toFixed(1)} ms`,
    pass: slow.length === 0,
    reason:
      `${slow.length} of ${results.queries.length} over: ` +
      slow
        .map(
          (q) =>
            `${q.name} p50 ${f1(q.p50Ms)} / p99 ${f1(q.p99Ms)} ms (${q.p50Ms >= BUDGET.queryP99Ms ? 'slow at the median too' : q.p50Ms * 2 < q.p99Ms ? 'the median within the budget, the tail not' : 'the median close to the budget'})`,
        )
        .join('; ') +
      '; plans in explain.md',
  });
  const d = results.digest;
  lines.push({
    what: 'digest fan-out: every post exactly once',
    target: `${d.channels} channels × 1 post`,
    measured: `${d.channelsWithOnePost} once, ${d.channelsWithMorePosts} more than once, ${d.channelsWithoutPost} missing`,
    pass: d.channelsWithOnePost === d.channels,
    reason: `runs: ${Object.entries(d.runs)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; 429s: ${d.workspace429} workspace, ${d.channel429} channel`,
  });
  lines.push({
    what: 'digest fan-out: total time',
    target: `≤ bound × ${1 + BUDGET.digestSlack} = ${(d.boundSeconds * (1 + BUDGET.digestSlack)).toFixed(1)} s`,
    measured: `${d.totalSeconds.toFixed(1)} s (bound ${d.boundSeconds.toFixed(1)} s)`,
    pass: d.totalSeconds <= d.boundSeconds * (1 + BUDGET.digestSlack),
    reason: `posting took ${f1(d.postingSeconds)} s of the ${f1(d.totalSeconds)} s (the rest: the tick's start-up, its reads before the first post and its exit); ${d.workspace429} answers 429 from the workspace limit`,
  });
  const m = results.memory;
  lines.push({
    what: 'peak RSS of Tally during (a)',
    target: `< ${BUDGET.rssMb} MB`,
    measured: `${m.tallyPostgresPeakRssMb.toFixed(0)} MB (PGlite: ${m.tallyPglitePeakRssMb.toFixed(0)} MB)`,
    pass: m.tallyPostgresPeakRssMb < BUDGET.rssMb,
    reason: `bare Bolt alone reaches ${f0(m.barePeakRssMb)} MB and Bolt + INSERT ${f0(m.insertPeakRssMb)} MB under the same load; Tally adds ${f0(m.tallyPostgresPeakRssMb - m.barePeakRssMb)} MB over bare Bolt`,
  });
  const st = results.startup;
  lines.push({
    what: 'start-up to a healthy /healthz, PostgreSQL',
    target: `< ${BUDGET.startupPostgresMs} ms`,
    measured: `${median(st.postgresMs).toFixed(0)} ms (median of ${st.postgresMs.length})`,
    pass: median(st.postgresMs) < BUDGET.startupPostgresMs,
    reason: `each start: ${st.postgresMs.map(f0).join(', ')} ms`,
  });
  lines.push({
    what: 'start-up to a healthy /healthz, PGlite',
    target: `< ${BUDGET.startupPgliteMs} ms`,
    measured: `${median(st.pgliteMs).toFixed(0)} ms (median of ${st.pgliteMs.length}; first start with migrations ${st.pgliteFirstStartMs.toFixed(0)} ms)`,
    pass: median(st.pgliteMs) < BUDGET.startupPgliteMs && st.pgliteFirstStartMs < BUDGET.startupPgliteMs,
    reason:
      median(st.pgliteMs) < BUDGET.startupPgliteMs
        ? `later starts are within (${st.pgliteMs.map(f0).join(', ')} ms); the first, on an empty folder, creates the database files and runs every migration in WebAssembly: ${f0(st.pgliteFirstStartMs)} ms`
        : `each start: ${st.pgliteMs.map(f0).join(', ')} ms`,
  });
  const pglite = by('logsalePglite')!;
  lines.push({
    what: '/logsale on embedded PGlite',
    target: `≥ ${BUDGET.pgliteLogsaleRps} req/s`,
    measured: `${pglite.rps.toFixed(0)} req/s, p99 ${pglite.p99Ms.toFixed(1)} ms`,
    pass: pglite.rps >= BUDGET.pgliteLogsaleRps && pglite.failed === 0,
    reason:
      `the app's process, the database in it, used ${f2(pglite.appCpuMsPerRequest)} ms of CPU a request ` +
      `(${f2(pglite.appCpu)} cores): one core serves at most ${f0(1000 / pglite.appCpuMsPerRequest)} req/s at that cost; ` +
      `${BUDGET.pgliteLogsaleRps} req/s needs ≤ ${f2(1000 / BUDGET.pgliteLogsaleRps)} ms; ${workText(pglite)}` +
      (pglite.failed > 0 ? `; ${pglite.failed} requests failed` : ''),
  });
  const logsale = by('logsale')!;
  const work = (s: ScenarioSummary) => (s.tuplesPerRequest === null ? 'not measured' : `${s.tuplesPerRequest.toFixed(0)} rows`);
  lines.push({
    what: 'rows read per /logsale (PostgreSQL at 1M sales; PGlite at its seed)',
    target: `< ${BUDGET.logsaleTuples}`,
    measured: `${work(logsale)}; PGlite ${work(pglite)}`,
    pass: [logsale, pglite].every((s) => s.tuplesPerRequest !== null && s.tuplesPerRequest < BUDGET.logsaleTuples),
    reason: `PostgreSQL ${workText(logsale)}; PGlite ${workText(pglite)}`,
  });
  if (results.grown) lines.push(grownBudget(results.grown));
  // A reason is kept only where the line is not reached.
  return lines.map((line) => (line.pass ? { what: line.what, target: line.target, measured: line.measured, pass: true } : line));
}

function workText(s: {
  statementsPerRequest: number | null;
  tuplesPerRequest: number | null;
  fetchedPerRequest?: number | null;
  celebrationsPerRequest?: number | null;
}): string {
  const statements = s.statementsPerRequest;
  const rows = s.tuplesPerRequest;
  if (statements === null || rows === null) return 'statements and rows not measured';
  const fetched =
    typeof s.fetchedPerRequest === 'number'
      ? `: ${f0(rows - s.fetchedPerRequest)} returned by scans and index entries, ${f0(s.fetchedPerRequest)} table rows fetched through an index`
      : '';
  const milestones =
    typeof s.celebrationsPerRequest === 'number'
      ? `, ${f2(s.celebrationsPerRequest)} milestones crossed (each checked and celebrated after the reply)`
      : '';
  return `${f1(statements)} statements and ${f0(rows)} rows read a request (${f0(rows / statements)} rows a statement${fetched})${milestones}`;
}

/** What the planner knew of `sales` when a grown point's run ended. */
function statisticsText(p: GrownPoint): string {
  const s = p.statistics;
  if (!s) return 'statistics unknown';
  return s.estimatedRows < 0
    ? `sales never analyzed (${s.rows.toLocaleString('en-US')} rows at the end)`
    : `the statistics of sales counted ${Math.round(s.estimatedRows).toLocaleString('en-US')} of its ${s.rows.toLocaleString('en-US')} rows`;
}

/** Where a request's time goes against the one-INSERT app: statements, rows, CPU of each process. */
function throughputReason(s: ScenarioSummary, insert: ScenarioSummary, targetRps: number): string {
  const busy = s.appCpu + s.postgresCpu + s.loadgenCpu;
  return (
    `${workText(s)}, against 1 statement and ${insert.tuplesPerRequest === null ? '–' : f0(insert.tuplesPerRequest)} rows for (ii); ` +
    `app CPU ${f2(s.appCpuMsPerRequest)} ms a request against ${f2(insert.appCpuMsPerRequest)} ms for (ii) (×${f1(s.appCpuMsPerRequest / insert.appCpuMsPerRequest)}), ` +
    `PostgreSQL ${f2(s.postgresCpuMsPerRequest)} ms against ${f2(insert.postgresCpuMsPerRequest)}; ` +
    `at that cost one core of app CPU serves at most ${f0(1000 / s.appCpuMsPerRequest)} req/s, and ${f0(targetRps)} req/s on one core needs ≤ ${f2(1000 / targetRps)} ms; ` +
    `cores busy ${f2(busy)} of 2 (app ${f2(s.appCpu)}, PostgreSQL ${f2(s.postgresCpu)}, load generator ${f2(s.loadgenCpu)})`
  );
}

/** A closed loop of N connections: mean latency ≈ N / throughput (Little's law), so p99 follows req/s. */
function latencyReason(s: ScenarioSummary, connections: number): string {
  return (
    `${connections} connections at ${f0(s.rps)} req/s: each request waits about ${f0((connections / s.rps) * 1000)} ms on average (connections ÷ req/s), ` +
    `p50 ${f1(s.p50Ms)} ms; the cores were ${f2(s.appCpu + s.postgresCpu + s.loadgenCpu)} of 2 busy` +
    (s.failed > 0 ? `; ${s.failed} requests failed` : '')
  );
}

const pointName = (p: GrownPoint) =>
  `${p.database} ${p.sales >= 1_000_000 ? `${p.sales / 1_000_000}M` : p.sales >= 1000 ? `${p.sales / 1000}k` : p.sales}`;

/** Rows read per /logsale at each size of the grown run, on both databases. */
export function grownBudget(grown: GrownResult): BudgetLine {
  const measured = grown.points.filter((p) => p.run?.tuplesPerRequest != null);
  const over = measured.filter((p) => p.run!.tuplesPerRequest! >= BUDGET.logsaleTuples);
  const missing = grown.points.filter((p) => p.run?.tuplesPerRequest == null);
  const sizes = [...new Set(grown.points.map((p) => pointName(p).split(' ')[1]))].join(' / ');
  const reasons = [
    ...over.map((p) => `${pointName(p)}: ${workText(p.run!)}; ${statisticsText(p)}`),
    ...missing.map((p) => `${pointName(p)} not measured: ${p.skipped ?? 'no rows counted'}`),
  ];
  return {
    what: `rows read per /logsale at ${sizes} sales, grown (no VACUUM or ANALYZE by the bench), PostgreSQL and PGlite`,
    target: `< ${BUDGET.logsaleTuples}`,
    measured: grown.points
      .map((p) => `${pointName(p)}: ${p.run?.tuplesPerRequest == null ? 'not measured' : f0(p.run.tuplesPerRequest)}`)
      .join('; '),
    pass: missing.length === 0 && over.length === 0,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
  };
}

/** The Markdown section of the grown run. */
export function grownMarkdown(grown: GrownResult): string[] {
  const out: string[] = ['## (e) /logsale on a grown history', ''];
  out.push(
    `Each point is seeded afresh with the sales shown and no VACUUM or ANALYZE by the bench (on PostgreSQL, autovacuum is off for every table), ` +
      `then Tally is started on it: its own start-up refresh of statistics (every table changed by more than 50 + 10% of its rows, or grown by a tenth of its pages, is analyzed), ` +
      `and the scheduler's every five minutes, are all the planner gets. A warm-up, not counted, until each of the ${LOAD.reps} reps logged ${grown.warmupSalesPerRep} sales ` +
      `(a rep's first sale on a seeded history records the milestones the history had crossed: the seed stores no celebrations), then ${grown.seconds} s of /logsale with ${LOAD.connections} connections; ` +
      'the warm-up and the run add their own sales. Rows read are counted as in (a); "sales in the statistics" is what the planner believed (pg_class.reltuples) against the rows there were, when the run ended.',
    '',
  );
  out.push(
    '| database | sales loaded | seeded in s | warm-up requests | req/s | p50 ms | p99 ms | failed | statements / req | rows read / req | of them fetched through an index | milestones / req | app CPU ms / req | PostgreSQL CPU ms / req | sales in the statistics | ANALYZE of sales |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  const perRequest = (v: number | null | undefined) => (typeof v === 'number' ? f1(v) : '–');
  for (const p of grown.points) {
    const r = p.run;
    if (!r) {
      out.push(`| ${p.database} | ${p.sales.toLocaleString('en-US')} | – | – | skipped: ${p.skipped ?? ''} | | | | | | | | | | | |`);
      continue;
    }
    const s = p.statistics;
    out.push(
      `| ${p.database} | ${p.sales.toLocaleString('en-US')} | ${f1(p.seedSeconds)} | ${p.warmupRequests ?? '–'} | ${f0(r.rps)} | ${f1(r.p50Ms)} | ${f1(r.p99Ms)} | ${r.non2xx + r.errors + r.timeouts} | ` +
        `${perRequest(r.statementsPerRequest)} | ${perRequest(r.tuplesPerRequest)} | ${perRequest(r.fetchedPerRequest)} | ${typeof r.celebrationsPerRequest === 'number' ? f2(r.celebrationsPerRequest) : '–'} | ${f2(cpuMsPerRequest(r.appCpu, r))} | ${p.database === 'PGlite' ? '–' : f2(cpuMsPerRequest(r.postgresCpu, r))} | ` +
        `${!s ? '–' : s.estimatedRows < 0 ? `never analyzed (${s.rows.toLocaleString('en-US')} rows)` : `${Math.round(s.estimatedRows).toLocaleString('en-US')} of ${s.rows.toLocaleString('en-US')}`} | ${s?.analyzeCount == null ? '–' : `${s.analyzeCount}×`} |`,
    );
  }
  return out;
}

const f0 = (n: number) => n.toFixed(0);
const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

export function markdown(results: Results): string {
  const bare = results.scenarios.find((s) => s.id === 'bare')!;
  const insert = results.scenarios.find((s) => s.id === 'insert')!;
  const out: string[] = [];
  out.push(`# Benchmark results`, '');
  out.push(
    `Run ${results.startedAt}, ${f0(results.totalSeconds)} s in all. Machine: ${Object.entries(results.machine)
      .map(([k, v]) => `${k} ${v}`)
      .join(' · ')}.`,
  );
  out.push(
    `Seed: ${Object.entries(results.seed)
      .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
      .join(', ')}.`,
    `Load: ${results.load.connections} connections, ${results.load.seconds} s a run after ${results.load.warmupSeconds ?? 0} s of warm-up, ${results.load.rounds} rounds alternating the scenarios (A B C D E, A B C D E), requests signed as Slack signs them from ${results.load.reps} reps. ` +
      'The load generator (autocannon), PostgreSQL, the fake Slack and the app share the same 2 cores: the CPU columns show who used what.',
    '',
  );
  out.push('## (a) HTTP throughput and latency', '');
  out.push(
    '| scenario | req/s | × (i) | × (ii) | p50 ms | p99 ms | failed | sales stored | statements / req | rows read / req | app CPU ms / req | PostgreSQL CPU ms / req | app CPU | PostgreSQL CPU | load generator CPU |',
  );
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const perRequest = (v: number | null | undefined) => (typeof v === 'number' ? f1(v) : '–');
  for (const s of results.scenarios) {
    out.push(
      `| ${s.label} | ${f0(s.rps)} | ${f2(s.rps / bare.rps)} | ${f2(s.rps / insert.rps)} | ${f1(s.p50Ms)} | ${f1(s.p99Ms)} | ${s.failed} | ${s.salesStored.toLocaleString('en-US')} | ${perRequest(s.statementsPerRequest)} | ${perRequest(s.tuplesPerRequest)} | ${f2(s.appCpuMsPerRequest)} | ${s.id === 'logsalePglite' ? '–' : f2(s.postgresCpuMsPerRequest)} | ${f2(s.appCpu)} | ${f2(s.postgresCpu)} | ${f2(s.loadgenCpu)} |`,
    );
  }
  out.push(
    '',
    '(i) and (ii) are Bolt apps configured as Tally configures Bolt; (ii) inserts the same row /logsale stores into the same `sales` table ' +
      '(its indexes and the monthly rollup trigger included) with a pool of 10, as Tally. req/s and p50 are the mean of the rounds, p99 the worse round; ' +
      "failed counts non-2xx answers, socket errors, timeouts and handler errors from the app's /metrics. " +
      'Statements per request are those Tally sent (its /metrics counts them; background work a request causes, such as celebrations, included). ' +
      'Rows read per request are the rows PostgreSQL scanned or fetched by index for all clients (pg_stat_database tup_returned + tup_fetched) during the run, ' +
      "divided by the requests; on PGlite, those of its database as Tally's /metrics reports them. CPU is in cores (2 = the whole machine); " +
      "CPU ms / req is the CPU time of the process (on PGlite the database runs in the app's) divided by the requests it served.",
  );
  out.push(
    '',
    `Per run (req/s, p99 ms): ${results.scenarios.map((s) => `${s.id} ${s.runs.map((r) => `${f0(r.rps)}/${f1(r.p99Ms)}`).join(', ')}`).join('; ')}.`,
  );
  out.push('', '## (b) Queries at scale (one client, one after another)', '');
  out.push('| query | runs | p50 ms | p99 ms | max ms |', '| --- | ---: | ---: | ---: | ---: |');
  for (const q of results.queries) out.push(`| ${q.name} | ${q.runs} | ${f1(q.p50Ms)} | ${f1(q.p99Ms)} | ${f1(q.maxMs)} |`);
  out.push('', 'Plans: [explain.md](explain.md).');
  const d = results.digest;
  out.push('', '## (c) Digest fan-out', '');
  out.push(
    `One scheduler tick (\`node dist/src/cli/digest.js --at\`) posts the Monday digest of ${d.channels} channels, each subscribed to one of the sales teams, against the fake Slack: ` +
      `1 post a second per channel; per workspace a burst of ${DIGEST.workspaceBurst} posts, then ${DIGEST.workspacePerSecond} a second, beyond which it answers 429 with Retry-After. ` +
      'The bound is the least time that limit allows: (channels − burst) / rate. Total is the tick process from spawn to exit.',
    '',
  );
  out.push(
    '| channels | total s | bound s | posting s | posts made | once / more / missing | 429 workspace | 429 channel | runs | peak RSS MB |',
  );
  out.push('| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | ---: |');
  out.push(
    `| ${d.channels} | ${f1(d.totalSeconds)} | ${f1(d.boundSeconds)} | ${f1(d.postingSeconds)} | ${d.postsMade} | ${d.channelsWithOnePost} / ${d.channelsWithMorePosts} / ${d.channelsWithoutPost} | ${d.workspace429} | ${d.channel429} | ${Object.entries(
      d.runs,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} | ${f0(d.peakRssMb)} |`,
  );
  out.push('', '## (d) Memory and start-up', '');
  out.push('| what | value |', '| --- | ---: |');
  out.push(`| peak RSS, Tally on PostgreSQL during (a) | ${f0(results.memory.tallyPostgresPeakRssMb)} MB |`);
  out.push(`| peak RSS, Tally on PGlite during its /logsale run | ${f0(results.memory.tallyPglitePeakRssMb)} MB |`);
  out.push(`| peak RSS, bare Bolt / Bolt + INSERT | ${f0(results.memory.barePeakRssMb)} / ${f0(results.memory.insertPeakRssMb)} MB |`);
  out.push(`| start-up to healthy /healthz, PostgreSQL (each run) | ${results.startup.postgresMs.map(f0).join(', ')} ms |`);
  out.push(`| start-up to healthy /healthz, PGlite (each run) | ${results.startup.pgliteMs.map(f0).join(', ')} ms |`);
  out.push(`| first start on an empty PGlite folder (migrations) | ${f0(results.startup.pgliteFirstStartMs)} ms |`);
  if (results.grown) out.push('', ...grownMarkdown(results.grown));
  out.push('', ...budgetMarkdown(results.budget));
  return `${out.join('\n')}\n`;
}

export function budgetMarkdown(lines: BudgetLine[]): string[] {
  const out = ['## Budget', '', '| budget | target | measured | result | why not reached (measured) |', '| --- | --- | --- | --- | --- |'];
  for (const line of lines)
    out.push(
      `| ${line.what} | ${line.target} | ${line.measured} | ${line.pass ? 'PASS' : '**FAIL**'} | ${line.pass ? '' : (line.reason ?? '')} |`,
    );
  return out;
}

/** The budget as the console shows it at the end: every line, and under each that fails, why. */
export function budgetSummary(lines: BudgetLine[]): string {
  const failed = lines.filter((b) => !b.pass);
  const out = [`Budget: ${lines.length - failed.length} PASS, ${failed.length} FAIL.`];
  for (const line of lines) {
    out.push(`  ${line.pass ? 'PASS' : 'FAIL'}  ${line.what}: ${line.measured} (target ${line.target})`);
    if (!line.pass && line.reason) out.push(`        why: ${line.reason}`);
  }
  return out.join('\n');
}

/** The change of each headline number since the previous saved run. */
export function changes(previous: Results | undefined, current: Results): string[] {
  if (!previous) return ['No earlier results saved: nothing to compare with.'];
  const lines: string[] = [`Change against the run of ${previous.startedAt}:`];
  const pct = (before: number, after: number) =>
    before === 0 ? 'n/a' : `${after >= before ? '+' : ''}${(((after - before) / before) * 100).toFixed(1)}%`;
  const row = (what: string, before: number | undefined, after: number, unit: string) => {
    if (before === undefined || Number.isNaN(before)) lines.push(`  ${what}: ${after.toFixed(1)} ${unit} (new)`);
    else lines.push(`  ${what}: ${before.toFixed(1)} → ${after.toFixed(1)} ${unit} (${pct(before, after)})`);
  };
  for (const s of current.scenarios) {
    const before = previous.scenarios.find((p) => p.id === s.id);
    row(`${s.label} req/s`, before?.rps, s.rps, 'req/s');
    row(`${s.label} p99`, before?.p99Ms, s.p99Ms, 'ms');
  }
  for (const q of current.queries) row(`${q.name} p99`, previous.queries.find((p) => p.name === q.name)?.p99Ms, q.p99Ms, 'ms');
  for (const p of current.grown?.points ?? []) {
    const before = previous.grown?.points.find((q) => q.database === p.database && q.sales === p.sales)?.run;
    if (p.run?.tuplesPerRequest != null)
      row(`grown ${pointName(p)} rows read / req`, before?.tuplesPerRequest ?? undefined, p.run.tuplesPerRequest, 'rows');
  }
  row('digest fan-out total', previous.digest?.totalSeconds, current.digest.totalSeconds, 's');
  row('peak RSS (PostgreSQL)', previous.memory?.tallyPostgresPeakRssMb, current.memory.tallyPostgresPeakRssMb, 'MB');
  const before = (values: number[] | undefined) => (values && values.length > 0 ? median(values) : undefined);
  row('start-up PostgreSQL', before(previous.startup?.postgresMs), median(current.startup.postgresMs), 'ms');
  row('start-up PGlite', before(previous.startup?.pgliteMs), median(current.startup.pgliteMs), 'ms');
  return lines;
}
