// `npm run digest -- --at <ISO-8601 instant>`: one scheduler tick as if the clock read that
// instant (default: now). Posts what is due and not yet posted, then exits. Safe to run next
// to running bots: the same claims in PostgreSQL decide who posts. Leases are read on the
// same clock, so an instant in the future also takes over claims whose lease has run out by
// then (that is how a crash is replayed by hand); use the present next to live replicas.
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config.js';
import { migrateToLatest } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import { createLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { runDigestTick } from '../scheduler/digest-job.js';
import { slackClientsFor } from '../slack/clients.js';
import { systemClock } from '../deps.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { at: { type: 'string' } } });
  const at = values.at === undefined ? systemClock.now() : new Date(values.at);
  if (Number.isNaN(at.getTime())) {
    console.error(`--at must be an ISO-8601 instant such as 2026-11-30T14:00:00Z (got ${JSON.stringify(values.at)}).`);
    return 2;
  }
  const config = loadConfigOrExit(process.env);
  const logger = createLogger(config.logLevel);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
    const { slack } = slackClientsFor(config, database.db, logger, { now: () => at });
    const counts = await runDigestTick({ db: database.db, logger, metrics: createMetrics(), slack }, at);
    logger.info({ at: at.toISOString(), ...counts }, 'digest tick done');
    return 0;
  } finally {
    await database.close();
  }
}

process.exitCode = await main();
