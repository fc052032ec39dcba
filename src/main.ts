// Composition root: runs Tally from the process environment until SIGTERM or SIGINT.
import { loadConfigOrExit } from './config.js';
import { createLogger } from './logger.js';
import { SlackRefusedError } from './slack/slack-connection.js';
import { startTally } from './tally.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  let tally: Awaited<ReturnType<typeof startTally>>;
  try {
    tally = await startTally(config);
  } catch (error) {
    // A refused token is the operator's to fix: one plain line, no stack.
    if (error instanceof SlackRefusedError) createLogger('error').error(`Tally could not start: ${error.message}`);
    else createLogger('error').error({ err: error }, 'Tally could not start');
    process.exit(1);
  }
  const { logger } = tally.deps;
  let stopping = false;
  const shutdown = (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in flight');
    tally.stop().then(
      () => {
        logger.info('stopped');
        process.exit(exitCode);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  // A token revoked while running (or refused once Slack came back) stops Tally as at start.
  void tally.slackConnection.refused.then((refusal) => {
    logger.error(`Tally is stopping: ${refusal.message}`);
    shutdown('slack refused the token', 1);
  });
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

await main();
