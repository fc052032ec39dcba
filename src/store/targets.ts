import { type Kysely, type Transaction } from 'kysely';
import type { Database, NewTarget, Target, TargetMetric, TargetPeriodKind, TargetSubject } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface TargetKey {
  teamId: string;
  subjectType: TargetSubject;
  metric: TargetMetric;
  periodKind: TargetPeriodKind;
}

export async function insertTargets(db: Db, rows: readonly NewTarget[]): Promise<Target[]> {
  if (rows.length === 0) return [];
  return db.insertInto('targets').values([...rows]).returningAll().execute();
}

/**
 * The target of each subject for the period starting on `periodStart`: the newest row
 * covering it. One row per subject that has one.
 */
export function targetsForPeriod(db: Db, key: TargetKey, periodStart: string, subjectIds?: readonly string[]) {
  let query = db
    .selectFrom('targets')
    .select(['subject_id', 'amount', 'id', 'first_period_start', 'last_period_start'])
    .distinctOn('subject_id')
    .where('team_id', '=', key.teamId)
    .where('subject_type', '=', key.subjectType)
    .where('metric', '=', key.metric)
    .where('period_kind', '=', key.periodKind)
    .where('first_period_start', '<=', periodStart)
    .where((eb) => eb.or([eb('last_period_start', 'is', null), eb('last_period_start', '>=', periodStart)]));
  if (subjectIds) {
    if (subjectIds.length === 0) return Promise.resolve([]);
    query = query.where('subject_id', 'in', subjectIds);
  }
  return query.orderBy('subject_id').orderBy('id', 'desc').execute();
}

export interface CurrentPeriodStart {
  kind: TargetPeriodKind;
  start: string;
}

/** A subject's target of one metric for the current period of one kind. */
export type SubjectTarget = Pick<Target, 'metric' | 'period_kind' | 'amount' | 'first_period_start' | 'last_period_start'>;

/** One subject's targets for the current period of each kind, for every metric. */
export function subjectTargetsAt(db: Db, teamId: string, subjectType: TargetSubject, subjectId: string, periods: readonly CurrentPeriodStart[]): Promise<SubjectTarget[]> {
  return subjectTargetsQuery(db, teamId, subjectType, subjectId, periods).execute();
}

/** The query of subjectTargetsAt, to be run inside another statement. */
export function subjectTargetsQuery(db: Db, teamId: string, subjectType: TargetSubject, subjectId: string, periods: readonly CurrentPeriodStart[]) {
  return db
    .selectFrom('targets')
    .select(['metric', 'period_kind', 'amount', 'first_period_start', 'last_period_start'])
    .distinctOn(['metric', 'period_kind'])
    .where('team_id', '=', teamId)
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .where((eb) =>
      eb.or(
        periods.map((p) =>
          eb.and([
            eb('period_kind', '=', p.kind),
            eb('first_period_start', '<=', p.start),
            eb.or([eb('last_period_start', 'is', null), eb('last_period_start', '>=', p.start)]),
          ]),
        ),
      ),
    )
    .orderBy('metric')
    .orderBy('period_kind')
    .orderBy('id', 'desc');
}

/** Who has targets set by hand of this key, for lists of "all targets". */
export function targetRowsOf(db: Db, teamId: string, subjectType: TargetSubject, subjectId: string) {
  return db
    .selectFrom('targets')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .orderBy('period_kind')
    .orderBy('first_period_start')
    .orderBy('id')
    .execute();
}
