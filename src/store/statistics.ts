// Table statistics, kept fresh by Tally itself. The planner chooses plans (and a prepared
// statement its generic plan) from them, and nothing else may refresh them: the embedded
// database never runs autovacuum, and some PostgreSQL servers run without it. A plan made
// while `sales` was nearly empty would go on walking the wrong index once it holds a million
// rows. See docs/rules.md#running.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** Changed rows that make a table's statistics stale: as autovacuum decides by default, 50 + 10% of its rows when last analyzed. */
export const ANALYZE_BASE_THRESHOLD = 50;
export const ANALYZE_SCALE_FACTOR = 0.1;

export interface TableActivity {
  table: string;
  /** Live rows, as the server counts them. */
  rows: number;
  /** Rows when it was last analyzed (0 when never). */
  rowsAtAnalyze: number;
  /** Rows inserted, updated or deleted since the table was last analyzed. */
  changedSinceAnalyze: number;
  analyzedBefore: boolean;
  /** Pages the table had when last analyzed, and has now. */
  pagesAtAnalyze: number;
  pages: number;
}

/**
 * True when a table's statistics no longer describe it: never analyzed and not empty, changed
 * by more than the threshold, or grown by more than a tenth of its pages (the change counters
 * start again from zero when the embedded database restarts; its files do not).
 */
export function isStale(activity: TableActivity): boolean {
  if (!activity.analyzedBefore) return activity.rows > 0 || activity.changedSinceAnalyze > 0 || activity.pages > 0;
  if (activity.changedSinceAnalyze > ANALYZE_BASE_THRESHOLD + ANALYZE_SCALE_FACTOR * activity.rowsAtAnalyze) return true;
  return activity.pages > activity.pagesAtAnalyze * (1 + ANALYZE_SCALE_FACTOR) + GROWTH_BASE_PAGES;
}

/** Pages a table may grow by beyond a tenth before its statistics count as stale. */
export const GROWTH_BASE_PAGES = 10;

/** How much each of Tally's tables changed since its last ANALYZE (by this process or any other). */
export async function tableActivity(db: Kysely<Database>): Promise<TableActivity[]> {
  await flushCounters(db);
  // Whether it was analyzed comes from pg_class (reltuples is -1 until then), which survives a
  // restart; the change counters of pg_stat_user_tables may not.
  const { rows } = await sql<{
    table: string;
    rows: string;
    at_analyze: number;
    changed: string;
    analyzed: boolean;
    pages_at_analyze: number;
    pages: string;
  }>`
    select s.relname as "table", s.n_live_tup as rows, greatest(c.reltuples, 0)::float8 as at_analyze,
           s.n_mod_since_analyze as changed, c.reltuples >= 0 as analyzed, c.relpages as pages_at_analyze,
           pg_relation_size(c.oid) / current_setting('block_size')::int as pages
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid
    where s.schemaname = current_schema()
    order by s.relname`.execute(db);
  return rows.map((r) => ({
    table: r.table,
    rows: Number(r.rows),
    rowsAtAnalyze: Number(r.at_analyze),
    changedSinceAnalyze: Number(r.changed),
    analyzedBefore: r.analyzed,
    pagesAtAnalyze: Number(r.pages_at_analyze),
    pages: Number(r.pages),
  }));
}

/**
 * ANALYZEs the given tables in one transaction, unless another process is doing so at the
 * moment (replicas share the work: the one that takes the lock does it). Returns whether it ran.
 */
export async function analyzeTables(db: Kysely<Database>, tables: readonly string[]): Promise<boolean> {
  if (tables.length === 0) return false;
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtext('tally:analyze')) as locked`.execute(trx);
    if (!rows[0]?.locked) return false;
    // Sampling a large table takes longer than a request is allowed to.
    await sql`set local statement_timeout = 0`.execute(trx);
    for (const table of tables) await sql`analyze ${sql.table(table)}`.execute(trx);
    return true;
  });
}

/** Rows the database read (scanned or fetched by index) for all its clients, from pg_stat_database. */
export async function tuplesRead(db: Kysely<Database>): Promise<number> {
  await flushCounters(db);
  const { rows } = await sql<{ read: string }>`
    select tup_returned + tup_fetched as read from pg_stat_database where datname = current_database()`.execute(db);
  return Number(rows[0]?.read ?? 0);
}

/**
 * A server process hands its counters to the statistics system when it next goes idle (at most
 * once a second); the embedded database's only process only when asked (PostgreSQL 15 on). Ask now.
 */
async function flushCounters(db: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ version: number }>`select current_setting('server_version_num')::int as version`.execute(db);
  if ((rows[0]?.version ?? 0) >= 150_000) await sql`select pg_stat_force_next_flush()`.execute(db);
}
