// 100,000 sales in one import, under a minute on PostgreSQL (issue 6). Slow, so it runs only
// when asked: IMPORT_PERF=1 TEST_DATABASE_URL=postgres://... npx vitest run test/e2e/import-perf.test.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../slack-standin/fake-slack.js';
import { runImportCli } from '../../src/cli/import-command.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open.js';
import { createLogger } from '../../src/logger.js';
import { insertProduct } from '../../src/store/products.js';
import { ensureWorkspace } from '../../src/store/workspaces.js';
import { BOT_TOKEN, DEFAULT_NOW, TEAM, seedWorkspace, users } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const ROWS = 100_000;

describe.runIf(process.env.IMPORT_PERF)('importing 100,000 sales', () => {
  let slack: FakeSlack;
  let database: TestDatabase;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    slack = await FakeSlack.start();
    seedWorkspace(slack);
    for (let i = 0; i < 20; i++) slack.addUser({ id: `U0PERF${i}`, team_id: TEAM, name: `rep${i}`, email: `rep${i}@example.com` });
    database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'tally-import-perf-'));
    env = { SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.url, LOG_LEVEL: 'error', ...database.env };
    const handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
    await migrateToLatest(handle.db);
    await ensureWorkspace(handle.db, TEAM, { timezone: 'America/New_York', currency: 'USD' });
    for (const name of ['widgets', 'gadgets', 'gizmos']) await insertProduct(handle.db, TEAM, name, users.admin.id);
    await handle.close();
  }, 120_000);
  afterAll(async () => {
    await slack.stop();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('checks and commits in under a minute, and a re-import adds nothing', { timeout: 180_000 }, async () => {
    const lines = ['date,rep,amount,currency,customer,product,note'];
    for (let i = 0; i < ROWS; i++) {
      const day = `2026-${String((i % 10) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
      const rep = i % 2 === 0 ? `U0PERF${i % 20}` : `rep${i % 20}@example.com`;
      lines.push(`${day},${rep},${(i % 5000) + 1}.${String(i % 100).padStart(2, '0')},USD,"Customer ${i}, Inc.",${['widgets', 'gadgets', 'gizmos', ''][i % 4]},row ${i}`);
    }
    const path = join(dir, 'big.csv');
    writeFileSync(path, lines.join('\n'));
    const run = async () => {
      const out: string[] = [];
      const started = performance.now();
      const code = await runImportCli([path, '--team', TEAM, '--commit'], env, { out: (l) => out.push(l), err: (l) => out.push(l) }, { clock: { now: () => DEFAULT_NOW }, logger: createLogger('error') });
      return { code, out: out.join('\n'), seconds: (performance.now() - started) / 1000 };
    };
    const first = await run();
    console.log(`first import: ${first.seconds.toFixed(1)} s`, first.out);
    expect(first.code).toBe(0);
    expect(first.out).toContain(`Imported ${ROWS} new sales`);
    expect(first.seconds).toBeLessThan(60);
    const second = await run();
    console.log(`re-import: ${second.seconds.toFixed(1)} s`, second.out);
    expect(second.out).toContain(`Nothing new: all ${ROWS} sales are already imported.`);
  });
});
