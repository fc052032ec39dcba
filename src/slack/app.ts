// The Bolt app: HTTP receiver (POST /slack/events, GET /healthz, GET /metrics, POST /webhooks/…)
// or Socket Mode, the Web API client pointed at SLACK_API_URL, every listener, one error handler.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { App, ErrorCode, HTTPReceiver, SocketModeReceiver, type CustomRoute, type Logger as BoltLogger } from '@slack/bolt';
import type { ExtendedErrorHandlerArgs } from '@slack/bolt/dist/App.js';
import { boltLogger } from '../logger.js';
import type { SlackAppDeps } from './deps.js';
import { BOT_SCOPES } from './ids.js';
import { registerListeners } from './listeners/index.js';
import { webhookRoutes } from './webhooks.js';
import { currentRequestId, guardRequests } from './request-guard.js';

export type { SlackAppDeps };

const EVENTS_PATH = '/slack/events';

export interface SlackApp {
  app: App;
  /** Set in Socket Mode: its WebSocket client, which start-up connects (and connects again). */
  socketMode: SocketModeReceiver | undefined;
}

export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { config } = deps;
  const logger = boltLogger(deps.logger);
  const customRoutes = [...healthRoutes(deps), ...webhookRoutes(deps)];
  // Multi-workspace: /slack/install and /slack/oauth_redirect, tokens from the installation store.
  const oauth =
    config.slack.oauth && deps.installationStore
      ? {
          clientId: config.slack.oauth.clientId,
          clientSecret: config.slack.oauth.clientSecret,
          stateSecret: config.slack.oauth.stateSecret,
          scopes: [...BOT_SCOPES],
          installationStore: deps.installationStore,
          installerOptions: { directInstall: true, clientOptions: { slackApiUrl: config.slack.apiUrl } },
        }
      : undefined;
  const receiver: HTTPReceiver | undefined = config.slack.appToken
    ? undefined
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret ?? '',
        endpoints: EVENTS_PATH,
        customRoutes,
        logger,
        // Unanswered requests are answered by Slack as failed after 3 s; ours must not hang.
        unhandledRequestTimeoutMillis: 3001,
        // Listener failures end in app.error; what reaches here failed before any listener,
        // on a body Bolt could not read: the request's fault, so 400, never a 500.
        processEventErrorHandler: async ({ error, response }) => {
          if ((error as { code?: string }).code === ErrorCode.AuthorizationError) {
            response.writeHead(401);
            response.end();
            return true;
          }
          deps.logger.error({ err: error, requestId: currentRequestId() }, 'request could not be processed');
          if (!response.headersSent) {
            response.writeHead(400);
            response.end();
          }
          return false;
        },
        ...oauth,
      });
  if (receiver) guardRequests(receiver, { signingSecret: config.slack.signingSecret ?? '', endpoint: EVENTS_PATH, logger: deps.logger });
  const socketMode = config.slack.appToken
    ? new SocketModeReceiver({
        appToken: config.slack.appToken,
        logger: quietConnectionTries(logger),
        customRoutes,
        ...oauth,
        installerOptions: {
          ...oauth?.installerOptions,
          // /healthz, /metrics, webhooks (and the OAuth pages) are served on PORT in Socket Mode too.
          port: config.port,
          // The WebSocket's Web API calls (apps.connections.open) go to SLACK_API_URL, one try
          // each: start-up tries again with backoff while Slack does not answer.
          clientOptions: { slackApiUrl: config.slack.apiUrl, retryConfig: { retries: 0 } },
        },
      })
    : undefined;
  const app = new App({
    receiver: receiver ?? socketMode,
    // A single bot token is handed to each request as is: Bolt's own start-up check (auth.test)
    // would stop Tally whenever Slack is out of reach; SlackConnection checks it in the background.
    ...(oauth ? {} : { authorize: async () => ({ botToken: config.slack.botToken, ...deps.slackConnection.identity }) }),
    logger,
    deferInitialization: true,
    extendedErrorHandler: true,
    // Tally keeps no conversation state: no per-request store lookup.
    convoStore: false,
    clientOptions: {
      slackApiUrl: config.slack.apiUrl,
      timeout: 10_000,
      // Interactive calls: a person is waiting, so retry briefly rather than for minutes.
      retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2_000 },
    },
  });

  // Every request gets an id that its log lines carry, and one line when it is done.
  app.use(async ({ body, context, next }) => {
    const requestId = currentRequestId() ?? randomUUID();
    context.requestId = requestId;
    const started = performance.now();
    try {
      await next();
    } finally {
      if (deps.logger.isLevelEnabled('debug'))
        deps.logger.debug(
          {
            requestId,
            teamId: context.teamId,
            userId: context.userId,
            request: requestName(body),
            ms: Math.round(performance.now() - started),
          },
          'request handled',
        );
    }
  });

  registerListeners(app, deps);

  app.error(async ({ error, context, body }: ExtendedErrorHandlerArgs) => {
    if (error.code === ErrorCode.AuthorizationError) {
      // A workspace Tally has no installation for: thrown on, so the receiver answers 401.
      deps.logger.warn(
        {
          teamId:
            (body as { team_id?: string; team?: { id?: string } } | undefined)?.team_id ?? (body as { team?: { id?: string } })?.team?.id,
        },
        'request from a workspace without an installation refused',
      );
      throw error;
    }
    deps.logger.error(
      {
        err: error.original ?? error,
        requestId: context.requestId,
        teamId: context.teamId,
        userId: context.userId,
        request: requestName(body),
      },
      'listener failed',
    );
  });
  return { app, socketMode };
}

