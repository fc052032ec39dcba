// Posting the digest (docs/rules.md#digests), for a (subscription, slot) already claimed in
// PostgreSQL: by the scheduler's tick (src/scheduler/digest-job.ts) or by `/tally digest send`
// (sendDigestNow, below). The chart is uploaded, the message posted once (post-once), its
// metadata naming the slot so a retry finds it, and the outcome recorded on the claim.
import type { WebClient } from '@slack/web-api';
import type { DigestRun, DigestSubscription } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { minorDigits } from '../domain/money.js';
import { UserError } from '../errors.js';
import { buildDigest, type DigestData } from '../services/digest.js';
import {
  claimSlotByHand,
  DEFAULT_LEASE_MS,
  digestWorkspace,
  recordDigestFailed,
  recordDigestPosted,
  subscriptionToSend,
  type DigestClaimOptions,
  type SendRequest,
} from '../services/digest-runs.js';
import type { Actor } from '../services/actor.js';
import type { SlackClients, TeamClients } from './clients.js';
import { DIGEST_EVENT_TYPE } from './ids.js';
import { postOnce } from './post-once.js';
import { digestMessage, digestTitle, type DigestImage } from './views/digest.js';
import { channelProblemMessage } from './views/notices.js';

export interface DigestPublisherDeps extends Pick<Deps, 'db' | 'logger' | 'metrics'>, DigestClaimOptions {
  slack: SlackClients;
}

export type PostOutcome = 'posted' | 'recovered' | 'not_claimed' | 'failed' | 'no_client';

/** Slack answers that no retry will fix: disable nothing, tell the subscriber, stop trying this slot. */
const PERMANENT_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'restricted_action',
]);
const CHANNEL_ERRORS = new Set(['channel_not_found', 'not_in_channel', 'is_archived']);

/**
 * Posts a (subscription, slot) this process has claimed, and records the outcome on the claim.
 * The digest reads the numbers as at `asOf`: the slot for a scheduled post; the moment of a
 * send by hand, whose "this week so far" then says how the running week stands.
 */
export async function postClaimedDigest(
  deps: DigestPublisherDeps,
  subscription: DigestSubscription,
  run: DigestRun,
  now: Date,
  asOf: Date = run.slot,
): Promise<PostOutcome> {
  const { slot } = run;
  const log = deps.logger.child({
    teamId: subscription.team_id,
    subscriptionId: String(subscription.id),
    slot: slot.toISOString(),
    attempt: run.attempts,
  });
  const clients = await deps.slack.forTeam(subscription.team_id);
  const workspace = await digestWorkspace(deps, subscription.team_id);
  if (!clients || !workspace) {
    await recordDigestFailed(deps, run, 'no Slack token for this workspace', true, now);
    log.warn('digest not posted: Tally has no token for this workspace');
    return 'no_client';
  }
  try {
    const findPosted = () => findPostedDigest(clients.api, subscription, slot);
    // A previous attempt may have posted and died before recording it: look before posting again.
    if (run.attempts > 1) {
      const earlier = await findPosted();
      if (earlier) {
        await recordDigestPosted(deps, run, earlier, now);
        log.info({ ts: earlier }, 'digest was already posted by an earlier attempt: recorded, not posted again');
        return 'recovered';
      }
    }
    const data = await buildDigest(deps, workspace, subscription, asOf);
    // Stop waiting on rate limits well before the claim's lease runs out (real time).
    const deadline = new Date(Date.now() + ((deps.leaseMs ?? DEFAULT_LEASE_MS) * 3) / 4);
    const payload = { subscription_id: String(subscription.id), slot: slot.toISOString() };
    const ts = await publishDigest(clients, subscription.channel_id, data, log, payload, findPosted, deadline);
    if (!(await recordDigestPosted(deps, run, ts, now))) log.warn({ ts }, 'digest posted, but this process no longer held the claim');
    deps.metrics.digestPosts.inc({ outcome: 'posted' });
    log.info({ channel: subscription.channel_id, ts }, 'digest posted');
    return 'posted';
  } catch (error) {
    const code = slackErrorCode(error);
    const final = code !== undefined && PERMANENT_ERRORS.has(code);
    await recordDigestFailed(deps, run, code ?? (error instanceof Error ? error.message : String(error)), final, now);
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
  log: Deps['logger'],
  payload: Record<string, string>,
  findPosted: () => Promise<string | undefined>,
  deadline?: Date,
): Promise<string> {
  const image = await uploadChart(clients.api, data, log);
  const message = {
    channel: channelId,
    ...digestMessage(data, image),
    unfurl_links: false,
    metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: payload },
  };
  return postOnce(clients.poster, message, { findPosted, ...(deadline ? { deadline } : {}) });
}

export type SendOutcome =
  | { kind: 'posting'; slot: Date; posted: Promise<PostOutcome> }
  | { kind: 'already_posted'; slot: Date; channelId: string; ts: string }
  | { kind: 'in_progress'; slot: Date };

export type SendDeps = DigestPublisherDeps & Pick<Deps, 'config' | 'clock'>;

/**
 * `/tally digest send`: a manager posts this channel's digest by hand, through the scheduler's
 * exactly-once path. The send claims the subscription's current slot like a tick does, so the
 * digest of a slot is posted once, whether the scheduler, a send or a second send gets there
 * first; a slot skipped as too old or given up on is taken again, since a person asks for it.
 * The claim is quick and answered at once; the post (chart, retries, rate limits) runs
 * afterwards, with the numbers as they stand now.
 */
export async function sendDigestNow(deps: SendDeps, actor: Actor, request: SendRequest): Promise<SendOutcome> {
  const { workspace, subscription } = await subscriptionToSend(deps, actor, request);
  if (!(await deps.slack.forTeam(actor.teamId))) throw new UserError('Tally has no Slack token for this workspace: reinstall the app.');
  const now = deps.clock.now();
  const claimed = await claimSlotByHand(deps, workspace, subscription, now);
  if (claimed.kind !== 'claimed') return claimed;
  return { kind: 'posting', slot: claimed.slot, posted: postClaimedDigest(deps, subscription, claimed.run, now, now) };
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
async function uploadChart(client: WebClient, data: DigestData, log: Deps['logger']): Promise<DigestImage | null> {
  try {
    // Loaded on first use: the chart libraries (Vega, resvg) weigh on start-up and memory of a
    // process that may never post a digest.
    const { chartTitle, renderMonthChart } = await import('./views/digest-chart.js');
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
    return {
      fileId: upload.file_id,
      altText: `Cumulative sales against the target pace, ${chartTitle(data.month, data.workspace.fiscal_year_start_month)}`,
    };
  } catch (error) {
    log.warn({ err: error }, 'digest chart not attached');
    return null;
  }
}

async function tellSubscriber(client: WebClient, subscription: DigestSubscription, code: string, log: Deps['logger']): Promise<void> {
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
