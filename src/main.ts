// Composition root: runs Tally from the process environment until SIGTERM or SIGINT.
import { loadConfigOrExit } from './config.js';
import { createLogger } from './logger.js';
import { startTally } from './tally.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  let tally;
  try {
    tally = await startTally(config);
  } catch (error) {
    createLogger('error').error({ err: error }, 'Tally could not start');
    process.exit(1);
  }
  const { logger } = tally.deps;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in flight');
    tally.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

await main();
