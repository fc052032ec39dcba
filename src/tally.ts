// Builds and starts a whole Tally: config -> database -> migrations -> Slack app.
// main.ts runs it for real; end-to-end tests run it in-process with their own env.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { App } from '@slack/bolt';
import { loadConfig, type Config } from './config.js';
import { migrateToLatest } from './db/migrate.js';
import { INTERACTIVE_LIMITS, openDatabase, type DatabaseHandle } from './db/open.js';
import { systemClock, type Clock, type Deps } from './deps.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, watchTuplesRead } from './metrics.js';
import { createCaches, type Caches } from './services/caches.js';
import { Roles } from './services/roles.js';
import { createSlackApp } from './slack/app.js';
import { HomeRefreshes } from './slack/listeners/home-refreshes.js';
import { slackClientsFor, type SlackClients } from './slack/clients.js';
import { SlackConnection } from './slack/slack-connection.js';
import { currentRequestId } from './slack/request-guard.js';
import type { PostgresInstallationStore } from './slack/installation-store.js';
import { startScheduler, type Scheduler } from './scheduler/index.js';
import { refreshStatistics } from './services/statistics.js';
import { tuplesRead } from './store/statistics.js';

const KEEP_ALIVE_MS = 65_000;
/**
 * How long, once the database is ready, start-up waits for Slack's first answer before it
 * listens anyway: long enough that a token Slack refuses stops the start before anything is
 * served, short enough that a Slack out of reach does not hold the bot up.
 */
const SLACK_FIRST_ANSWER_MS = 2_000;

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** Run the digest scheduler in this process (default true; tests drive ticks by hand). */
  scheduler?: boolean;
}

export interface RunningTally {
  app: App;
  deps: Deps & {
    roles: Roles;
    caches: Caches;
    homeRefreshes: HomeRefreshes;
    slack: SlackClients;
    installationStore: PostgresInstallationStore | undefined;
  };
  database: DatabaseHandle;
  /** Whether Slack answers; `refused` resolves if Slack refuses the bot token while running. */
  slackConnection: SlackConnection;
  /** The HTTP port actually bound (PORT=0 picks a free one); undefined in Socket Mode. */
  port: number | undefined;
  /** Stops taking requests, lets those in flight finish, closes the database. */
  stop(): Promise<void>;
}

/** Starts Tally from a parsed Config, or from raw environment variables (parsed here). */
export async function startTally(env: Config | Record<string, string | undefined>, options: StartOptions = {}): Promise<RunningTally> {
  const config = isConfig(env) ? env : loadConfig(env);
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  // Asked at once, side by side with opening and migrating the database.
  const slackConnection = new SlackConnection({
    apiUrl: config.slack.apiUrl,
    botToken: config.slack.oauth ? undefined : config.slack.botToken,
    logger,
  }).start();
  let database: DatabaseHandle;
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      limits: INTERACTIVE_LIMITS,
      onStatement: () => metrics.databaseStatements.inc(),
    });
  } catch (error) {
    slackConnection.stop();
    throw error;
  }
  try {
    const applied = await database.withoutTimeLimits(migrateToLatest);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    // Plans are made from table statistics; nothing else keeps them fresh (the scheduler does from here on).
    await refreshStatistics({ db: database.db, logger }).catch((error: unknown) =>
      logger.warn({ err: error }, 'table statistics not refreshed'),
    );

    watchTuplesRead(metrics, () => tuplesRead(database.db));
    const base: Deps = { config, db: database.db, logger, metrics, clock: options.clock ?? systemClock };
    const { slack, installationStore } = slackClientsFor(config, database.db, logger, base.clock);
    // State kept between requests, made once here and handed down: the caches (forgotten by the
    // use cases that change what they hold) and the App Home refreshes waiting their turn.
    const deps = { ...base, roles: new Roles(base), caches: createCaches(), homeRefreshes: new HomeRefreshes(), slack, installationStore };
    const { app, socketMode } = createSlackApp({ ...deps, ping: database.ping, slackConnection });
    await app.init();
    // A token Slack refuses stops the start; a Slack that does not answer does not.
    await slackConnection.firstAnswer(SLACK_FIRST_ANSWER_MS);
    if (slackConnection.refusedWith) throw slackConnection.refusedWith;
    let server: Server | undefined;
    if (socketMode) {
      // Socket Mode serves HTTP (/healthz…) at once; its WebSocket connects when Slack answers.
      slackConnection.connectSocketMode(app.start(config.port), () => socketMode.client.start());
    } else {
      server = (await app.start(config.port)) as Server;
    }
    if (server) {
      // An idle keep-alive connection is closed by the side that waits longest: a proxy in front
      // (60 s is common) or a client reusing it, never this server in the middle of their reuse.
      server.keepAliveTimeout = KEEP_ALIVE_MS;
      server.headersTimeout = KEEP_ALIVE_MS + 1_000;
    }
    const port = server?.address ? (server.address() as AddressInfo | null)?.port : undefined;
    logger.info(
      { port, database: database.kind, socketMode: Boolean(config.slack.appToken), slack: slackConnection.status },
      'Tally is running',
    );
    const scheduler: Scheduler | undefined = options.scheduler === false ? undefined : startScheduler(deps);
    const releaseProcess = keepServingOnFailure(logger);

    return {
      app,
      deps,
      database,
      slackConnection,
      port,
      stop: async () => {
        slackConnection.stop();
        await scheduler?.stop();
        // Connections kept alive after their last request would hold the close up: drop them
        // as they go idle, while requests in flight finish.
        const dropIdle = setInterval(() => server?.closeIdleConnections(), 100);
        try {
          await app.stop();
        } finally {
          clearInterval(dropIdle);
        }
        await database.close();
        releaseProcess();
      },
    };
  } catch (error) {
    slackConnection.stop();
    await database.close();
    throw error;
  }
}

/**
 * A failure that escapes every handler (a promise nobody awaited, a throw in a callback) is
 * logged with the request it came from and does not end the process: one bad request must not
 * take the bot down for everyone. Returns the function that removes the handlers again.
 */
function keepServingOnFailure(logger: Logger): () => void {
  const onRejection = (reason: unknown) =>
    logger.error({ err: reason, requestId: currentRequestId() }, 'unhandled rejection (process keeps serving)');
  const onException = (error: Error) =>
    logger.error({ err: error, requestId: currentRequestId() }, 'uncaught exception (process keeps serving)');
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}

function isConfig(value: Config | Record<string, unknown>): value is Config {
  return typeof value.slack === 'object' && value.slack !== null;
}
