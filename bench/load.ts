// HTTP load through autocannon: every request built and signed as Slack builds and signs it,
// each with a fresh trigger id (or view id) and from one of LOAD.reps reps.
import autocannon from 'autocannon';
import { tallySignatureHeader } from '../src/domain/webhook-auth.js';
import { LOG_SALE_FIELDS as F, VIEWS } from '../src/slack/ids.js';
import { logSaleModal } from '../src/slack/views/log-sale-modal.js';
import { interactionBody, randomTriggerId, signRequest, slashCommandBody, viewSubmissionPayload } from '../slack-standin/slack-signer.js';
import { GENERAL_CHANNEL, LOAD, SIGNING_SECRET, TEAM, repId } from './config.js';

export interface LoadResult {
  seconds: number;
  requests: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/**
 * What one request is: a slash command with its text, a submission of the Log a sale modal, or a
 * delivery of a won deal to a connected webhook source (signed with its secret).
 */
export type RequestKind =
  | { type: 'command'; command: string; text: string }
  | { type: 'modal'; amount: string }
  | { type: 'webhook'; sourceId: string; secret: string };

/**
 * The text of a command, with `{n}` replaced by the request's number: each sale names another
 * customer, as real sales do, so the duplicate guard rail (same rep, amount and customer within
 * 10 minutes) asks nothing and every request stores a sale.
 */
function commandText(text: string, n: number): string {
  return text.replaceAll('{n}', String(n));
}

/** Where a request goes, and the headers that sign it. */
export function requestTarget(kind: RequestKind): { path: string; contentType: string; sign: (body: string) => Record<string, string> } {
  if (kind.type === 'webhook') {
    return {
      path: `/webhooks/${kind.sourceId}`,
      contentType: 'application/json',
      sign: (body) => ({ 'x-tally-signature': tallySignatureHeader(kind.secret, Math.floor(Date.now() / 1000), body) }),
    };
  }
  return { path: '/slack/events', contentType: 'application/x-www-form-urlencoded', sign: (body) => signRequest(SIGNING_SECRET, body) };
}

/** A rep's form (no rep field), in a workspace without products. */
const MODAL = logSaleModal({ channelId: GENERAL_CHANNEL }, { reps: { kind: 'own' }, products: [], currencies: ['USD'] });

/**
 * Requests made so far by this process, all builders together: a warm-up, the smoke check and
 * the runs after them never send the same sale (customer, deal id, view id) twice, which the
 * duplicate guard rail, the deal's row or the view's id would take for a repeat and not store.
 */
let sent = 0;

export function requestBuilder(kind: RequestKind, responseUrl: string): () => string {
  return () => {
    const n = ++sent;
    const rep = repId((n - 1) % LOAD.reps);
    if (kind.type === 'webhook') {
      return JSON.stringify({
        id: `bench-${process.pid}-${n}`,
        status: 'won',
        amount: '1200',
        customer: `Acme ${n}`,
        rep: { slack_id: rep },
      });
    }
    if (kind.type === 'command') {
      return slashCommandBody({
        command: kind.command,
        text: commandText(kind.text, n),
        team_id: TEAM,
        user_id: rep,
        channel_id: GENERAL_CHANNEL,
        trigger_id: randomTriggerId(),
        response_url: responseUrl,
      });
    }
    // A fresh view id per request: each is a different modal, so each stores a sale.
    const view = {
      ...MODAL,
      id: `VBENCH${process.pid}${n}`,
      callback_id: VIEWS.logSale,
      team_id: TEAM,
      private_metadata: MODAL.private_metadata ?? '',
    };
    const values = {
      [F.amount]: { [F.amount]: { type: 'plain_text_input', value: kind.amount } },
      [F.currency]: { [F.currency]: { type: 'plain_text_input', value: null } },
      [F.customer]: { [F.customer]: { type: 'plain_text_input', value: `Acme ${n}` } },
      [F.product]: { [F.product]: { type: 'plain_text_input', value: null } },
      [F.closedOn]: { [F.closedOn]: { type: 'datepicker', selected_date: null } },
      [F.rep]: { [F.rep]: { type: 'users_select', selected_user: null } },
      [F.note]: { [F.note]: { type: 'plain_text_input', value: null } },
    };
    return interactionBody(viewSubmissionPayload({ team_id: TEAM, user_id: rep, view: view as never, values: values as never }));
  };
}

/** Sends one request as the load would, and returns the status and body (to check it works before measuring). */
export async function sendOne(baseUrl: string, kind: RequestKind, responseUrl: string): Promise<{ status: number; body: string }> {
  const body = requestBuilder(kind, responseUrl)();
  const target = requestTarget(kind);
  const response = await fetch(`${baseUrl}${target.path}`, {
    method: 'POST',
    headers: { 'content-type': target.contentType, ...target.sign(body) },
    body,
  });
  return { status: response.status, body: await response.text() };
}

export async function runLoad(baseUrl: string, kind: RequestKind, responseUrl: string, seconds = LOAD.seconds): Promise<LoadResult> {
  const next = requestBuilder(kind, responseUrl);
  const target = requestTarget(kind);
  const result = await autocannon({
    url: `${baseUrl}${target.path}`,
    method: 'POST',
    connections: LOAD.connections,
    duration: seconds,
    timeout: 10,
    headers: { 'content-type': target.contentType },
    requests: [
      {
        setupRequest: (request) => {
          const body = next();
          request.body = body;
          request.headers = { ...request.headers, ...target.sign(body) };
          return request;
        },
      },
    ],
  });
  const completed = result.requests.total;
  return {
    seconds: result.duration,
    requests: completed,
    rps: completed / result.duration,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
