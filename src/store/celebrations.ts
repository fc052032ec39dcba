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
export async function recordMilestones(db: Db, key: MilestoneKey, milestones: readonly number[]): Promise<number[]> {
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
    .returning('milestone')
    .execute();
  return rows.map((r) => r.milestone);
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
