// POST /webhooks/<source id>: deliveries from connected sources (a signed generic webhook, or
// Pipedrive), answered with JSON. What they change is then said in Slack without holding the
// answer up: the rep's DM, celebrations, their Home tab, the admin's DM about an unmapped owner.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { MAX_DELIVERY_BYTES, receiveDelivery, type SourceDeps, type SourceNotice } from '../services/sources.js';
import type { ListenerDeps } from './deps.js';
import { celebrateInBackground, isDatabaseUnavailable } from './listeners/handle.js';
import { sourceSaleMessage, unmappedOwnerMessage } from './views/sources.js';

/** A person's Slack id by email is asked once an hour at most; an unknown email once a minute. */
const EMAIL_TTL_MS = 60 * 60_000;
const UNKNOWN_EMAIL_TTL_MS = 60_000;
const MAX_CACHED_EMAILS = 10_000;

type DeliveryRequest = IncomingMessage & { params?: Record<string, string | string[] | undefined> };

type WebhookDeps = ListenerDeps;

/** The source services' view of Slack: a workspace's client, and people by email (cached). */
export type SlackSourceDeps = SourceDeps & WebhookDeps;

export function sourceDeps(deps: WebhookDeps): SlackSourceDeps {
  const emails = new Map<string, { userId: string | null; expiresAt: number }>();
  return {
    ...deps,
    clientFor: async (teamId) => (await deps.slack.forTeam(teamId))?.api,
    userByEmail: async (client, teamId, email) => {
      const key = `${teamId} ${email}`;
      const now = deps.clock.now().getTime();
      const cached = emails.get(key);
      if (cached && cached.expiresAt > now) return cached.userId;
      let userId: string | null = null;
      try {
        const { user } = await client.users.lookupByEmail({ email });
        userId = user && !user.deleted && !user.is_bot ? (user.id ?? null) : null;
      } catch (error) {
        if ((error as { data?: { error?: string } }).data?.error !== 'users_not_found') throw error;
      }
      if (emails.size >= MAX_CACHED_EMAILS) emails.clear();
      emails.set(key, { userId, expiresAt: now + (userId ? EMAIL_TTL_MS : UNKNOWN_EMAIL_TTL_MS) });
      return userId;
    },
  };
}

export function webhookRoutes(deps: WebhookDeps): CustomRoute[] {
  const sources = sourceDeps(deps);
  return [
    {
      path: '/webhooks/:sourceId',
      method: ['POST'],
      handler: (req: DeliveryRequest, res: ServerResponse) => {
        handleDelivery(sources, req, res).catch((error: unknown) => {
          deps.logger.error({ err: error }, 'webhook delivery failed');
          if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'Tally could not answer this delivery.' });
        });
      },
    },
  ];
}

async function handleDelivery(deps: SlackSourceDeps, req: DeliveryRequest, res: ServerResponse): Promise<void> {
  const stopTimer = deps.metrics.requestSeconds.startTimer({ kind: 'webhook', name: 'delivery' });
  const count = (outcome: string) => {
    stopTimer();
    deps.metrics.requests.inc({ kind: 'webhook', name: 'delivery', outcome });
  };
  const body = await readBody(req, MAX_DELIVERY_BYTES);
  if (body === 'too large') {
    count('user_error');
    // Said before the rest arrives; the connection is closed, so nothing more is read.
    res.setHeader('connection', 'close');
    sendJson(res, 413, { ok: false, error: `The body is over ${MAX_DELIVERY_BYTES} bytes.`, field: 'body' });
    return;
  }
  let answer: Awaited<ReturnType<typeof receiveDelivery>>;
  try {
    answer = await receiveDelivery(deps, {
      sourceId: String(req.params?.sourceId ?? ''),
      signature: header(req, 'x-tally-signature'),
      authorization: header(req, 'authorization'),
      body,
    });
  } catch (error) {
    count('error');
    deps.logger.error({ err: error, source: req.params?.sourceId }, 'webhook delivery failed');
    const down = isDatabaseUnavailable(error);
    sendJson(res, down ? 503 : 500, {
      ok: false,
      error: `${down ? "Tally couldn't reach its database" : 'Tally failed to process this delivery'}; nothing was stored. Send it again later.`,
    });
    return;
  }
  count(answer.status < 300 ? 'ok' : answer.status < 500 ? 'user_error' : 'error');
  sendJson(res, answer.status, answer.body);
  if (answer.teamId && answer.notices.length > 0) tellAboutSources(deps, answer.teamId, answer.notices);
}

/** Says in Slack what deliveries changed, after they were answered; failures are logged. */
export function tellAboutSources(deps: SlackSourceDeps, teamId: string, notices: readonly SourceNotice[]): void {
  const tell = async () => {
    const client = (await deps.clientFor(teamId)) as WebClient | undefined;
    if (!client) return;
    for (const notice of notices) {
      if (notice.kind === 'unmapped owner') {
        await client.chat.postMessage({
          channel: notice.source.created_by,
          ...unmappedOwnerMessage(notice.source, notice.ownerId, notice.dealId),
        });
        continue;
      }
      await client.chat.postMessage({
        channel: notice.sale.rep_id,
        ...sourceSaleMessage(notice.source, notice.change, notice.sale, notice.productName),
      });
      if (notice.change === 'created')
        celebrateInBackground(deps, client, notice.workspace, notice.sale.rep_id, notice.progress, notice.milestones);
    }
  };
  tell().catch((error: unknown) => deps.logger.error({ err: error, teamId }, 'source notices not delivered'));
}

/** The body, or 'too large' as soon as it is over `limit` bytes (it is not read further). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        resolve('too large');
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
