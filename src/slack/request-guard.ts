// Checks every request to the Slack endpoint before Bolt's HTTPReceiver handles it: the
// signature and a replay window that holds both ways (Bolt refuses only old timestamps), and
// a body Bolt can read without crashing (see request-shape.ts). A refused request gets 401
// (not from Slack) or 400 (malformed), is logged with its request id, and reaches no listener.
// Every request runs in a scope that carries its id, so a failure escaping it is logged with it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { HTTPModuleFunctions, defaultBodyLimit, isRawBodyError, verifySlackRequest, type HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../logger.js';
import { requestShapeProblem } from './request-shape.js';

/** How far a request's timestamp may be from this machine's clock, either way. */
export const REPLAY_WINDOW_SECONDS = 5 * 60;

const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/** The id of the request being handled, in any code it started (also in its callbacks). */
export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}

export interface GuardOptions {
  signingSecret: string;
  endpoint: string;
  logger: Logger;
}

interface Refusal {
  status: 400 | 401 | 413;
  reason: string;
}

export function guardRequests(receiver: HTTPReceiver, options: GuardOptions): void {
  const handle = receiver.requestListener;
  receiver.requestListener = (req, res) =>
    requestScope.run({ requestId: randomUUID() }, () => {
      if (req.method !== 'POST' || pathOf(req) !== options.endpoint) return handle(req, res);
      refusalOf(req, options.signingSecret).then(
        (refusal) => {
          if (!refusal) return handle(req, res);
          options.logger.warn({ requestId: currentRequestId(), status: refusal.status, reason: refusal.reason }, 'request refused');
          answer(res, refusal.status);
        },
        (error: unknown) => {
          options.logger.error({ err: error, requestId: currentRequestId() }, 'request could not be checked');
          answer(res, 400);
        },
      );
    });
}

async function refusalOf(req: IncomingMessage, signingSecret: string): Promise<Refusal | undefined> {
  let buffered: Awaited<ReturnType<typeof HTTPModuleFunctions.bufferIncomingMessage>>;
  try {
    // Bolt reads the buffered body again from req.rawBody, it does not read the stream twice.
    buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, defaultBodyLimit);
  } catch (error) {
    if (isRawBodyError(error) && error.statusCode === 413) return { status: 413, reason: 'body too large' };
    return { status: 400, reason: 'body could not be read' };
  }
  const raw = buffered.rawBody.toString();
  // Slack's SSL check is not signed; Bolt answers it and drops whatever else it carries.
  if (isForm(req) && parseQuery(raw).ssl_check === '1') return undefined;

  const signature = req.headers['x-slack-signature'];
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  if (typeof signature !== 'string' || !Number.isInteger(timestamp))
    return { status: 401, reason: 'signature headers missing or malformed' };
  // The window compares Slack's clock with this machine's: real time, not the business clock.
  const nowMs = Date.now();
  if (Math.abs(nowMs / 1000 - timestamp) > REPLAY_WINDOW_SECONDS) return { status: 401, reason: 'timestamp outside the 5-minute window' };
  try {
    verifySlackRequest({
      signingSecret,
      body: raw,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: nowMs,
    });
  } catch {
    return { status: 401, reason: 'signature mismatch' };
  }

  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
  } catch {
    return { status: 400, reason: 'body is not valid JSON' };
  }
  const problem = requestShapeProblem(body);
  return problem ? { status: 400, reason: problem } : undefined;
}

function isForm(req: IncomingMessage): boolean {
  return req.headers['content-type'] === 'application/x-www-form-urlencoded';
}

function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://localhost').pathname;
}

function answer(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
}
