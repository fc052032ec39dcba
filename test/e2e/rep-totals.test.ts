// A rep's (or the workspace's) totals over whole ISO weeks come from the weekly rollup
// `sales_weekly`, over whole months from the monthly one, and over other ranges from the sales
// of each day (src/store/sales.ts totalsByRanges). Whatever the sales and whatever happens to
// them after they are stored (voided, moved to another day or rep, changed amount, deleted), every
// range equals adding up the live sales closed in it. Property-based, on both databases.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/open.js';
import { totalsByRanges, type DateRange } from '../../src/store/sales.js';
import { insertSaleRow, insertWorkspaceRow } from '../support/rows.js';
import { migratedDatabase } from '../support/migrated-database.js';

const NOW = new Date('2026-12-20T12:00:00Z');
const REPS = ['U0ANN', 'U0BEN', 'U0CAT'];
const FIRST_DAY = Date.UTC(2026, 9, 26); // 2026-10-26, a Monday
const DAYS = 56; // eight weeks, to 2026-12-20
const day = (offset: number) => new Date(FIRST_DAY + offset * 86_400_000).toISOString().slice(0, 10);
const RANGES: DateRange[] = [
  // Whole ISO weeks: one, and several (as a forecast's past weeks are read together).
  { from: day(0), to: day(7) },
  { from: day(21), to: day(28) },
  { from: day(49), to: day(56) },
  { from: day(7), to: day(42) },
  // Whole months, and ranges that are neither (days, a week from a Sunday).
  { from: '2026-11-01', to: '2026-12-01' },
  { from: day(3), to: day(4) },
  { from: day(6), to: day(13) },
];

/** Day offsets, with Sundays and Mondays likelier than the rest. */
const dayOffset = fc.oneof(fc.integer({ min: 0, max: DAYS - 1 }), fc.constantFrom(0, 6, 7, 13, 14, 48, 49, 55));

type Change = 'none' | 'void' | 'move' | 'reassign' | 'amount' | 'delete';
interface Sale {
  rep: string;
  closedOn: string;
  amount: bigint;
  change: Change;
  /** What a move, a reassignment or a new amount changes the sale to. */
  to: { closedOn: string; rep: string; amount: bigint };
}

const saleArb = fc.record({
  rep: fc.constantFrom(...REPS),
  closedOn: dayOffset.map(day),
  amount: fc.bigInt({ min: 1n, max: 1_000_000n }),
  change: fc.constantFrom<Change>('none', 'none', 'void', 'move', 'reassign', 'amount', 'delete'),
  to: fc.record({ closedOn: dayOffset.map(day), rep: fc.constantFrom(...REPS), amount: fc.bigInt({ min: 1n, max: 1_000_000n }) }),
});

/** The sale as it stands after its change; null when it counts nowhere. */
function after(sale: Sale): { rep: string; closedOn: string; amount: bigint } | null {
  switch (sale.change) {
    case 'void':
    case 'delete':
      return null;
    case 'move':
      return { rep: sale.rep, closedOn: sale.to.closedOn, amount: sale.amount };
    case 'reassign':
      return { rep: sale.to.rep, closedOn: sale.closedOn, amount: sale.amount };
    case 'amount':
      return { rep: sale.rep, closedOn: sale.closedOn, amount: sale.to.amount };
    default:
      return { rep: sale.rep, closedOn: sale.closedOn, amount: sale.amount };
  }
}

let run = 0;

const database = migratedDatabase();
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = database.handle();
});

describe('totals over weeks, months and days', () => {
  it('equal the sum of the live sales closed in each range, after voids, edits and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(saleArb, { maxLength: 30 }), async (sales: Sale[]) => {
        const { db } = handle;
        const teamId = `T0WEEK${run++}`;
        await insertWorkspaceRow(db, teamId, NOW);
        for (const [i, sale] of sales.entries()) {
          await insertSaleRow(db, { teamId, rep: sale.rep, amount: sale.amount, closedOn: sale.closedOn, key: `k${i}`, at: NOW });
        }
        // Changed after they were all stored, as a void or an edit is: the rollups follow.
        for (const [i, sale] of sales.entries()) {
          const stored = db.updateTable('sales').where('team_id', '=', teamId).where('idempotency_key', '=', `k${i}`);
          if (sale.change === 'void') await stored.set({ voided_at: NOW, voided_by: 'U0ADMIN', updated_at: NOW }).execute();
          if (sale.change === 'move') await stored.set({ closed_on: sale.to.closedOn, updated_at: NOW }).execute();
          if (sale.change === 'reassign') await stored.set({ rep_id: sale.to.rep, updated_at: NOW }).execute();
          if (sale.change === 'amount') await stored.set({ amount_minor: sale.to.amount, updated_at: NOW }).execute();
          if (sale.change === 'delete')
            await db.deleteFrom('sales').where('team_id', '=', teamId).where('idempotency_key', '=', `k${i}`).execute();
        }
        const live = sales.map(after).filter((s) => s !== null);
        const expected = (reps: readonly string[] | undefined) =>
          RANGES.map((range) => {
            const counted = live.filter(
              (s) => (reps === undefined || reps.includes(s.rep)) && s.closedOn >= range.from && s.closedOn < range.to,
            );
            return { amountMinor: counted.reduce((sum, s) => sum + s.amount, 0n), deals: BigInt(counted.length) };
          });

        for (const rep of REPS) expect(await totalsByRanges(db, { teamId, repId: rep }, RANGES)).toEqual(expected([rep]));
        expect(await totalsByRanges(db, { teamId, repIds: REPS.slice(0, 2) }, RANGES)).toEqual(expected(REPS.slice(0, 2)));
        expect(await totalsByRanges(db, { teamId }, RANGES)).toEqual(expected(undefined));
      }),
      { numRuns: 40 },
    );
  });
});
