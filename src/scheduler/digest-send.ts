// `/tally digest send`: a manager posts this channel's digest by hand, through the scheduler's
// exactly-once path. The send claims the subscription's current slot (the latest scheduled
// instant at or before now) like a tick does, so the digest of a slot is posted once, whether
// the scheduler, a send or a second send gets there first; a slot skipped as too old or given
// up on is taken again, since a person asks for it. The claim is quick and answered at once;
// the post (chart, retries, rate limits) runs afterwards, with the numbers as they stand now.
import type { WebClient } from '@slack/web-api';
import type { DigestRun } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { latestSlot } from '../domain/schedule.js';
import { UserError } from '../errors.js';
import type { Roles } from '../services/roles.js';
import { claimDigestRun, findDigestRun, findSubscription } from '../store/digests.js';
import { ensureWorkspace } from '../store/workspaces.js';
import { DEFAULT_LEASE_MS, DEFAULT_MAX_ATTEMPTS, postClaimedDigest, processInstanceId, type DigestJobDeps, type PostOutcome } from './digest-job.js';

export interface SendRequest {
  teamId: string;
  actorId: string;
  channelId: string;
}

export type SendOutcome =
  | { kind: 'posting'; slot: Date; posted: Promise<PostOutcome> }
  | { kind: 'already_posted'; slot: Date; channelId: string; ts: string }
  | { kind: 'in_progress'; slot: Date };

export type SendDeps = DigestJobDeps & Pick<Deps, 'config' | 'clock'> & { roles: Roles };

export async function sendDigestNow(deps: SendDeps, client: WebClient, request: SendRequest): Promise<SendOutcome> {
  await deps.roles.requireManager(client, request.teamId, request.actorId, 'post the digest');
  const workspace = await ensureWorkspace(deps.db, request.teamId, deps.config.defaults, deps.clock.now());
  const subscription = await findSubscription(deps.db, request.teamId, request.channelId);
  if (!subscription) {
    throw new UserError('This channel gets no digest yet. Subscribe it with `/tally digest here`, then `/tally digest send` posts the current one.');
  }
  if (!(await deps.slack.forTeam(request.teamId))) throw new UserError('Tally has no Slack token for this workspace: reinstall the app.');

  const now = deps.clock.now();
  const slot = latestSlot({ cadence: subscription.cadence, time: subscription.at_time, weekday: subscription.weekday }, now, workspace.timezone);
  const run = await claimDigestRun(deps.db, {
    subscriptionId: subscription.id,
    slot,
    teamId: request.teamId,
    claimer: deps.instanceId ?? processInstanceId,
    now,
    leaseMs: deps.leaseMs ?? DEFAULT_LEASE_MS,
    maxAttempts: deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    byHand: true,
  });
  if (run) return { kind: 'posting', slot, posted: postClaimedDigest(deps, subscription, run, now, now) };
  return notClaimed(await findDigestRun(deps.db, subscription.id, slot), slot, subscription.channel_id);
}

/** A slot a send by hand cannot claim is posted, or being posted by someone else right now. */
function notClaimed(run: DigestRun | undefined, slot: Date, channelId: string): SendOutcome {
  if (run?.status === 'posted' && run.message_ts) return { kind: 'already_posted', slot, channelId, ts: run.message_ts };
  return { kind: 'in_progress', slot };
}
