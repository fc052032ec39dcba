// The digest's runs (docs/rules.md#digests): which subscriptions the scheduler looks at, and each
// (subscription, slot) claimed in PostgreSQL before it is posted, so it is posted once whoever
// gets there first (a tick in any replica, or a send by hand). A claim holds for a lease; one
// whose process died is taken over when the lease has run out, and a failed post is tried again
// up to a number of attempts. The Slack edge posts a claimed run and records its outcome here.
import { randomUUID } from 'node:crypto';
import type { DigestRun, DigestSubscription, Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { latestSlot } from '../domain/schedule.js';
import { UserError } from '../errors.js';
import {
  claimDigestRun,
  findDigestRun,
  findSubscription,
  markDigestFailed,
  markDigestPosted,
  recordSkippedSlot,
  subscriptionsWithTimezone,
} from '../store/digests.js';
import { findWorkspace } from '../store/workspaces.js';
import { requireManager, type Actor } from './actor.js';

export interface DigestClaimOptions {
  /** Names this process in claims (host and pid are enough to debug with). */
  instanceId?: string;
  /** How long a claim protects a post in progress; longer than the client's retry budget. */
  leaseMs?: number;
  maxAttempts?: number;
}

export const DEFAULT_LEASE_MS = 10 * 60_000;
export const DEFAULT_MAX_ATTEMPTS = 5;

export const processInstanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;

type RunDeps = Pick<Deps, 'db'> & DigestClaimOptions;

const claimerOf = (deps: DigestClaimOptions) => deps.instanceId ?? processInstanceId;

/** Every subscription with its workspace's timezone: what the scheduler looks at each minute. */
export function scheduledSubscriptions(deps: Pick<Deps, 'db'>) {
  return subscriptionsWithTimezone(deps.db);
}

/** Records a slot too old to post; true the first time, so it is logged once. */
export function skipDigestSlot(deps: Pick<Deps, 'db'>, subscription: DigestSubscription, slot: Date, now: Date): Promise<boolean> {
  return recordSkippedSlot(deps.db, subscription.id, slot, subscription.team_id, now);
}

/**
 * Claims (subscription, slot) for posting; undefined when someone else holds it or it is done.
 * `byHand`: a person asked for it, so a slot skipped as too old or given up on is taken too.
 */
export function claimDigestSlot(
  deps: RunDeps,
  subscription: DigestSubscription,
  slot: Date,
  now: Date,
  byHand = false,
): Promise<DigestRun | undefined> {
  return claimDigestRun(deps.db, {
    subscriptionId: subscription.id,
    slot,
    teamId: subscription.team_id,
    claimer: claimerOf(deps),
    now,
    leaseMs: deps.leaseMs ?? DEFAULT_LEASE_MS,
    maxAttempts: deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    byHand,
  });
}

/** Records the post of a claimed run; false when this process no longer held the claim. */
export function recordDigestPosted(deps: RunDeps, run: DigestRun, messageTs: string, now: Date): Promise<boolean> {
  return markDigestPosted(deps.db, run, claimerOf(deps), messageTs, now);
}

/** Records a failed attempt; `final` gives the slot up (no retry will fix it). */
export function recordDigestFailed(deps: RunDeps, run: DigestRun, error: string, final: boolean, now: Date): Promise<void> {
  return markDigestFailed(deps.db, run, claimerOf(deps), error, final, now);
}

/** The workspace a digest is posted for; undefined when it is gone. */
export function digestWorkspace(deps: Pick<Deps, 'db'>, teamId: string): Promise<Workspace | undefined> {
  return findWorkspace(deps.db, teamId);
}

export interface SendRequest {
  channelId: string;
}

/**
 * `/tally digest send` (managers): the channel's subscription, and its workspace. A channel
 * without one is told how to subscribe it.
 */
export async function subscriptionToSend(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  request: SendRequest,
): Promise<{ workspace: Workspace; subscription: DigestSubscription }> {
  await requireManager(actor, 'post the digest');
  const workspace = await actor.workspace();
  const subscription = await findSubscription(deps.db, actor.teamId, request.channelId);
  if (!subscription) {
    throw new UserError(
      'This channel gets no digest yet. Subscribe it with `/tally digest here`, then `/tally digest send` posts the current one.',
    );
  }
  return { workspace, subscription };
}

export type SlotByHand =
  | { kind: 'claimed'; slot: Date; run: DigestRun }
  | { kind: 'already_posted'; slot: Date; channelId: string; ts: string }
  | { kind: 'in_progress'; slot: Date };

/**
 * A send by hand claims the subscription's current slot (the latest scheduled instant at or
 * before now) like a tick does. One it cannot claim is posted, or being posted right now.
 */
export async function claimSlotByHand(
  deps: RunDeps,
  workspace: Workspace,
  subscription: DigestSubscription,
  now: Date,
): Promise<SlotByHand> {
  const slot = latestSlot(
    { cadence: subscription.cadence, time: subscription.at_time, weekday: subscription.weekday },
    now,
    workspace.timezone,
  );
  const run = await claimDigestSlot(deps, subscription, slot, now, true);
  if (run) return { kind: 'claimed', slot, run };
  const found = await findDigestRun(deps.db, subscription.id, slot);
  if (found?.status === 'posted' && found.message_ts)
    return { kind: 'already_posted', slot, channelId: subscription.channel_id, ts: found.message_ts };
  return { kind: 'in_progress', slot };
}
