// On the embedded database, a sale's statement finds the rep's rows of the per-rep tables
// (sales_rep_versions, sales_weekly, sales_monthly) by their keys also while those tables are
// small and freshly analyzed, as Tally's own statistics refresh leaves them in a new workspace:
// with PostgreSQL's default random_page_cost the planner scanned each whole (every rep's row, on
// every sale). src/db/open.ts sets it for PGlite, whose pages come from the file cache.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/open.js';
import { insertSaleReadingProgress, type SaleProgressReads } from '../../src/store/sales.js';
import { insertWorkspaceRow, saleRow } from '../support/rows.js';
import { migratedDatabase } from '../support/migrated-database.js';

const AT = new Date('2026-12-03T15:00:00Z');
const TEAM = 'T0SMALL';
const REPS = 200;
const TABLES = ['sales_rep_versions', 'sales_weekly', 'sales_monthly'];

const database = migratedDatabase();
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = database.handle();
  await insertWorkspaceRow(handle.db, TEAM, AT);
});

const READS: SaleProgressReads = {
  workspaceVersion: 1,
  targetWindows: [],
  // This week, this month and last month: the weekly and the monthly rollup.
  ranges: [
    { from: '2026-11-30', to: '2026-12-07' },
    { from: '2026-12-01', to: '2027-01-01' },
    { from: '2026-11-01', to: '2026-12-01' },
  ],
  milestonePeriods: [{ kind: 'month', start: '2026-12-01' }],
};

async function log(n: number): Promise<void> {
  const rep = `U0REP${n % REPS}`;
  const saved = await insertSaleReadingProgress(
    handle.db,
    saleRow({ teamId: TEAM, rep, amount: 120_000n, closedOn: '2026-12-03', key: `sale-${n}`, at: AT }),
    rep,
    READS,
  );
  expect(saved.status).toBe('saved');
}

async function scans(): Promise<Record<string, bigint>> {
  await sql`select pg_stat_force_next_flush()`.execute(handle.db);
  const { rows } = await sql<{ relname: string; seq_scan: bigint }>`
    select relname, seq_scan from pg_stat_user_tables where relname in (${sql.join(TABLES)})`.execute(handle.db);
  return Object.fromEntries(rows.map((r) => [r.relname, BigInt(r.seq_scan)]));
}

describe.runIf(!process.env.TEST_DATABASE_URL)('a sale on small, analyzed per-rep tables (PGlite)', () => {
  it('reads each by its key, not whole', async () => {
    const { workspace_version } = (
      await sql<{ workspace_version: number }>`select version as workspace_version from workspaces where team_id = ${TEAM}`.execute(
        handle.db,
      )
    ).rows[0]!;
    READS.workspaceVersion = workspace_version;
    for (let n = 0; n < REPS; n++) await log(n);
    await sql`analyze`.execute(handle.db);
    const before = await scans();
    for (let n = REPS; n < REPS + 20; n++) await log(n);
    const after = await scans();
    expect(TABLES.map((table) => [table, after[table]! - before[table]!])).toEqual(TABLES.map((table) => [table, 0n]));
  });
});
