// 100,000 sales in one CSV import on PostgreSQL (issue 6: under a minute), and the same file
// again (adds nothing). A benchmark, not a test: `npm run bench:import`.
// Uses TEST_DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/test) for a fresh
// database that it drops at the end.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FakeSlack } from '../slack-standin/fake-slack.js';
import { runImportCli } from '../src/cli/import-command.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { createLogger } from '../src/logger.js';
import { insertProduct } from '../src/store/products.js';
import { ensureWorkspace } from '../src/store/workspaces.js';
import { BOT_TOKEN, DEFAULT_NOW, TEAM, seedWorkspace, users } from '../test/support/harness.js';
import { createTestDatabase } from '../test/support/test-database.js';

const ROWS = 100_000;
process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';

const slack = await FakeSlack.start();
seedWorkspace(slack);
for (let i = 0; i < 20; i++) slack.addUser({ id: `U0PERF${i}`, team_id: TEAM, name: `rep${i}`, email: `rep${i}@example.com` });
const database = await createTestDatabase();
const dir = mkdtempSync(join(tmpdir(), 'tally-import-bench-'));
try {
  const env = { SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: slack.url, LOG_LEVEL: 'error', ...database.env };
  const handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
  await migrateToLatest(handle.db);
  await ensureWorkspace(handle.db, TEAM, { timezone: 'America/New_York', currency: 'USD' }, new Date());
  for (const name of ['widgets', 'gadgets', 'gizmos']) await insertProduct(handle.db, TEAM, name, users.admin.id, new Date());
  await handle.close();

  // Half the reps by Slack id, half by email (looked up once each); quoted commas; 4 products.
  const lines = ['date,rep,amount,currency,customer,product,note'];
  for (let i = 0; i < ROWS; i++) {
    const day = `2026-${String((i % 10) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    const rep = i % 2 === 0 ? `U0PERF${i % 20}` : `rep${i % 20}@example.com`;
    lines.push(
      `${day},${rep},${(i % 5000) + 1}.${String(i % 100).padStart(2, '0')},USD,"Customer ${i}, Inc.",${['widgets', 'gadgets', 'gizmos', ''][i % 4]},row ${i}`,
    );
  }
  const path = join(dir, 'big.csv');
  writeFileSync(path, lines.join('\n'));

  const run = async (label: string) => {
    const out: string[] = [];
    const started = performance.now();
    const code = await runImportCli(
      [path, '--team', TEAM, '--commit'],
      env,
      { out: (l) => out.push(l), err: (l) => out.push(l) },
      { clock: { now: () => DEFAULT_NOW }, logger: createLogger('error') },
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`${label}: ${seconds.toFixed(1)} s, exit ${code}: ${out.at(-1)}`);
    return { code, seconds };
  };
  const first = await run(`import of ${ROWS.toLocaleString('en-US')} rows (check + commit)`);
  await run('the same file again');
  console.log(first.code === 0 && first.seconds < 60 ? 'PASS: under a minute' : 'FAIL: not under a minute');
} finally {
  await slack.stop();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
}
