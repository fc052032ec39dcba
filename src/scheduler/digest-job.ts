// The digest job (docs/rules.md#digests): each tick computes what is due from the database and `now`, claims
// each (subscription, slot) in PostgreSQL, then posts. Callable by hand: `npm run digest -- --at`.
// The claims are kept by services/digest-runs.ts; the post is src/slack/digest-publisher.ts.
import pLimit from 'p-limit';
import type { DigestSubscription } from '../db/schema.js';
import { decideSlot, type Schedule } from '../domain/schedule.js';
import { claimDigestSlot, scheduledSubscriptions, skipDigestSlot } from '../services/digest-runs.js';
import { postClaimedDigest, type DigestPublisherDeps, type PostOutcome } from '../slack/digest-publisher.js';

export type { PostOutcome };

export interface DigestJobDeps extends DigestPublisherDeps {
  /** How many channels post at once (default 8). */
  concurrency?: number;
}

const DEFAULT_CONCURRENCY = 8;

/** One scheduler tick: posts every slot that is due and not yet posted; skips (and logs) stale ones. */
export async function runDigestTick(deps: DigestJobDeps, now: Date): Promise<Record<PostOutcome | 'skipped', number>> {
  const counts = { posted: 0, recovered: 0, not_claimed: 0, failed: 0, no_client: 0, skipped: 0 };
  const subscriptions = await scheduledSubscriptions(deps);
  // Channels post side by side, so one slow or rate-limited channel does not hold up the rest.
  const limit = pLimit(deps.concurrency ?? DEFAULT_CONCURRENCY);
  await Promise.all(
    subscriptions.map((subscription) =>
      limit(async () => {
        const decision = decideSlot(scheduleOf(subscription), now, subscription.timezone);
        if (decision.slot < subscription.created_at) return;
        if (decision.action === 'post') {
          counts[await postDigest(deps, subscription, decision.slot, now)]++;
        } else if (await skipDigestSlot(deps, subscription, decision.slot, now)) {
          counts.skipped++;
          deps.logger.warn(
            {
              teamId: subscription.team_id,
              subscriptionId: String(subscription.id),
              slot: decision.slot.toISOString(),
              hoursLate: Math.floor(decision.ageMs / 3_600_000),
            },
            'digest slot missed by more than 24 hours: skipped',
          );
        }
      }),
    ),
  );
  return counts;
}

/** Claims (subscription, slot), then posts it; 'not_claimed' when another process has it or it is done. */
export async function postDigest(deps: DigestJobDeps, subscription: DigestSubscription, slot: Date, now: Date): Promise<PostOutcome> {
  const run = await claimDigestSlot(deps, subscription, slot, now);
  if (!run) return 'not_claimed';
  return postClaimedDigest(deps, subscription, run, now);
}

function scheduleOf(subscription: DigestSubscription): Schedule {
  return { cadence: subscription.cadence, time: subscription.at_time, weekday: subscription.weekday };
}
