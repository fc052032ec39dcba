import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, TargetMetric, TargetPeriodKind } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface MilestoneKey {
  teamId: string;
  repId: string;
  metric: TargetMetric;
  periodKind: TargetPeriodKind;
  periodStart: string;
  reachedAt: Date;
}

/** Records milestones reached; returns only those recorded by this call (each is recorded once). */
export async function recordMilestones(
  db: Db,
  key: MilestoneKey,
  milestones: readonly number[],
): Promise<Array<{ id: bigint; milestone: number }>> {
  if (milestones.length === 0) return [];
  const rows = await db
    .insertInto('celebrations')
    .values(
      milestones.map((milestone) => ({
        team_id: key.teamId,
        rep_id: key.repId,
        metric: key.metric,
        period_kind: key.periodKind,
        period_start: key.periodStart,
        milestone,
        reached_at: key.reachedAt,
      })),
    )
    .onConflict((oc) => oc.columns(['team_id', 'rep_id', 'metric', 'period_kind', 'period_start', 'milestone']).doNothing())
    .returning(['id', 'milestone'])
    .execute();
  return rows;
}

/**
 * Holds, until the transaction ends, the right to change a rep's recorded milestones: what is
 * read after taking it includes every sale committed before, so celebrating and withdrawing
 * never act on different pictures of the same rep.
 */
export async function lockRepMilestones(trx: Transaction<Database>, teamId: string, repId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${teamId}), hashtext(${repId}))`.execute(trx);
}

/**
 * Moves the rep's version (migration 0015), as a change of their sales does, before their
 * milestones are settled: a sale whose statement locked the rep's version row first is waited
 * for, so the settle reads it; one whose statement began before the settle commits sees a newer
 * version than its snapshot's, so it does not trust the recorded milestones it read.
 */
export async function moveRepVersion(trx: Transaction<Database>, teamId: string, repId: string): Promise<void> {
  await sql`
    insert into sales_rep_versions as v (team_id, rep_id, version) values (${teamId}, ${repId}, 1)
    on conflict (team_id, rep_id) do update set version = v.version + 1`.execute(trx);
}

export interface PeriodStart {
  kind: TargetPeriodKind;
  start: string;
}

/** A milestone recorded for a rep. */
export interface RecordedMilestone {
  metric: TargetMetric;
  period_kind: TargetPeriodKind;
  /** The period's first local date, `YYYY-MM-DD`. */
  period_start: string;
  milestone: number;
}

/** A rep's recorded milestones in the given periods (none for no period). */
export function recordedMilestonesQuery(db: Db, teamId: string, repId: string, periods: readonly PeriodStart[]) {
  return db
    .selectFrom('celebrations')
    .select(['id', 'metric', 'period_kind', 'period_start', 'milestone'])
    .where('team_id', '=', teamId)
    .where('rep_id', '=', repId)
    .where((eb) =>
      periods.length === 0
        ? eb.lit(false)
        : eb.or(periods.map((p) => eb.and([eb('period_kind', '=', p.kind), eb('period_start', '=', p.start)]))),
    );
}

/** A rep's recorded milestones in the given periods. */
export function recordedMilestones(db: Db, teamId: string, repId: string, periods: readonly PeriodStart[]) {
  if (periods.length === 0) return Promise.resolve([]);
  return recordedMilestonesQuery(db, teamId, repId, periods).execute();
}

/** Forgets recorded milestones and marks their posts withdrawn; returns the posts to update. */
export async function withdrawMilestones(db: Db, teamId: string, ids: readonly bigint[], at: Date) {
  if (ids.length === 0) return [];
  await db.deleteFrom('celebrations').where('team_id', '=', teamId).where('id', 'in', ids).execute();
  return db
    .updateTable('celebration_posts')
    .set({ withdrawn_at: at })
    .where('team_id', '=', teamId)
    .where('celebration_id', 'in', ids)
    .where('withdrawn_at', 'is', null)
    .returning(['celebration_id', 'channel_id', 'message_ts'])
    .execute();
}

/**
 * Keeps the ts of a message posted for a celebration. If the celebration was withdrawn while
 * the message was being posted, the post is stored as withdrawn and `false` is returned.
 *
 * One statement: it holds the celebration's row (FOR SHARE) while it stores the post, so a
 * settle withdrawing the celebration either waits for the post and then marks it withdrawn
 * with the others, or has already removed the row, and the post is stored as withdrawn.
 */
export async function recordCelebrationPost(
  db: Db,
  post: { teamId: string; celebrationId: bigint; channelId: string; messageTs: string; postedAt: Date },
): Promise<boolean> {
  const { rows } = await sql<{ current: boolean }>`
    with current_celebration as (
      select id from celebrations where team_id = ${post.teamId} and id = ${post.celebrationId} for share
    )
    insert into celebration_posts (team_id, celebration_id, channel_id, message_ts, posted_at, withdrawn_at)
    select ${post.teamId}, ${post.celebrationId}, ${post.channelId}, ${post.messageTs}, ${post.postedAt},
      case when exists (select from current_celebration) then null else ${post.postedAt}::timestamptz end
    returning withdrawn_at is null as current`.execute(db);
  return rows[0]!.current;
}

/** Milestones reached in [from, to), for the digest's "crossed a milestone last week". */
export function milestonesReachedBetween(db: Db, teamId: string, from: Date, to: Date, repIds?: readonly string[]) {
  let query = db
    .selectFrom('celebrations')
    .select(['rep_id', 'metric', 'period_kind', sql<number>`max(milestone)`.as('milestone')])
    .where('team_id', '=', teamId)
    .where('reached_at', '>=', from)
    .where('reached_at', '<', to);
  if (repIds) {
    if (repIds.length === 0) return Promise.resolve([]);
    query = query.where('rep_id', 'in', repIds);
  }
  return query.groupBy(['rep_id', 'metric', 'period_kind']).orderBy('rep_id').execute();
}
