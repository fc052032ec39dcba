import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The rate in force on `date`: the latest one set for a day on or before it. */
export function rateOn(db: Db, teamId: string, currency: string, date: string) {
  return db
    .selectFrom('fx_rates')
    .select(['rate', 'valid_on'])
    .where('team_id', '=', teamId)
    .where('currency', '=', currency)
    .where('valid_on', '<=', date)
    .orderBy('valid_on', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Sets a rate from `validOn` on; setting the same day again replaces it. Returns the one it replaced. */
export async function upsertRate(db: Db, teamId: string, currency: string, validOn: string, rate: string, setBy: string, now: Date) {
  const before = await db
    .selectFrom('fx_rates')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('currency', '=', currency)
    .where('valid_on', '=', validOn)
    .executeTakeFirst();
  const after = await db
    .insertInto('fx_rates')
    .values({ team_id: teamId, currency, valid_on: validOn, rate, set_by: setBy, set_at: now })
    .onConflict((oc) => oc.columns(['team_id', 'currency', 'valid_on']).doUpdateSet({ rate, set_by: setBy, set_at: now }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return { before, after };
}

/** The latest rate of each currency. */
export function latestRates(db: Db, teamId: string) {
  return db
    .selectFrom('fx_rates')
    .selectAll()
    .distinctOn('currency')
    .where('team_id', '=', teamId)
    .orderBy('currency')
    .orderBy('valid_on', 'desc')
    .execute();
}
