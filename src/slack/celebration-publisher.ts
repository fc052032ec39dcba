// Posting celebrations (docs/rules.md#celebrations). services/celebrations.ts decides and
// records which milestones are celebrated or taken back; this posts them: withdrawn messages
// are edited in place, then each new celebration goes to the rep's team channels, its ts is
// recorded, and a celebration withdrawn while it was being posted is taken back at once.
import type { WebClient } from '@slack/web-api';
import type { Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import {
  celebrationChannels,
  milestonesAfterSale,
  recordCelebrationPost,
  settleMilestones,
  type MilestoneChanges,
  type MilestonesSeen,
} from '../services/celebrations.js';
import type { TargetProgress } from '../services/targets.js';
import { celebrationMessage, withdrawnCelebrationMessage } from './views/notices.js';

type PublisherDeps = Pick<Deps, 'db' | 'clock' | 'logger'>;

/** After a sale: celebrates the milestones of the current periods it crossed. Returns how many messages were posted. */
export async function celebrateMilestones(
  deps: PublisherDeps,
  client: WebClient,
  workspace: Workspace,
  repId: string,
  progress: readonly TargetProgress[],
  seen: MilestonesSeen | null,
): Promise<number> {
  const changes = await milestonesAfterSale(deps, workspace, repId, progress, seen);
  if (!changes) return 0;
  return (await publishMilestoneChanges(deps, client, changes)).posted;
}

/** After a sale is voided or changed: settles the rep's milestones of the periods containing `date`, and posts the outcome. */
export async function settleCelebrations(
  deps: PublisherDeps,
  client: WebClient,
  workspace: Workspace,
  repId: string,
  date: string,
): Promise<{ posted: number; withdrawn: number }> {
  return publishMilestoneChanges(deps, client, await settleMilestones(deps, workspace, repId, date));
}

async function publishMilestoneChanges(
  deps: PublisherDeps,
  client: WebClient,
  changes: MilestoneChanges,
): Promise<{ posted: number; withdrawn: number }> {
  const { teamId, repId } = changes;
  for (const { channelId, messageTs, notice } of changes.withdrawn) {
    // One message that can no longer be edited (deleted by someone) does not keep the others as they were.
    try {
      await client.chat.update({ channel: channelId, ts: messageTs, ...withdrawnCelebrationMessage(notice) });
    } catch (error) {
      deps.logger.warn({ err: error, teamId, userId: repId, channel: channelId }, 'withdrawn celebration not updated');
    }
  }
  let posted = 0;
  for (const celebration of changes.celebrated) {
    const channels = await celebrationChannels(deps, changes);
    for (const channel of channels) {
      const sent = await client.chat.postMessage({ channel, ...celebrationMessage(celebration.notice) });
      posted++;
      if (!sent.ts || !sent.channel) continue;
      const current = await recordCelebrationPost(deps, changes, celebration, { channelId: sent.channel, messageTs: sent.ts });
      // Withdrawn while it was being posted: take it back at once.
      if (!current)
        await client.chat.update({
          channel: sent.channel,
          ts: sent.ts,
          ...withdrawnCelebrationMessage({ ...celebration.notice, measure: null }),
        });
    }
  }
  return { posted, withdrawn: changes.withdrawn.length };
}
