// Celebrations (docs/rules.md#celebrations): a sale that takes a rep across a milestone of a target posts once to
// the rep's team channels. A void or an edit that leaves a milestone unreached takes it back:
// its messages are updated in place and the digest no longer lists it; crossed again later, it
// is celebrated again. Both run under a lock of the rep (see lockRepMilestones), reading after
// it: whichever runs last sees every sale committed before, so races end in the true state.
// This module decides and records; the Slack edge posts what it returns, then records each
// post's ts here (recordCelebrationPost), and takes back a post withdrawn in the meantime.
import type { TargetMetric, Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { reachedMilestones } from '../domain/milestones.js';
import { measure, type Measure } from '../domain/pace.js';
import { localDate, periodOfDate, type Period } from '../domain/periods.js';
import {
  lockRepMilestones,
  moveRepVersion,
  recordCelebrationPost as insertCelebrationPost,
  recordedMilestones,
  recordMilestones,
  withdrawMilestones,
} from '../store/celebrations.js';
import { repTotals, type MilestonesSeen } from '../store/sales.js';
import { targetRows } from '../store/targets.js';
import { periodTarget, targetWindows } from '../domain/target-in-force.js';
import { teamChannelsOfRep } from '../store/teams.js';
import { metricOf } from './insights.js';
import { repSnapshot } from './progress.js';
import { TARGET_KINDS, TARGET_METRICS, type TargetProgress } from './targets.js';

export type { MilestonesSeen };

export interface MilestoneNotice {
  repId: string;
  milestone: number;
  metric: TargetMetric;
  period: Period;
  currency: string;
  measure: Measure;
}

/** A milestone newly reached and recorded: one message per team channel, tied to `celebrationId`. */
export interface Celebration {
  celebrationId: bigint;
  notice: MilestoneNotice;
}

/** A posted celebration whose milestone is no longer reached: its message is to be updated in place. */
export interface Withdrawal {
  channelId: string;
  messageTs: string;
  notice: MilestoneNotice;
}

/** What settling a rep's milestones changed, for the Slack edge to post: withdrawals first, then celebrations. */
export interface MilestoneChanges {
  teamId: string;
  repId: string;
  /** The local date it was settled on: the day whose team channels celebrate. */
  today: string;
  withdrawn: Withdrawal[];
  celebrated: Celebration[];
}

type CelebrationDeps = Pick<Deps, 'db' | 'clock'>;

/**
 * After a sale: records the milestones of the current periods it (with any sale racing it)
 * crossed, and returns them to post; null when there is nothing to celebrate.
 *
 * `progress` and `seen` are what the sale's own statement read. When it saw everything before
 * the sale (no change of the rep's sales committed between its snapshot and its lock of the
 * rep's version row: always so on the embedded database, which runs one statement at a time),
 * they are exact: the milestones are settled only when one is reached and not yet recorded, and
 * nothing is read again. Otherwise (sales of the same rep stored at the same moment, which
 * together may cross a milestone none of them crosses alone; or no statement saw the sale) the
 * progress is read again once the sale is committed.
 */
export async function milestonesAfterSale(
  deps: CelebrationDeps,
  workspace: Workspace,
  repId: string,
  progress: readonly TargetProgress[],
  seen: MilestonesSeen | null,
): Promise<MilestoneChanges | null> {
  if (!workspace.celebrations_enabled) return null;
  const exact = seen?.complete === true;
  const read = exact ? progress : (await repSnapshot(deps, workspace, repId, [], false)).progress;
  const recorded = exact ? seen.recorded : [];
  // Only a period's own target is celebrated: one derived from its months would repeat, a quarter
  // or a year later, what the months' celebrations already said.
  const due = read
    .filter((p) => p.target.source === 'own')
    .some(({ metric, period, measure: m }) =>
      reachedMilestones(m.actual, m.target, workspace.milestones).some(
        (milestone) =>
          !recorded.some(
            (r) => r.metric === metric && r.period_kind === period.kind && r.period_start === period.startDate && r.milestone === milestone,
          ),
      ),
    );
  if (!due) return null;
  const today = localDate(deps.clock.now(), workspace.timezone);
  return settleMilestones(deps, workspace, repId, today);
}

/**
 * Brings a rep's recorded milestones of the periods containing `date` in line with their sales:
 * withdraws those no longer reached (returning their posts, to update in place) and, in the
 * current periods, records those newly reached (returned, to post). Called after a sale is
 * voided or changed, and by milestonesAfterSale.
 */
export async function settleMilestones(
  deps: CelebrationDeps,
  workspace: Workspace,
  repId: string,
  date: string,
): Promise<MilestoneChanges> {
  const { team_id: teamId, timezone: tz, fiscal_year_start_month: fy, currency } = workspace;
  const now = deps.clock.now();
  const today = localDate(now, tz);
  const periods = TARGET_KINDS.map((kind) => periodOfDate(kind, date, tz, fy));
  const starts = periods.map((p) => ({ kind: p.kind, start: p.startDate }));

  const settled = await deps.db.transaction().execute(async (trx) => {
    await lockRepMilestones(trx, teamId, repId);
    await moveRepVersion(trx, teamId, repId);
    const rows = await targetRows(trx, { teamId, subjectType: 'rep', subjectIds: [repId], windows: periods.flatMap(targetWindows) });
    const totals = await repTotals(
      trx,
      teamId,
      repId,
      periods.map((p) => ({ from: p.startDate, to: p.endDate })),
    );
    const recorded = await recordedMilestones(trx, teamId, repId, starts);
    // Each period's target as every surface reads it: its own, or derived from its months.
    const progress = periods.flatMap((period, index) =>
      TARGET_METRICS.flatMap((metric) => {
        const target = periodTarget(
          rows.filter((row) => row.metric === metric),
          period,
        );
        // Only own targets are celebrated (see milestonesAfterSale), so only they are settled.
        if (target.source !== 'own') return [];
        return [{ metric, period, measure: measure({ actual: metricOf(totals[index]!, metric), target: target.amount, period, now, tz }) }];
      }),
    );
    const progressOf = (metric: TargetMetric, kind: string) => progress.find((p) => p.metric === metric && p.period.kind === kind);

    // A milestone whose target is gone stays: nothing says it is no longer reached.
    const gone = recorded.filter((r) => {
      const target = progressOf(r.metric, r.period_kind);
      return target !== undefined && reachedMilestones(target.measure.actual, target.measure.target, [r.milestone]).length === 0;
    });
    const withdrawnPosts = await withdrawMilestones(
      trx,
      teamId,
      gone.map((r) => r.id),
      now,
    );
    const withdrawn = withdrawnPosts.map((post) => {
      const row = gone.find((r) => r.id === post.celebration_id)!;
      const target = progressOf(row.metric, row.period_kind)!;
      const notice = { repId, milestone: row.milestone, metric: row.metric, period: target.period, currency, measure: target.measure };
      return { channelId: post.channel_id, messageTs: post.message_ts, notice };
    });

    const celebrated: Celebration[] = [];
    if (workspace.celebrations_enabled) {
      for (const target of progress) {
        // Only the running periods are celebrated: "just reached" about a closed month misleads.
        if (target.period.startDate > today || target.period.endDate <= today) continue;
        const kept = recorded
          .filter((r) => r.metric === target.metric && r.period_kind === target.period.kind && !gone.includes(r))
          .map((r) => r.milestone);
        const fresh = reachedMilestones(target.measure.actual, target.measure.target, workspace.milestones).filter(
          (m) => !kept.includes(m),
        );
        const key = {
          teamId,
          repId,
          metric: target.metric,
          periodKind: target.period.kind,
          periodStart: target.period.startDate,
          reachedAt: now,
        };
        const rows = await recordMilestones(trx, key, fresh);
        if (rows.length === 0) continue;
        // One message per crossing, tied to the highest milestone it names: withdrawn with it.
        const top = rows.reduce((a, b) => (b.milestone > a.milestone ? b : a));
        celebrated.push({
          celebrationId: top.id,
          notice: { repId, milestone: top.milestone, metric: target.metric, period: target.period, currency, measure: target.measure },
        });
      }
    }
    return { withdrawn, celebrated };
  });

  return { teamId, repId, today, ...settled };
}

/** The channels a celebration is posted in: those of the rep's teams on the day it was settled. */
export function celebrationChannels(deps: Pick<Deps, 'db'>, changes: MilestoneChanges): Promise<string[]> {
  return teamChannelsOfRep(deps.db, changes.teamId, changes.repId, changes.today);
}

/**
 * Keeps the ts of a message just posted for a celebration. False when the celebration was
 * withdrawn while it was being posted (the post is kept as withdrawn): the edge takes it back.
 */
export function recordCelebrationPost(
  deps: Pick<Deps, 'db' | 'clock'>,
  changes: MilestoneChanges,
  celebration: Celebration,
  message: { channelId: string; messageTs: string },
): Promise<boolean> {
  const post = { teamId: changes.teamId, celebrationId: celebration.celebrationId, ...message, postedAt: deps.clock.now() };
  return insertCelebrationPost(deps.db, post);
}
