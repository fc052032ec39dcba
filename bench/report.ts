// The benchmark's results: the budget (PASS/FAIL), the Markdown table, and the change
// against the results saved by the previous run.
import type { DigestResult } from './digest.js';
import type { LoadResult } from './load.js';
import type { QueryResult } from './queries.js';
import { BUDGET, DIGEST } from './config.js';

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
  salesStored: number;
  statementsPerRequest: number | null;
  tuplesPerRequest: number | null;
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
  budget: BudgetLine[];
}

export interface BudgetLine {
  what: string;
  target: string;
  measured: string;
  pass: boolean;
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
    salesStored: runs.reduce((s, r) => s + r.salesStored, 0),
    statementsPerRequest: meanOrNull(runs.map((r) => r.statementsPerRequest)),
    tuplesPerRequest: meanOrNull(runs.map((r) => r.tuplesPerRequest)),
  };
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
    });
    lines.push({
      what: `${what} p99 at that load`,
      target: `< ${BUDGET.p99Ms} ms`,
      measured: `${s.p99Ms.toFixed(1)} ms`,
      pass: s.p99Ms < BUDGET.p99Ms && s.failed === 0,
    });
  };
  ratioLine('logsale', '/logsale', BUDGET.logsaleVsInsert);
  ratioLine('leaderboard', '/leaderboard (1M sales)', BUDGET.leaderboardVsInsert);
  const worst = [...results.queries].sort((a, b) => b.p99Ms - a.p99Ms)[0]!;
  lines.push({
    what: 'every query in (b), p99',
    target: `< ${BUDGET.queryP99Ms} ms`,
    measured: `worst: ${worst.name} ${worst.p99Ms.toFixed(1)} ms`,
    pass: results.queries.every((q) => q.p99Ms < BUDGET.queryP99Ms),
  });
  const d = results.digest;
  lines.push({
    what: 'digest fan-out: every post exactly once',
    target: `${d.channels} channels × 1 post`,
    measured: `${d.channelsWithOnePost} once, ${d.channelsWithMorePosts} more than once, ${d.channelsWithoutPost} missing`,
    pass: d.channelsWithOnePost === d.channels,
  });
  lines.push({
    what: 'digest fan-out: total time',
    target: `≤ bound × ${1 + BUDGET.digestSlack} = ${(d.boundSeconds * (1 + BUDGET.digestSlack)).toFixed(1)} s`,
    measured: `${d.totalSeconds.toFixed(1)} s (bound ${d.boundSeconds.toFixed(1)} s)`,
    pass: d.totalSeconds <= d.boundSeconds * (1 + BUDGET.digestSlack),
  });
  lines.push({
    what: 'peak RSS of Tally during (a)',
    target: `< ${BUDGET.rssMb} MB`,
    measured: `${results.memory.tallyPostgresPeakRssMb.toFixed(0)} MB (PGlite: ${results.memory.tallyPglitePeakRssMb.toFixed(0)} MB)`,
    pass: results.memory.tallyPostgresPeakRssMb < BUDGET.rssMb,
  });
  lines.push({
    what: 'start-up to a healthy /healthz, PostgreSQL',
    target: `< ${BUDGET.startupPostgresMs} ms`,
    measured: `${median(results.startup.postgresMs).toFixed(0)} ms (median of ${results.startup.postgresMs.length})`,
    pass: median(results.startup.postgresMs) < BUDGET.startupPostgresMs,
  });
  lines.push({
    what: 'start-up to a healthy /healthz, PGlite',
    target: `< ${BUDGET.startupPgliteMs} ms`,
    measured: `${median(results.startup.pgliteMs).toFixed(0)} ms (median of ${results.startup.pgliteMs.length}; first start with migrations ${results.startup.pgliteFirstStartMs.toFixed(0)} ms)`,
    pass: median(results.startup.pgliteMs) < BUDGET.startupPgliteMs && results.startup.pgliteFirstStartMs < BUDGET.startupPgliteMs,
  });
  const pglite = by('logsalePglite')!;
  lines.push({
    what: '/logsale on embedded PGlite',
    target: `≥ ${BUDGET.pgliteLogsaleRps} req/s`,
    measured: `${pglite.rps.toFixed(0)} req/s, p99 ${pglite.p99Ms.toFixed(1)} ms`,
    pass: pglite.rps >= BUDGET.pgliteLogsaleRps && pglite.failed === 0,
  });
  const logsale = by('logsale')!;
  const work = (s: ScenarioSummary) => (s.tuplesPerRequest === null ? 'not measured' : `${s.tuplesPerRequest.toFixed(0)} rows`);
  lines.push({
    what: 'rows read per /logsale (PostgreSQL at 1M sales; PGlite at its seed)',
    target: `< ${BUDGET.logsaleTuples}`,
    measured: `${work(logsale)}; PGlite ${work(pglite)}`,
    pass: [logsale, pglite].every((s) => s.tuplesPerRequest !== null && s.tuplesPerRequest < BUDGET.logsaleTuples),
  });
  return lines;
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
    '| scenario | req/s | × (i) | × (ii) | p50 ms | p99 ms | failed | sales stored | statements / req | rows read / req | app CPU | PostgreSQL CPU | load generator CPU |',
  );
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const perRequest = (v: number | null | undefined) => (typeof v === 'number' ? f1(v) : '–');
  for (const s of results.scenarios) {
    out.push(
      `| ${s.label} | ${f0(s.rps)} | ${f2(s.rps / bare.rps)} | ${f2(s.rps / insert.rps)} | ${f1(s.p50Ms)} | ${f1(s.p99Ms)} | ${s.failed} | ${s.salesStored.toLocaleString('en-US')} | ${perRequest(s.statementsPerRequest)} | ${perRequest(s.tuplesPerRequest)} | ${f2(s.appCpu)} | ${f2(s.postgresCpu)} | ${f2(s.loadgenCpu)} |`,
    );
  }
  out.push(
    '',
    '(i) and (ii) are Bolt apps configured as Tally configures Bolt; (ii) inserts the same row /logsale stores into the same `sales` table ' +
      '(its indexes and the monthly rollup trigger included) with a pool of 10, as Tally. req/s and p50 are the mean of the rounds, p99 the worse round; ' +
      "failed counts non-2xx answers, socket errors, timeouts and handler errors from the app's /metrics. " +
      'Statements per request are those Tally sent (its /metrics counts them; background work a request causes, such as celebrations, included). ' +
      'Rows read per request are the rows PostgreSQL scanned or fetched by index for all clients (pg_stat_database tup_returned + tup_fetched) during the run, ' +
      "divided by the requests; on PGlite, those of its database as Tally's /metrics reports them. CPU is in cores (2 = the whole machine).",
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
  out.push('', '## Budget', '');
  out.push('| budget | target | measured | result |', '| --- | --- | --- | --- |');
  for (const line of results.budget) out.push(`| ${line.what} | ${line.target} | ${line.measured} | ${line.pass ? 'PASS' : '**FAIL**'} |`);
  return `${out.join('\n')}\n`;
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
  row('digest fan-out total', previous.digest?.totalSeconds, current.digest.totalSeconds, 's');
  row('peak RSS (PostgreSQL)', previous.memory?.tallyPostgresPeakRssMb, current.memory.tallyPostgresPeakRssMb, 'MB');
  const before = (values: number[] | undefined) => (values && values.length > 0 ? median(values) : undefined);
  row('start-up PostgreSQL', before(previous.startup?.postgresMs), median(current.startup.postgresMs), 'ms');
  row('start-up PGlite', before(previous.startup?.pgliteMs), median(current.startup.pgliteMs), 'ms');
  return lines;
}