/**
 * The Socket Mode client logs each failed try to connect twice (a warning and an error);
 * SlackConnection says it once, with the reason, so these two go to debug. Everything else passes.
 */
function quietConnectionTries(logger: BoltLogger): BoltLogger {
  const isConnectionTry = (parts: unknown[]) =>
    typeof parts[0] === 'string' && /^(http request failed|Failed to retrieve a new WSS URL)/.test(parts[0]);
  return {
    ...logger,
    warn: (...parts: unknown[]) => (isConnectionTry(parts) ? logger.debug(...parts) : logger.warn(...parts)),
    error: (...parts: unknown[]) => (isConnectionTry(parts) ? logger.debug(...parts) : logger.error(...parts)),
  };
}

/** The command, view, action or event a request is about, for logs (never its content). */
function requestName(body: unknown): string | undefined {
  const payload = body as
    | {
        type?: string;
        command?: string;
        view?: { callback_id?: string };
        actions?: Array<{ action_id?: string }>;
        event?: { type?: string };
      }
    | undefined;
  return payload?.command ?? payload?.view?.callback_id ?? payload?.actions?.[0]?.action_id ?? payload?.event?.type ?? payload?.type;
}

/** /healthz answers within this (under a second), whatever the database does. */
const HEALTH_ANSWER_MS = 900;

function healthRoutes(deps: Pick<SlackAppDeps, 'ping' | 'metrics' | 'slackConnection'>): CustomRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        // A database that does not answer within a second is as good as down to a health check.
        // Slack out of reach is reported but is no reason to restart Tally: the status stays 200.
        let answered = false;
        const answer = (status: number, body: Record<string, string>) => {
          if (answered) return;
          answered = true;
          clearTimeout(deadline);
          sendJson(res, status, { ...body, slack: deps.slackConnection.status });
        };
        const deadline = setTimeout(() => answer(503, { status: 'unavailable', database: 'not answering' }), HEALTH_ANSWER_MS);
        deps.ping().then(
          () => answer(200, { status: 'ok', database: 'up' }),
          () => answer(503, { status: 'unavailable', database: 'down' }),
        );
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        deps.metrics.registry.metrics().then(
          (text) => {
            res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
            res.end(text);
          },
          () => sendJson(res, 500, { status: 'error' }),
        );
      },
    },
  ];
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
