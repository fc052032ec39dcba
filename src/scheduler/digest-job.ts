// The digest job (docs/rules.md#digests): each tick computes what is due from the database and `now`, claims
// each (subscription, slot) in PostgreSQL, then posts. Callable by hand: `npm run digest -- --at`.
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { WebClient } from '@slack/web-api';
import type { DigestRun, DigestSubscription } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { decideSlot, type Schedule } from '../domain/schedule.js';
import { minorDigits } from '../domain/money.js';
import { buildDigest, type DigestData } from '../services/digest.js';
import { DIGEST_EVENT_TYPE } from '../slack/ids.js';
import type { SlackClients, TeamClients } from '../slack/clients.js';
import { postOnce } from '../slack/post-once.js';
import { digestMessage, digestTitle, type DigestImage } from '../slack/views/digest.js';
import { channelProblemMessage } from '../slack/views/notices.js';
import {
  claimDigestRun,
  markDigestFailed,
  markDigestPosted,
  recordSkippedSlot,
  subscriptionsWithTimezone,
} from '../store/digests.js';
import { findWorkspace } from '../store/workspaces.js';

export interface DigestJobDeps extends Pick<Deps, 'db' | 'logger' | 'metrics'> {
  slack: SlackClients;
  /** Names this process in claims (host and pid are enough to debug with). */
  instanceId?: string;
  /** How long a claim protects a post in progress; longer than the client's retry budget. */
  leaseMs?: number;
  maxAttempts?: number;
  /** How many channels post at once (default 8). */
  concurrency?: number;
}

export type PostOutcome = 'posted' | 'recovered' | 'not_claimed' | 'failed' | 'no_client';

export const DEFAULT_LEASE_MS = 10 * 60_000;
export const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_CONCURRENCY = 8;
/** Slack answers that no retry will fix: disable nothing, tell the subscriber, stop trying this slot. */
const PERMANENT_ERRORS = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'account_inactive', 'token_revoked', 'missing_scope', 'restricted_action']);
const CHANNEL_ERRORS = new Set(['channel_not_found', 'not_in_channel', 'is_archived']);

export const processInstanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;

/** One scheduler tick: posts every slot that is due and not yet posted; skips (and logs) stale ones. */
export async function runDigestTick(deps: DigestJobDeps, now: Date): Promise<Record<PostOutcome | 'skipped', number>> {
  const counts = { posted: 0, recovered: 0, not_claimed: 0, failed: 0, no_client: 0, skipped: 0 };
  const subscriptions = await subscriptionsWithTimezone(deps.db);
  // Channels post side by side, so one slow or rate-limited channel does not hold up the rest.
  const limit = pLimit(deps.concurrency ?? DEFAULT_CONCURRENCY);
  await Promise.all(
    subscriptions.map((subscription) =>
      limit(async () => {
        const decision = decideSlot(scheduleOf(subscription), now, subscription.timezone);
        if (decision.slot < subscription.created_at) return;
        if (decision.action === 'post') {
          counts[await postDigest(deps, subscription, decision.slot, now)]++;
        } else if (await recordSkippedSlot(deps.db, subscription.id, decision.slot, subscription.team_id, now)) {
          counts.skipped++;
          deps.logger.warn(
            { teamId: subscription.team_id, subscriptionId: String(subscription.id), slot: decision.slot.toISOString(), hoursLate: Math.floor(decision.ageMs / 3_600_000) },
            'digest slot missed by more than 24 hours: skipped',
          );
        }
      }),
    ),
  );
  return counts;
}

export async function postDigest(deps: DigestJobDeps, subscription: DigestSubscription, slot: Date, now: Date): Promise<PostOutcome> {
  const claimer = deps.instanceId ?? processInstanceId;
  const run = await claimDigestRun(deps.db, {
    subscriptionId: subscription.id,
    slot,
    teamId: subscription.team_id,
    claimer,
    now,
    leaseMs: deps.leaseMs ?? DEFAULT_LEASE_MS,
    maxAttempts: deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  });
  if (!run) return 'not_claimed';
  return postClaimedDigest(deps, subscription, run, now);
}

/**
 * Posts a (subscription, slot) this process has claimed, and records the outcome on the claim.
 * The digest reads the numbers as at `asOf`: the slot for a scheduled post; the moment of a
 * send by hand, whose "this week so far" then says how the running week stands.
 */
