// A sales team's totals over whole months come from the monthly rollup plus the days of months
// a stint covers only in part (src/store/sales.ts salesTeamMonthsQuery). Whatever the stints
// (open ends, mid-month joins and leaves, leaving and coming back) and whatever the sales
// (voided or not), they equal adding up each live sale closed while its rep was a member: on
// the team's totals and on its leaderboard rows. Property-based, on both databases.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/open.js';
import { leaderboardRows } from '../../src/store/leaderboard.js';
import { totalsByRanges, type DateRange } from '../../src/store/sales.js';
import { insertSaleRow, insertWorkspaceRow } from '../support/rows.js';
import { migratedDatabase } from '../support/migrated-database.js';

const NOW = new Date('2026-12-20T12:00:00Z');
const REPS = ['U0ANN', 'U0BEN', 'U0CAT'];
const FIRST_DAY = Date.UTC(2026, 8, 1); // 2026-09-01
const DAYS = 122; // to 2026-12-31
const MONTHS: DateRange[] = [
  { from: '2026-09-01', to: '2026-10-01' },
  { from: '2026-10-01', to: '2026-11-01' },
  { from: '2026-11-01', to: '2026-12-01' },
  { from: '2026-12-01', to: '2027-01-01' },
];
const RANGES: DateRange[] = [...MONTHS, { from: '2026-10-01', to: '2027-01-01' }, { from: '2026-09-01', to: '2027-01-01' }];

const day = (offset: number) => new Date(FIRST_DAY + offset * 86_400_000).toISOString().slice(0, 10);
/** Day offsets, with the firsts of months (and the day before and after) likelier than the rest. */
const dayOffset = fc.oneof(fc.integer({ min: 0, max: DAYS }), fc.constantFrom(0, 29, 30, 31, 60, 61, 62, 90, 91, 92, DAYS));

interface Stint {
  from: string | null;
  to: string | null;
}
interface Sale {
  rep: string;
  closedOn: string;
  amount: bigint;
  voided: boolean;
}

/** Non-overlapping stints of one rep: sorted distinct cut days paired up, the first start and last end possibly open. */
const stintsArb = fc
  .record({ cuts: fc.uniqueArray(dayOffset, { maxLength: 6 }), openStart: fc.boolean(), openEnd: fc.boolean() })
  .map(({ cuts, openStart, openEnd }): Stint[] => {
    const days = [...cuts].sort((a, b) => a - b).map(day);
    const bounds: Array<string | null> = [...(openStart ? [null] : []), ...days, ...(openEnd ? [null] : [])];
    const stints: Stint[] = [];
    for (let i = 0; i + 1 < bounds.length; i += 2) stints.push({ from: bounds[i]!, to: bounds[i + 1]! });
    return stints;
  });

const saleArb = fc.record({
  rep: fc.constantFrom(...REPS),
  closedOn: dayOffset.map((o) => day(Math.min(o, DAYS - 1))),
  amount: fc.bigInt({ min: 1n, max: 1_000_000n }),
  voided: fc.boolean(),
});

const covers = (stint: Stint, date: string) => (stint.from === null || stint.from <= date) && (stint.to === null || stint.to > date);

let run = 0;

const database = migratedDatabase();
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = database.handle();
});

describe("a sales team's totals over whole months", () => {
  it('equal the sum of the live sales closed while each rep was a member', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(stintsArb, stintsArb, stintsArb),
        fc.array(saleArb, { maxLength: 40 }),
        async (stintsPerRep, sales: Sale[]) => {
          const { db } = handle;
          const teamId = `T0PROP${run++}`;
          await insertWorkspaceRow(db, teamId, NOW);
          const team = await db
            .insertInto('sales_teams')
            .values({ team_id: teamId, name: 'east', channel_id: null, created_by: 'U0ADMIN', created_at: NOW })
            .returning('id')
            .executeTakeFirstOrThrow();
          const stints = REPS.flatMap((rep, i) => stintsPerRep[i]!.map((s) => ({ rep, ...s })));
          if (stints.length > 0) {
            await db
              .insertInto('sales_team_members')
              .values(
                stints.map((s) => ({
                  team_id: teamId,
                  sales_team_id: team.id,
                  user_id: s.rep,
                  added_at: NOW,
                  valid_from: s.from,
                  valid_to: s.to,
                })),
              )
              .execute();
          }
          for (const [i, sale] of sales.entries()) {
            await insertSaleRow(db, { teamId, rep: sale.rep, amount: sale.amount, closedOn: sale.closedOn, key: `k${i}`, at: NOW });
            // Voided after it was stored, as a void is: the rollup takes it back.
            if (sale.voided)
              await db
                .updateTable('sales')
                .set({ voided_at: NOW, voided_by: 'U0ADMIN', updated_at: NOW })
                .where('team_id', '=', teamId)
                .where('idempotency_key', '=', `k${i}`)
                .execute();
          }
          const counted = (range: DateRange, rep?: string) =>
            sales.filter(
              (s) =>
                !s.voided &&
                (rep === undefined || s.rep === rep) &&
                s.closedOn >= range.from &&
                s.closedOn < range.to &&
                stints.some((stint) => stint.rep === s.rep && covers(stint, s.closedOn)),
            );

          const totals = await totalsByRanges(db, { teamId, salesTeamId: team.id }, RANGES);
          expect(totals).toEqual(
            RANGES.map((range) => {
              const live = counted(range);
              return { amountMinor: live.reduce((sum, s) => sum + s.amount, 0n), deals: BigInt(live.length) };
            }),
          );

          for (const range of [MONTHS[2]!, RANGES[4]!]) {
            const rows = await leaderboardRows(db, { teamId, from: range.from, to: range.to, salesTeamId: team.id });
            const members = REPS.filter((rep) =>
              stints.some((s) => s.rep === rep && (s.from === null || s.from < range.to) && (s.to === null || s.to > range.from)),
            );
            expect(rows.map((r) => ({ ...r })).sort((a, b) => a.rep_id.localeCompare(b.rep_id))).toEqual(
              members.map((rep) => {
                const live = counted(range, rep);
                return { rep_id: rep, amount: live.reduce((sum, s) => sum + s.amount, 0n), deals: BigInt(live.length) };
              }),
            );
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
