// Starts the whole sandbox in one process: the Slack stand-in (the FakeSlack the tests use,
// serving the sandbox page too) and the real Tally app (startTally: the same Bolt HTTP
// receiver and code paths as production, on embedded PGlite in its own folder), with the
// stand-in as its Slack Web API and the sandbox clock as its clock.
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../src/logger.js';
import { startTally, type RunningTally } from '../src/tally.js';
import { AppConnection } from '../slack-standin/app-connection.js';
import { FakeSlack, type FakeSlackSnapshot } from '../slack-standin/fake-slack.js';
import { SandboxClock } from './clock.js';
import { WORKSPACE, addDirectory } from './directory.js';
import { readManifest } from './manifest.js';
import { pageHandler } from './page.js';
import { grantManagers, seedSandbox, type SeedSummary } from './seed.js';
import { bundleWeb } from './web-bundle.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface SandboxOptions {
  /** Port of the page and the Slack stand-in (0: a free one). */
  port: number;
  /** Port of the Tally app (0: a free one). */
  appPort: number;
  host?: string;
  /** Folder of the sandbox's embedded database. */
  dataDir: string;
  /** Delete the data folder first. */
  reset?: boolean;
  /** Fill teams, targets, digests and sales of the six months before this one and this month so far (on a workspace not seeded yet). */
  seed?: boolean;
  /** Where Tally's JSON logs go (default: dropped). */
  logFile?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Run Tally's every-minute digest scheduler on the sandbox clock (default true). */
  scheduler?: boolean;
  /** chat.postMessage answers 429 past this many posts per channel and second (default 3). */
  postsPerChannelPerSecond?: number;
}

export interface RunningSandbox {
  /** The page, e.g. http://localhost:3000. */
  url: string;
  appUrl: string;
  slack: FakeSlack;
  tally: RunningTally;
  connection: AppConnection;
  clock: SandboxClock;
  seeded: SeedSummary | undefined;
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  // What the stand-in showed is kept beside the database, so a restart shows the same history.
  const slackStateFile = `${options.dataDir.replace(/[\\/]+$/, '')}-slack.json`;
  if (options.reset) {
    rmSync(options.dataDir, { recursive: true, force: true });
    rmSync(slackStateFile, { force: true });
  }
  const hadDatabase = existsSync(options.dataDir);
  mkdirSync(options.dataDir, { recursive: true });
  const host = options.host ?? '127.0.0.1';
  const clock = new SandboxClock();
  const manifest = readManifest(join(ROOT, 'manifest.yml'));
  const web = await bundleWeb(join(ROOT, 'sandbox', 'web'));

  const slack = await FakeSlack.start({
    port: options.port,
    host,
    clock,
    postRateLimitPerChannelPerSecond: options.postsPerChannelPerSecond ?? 3,
  });
  const logStream = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  let tally: RunningTally;
  try {
    addDirectory(slack);
    if (hadDatabase && existsSync(slackStateFile)) slack.restore(JSON.parse(readFileSync(slackStateFile, 'utf8')) as FakeSlackSnapshot);
    const signingSecret = randomBytes(16).toString('hex');
    tally = await startTally(
      {
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_BOT_TOKEN: WORKSPACE.botToken,
        SLACK_API_URL: slack.url,
        PORT: String(options.appPort),
        DATA_DIR: options.dataDir,
        DEFAULT_TIMEZONE: WORKSPACE.timezone,
        DEFAULT_CURRENCY: WORKSPACE.currency,
        LOG_LEVEL: options.logLevel ?? 'info',
      },
      {
        clock,
        logger: createLogger(options.logLevel ?? 'info', logStream ?? { write: () => undefined }),
        scheduler: options.scheduler ?? true,
      },
    );
  } catch (error) {
    await slack.stop();
    logStream?.end();
    throw error;
  }

  const connection = new AppConnection({
    slack,
    requestUrl: `http://127.0.0.1:${tally.port}/slack/events`,
    signingSecret: tally.deps.config.slack.signingSecret ?? '',
    teamId: WORKSPACE.teamId,
    commands: manifest.commands,
    botEvents: manifest.botEvents,
  });
  slack.serveOtherPaths(pageHandler({ slack, tally, connection, clock, manifest, web }));
  const saveSlackState = () => writeFileSync(slackStateFile, JSON.stringify(slack.snapshot()));
  let saveTimer: NodeJS.Timeout | undefined;
  const stopSaving = slack.onChange(() => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveSlackState, 500);
  });

  const stop = async () => {
    stopSaving();
    clearTimeout(saveTimer);
    await tally.stop();
    saveSlackState();
    await slack.stop();
    logStream?.end();
  };
  try {
    const deps = { slack, connection, tally, clock };
    await grantManagers(deps);
    const seeded = options.seed ? await seedSandbox(deps) : undefined;
    const pageHost = host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host;
    return {
      url: `http://${pageHost}:${slack.port}`,
      appUrl: `http://127.0.0.1:${tally.port}`,
      slack,
      tally,
      connection,
      clock,
      seeded,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
