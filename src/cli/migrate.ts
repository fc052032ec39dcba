// `npm run migrate`: applies the pending migrations to DATABASE_URL (or the embedded database
// in DATA_DIR) and exits. Tally also migrates at start; this is for deploy pipelines.
import { loadConfigOrExit } from '../config.js';
import { migrateToLatest } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';

async function main(): Promise<number> {
  const config = loadConfigOrExit(process.env);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrateToLatest(database.db);
    console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    return 0;
  } finally {
    await database.close();
  }
}

process.exitCode = await main();
