// A migrated database of the test file's own (test-database.ts), opened before the file's tests
// and dropped after them: for the store-level tests that write rows straight into it.
import { afterAll, beforeAll } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/open.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** Registers the file's hooks; `handle()` is the open database inside its tests. */
export function migratedDatabase(): { handle: () => DatabaseHandle } {
  let database: TestDatabase;
  let handle: DatabaseHandle | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
    await migrateToLatest(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });
  return {
    handle: () => {
      if (!handle) throw new Error('the database is opened in beforeAll');
      return handle;
    },
  };
}
