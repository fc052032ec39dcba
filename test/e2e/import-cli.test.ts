// `npm run import -- FILE --team T [--as U] [--targets] [--commit]` on files on disk, against
// a real database and the fake Slack (for users.info and users.lookupByEmail). Most cases call
// the CLI's main function in-process; one spawns it as operators run it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../slack-standin/fake-slack.js';
import { runImportCli } from '../../src/cli/import-command.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open.js';
import { createLogger } from '../../src/logger.js';
import { insertProduct } from '../../src/store/products.js';
import { upsertMemberRole } from '../../src/store/members.js';
import { ensureWorkspace } from '../../src/store/workspaces.js';
import { BOT_TOKEN, DEFAULT_NOW, TEAM, seedWorkspace, users } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { REPO_ROOT, baseEnv } from '../support/tally-process.js';

let slack: FakeSlack;
let database: TestDatabase;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  slack = await FakeSlack.start();
  seedWorkspace(slack);
  slack.addUser({ id: 'U0REP3', team_id: TEAM, name: 'ria', email: 'ria@example.com' });
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'tally-import-cli-'));
  env = {
    SLACK_SIGNING_SECRET: 'cli-test-secret',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.url,
    DEFAULT_TIMEZONE: 'America/New_York',
    LOG_LEVEL: 'error',
    ...database.env,
  };
  await withDb(async (db) => {
    await migrateToLatest(db);
    await ensureWorkspace(db, TEAM, { timezone: 'America/New_York', currency: 'USD' }, new Date('2026-11-26T20:00:00Z'));
    await insertProduct(db, TEAM, 'widgets', users.admin.id, new Date('2026-11-26T20:00:00Z'));
    await upsertMemberRole(db, TEAM, users.manager.id, 'manager', new Date('2026-11-26T20:00:00Z'));
  });
});
afterAll(async () => {
  await slack.stop();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});
/** The embedded database allows one process at a time: open it only between CLI runs. */
async function withDb<T>(run: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
  try {
    return await run(handle.db);
  } finally {
    await handle.close();
  }
}

function csvFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImportCli(
    args,
    env,
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    { clock: { now: () => DEFAULT_NOW }, logger: createLogger('error') },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const SALES = [
  'date,rep,amount,customer,product',
  `2026-11-02,${users.rep.id},"1,200.50",Acme,widgets`,
  '2026-11-03,ria@example.com,950,Globex,',
  `2026-11-04,${users.rep2.id},300,"Initech, Ltd.",`,
].join('\n');

describe('npm run import', () => {
  beforeEach(async () => {
    await withDb(async (db) => {
      for (const table of ['audit_log', 'sales', 'targets', 'imports'] as const) await db.deleteFrom(table).execute();
      await db.updateTable('workspaces').set({ locked_through: null }).execute();
    });
    slack.reset();
  });

  it('checks without --commit and stores nothing, not even the file', async () => {
    const result = await cli(csvFile('sales.csv', SALES), '--team', TEAM);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toBe(
      [
        'sales.csv: 3 rows checked.',
        '3 new sales ($2,450.50), 0 already imported.',
        'Dry run: nothing was imported. Run again with --commit to import them.',
      ].join('\n'),
    );
    await withDb(async (db) => {
      expect(await db.selectFrom('sales').selectAll().execute()).toHaveLength(0);
      expect(await db.selectFrom('imports').selectAll().execute()).toHaveLength(0);
    });
  });

  it('imports with --commit as the operator (`cli`), with one audit entry; the same file again adds nothing', async () => {
    const path = csvFile('sales.csv', SALES);
    const first = await cli(path, '--team', TEAM, '--commit');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Imported 3 new sales \(\$2,450\.50\), 0 already imported\. Import id \d+\.$/);
    const again = await cli(path, '--team', TEAM, '--commit');
    expect(again).toMatchObject({ code: 0, out: 'sales.csv: 3 rows checked.\nNothing new: all 3 sales are already imported.' });
    await withDb(async (db) => {
      const sales = await db.selectFrom('sales').selectAll().orderBy('closed_on').execute();
      expect(sales.map((s) => [s.rep_id, s.amount_minor, s.customer, s.source, s.created_by])).toEqual([
        [users.rep.id, 120050n, 'Acme', 'import', 'cli'],
        ['U0REP3', 95000n, 'Globex', 'import', 'cli'],
        [users.rep2.id, 30000n, 'Initech, Ltd.', 'import', 'cli'],
      ]);
      const audit = await db.selectFrom('audit_log').selectAll().execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'sales.imported', entity_type: 'import', actor_id: 'cli' });
      expect(audit[0]!.after).toMatchObject({
        file_name: 'sales.csv',
        rows: 3,
        added: 3,
        idempotency_keys: { first: expect.stringMatching(/^import:/), last: expect.stringMatching(/^import:/) },
      });
    });
  });

  it('imports --as a manager, and refuses --as a rep', async () => {
    const path = csvFile('sales.csv', SALES);
    const byRep = await cli(path, '--team', TEAM, '--as', users.rep.id, '--commit');
    expect(byRep).toMatchObject({
      code: 1,
      err: 'Only managers and admins can import sales. Ask an admin to run /tally managers add @you.',
    });
    const byManager = await cli(path, '--team', TEAM, '--as', users.manager.id, '--commit');
    expect(byManager.code).toBe(0);
    await withDb(async (db) => {
      const sales = await db.selectFrom('sales').select('created_by').execute();
      expect(sales.map((s) => s.created_by)).toEqual([users.manager.id, users.manager.id, users.manager.id]);
    });
  });

  it('lists every bad row and exits 1; with --commit nothing is stored (all or nothing)', async () => {
    const rows = [
      SALES,
      '2026-11-05,U0NOBODY,10,Ghost,',
      `2026-11-05,${users.rep.id},ten,Words,`,
      `2026-11-05,${users.rep.id},10,Gadget,gadgets`,
    ].join('\n');
    const result = await cli(csvFile('bad.csv', rows), '--team', TEAM, '--commit');
    expect(result.code).toBe(1);
    expect(result.out.split('\n')).toEqual([
      'bad.csv: 6 rows checked.',
      "Row 5: there is no Slack user U0NOBODY in this workspace: check the rep's user id (in Slack: their profile, ⋮, Copy member ID).",
      'Row 6 (rita, U0REP1): ten is not an amount. Type digits, like 1200, 1,200.50 or 12.5k.',
      'Row 7 (rita, U0REP1): There is no product gadgets. Did you mean #widgets? A manager can add new products with /tally products add NAME.',
      '3 rows have problems (rows count from the header, row 1).',
      'Nothing was imported.',
    ]);
    await withDb(async (db) => expect(await db.selectFrom('sales').selectAll().execute()).toHaveLength(0));
  });

  it('refuses the whole file when one row is in a locked period', async () => {
    await withDb((db) => db.updateTable('workspaces').set({ locked_through: '2026-11-02' }).where('team_id', '=', TEAM).execute());
    const result = await cli(csvFile('sales.csv', SALES), '--team', TEAM, '--commit');
    expect(result.code).toBe(1);
    expect(result.out).toContain('Row 2 (rita, U0REP1): Sales closed on or before 2026-11-02 are locked');
    await withDb(async (db) => expect(await db.selectFrom('sales').selectAll().execute()).toHaveLength(0));
  });

  it('imports a targets grid with --targets', async () => {
    const path = csvFile('targets.csv', `rep,2026-11,2026-12\n${users.rep.id},5000,6000\nria@example.com,,4k\n`);
    const result = await cli(path, '--team', TEAM, '--targets', '--commit');
    expect(result.code).toBe(0);
    expect(result.out).toContain('Imported 3 new targets ($15,000.00), 0 already set to that amount.');
    await withDb(async (db) => {
      const targets = await db
        .selectFrom('targets')
        .select(['subject_id', 'period_kind', 'first_period_start', 'last_period_start', 'amount', 'created_by'])
        .orderBy('subject_id')
        .orderBy('first_period_start')
        .execute();
      expect(targets).toEqual([
        {
          subject_id: users.rep.id,
          period_kind: 'month',
          first_period_start: '2026-11-01',
          last_period_start: '2026-11-01',
          amount: 500000n,
          created_by: 'cli',
        },
        {
          subject_id: users.rep.id,
          period_kind: 'month',
          first_period_start: '2026-12-01',
          last_period_start: '2026-12-01',
          amount: 600000n,
          created_by: 'cli',
        },
        {
          subject_id: 'U0REP3',
          period_kind: 'month',
          first_period_start: '2026-12-01',
          last_period_start: '2026-12-01',
          amount: 400000n,
          created_by: 'cli',
        },
      ]);
    });
  });

  it('runs as `tsx src/cli/import.ts` (what npm run import runs)', async () => {
    const path = csvFile('sales.csv', SALES);
    const child = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['src/cli/import.ts', path, '--team', TEAM, '--commit'], {
      cwd: REPO_ROOT,
      env: { ...baseEnv(), ...env },
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain('Imported 3 new sales ($2,450.50), 0 already imported.');
    await withDb(async (db) => expect(await db.selectFrom('sales').selectAll().execute()).toHaveLength(3));
  });
});

describe('npm run import with wrong arguments', () => {
  it.each([
    [[], 'name the CSV file to import'],
    [['x.csv'], '--team must be the Slack workspace id'],
    [['x.csv', '--team', TEAM, '--as', 'bob'], '--as must be a Slack user id'],
    [['x.csv', '--team', TEAM, '--frobnicate'], "Unknown option '--frobnicate'"],
    [['/no/such/file.csv', '--team', TEAM], "Can't read /no/such/file.csv"],
  ])('exits 2 on %j', async (args, expected) => {
    const result = await cli(...args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(expected);
  });
});
