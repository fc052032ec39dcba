// Web API clients for work that no request is waiting on (the scheduler, digests).
import { WebClient, type RetryOptions } from '@slack/web-api';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { Clock } from '../deps.js';
import { boltLogger, type Logger } from '../logger.js';
import { PostgresInstallationStore } from './installation-store.js';

/** Retries of 5xx and network errors: about 1 + 2 + 4 + 8 + 16 s; 429s wait Retry-After. */
export const BACKGROUND_RETRY: RetryOptions = { retries: 5, factor: 2, minTimeout: 1_000, maxTimeout: 16_000, maxRetryTime: 120_000 };

export interface TeamClients {
  /** For calls that are safe to repeat (reads, uploads): the client retries on its own. */
  api: WebClient;
  /**
   * For posts that must land once: no automatic retry, and a 429 is thrown (with its
   * Retry-After) instead of waited out, so the caller decides when a retry is safe.
   */
  poster: WebClient;
}

export interface SlackClients {
  /** The bot clients of a workspace, or undefined when Tally has no token for it. */
  forTeam(teamId: string): Promise<TeamClients | undefined>;
}

export interface ClientOptions {
  timeoutMs?: number;
  retry?: RetryOptions;
}

export function teamClients(token: string, config: Config, logger: Logger, options: ClientOptions = {}): TeamClients {
  const base = { slackApiUrl: config.slack.apiUrl, timeout: options.timeoutMs ?? 15_000, logger: boltLogger(logger) };
  return {
    api: new WebClient(token, { ...base, retryConfig: options.retry ?? BACKGROUND_RETRY }),
    poster: new WebClient(token, { ...base, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true }),
  };
}

/** Single-workspace install: one bot token for every team id Tally has seen. */
export function singleTokenClients(config: Config, logger: Logger, options: ClientOptions = {}): SlackClients {
  const clients = config.slack.botToken ? teamClients(config.slack.botToken, config, logger, options) : undefined;
  return { forTeam: async () => clients };
}

/** OAuth install: each workspace's own bot token, from the installation store. */
export function installationClients(
  store: { botToken(teamId: string): Promise<string | undefined> },
  config: Config,
  logger: Logger,
  options: ClientOptions = {},
): SlackClients {
  const byToken = new Map<string, TeamClients>();
  return {
    forTeam: async (teamId) => {
      const token = await store.botToken(teamId);
      if (!token) return undefined;
      let clients = byToken.get(token);
      if (!clients) {
        clients = teamClients(token, config, logger, options);
        byToken.set(token, clients);
      }
      return clients;
    },
  };
}

/** The clients of the configured install: OAuth (per-workspace tokens) or a single bot token. */
export function slackClientsFor(
  config: Config,
  db: Kysely<Database>,
  logger: Logger,
  clock: Clock,
): { slack: SlackClients; installationStore: PostgresInstallationStore | undefined } {
  if (!config.slack.oauth) return { slack: singleTokenClients(config, logger), installationStore: undefined };
  const installationStore = new PostgresInstallationStore(db, config.slack.oauth.clientSecret, clock);
  return { slack: installationClients(installationStore, config, logger), installationStore };
}
