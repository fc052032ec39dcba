// The statement that logs a sale also tells whether what it read of the rep is everything before
// the sale (src/store/sales.ts insertSaleReadingProgress, migration 0015): it locks the rep's
// version row and compares the newest version with the one its snapshot holds. Equal, the
// celebrations decide from that statement alone; different (a change of the same rep's sales
// committed in between), they read the rep's progress again. It also returns the rep's
// milestones already recorded in the periods it was asked for.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/open.js';
import type { NewSale } from '../../src/db/schema.js';
import { settleMilestones } from '../../src/services/celebrations.js';
import { recordCelebrationPost } from '../../src/store/celebrations.js';
import { insertSaleReadingProgress, type SaleProgressReads } from '../../src/store/sales.js';
import { insertSaleRow, insertWorkspaceRow, saleRow } from '../support/rows.js';
import { migratedDatabase } from '../support/migrated-database.js';

const AT = new Date('2026-12-10T12:00:00Z');
const TEAM = 'T0SEEN';

let keys = 0;

const database = migratedDatabase();
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = database.handle();
  await insertWorkspaceRow(handle.db, TEAM, AT);
});

function sale(rep: string, amount: bigint, key = `k${++keys}`): NewSale {
  return saleRow({ teamId: TEAM, rep, amount, closedOn: '2026-12-10', key, at: AT });
}

async function reads(): Promise<SaleProgressReads> {
  const { version } = await handle.db.selectFrom('workspaces').select('version').where('team_id', '=', TEAM).executeTakeFirstOrThrow();
  return {
    workspaceVersion: version,
    targetWindows: [],
    ranges: [{ from: '2026-12-01', to: '2027-01-01' }],
    milestonePeriods: [
      { kind: 'month', start: '2026-12-01' },
      { kind: 'quarter', start: '2026-10-01' },
    ],
  };
}

async function log(rep: string, amount: bigint, key?: string) {
  const saved = await insertSaleReadingProgress(handle.db, sale(rep, amount, key), rep, await reads());
  if (saved.status !== 'saved') throw new Error(saved.status);
  return saved;
}

async function recordMilestone(rep: string, kind: 'month' | 'quarter' | 'year', start: string, milestone: number) {
  await handle.db
    .insertInto('celebrations')
    .values({ team_id: TEAM, rep_id: rep, metric: 'revenue', period_kind: kind, period_start: start, milestone, reached_at: AT })
    .execute();
}

describe('what the statement that logs a sale saw of the rep', () => {
  it('a sale stored with no other change of the rep in between saw everything, and the milestones recorded in the periods read', async () => {
    await recordMilestone('U0ANN', 'month', '2026-12-01', 50);
    await recordMilestone('U0ANN', 'quarter', '2026-10-01', 100);
    await recordMilestone('U0ANN', 'month', '2026-11-01', 50); // another period: not read
    await recordMilestone('U0BEN', 'month', '2026-12-01', 100); // another rep: not read

    const first = await log('U0ANN', 1000n);
    expect(first.milestones.complete).toBe(true);
    expect(first.milestones.recorded.sort((a, b) => a.milestone - b.milestone)).toEqual([
      { metric: 'revenue', period_kind: 'month', period_start: '2026-12-01', milestone: 50 },
      { metric: 'revenue', period_kind: 'quarter', period_start: '2026-10-01', milestone: 100 },
    ]);
    const second = await log('U0ANN', 2000n);
    expect(second.milestones.complete).toBe(true);
    expect(second.totals).toEqual([{ amountMinor: 3000n, deals: 2n }]);
    // The rep's version counts the changes of their sales: one per sale stored.
    const { rows: versions } = await sql<{ rep_id: string; version: string }>`
      select rep_id, version from sales_rep_versions where team_id = ${TEAM}`.execute(handle.db);
    expect(versions.map((v) => [v.rep_id, String(v.version)])).toEqual([['U0ANN', '2']]);
  });

  it('a replay stores nothing and is not taken as a complete picture', async () => {
    await log('U0CAT', 500n, 'replayed');
    const replay = await log('U0CAT', 500n, 'replayed');
    expect(replay.created).toBe(false);
    expect(replay.milestones.complete).toBe(false);
  });

  it('a void, an edit or a delete of the rep’s sales moves the version, as a sale does', async () => {
    const version = async () =>
      String(
        (
          await sql<{ version: string }>`select version from sales_rep_versions where team_id = ${TEAM} and rep_id = 'U0DAN'`.execute(
            handle.db,
          )
        ).rows[0]?.version,
      );
    await insertSaleRow(handle.db, { teamId: TEAM, rep: 'U0DAN', amount: 100n, closedOn: '2026-12-02', key: 'dan-1', at: AT });
    expect(await version()).toBe('1');
    await handle.db.updateTable('sales').set({ amount_minor: 200n }).where('idempotency_key', '=', 'dan-1').execute();
    expect(await version()).toBe('2');
    await handle.db.updateTable('sales').set({ note: 'no change to totals' }).where('idempotency_key', '=', 'dan-1').execute();
    expect(await version()).toBe('2');
    await handle.db.updateTable('sales').set({ voided_at: AT }).where('idempotency_key', '=', 'dan-1').execute();
    expect(await version()).toBe('3');
    await handle.db.deleteFrom('sales').where('idempotency_key', '=', 'dan-1').execute();
    expect(await version()).toBe('4');
  });
});

