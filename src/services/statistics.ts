// Keeps the database's table statistics fresh (src/store/statistics.ts says why): at start-up
// and from the scheduler, each table that changed by more than its threshold is analyzed.
import type { Deps } from '../deps.js';
import { analyzeTables, isStale, tableActivity } from '../store/statistics.js';

/** Analyzes the tables whose statistics are stale; returns their names (none when another process is at it). */
export async function refreshStatistics(deps: Pick<Deps, 'db' | 'logger'>): Promise<string[]> {
  const stale = (await tableActivity(deps.db)).filter(isStale);
  const tables = stale.map((t) => t.table);
  if (!(await analyzeTables(deps.db, tables))) return [];
  deps.logger.info(
    { tables: stale.map((t) => `${t.table} (${t.changedSinceAnalyze} changed of ${t.rows})`) },
    'table statistics refreshed',
  );
  return tables;
}
