import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DigestRun, DigestSubscription } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface SubscriptionInput {
  teamId: string;
  channelId: string;
  salesTeamId: bigint | null;
  cadence: 'weekly' | 'daily';
  time: string;
  weekday: number;
  createdBy: string;
  /** When it is made: slots before it are neither posted nor counted as missed. */
  now: Date;
}

/** One subscription per channel and team: subscribing again changes its schedule. */
export function upsertSubscription(db: Db, input: SubscriptionInput): Promise<DigestSubscription> {
  return db
    .insertInto('digest_subscriptions')
    .values({
      team_id: input.teamId,
      channel_id: input.channelId,
      sales_team_id: input.salesTeamId,
      cadence: input.cadence,
      at_time: input.time,
      weekday: input.weekday,
      created_by: input.createdBy,
      created_at: input.now,
      updated_at: input.now,
    })
    .onConflict((oc) =>
      oc.expression(sql`team_id, channel_id, coalesce(sales_team_id, 0)`).doUpdateSet({
        cadence: input.cadence,
        at_time: input.time,
        weekday: input.weekday,
        created_by: input.createdBy,
        updated_at: input.now,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function deleteSubscriptions(db: Db, teamId: string, channelId: string, salesTeamId: bigint | null): Promise<DigestSubscription[]> {
  let query = db.deleteFrom('digest_subscriptions').where('team_id', '=', teamId).where('channel_id', '=', channelId);
  query = salesTeamId === null ? query.where('sales_team_id', 'is', null) : query.where('sales_team_id', '=', salesTeamId);
  return query.returningAll().execute();
}

/** A channel's subscription for one sales team (null: the whole company), as it is before a change. */
export function findChannelSubscription(db: Db, teamId: string, channelId: string, salesTeamId: bigint | null) {
  let query = db.selectFrom('digest_subscriptions').selectAll().where('team_id', '=', teamId).where('channel_id', '=', channelId);
  query = salesTeamId === null ? query.where('sales_team_id', 'is', null) : query.where('sales_team_id', '=', salesTeamId);
  return query.executeTakeFirst();
}

export function listSubscriptions(db: Db, teamId: string) {
  return db
    .selectFrom('digest_subscriptions as s')
    .leftJoin('sales_teams as t', 't.id', 's.sales_team_id')
    .selectAll('s')
    .select('t.name as sales_team_name')
    .where('s.team_id', '=', teamId)
    .orderBy('s.channel_id')
    .orderBy('s.id')
    .execute();
}

export function findSubscription(db: Db, teamId: string, channelId: string) {
  return db
    .selectFrom('digest_subscriptions')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('channel_id', '=', channelId)
    .orderBy('id')
    .executeTakeFirst();
}

/** Every subscription with its workspace's timezone: what the scheduler looks at each minute. */
export function subscriptionsWithTimezone(db: Db) {
  return db
    .selectFrom('digest_subscriptions as s')
    .innerJoin('workspaces as w', 'w.team_id', 's.team_id')
    .selectAll('s')
    .select('w.timezone')
    .orderBy('s.id')
    .execute();
}

export interface ClaimInput {
  subscriptionId: bigint;
  slot: Date;
  teamId: string;
  claimer: string;
  now: Date;
  leaseMs: number;
  maxAttempts: number;
  /** A person asked for this post: also take a slot skipped as too old, or given up on. */
  byHand?: boolean;
}

/**
 * Claims (subscription, slot) for posting. Succeeds for the first claimer, and later only when
 * the previous claim's lease has expired (its process died) or a retryable failure is under
 * the attempt limit. Returns the claimed run, or undefined when someone else has it or it is done.
 */
export async function claimDigestRun(db: Db, input: ClaimInput): Promise<DigestRun | undefined> {
  const lease = new Date(input.now.getTime() + input.leaseMs);
  return db
    .insertInto('digest_runs')
    .values({
      subscription_id: input.subscriptionId,
      slot: input.slot,
      team_id: input.teamId,
      status: 'claimed',
      claimed_by: input.claimer,
      lease_expires_at: lease,
      attempts: 1,
      created_at: input.now,
      updated_at: input.now,
    })
    .onConflict((oc) =>
      oc
        .columns(['subscription_id', 'slot'])
        .doUpdateSet({
          status: 'claimed',
          claimed_by: input.claimer,
          lease_expires_at: lease,
          attempts: sql`digest_runs.attempts + 1`,
          updated_at: input.now,
        })
        .where((eb) =>
          eb.or([
            eb.and([eb('digest_runs.status', '=', 'claimed'), eb('digest_runs.lease_expires_at', '<', input.now)]),
            eb.and([eb('digest_runs.status', '=', 'failed'), eb('digest_runs.attempts', '<', input.maxAttempts)]),
            ...(input.byHand ? [eb('digest_runs.status', 'in', ['skipped', 'abandoned', 'failed'])] : []),
          ]),
        ),
    )
    .returningAll()
    .executeTakeFirst();
}

/** Records the post, if this process still holds the claim. */
export async function markDigestPosted(
  db: Db,
  run: Pick<DigestRun, 'subscription_id' | 'slot'>,
  claimer: string,
  messageTs: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('digest_runs')
    .set({ status: 'posted', message_ts: messageTs, posted_at: now, lease_expires_at: null, last_error: null, updated_at: now })
    .where('subscription_id', '=', run.subscription_id)
    .where('slot', '=', run.slot)
    .where('claimed_by', '=', claimer)
    .where('status', '=', 'claimed')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function markDigestFailed(
  db: Db,
  run: Pick<DigestRun, 'subscription_id' | 'slot'>,
  claimer: string,
  error: string,
  final: boolean,
  now: Date,
): Promise<void> {
  await db
    .updateTable('digest_runs')
    .set({ status: final ? 'abandoned' : 'failed', last_error: error.slice(0, 500), lease_expires_at: null, updated_at: now })
    .where('subscription_id', '=', run.subscription_id)
    .where('slot', '=', run.slot)
    .where('claimed_by', '=', claimer)
    .execute();
}

/** Records a slot that was too old to post; returns true the first time, so it is logged once. */
export async function recordSkippedSlot(db: Db, subscriptionId: bigint, slot: Date, teamId: string, now: Date): Promise<boolean> {
  const row = await db
    .insertInto('digest_runs')
    .values({ subscription_id: subscriptionId, slot, team_id: teamId, status: 'skipped', created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['subscription_id', 'slot']).doNothing())
    .returning('status')
    .executeTakeFirst();
  return row !== undefined;
}

export function findDigestRun(db: Db, subscriptionId: bigint, slot: Date) {
  return db.selectFrom('digest_runs').selectAll().where('subscription_id', '=', subscriptionId).where('slot', '=', slot).executeTakeFirst();
}