/** Waits until some statement of this database is waiting for a lock. */
async function someoneWaitsForALock(): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const { rows } = await sql<{ waiting: string }>`
      select count(*) as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(handle.db);
    if (Number(rows[0]!.waiting) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no statement waited for a lock');
}

describe.runIf(process.env.TEST_DATABASE_URL)('sales of one rep stored at the same moment (PostgreSQL)', () => {
  it('a sale of the same rep committed while the statement ran makes it incomplete: its totals miss that sale', async () => {
    await log('U0EVE', 1000n);
    let racing: Awaited<ReturnType<typeof log>> | undefined;
    await handle.db.transaction().execute(async (trx) => {
      await insertSaleReadingProgress(trx, sale('U0EVE', 4000n), 'U0EVE', await reads());
      const pending = log('U0EVE', 2000n).then((saved) => {
        racing = saved;
      });
      await someoneWaitsForALock();
      expect(racing).toBeUndefined();
      // Committed when this callback returns; the statement waiting on the rep goes on then.
      void pending;
    });
    for (let i = 0; i < 500 && racing === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(racing?.milestones.complete).toBe(false);
    // Its snapshot was taken before the other sale was committed: 1,000 + its own 2,000.
    expect(racing?.totals).toEqual([{ amountMinor: 3000n, deals: 2n }]);
  });

  it('another rep’s sale being stored neither holds the statement up nor makes it incomplete', async () => {
    await handle.db.transaction().execute(async (trx) => {
      await insertSaleReadingProgress(trx, sale('U0FAY', 4000n), 'U0FAY', await reads());
      const other = await log('U0GUS', 2000n);
      expect(other.milestones.complete).toBe(true);
      expect(other.totals).toEqual([{ amountMinor: 2000n, deals: 1n }]);
    });
  });

  it('settling a rep’s milestones waits for a sale of theirs still being stored, and counts it', async () => {
    await handle.db
      .insertInto('targets')
      .values({
        team_id: TEAM,
        subject_type: 'rep',
        subject_id: 'U0HAL',
        metric: 'revenue',
        period_kind: 'month',
        first_period_start: '2026-12-01',
        last_period_start: null,
        amount: 1000n,
        created_by: 'U0BOSS',
        created_at: AT,
      })
      .execute();
    const workspace = await handle.db.selectFrom('workspaces').selectAll().where('team_id', '=', TEAM).executeTakeFirstOrThrow();
    const deps = { db: handle.db, clock: { now: () => AT } };
    let settled: Awaited<ReturnType<typeof settleMilestones>> | undefined;
    await handle.db.transaction().execute(async (trx) => {
      // A sale taking U0HAL to 60% of the month, stored but not yet committed.
      await insertSaleReadingProgress(trx, sale('U0HAL', 600n), 'U0HAL', await reads());
      const pending = settleMilestones(deps, workspace, 'U0HAL', '2026-12-10').then((changes) => {
        settled = changes;
      });
      await someoneWaitsForALock();
      expect(settled).toBeUndefined();
      void pending;
    });
    for (let i = 0; i < 500 && settled === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled?.celebrated.map((c) => [c.notice.period.kind, c.notice.milestone])).toEqual([['month', 50]]);
  });
});

describe('the post of a celebration', () => {
  async function celebration(rep: string): Promise<bigint> {
    const row = await handle.db
      .insertInto('celebrations')
      .values({
        team_id: TEAM,
        rep_id: rep,
        metric: 'revenue',
        period_kind: 'week',
        period_start: '2026-12-07',
        milestone: 50,
        reached_at: AT,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }
  const post = (celebrationId: bigint, messageTs: string) =>
    recordCelebrationPost(handle.db, { teamId: TEAM, celebrationId, channelId: 'C0EAST', messageTs, postedAt: AT });
  const stored = (messageTs: string) =>
    handle.db.selectFrom('celebration_posts').select('withdrawn_at').where('message_ts', '=', messageTs).executeTakeFirstOrThrow();

  it('is kept live while its celebration stands, and kept as withdrawn when it was taken back meanwhile', async () => {
    const standing = await celebration('U0IDA');
    expect(await post(standing, '1.1')).toBe(true);
    expect((await stored('1.1')).withdrawn_at).toBeNull();
    const gone = await celebration('U0JON');
    await handle.db.deleteFrom('celebrations').where('id', '=', gone).execute();
    expect(await post(gone, '1.2')).toBe(false);
    expect((await stored('1.2')).withdrawn_at).toEqual(AT);
  });

  it.runIf(process.env.TEST_DATABASE_URL)('waits for a withdrawal under way, then is kept as withdrawn (PostgreSQL)', async () => {
    const id = await celebration('U0KIM');
    let answer: boolean | undefined;
    await handle.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('celebrations').where('id', '=', id).execute();
      const pending = post(id, '1.3').then((current) => {
        answer = current;
      });
      await someoneWaitsForALock();
      expect(answer).toBeUndefined();
      void pending;
    });
    for (let i = 0; i < 500 && answer === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(answer).toBe(false);
    expect((await stored('1.3')).withdrawn_at).toEqual(AT);
  });
});