export async function postClaimedDigest(deps: DigestJobDeps, subscription: DigestSubscription, run: DigestRun, now: Date, asOf: Date = run.slot): Promise<PostOutcome> {
  const { slot } = run;
  const claimer = deps.instanceId ?? processInstanceId;
  const log = deps.logger.child({ teamId: subscription.team_id, subscriptionId: String(subscription.id), slot: slot.toISOString(), attempt: run.attempts });
  const clients = await deps.slack.forTeam(subscription.team_id);
  const workspace = await findWorkspace(deps.db, subscription.team_id);
  if (!clients || !workspace) {
    await markDigestFailed(deps.db, run, claimer, 'no Slack token for this workspace', true, now);
    log.warn('digest not posted: Tally has no token for this workspace');
    return 'no_client';
  }
  try {
    const findPosted = () => findPostedDigest(clients.api, subscription, slot);
    // A previous attempt may have posted and died before recording it: look before posting again.
    if (run.attempts > 1) {
      const earlier = await findPosted();
      if (earlier) {
        await markDigestPosted(deps.db, run, claimer, earlier, now);
        log.info({ ts: earlier }, 'digest was already posted by an earlier attempt: recorded, not posted again');
        return 'recovered';
      }
    }
    const data = await buildDigest(deps, workspace, subscription, asOf);
    // Stop waiting on rate limits well before the claim's lease runs out (real time).
    const deadline = new Date(Date.now() + ((deps.leaseMs ?? DEFAULT_LEASE_MS) * 3) / 4);
    const payload = { subscription_id: String(subscription.id), slot: slot.toISOString() };
    const ts = await publishDigest(clients, subscription.channel_id, data, log, payload, findPosted, deadline);
    if (!(await markDigestPosted(deps.db, run, claimer, ts, now))) log.warn({ ts }, 'digest posted, but this process no longer held the claim');
    deps.metrics.digestPosts.inc({ outcome: 'posted' });
    log.info({ channel: subscription.channel_id, ts }, 'digest posted');
    return 'posted';
  } catch (error) {
    const code = slackErrorCode(error);
    const final = code !== undefined && PERMANENT_ERRORS.has(code);
    await markDigestFailed(deps.db, run, claimer, code ?? (error instanceof Error ? error.message : String(error)), final, now);
    deps.metrics.digestPosts.inc({ outcome: 'failed' });
    log.error({ err: error, code, final }, 'digest post failed');
    if (code && CHANNEL_ERRORS.has(code)) await tellSubscriber(clients.api, subscription, code, log);
    return 'failed';
  }
}

/** Uploads the chart and posts the digest; the metadata names the slot, so a retry can find it. */
export async function publishDigest(
  clients: TeamClients,
  channelId: string,
  data: DigestData,
  log: DigestJobDeps['logger'],
  payload: Record<string, string>,
  findPosted: () => Promise<string | undefined>,
  deadline?: Date,
): Promise<string> {
  const image = await uploadChart(clients.api, data, log);
  const message = { channel: channelId, ...digestMessage(data, image), unfurl_links: false, metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: payload } };
  return postOnce(clients.poster, message, { findPosted, ...(deadline ? { deadline } : {}) });
}

function scheduleOf(subscription: DigestSubscription): Schedule {
  return { cadence: subscription.cadence, time: subscription.at_time, weekday: subscription.weekday };
}

/** The ts of this slot's digest if it is already in the channel (found by its message metadata). */
function findPostedDigest(client: WebClient, subscription: DigestSubscription, slot: Date): Promise<string | undefined> {
  return findMessageWithMetadata(client, subscription.channel_id, {
    event_type: DIGEST_EVENT_TYPE,
    subscription_id: String(subscription.id),
    slot: slot.toISOString(),
  });
}

/**
 * Looks through the channel's latest messages for one whose metadata matches. By count, not
 * time: the slot in the metadata is exact, and `npm run digest -- --at` may name any instant.
 */
export async function findMessageWithMetadata(
  client: WebClient,
  channel: string,
  match: { event_type: string } & Record<string, string>,
): Promise<string | undefined> {
  const { event_type: eventType, ...payload } = match;
  const history = await client.conversations.history({ channel, include_all_metadata: true, limit: 200 });
  const found = history.messages?.find((message) => {
    const metadata = message.metadata as { event_type?: string; event_payload?: Record<string, unknown> } | undefined;
    return metadata?.event_type === eventType && Object.entries(payload).every(([key, value]) => metadata.event_payload?.[key] === value);
  });
  return found?.ts;
}

/** Renders and uploads the month chart; a chart that fails never holds the post back. */
async function uploadChart(client: WebClient, data: DigestData, log: DigestJobDeps['logger']): Promise<DigestImage | null> {
  try {
    // Loaded on first use: the chart libraries (Vega, resvg) weigh on start-up and memory of a
    // process that may never post a digest.
    const { chartTitle, renderMonthChart } = await import('../digest/chart.js');
    const title = chartTitle(data.month, data.workspace.fiscal_year_start_month, data.salesTeam?.name);
    const png = await renderMonthChart({
      title,
      currency: data.workspace.currency,
      minorDigits: minorDigits(data.workspace.currency),
      days: data.chart.days,
      series: data.chart.series,
    });
    const filename = `tally-${data.month.key}.png`;
    const upload = await client.files.getUploadURLExternal({ filename, length: png.length });
    if (!upload.upload_url || !upload.file_id) throw new Error('files.getUploadURLExternal gave no upload_url');
    const sent = await fetch(upload.upload_url, { method: 'POST', body: png, headers: { 'content-type': 'image/png' } });
    if (!sent.ok) throw new Error(`chart upload answered ${sent.status}`);
    await client.files.completeUploadExternal({ files: [{ id: upload.file_id, title: digestTitle(data) }] });
    // The team's name (user text) stays in the image; the alt text names the month only.
    return { fileId: upload.file_id, altText: `Cumulative sales against the target pace, ${chartTitle(data.month, data.workspace.fiscal_year_start_month)}` };
  } catch (error) {
    log.warn({ err: error }, 'digest chart not attached');
    return null;
  }
}

async function tellSubscriber(client: WebClient, subscription: DigestSubscription, code: string, log: DigestJobDeps['logger']): Promise<void> {
  try {
    await client.chat.postMessage({ channel: subscription.created_by, ...channelProblemMessage(subscription.channel_id, code) });
  } catch (error) {
    log.error({ err: error }, 'could not tell the subscriber about the channel problem');
  }
}

export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

