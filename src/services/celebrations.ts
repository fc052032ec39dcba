// Celebrations (SPEC 4): a sale that takes a rep across a milestone of a target posts once to
// the rep's team channels. The celebrations table's key makes "once" hold when sales race.
import type { WebClient } from '@slack/web-api';
import type { Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { reachedMilestones } from '../domain/milestones.js';
import { localDate } from '../domain/periods.js';
import { recordMilestones } from '../store/celebrations.js';
import { teamChannelsOfRep } from '../store/teams.js';
import { celebrationMessage } from '../slack/views/notices.js';
import { repSnapshot } from './progress.js';
import type { TargetProgress } from './targets.js';

// Milestones this process knows are recorded (they never become unrecorded): a rep above 50% of a
// target logs many more sales, and none of them needs to ask the database again.
const knownRecorded = new WeakMap<object, Set<string>>();
const MAX_KNOWN = 100_000;

export async function celebrateMilestones(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  client: WebClient,
  workspace: Workspace,
  repId: string,
  progress: readonly TargetProgress[],
): Promise<number> {
  if (!workspace.celebrations_enabled) return 0;
  const known = knownRecorded.get(deps.db) ?? new Set<string>();
  knownRecorded.set(deps.db, known);
  const id = ({ metric, period }: TargetProgress, milestone: number) => `${workspace.team_id} ${repId} ${metric} ${period.kind} ${period.startDate} ${milestone}`;
  if (progress.every((target) => workspace.milestones.every((m) => known.has(id(target, m))))) return 0;
  // `progress` is what the sale's own statement saw. On PostgreSQL, sales of the same rep stored
  // at the same moment are not in it, and together they may cross a milestone none of them
  // crosses alone: read after the sale is committed, the last of them sees them all (milestones
  // need no forecast). The embedded database runs one statement at a time, so there what the
  // statement saw is already everything before it.
  const current = deps.config.databaseUrl === undefined ? progress : (await repSnapshot(deps, workspace, repId, [], false)).progress;
  let posted = 0;
  for (const target of current) {
    const { metric, period, measure } = target;
    const reached = reachedMilestones(measure.actual, measure.target, workspace.milestones).filter((m) => !known.has(id(target, m)));
    if (reached.length === 0) continue;
    const key = { teamId: workspace.team_id, repId, metric, periodKind: period.kind, periodStart: period.startDate, reachedAt: deps.clock.now() };
    const recorded = await recordMilestones(deps.db, key, reached);
    if (known.size > MAX_KNOWN) known.clear();
    for (const milestone of reached) known.add(id(target, milestone));
    if (recorded.length === 0) continue;
    const channels = await teamChannelsOfRep(deps.db, workspace.team_id, repId, localDate(deps.clock.now(), workspace.timezone));
    const message = celebrationMessage({ repId, milestone: Math.max(...recorded), metric, period, measure, currency: workspace.currency });
    for (const channel of channels) {
      await client.chat.postMessage({ channel, ...message });
      posted++;
    }
  }
  return posted;
}
