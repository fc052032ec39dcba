import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, NewTarget, Target, TargetMetric, TargetPeriodKind, TargetSubject } from '../db/schema.js';
import { dayjs } from '../domain/dayjs.js';
import { periodTarget, rowInForce, targetWindows, type PeriodTarget, type TargetPeriod } from '../domain/target-in-force.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface TargetKey {
  teamId: string;
  subjectType: TargetSubject;
  metric: TargetMetric;
  periodKind: TargetPeriodKind;
}

export async function insertTargets(db: Db, rows: readonly NewTarget[]): Promise<Target[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto('targets')
    .values([...rows])
    .returningAll()
    .execute();
}

/** A window of stored rows: rows of `kind` that cover some period starting in [from, to). */
export interface TargetWindow {
  kind: TargetPeriodKind;
  from: string;
  to: string;
}

export interface TargetRowsQuery {
  teamId: string;
  subjectType: TargetSubject;
  /** Only these subjects (all of them when undefined). */
  subjectIds?: readonly string[] | undefined;
  /** Only this metric (all of them when undefined). */
  metric?: TargetMetric | undefined;
  windows: readonly TargetWindow[];
}

/** A stored target row, as the rule of which one is in force (domain/target-in-force.ts) reads it. */
export type CandidateTarget = Pick<
  Target,
  'id' | 'subject_id' | 'metric' | 'period_kind' | 'amount' | 'first_period_start' | 'last_period_start'
>;

/**
 * Every stored row that may be in force in one of the windows. Which one is, and what a
 * quarter or year derives from its months, is decided in domain/target-in-force.ts.
 */
export function targetRowsQuery(db: Db, q: TargetRowsQuery) {
  let query = db
    .selectFrom('targets')
    .select(['id', 'subject_id', 'metric', 'period_kind', 'amount', 'first_period_start', 'last_period_start'])
    .where('team_id', '=', q.teamId)
    .where('subject_type', '=', q.subjectType)
    .where((eb) =>
      eb.or(
        q.windows.map((w) =>
          eb.and([
            eb('period_kind', '=', w.kind),
            eb('first_period_start', '<', w.to),
            eb.or([eb('last_period_start', 'is', null), eb('last_period_start', '>=', w.from)]),
          ]),
        ),
      ),
    );
  if (q.metric !== undefined) query = query.where('metric', '=', q.metric);
  if (q.subjectIds !== undefined)
    query = q.subjectIds.length > 0 ? query.where('subject_id', 'in', [...q.subjectIds]) : query.where(sql<boolean>`false`);
  return query.orderBy('subject_id').orderBy('id');
}

export function targetRows(db: Db, q: TargetRowsQuery): Promise<CandidateTarget[]> {
  if (q.windows.length === 0 || q.subjectIds?.length === 0) return Promise.resolve([]);
  return targetRowsQuery(db, q).execute();
}

/** Each subject's target for `period`: its own, or derived from its months (quarter, year). */
export async function periodTargets(
  db: Db,
  key: Omit<TargetKey, 'periodKind'>,
  period: TargetPeriod,
  subjectIds?: readonly string[],
): Promise<Map<string, PeriodTarget>> {
  const rows = await targetRows(db, {
    teamId: key.teamId,
    subjectType: key.subjectType,
    metric: key.metric,
    subjectIds,
    windows: targetWindows(period),
  });
  const bySubject = new Map<string, CandidateTarget[]>();
  for (const row of rows) bySubject.set(row.subject_id, [...(bySubject.get(row.subject_id) ?? []), row]);
  const targets = new Map<string, PeriodTarget>();
  for (const [subjectId, own] of bySubject) {
    const target = periodTarget(own, period);
    if (target.source !== 'none') targets.set(subjectId, target);
  }
  return targets;
}

/**
 * The row in force of each subject for the period of `key.periodKind` starting on
 * `periodStart` (its own target; nothing derived). One row per subject that has one.
 */
export async function targetsForPeriod(
  db: Db,
  key: TargetKey,
  periodStart: string,
  subjectIds?: readonly string[],
): Promise<CandidateTarget[]> {
  const rows = await targetRows(db, {
    ...key,
    subjectIds,
    windows: [{ kind: key.periodKind, from: periodStart, to: dayAfter(periodStart) }],
  });
  const bySubject = new Map<string, CandidateTarget[]>();
  for (const row of rows) bySubject.set(row.subject_id, [...(bySubject.get(row.subject_id) ?? []), row]);
  return [...bySubject.values()]
    .map((own) => rowInForce(own, key.periodKind, periodStart))
    .filter((row): row is CandidateTarget => row !== null);
}

function dayAfter(date: string): string {
  return dayjs.utc(date).add(1, 'day').format('YYYY-MM-DD');
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

/** How many targets a workspace has set, of any subject, metric and period (App Home's setup status). */
export async function countTargets(db: Db, teamId: string): Promise<bigint> {
  const row = await db
    .selectFrom('targets')
    .select(sql<bigint>`count(*)::int8`.as('count'))
    .where('team_id', '=', teamId)
    .executeTakeFirstOrThrow();
  return row.count;
}
