// (b) Queries at scale: the services Tally's commands, App Home, the Set target modal and the
// digest call, timed one after another on the seeded database (p50/p99), and the EXPLAIN
// ANALYZE plan of every SQL statement each of them sends.
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Database, Workspace } from '../src/db/schema.js';
import type { Clock } from '../src/deps.js';
import { periodAt } from '../src/domain/periods.js';
import { latestSlot, DEFAULT_SCHEDULE } from '../src/domain/schedule.js';
import { buildDigest } from '../src/services/digest.js';
import { forecastFor, suggestionFor } from '../src/services/insights.js';
import { buildLeaderboard } from '../src/services/leaderboard.js';
import { repSnapshot } from '../src/services/progress.js';
import { salesTeamProgress } from '../src/services/targets.js';
import { openDatabase } from '../src/db/open.js';
import { findWorkspace } from '../src/store/workspaces.js';
import { BENCH_DB_URL, LOAD, QUERIES, TEAM, TIMEZONE, repId } from './config.js';
import { percentile } from './stats.js';

export interface QueryResult {
  name: string;
  runs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

interface Deps {
  db: Kysely<Database>;
  clock: Clock;
}

type QuerySpec = { name: string; run: (deps: Deps, i: number) => Promise<unknown> };

function specs(workspace: Workspace, teamIds: bigint[], now: Date): QuerySpec[] {
  const month = periodAt('month', now, workspace.timezone, workspace.fiscal_year_start_month);
  const slot = latestSlot(DEFAULT_SCHEDULE, now, TIMEZONE);
  const team = (i: number) => teamIds[i % teamIds.length]!;
  const rep = (i: number) => repId(i % LOAD.reps);
  return [
    { name: 'leaderboard, month (all 2,000 reps)', run: (d, i) => buildLeaderboard(d, workspace, { kind: 'month', viewerId: rep(i) }) },
    { name: 'leaderboard, quarter (all 2,000 reps)', run: (d, i) => buildLeaderboard(d, workspace, { kind: 'quarter', viewerId: rep(i) }) },
    { name: "a rep's attainment (the /logsale and /tally me figures)", run: (d, i) => repSnapshot(d, workspace, rep(i)) },
    { name: "a team's pace, month", run: (d, i) => salesTeamProgress(d, workspace, team(i), 'revenue', month) },
    { name: "the digest's data for one team", run: (d, i) => buildDigest(d, workspace, { sales_team_id: team(i) }, slot) },
    { name: 'the forecast, company, month', run: (d) => forecastFor(d, workspace, { teamId: TEAM }, 'month', 'revenue') },
    { name: 'the forecast, company, quarter', run: (d) => forecastFor(d, workspace, { teamId: TEAM }, 'quarter', 'revenue') },
    {
      name: 'the suggested target, rep, month',
      run: (d, i) => suggestionFor(d, workspace, { subjectType: 'rep', subjectId: rep(i), metric: 'revenue', periodKind: 'month' }),
    },
    {
      name: 'the suggested target, team, quarter',
      run: (d, i) =>
        suggestionFor(d, workspace, { subjectType: 'team', subjectId: String(team(i)), metric: 'revenue', periodKind: 'quarter' }),
    },
    {
      name: 'the suggested target, company, month',
      run: (d) => suggestionFor(d, workspace, { subjectType: 'company', subjectId: '', metric: 'revenue', periodKind: 'month' }),
    },
  ];
}

/** A Kysely on the bench database with Tally's type parsing, optionally recording every query. */
function benchDb(log?: (query: CompiledQuery) => void): { db: Kysely<Database>; pool: pg.Pool } {
  const parsers: Record<number, (value: string) => unknown> = { 20: (v) => BigInt(v), 1082: (v) => v, 1700: (v) => v };
  const pool = new pg.Pool({
    connectionString: BENCH_DB_URL,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  const dialect = new PostgresDialect({ pool });
  const db = log
    ? new Kysely<Database>({ dialect, log: (event) => (event.level === 'query' ? log(event.query) : undefined) })
    : new Kysely<Database>({ dialect });
  return { db, pool };
}

export async function measureQueries(): Promise<{ results: QueryResult[]; explain: string }> {
  // Opened as Tally opens it: prepared statements, the same type parsing.
  const { db } = await openDatabase({ databaseUrl: BENCH_DB_URL, dataDir: '' });
  const clock = { now: () => new Date() };
  try {
    const workspace = (await findWorkspace(db, TEAM))!;
    const teamIds = (await db.selectFrom('sales_teams').select('id').where('team_id', '=', TEAM).orderBy('id').execute()).map((t) => t.id);
    const list = specs(workspace, teamIds, clock.now());
    const results: QueryResult[] = [];
    for (const spec of list) {
      for (let i = 0; i < 5; i++) await spec.run({ db, clock }, i);
      const times: number[] = [];
      const deadline = performance.now() + QUERIES.maxSeconds * 1000;
      for (let i = 0; i < QUERIES.iterations && performance.now() < deadline; i++) {
        const started = performance.now();
        await spec.run({ db, clock }, i);
        times.push(performance.now() - started);
      }
      const result = {
        name: spec.name,
        runs: times.length,
        p50Ms: percentile(times, 50),
        p99Ms: percentile(times, 99),
        maxMs: Math.max(...times),
      };
      results.push(result);
      console.log(`  ${spec.name}: p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms (${result.runs} runs)`);
    }
    return { results, explain: await explainAll(list, clock) };
  } finally {
    await db.destroy();
  }
}

/** Runs each query once more, recording its SQL, then EXPLAIN ANALYZE of each statement. */
async function explainAll(list: QuerySpec[], clock: Clock): Promise<string> {
  let captured: CompiledQuery[] = [];
  const { db, pool } = benchDb((query) => captured.push(query));
  const sections: string[] = [
    '# EXPLAIN ANALYZE of the queries in (b)',
    '',
    `Plans of every statement each service sends, on the seeded database (${new Date().toISOString()}). Written by \`npm run bench\`.`,
  ];
  try {
    for (const spec of list) {
      captured = [];
      await spec.run({ db, clock }, 1);
      const statements = [...new Map(captured.map((q) => [q.sql, q])).values()];
      sections.push('', `## ${spec.name}`, '', `${captured.length} statements (${statements.length} distinct).`);
      for (const statement of statements) {
        const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
          `explain (analyze, buffers) ${statement.sql}`,
          statement.parameters as unknown[],
        );
        sections.push(
          '',
          '```sql',
          statement.sql.replace(/\s+/g, ' ').trim(),
          '```',
          '',
          '```',
          ...rows.map((r) => r['QUERY PLAN']),
          '```',
        );
      }
    }
  } finally {
    await db.destroy();
  }
  return `${sections.join('\n')}\n`;
}
