// CSV import and export end to end: signed requests to the real app, a real database, a fake
// Slack that serves the uploaded file (only to the workspace's bot token) and receives the
// exported files.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall, UserFile } from '../../slack-standin/fake-slack.js';
import { ACTIONS, IMPORT_FIELDS, VIEWS } from '../../src/slack/ids.js';
import { Harness, TEAM, replyText, users, type TestUser, waitFor } from '../support/harness.js';

let h: Harness;

const ria = { id: 'U0REP3', team: TEAM, name: 'ria' } satisfies TestUser;

beforeAll(async () => {
  h = await Harness.start();
  h.slack.addUser({ id: ria.id, team_id: TEAM, name: ria.name, email: 'ria@example.com' });
  await h.command(users.admin, '/tally', `managers add <@${users.manager.id}|max>`);
  await h.command(users.admin, '/tally', 'products add widgets');
});
afterAll(() => h.stop());
beforeEach(async () => {
  await h.db.deleteFrom('audit_log').where('entity_type', 'in', ['sale', 'import', 'target']).execute();
  await h.db.deleteFrom('sales').execute();
  await h.db.deleteFrom('targets').execute();
  await h.db.deleteFrom('imports').execute();
  await h.db.deleteFrom('fx_rates').execute();
  await h.db.updateTable('workspaces').set({ locked_through: null }).execute();
  h.slack.reset();
});

const allSales = () => h.db.selectFrom('sales').selectAll().orderBy('closed_on').orderBy('id').execute();
const importAudit = () => h.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'import').orderBy('id').execute();

/** Opens the import modal as `user` (`/tally import [targets]`) and returns the opened view. */
async function openImport(user: TestUser, what = '') {
  const opened = h.slack.callsTo('views.open').length;
  const reply = await h.command(user, '/tally', `import ${what}`.trim());
  expect(reply.status).toBe(200);
  // The command is answered first; views.open follows.
  const call = await waitFor(() => h.slack.callsTo('views.open')[opened]);
  expect(call.error).toBeUndefined();
  return h.slack.lastModal()!;
}

function upload(user: TestUser, filename: string, content: string | Buffer, team = TEAM): UserFile {
  return h.slack.addUserFile({ team_id: team, user: user.id, filename, content });
}

/** Submits the modal with the file and returns the DM the app answers with. */
async function submitFile(user: TestUser, view: Awaited<ReturnType<typeof openImport>>, file: UserFile) {
  const before = dmsTo(user).length;
  const submit = await h.submitView(user, view, { [IMPORT_FIELDS.file]: { [IMPORT_FIELDS.file]: { type: 'file_input', files: [file] } } });
  expect(submit.status).toBe(200);
  expect(submit.body).toBe(''); // the modal closes; the report follows in the DM
  return waitFor(() => dmsTo(user)[before]);
}

function dmsTo(user: TestUser): RecordedCall[] {
  return h.slack.callsTo('chat.postMessage').filter((call) => call.args.channel === user.id);
}

/** The import id behind the report's "Import N sales" button, or undefined without one. */
function importButton(report: RecordedCall): { text: string; value: string } | undefined {
  const blocks = report.args.blocks as Array<{
    type: string;
    elements?: Array<{ action_id?: string; value?: string; text?: { text: string } }>;
  }>;
  const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTIONS.commitImport);
  return button ? { text: button.text!.text, value: button.value! } : undefined;
}

async function clickImport(user: TestUser, report: RecordedCall) {
  const button = importButton(report);
  expect(button).toBeDefined();
  const before = h.responsesTo(user).length;
  const click = await h.clickButton(user, ACTIONS.commitImport, button!.value);
  expect(click.status).toBe(200);
  return waitFor(() => h.responsesTo(user)[before]);
}

const GOOD = [
  'Date,Rep,Amount,Currency,Customer,Product,Note,Region',
  `2026-11-02,${users.rep.id},"1,200.50",,Acme,Widgets,first`,
  '2026-11-03,ria@example.com,950,USD,"Globex, Inc.",,',
  `2026-11-03,<@${users.rep2.id}|raj>,$300,,<!channel> & Sons,,`,
  '2026-11-04,RIA@example.com,700,,Initech,widgets,',
].join('\r\n');

describe('/tally import (sales) through the modal', () => {
  it('opens a modal with a CSV file input for managers', async () => {
    const view = await openImport(users.manager);
    expect(view.callback_id).toBe(VIEWS.importFile);
    const input = (view.blocks as Array<{ block_id?: string; element?: unknown }>).find((b) => b.block_id === IMPORT_FIELDS.file);
    expect(input?.element).toEqual({ type: 'file_input', action_id: IMPORT_FIELDS.file, filetypes: ['csv'], max_files: 1 });
  });

  it('checks every row first (dry run, nothing stored), then imports all in one go on the button', async () => {
    const view = await openImport(users.manager);
    const report = await submitFile(users.manager, view, upload(users.manager, 'november.csv', GOOD));
    const text = replyText(report.args);
    expect(text).toContain('*november.csv* is ready: 4 sales to import, totalling $3,150.50');
    expect(text).toContain('Ignored columns: `Region`');
    expect(importButton(report)?.text).toBe('Import 4 sales');
    expect(await allSales()).toHaveLength(0);
    // One lookup per email, whatever its case or how many rows name it.
    expect(h.slack.callsTo('users.lookupByEmail').map((c) => c.args.email)).toEqual(['ria@example.com']);

    const done = await clickImport(users.manager, report);
    expect(done.body).toMatchObject({ replace_original: true });
    expect(replyText(done.body)).toContain('Imported 4 sales from *november.csv*, totalling $3,150.50.');

    const sales = await allSales();
    expect(sales.map((s) => [s.closed_on, s.rep_id, s.amount_minor, s.customer, s.note, s.source, s.created_by])).toEqual([
      ['2026-11-02', users.rep.id, 120050n, 'Acme', 'first', 'import', users.manager.id],
      ['2026-11-03', ria.id, 95000n, 'Globex, Inc.', null, 'import', users.manager.id],
      ['2026-11-03', users.rep2.id, 30000n, '<!channel> & Sons', null, 'import', users.manager.id],
      ['2026-11-04', ria.id, 70000n, 'Initech', null, 'import', users.manager.id],
    ]);
    expect(sales[0]!.product_id).not.toBeNull();
    expect(sales[3]!.product_id).toBe(sales[0]!.product_id);
    for (const sale of sales) expect(sale.idempotency_key).toMatch(/^import:[0-9a-f]{64}$/);

    // One audit entry for the whole import, not one per row.
    const audit = await importAudit();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'sales.imported', actor_id: users.manager.id });
    expect(audit[0]!.after).toMatchObject({ file_name: 'november.csv', rows: 4, added: 4, already_there: 0 });
    expect(await h.db.selectFrom('audit_log').select('id').where('entity_type', '=', 'sale').execute()).toHaveLength(0);
    // The file's text is dropped once it is imported.
    const [stored] = await h.db.selectFrom('imports').selectAll().execute();
    expect(stored).toMatchObject({ status: 'committed', content: null, added_count: 4, existing_count: 0 });

    // A second click (or a click on an old report) changes nothing.
    const again = await clickImport(users.manager, report);
    expect(replyText(again.body)).toContain('was already imported (4 sales added then); nothing changed.');
    expect(await allSales()).toHaveLength(4);
  });

  it('adds nothing when the same file is imported again, and only the new rows of a longer file', async () => {
    const first = await submitFile(users.manager, await openImport(users.manager), upload(users.manager, 'november.csv', GOOD));
    await clickImport(users.manager, first);
    h.slack.reset();

    const same = await submitFile(users.manager, await openImport(users.manager), upload(users.manager, 'november.csv', GOOD));
    expect(replyText(same.args)).toContain('Nothing new in *november.csv*: all 4 sales were already imported.');
    expect(importButton(same)).toBeUndefined();

    // Reordered, re-quoted and with an extra row: only that row is new.
    const longer = [
      'rep,amount,date,customer,product',
      `ria@example.com,700.00,2026-11-04,Initech,WIDGETS`,
      `${users.rep.id},5,2026-11-05,New Co,`,
    ].join('\n');
    const report = await submitFile(users.manager, await openImport(users.manager), upload(users.manager, 'more.csv', longer));
    expect(replyText(report.args)).toContain('1 sale to import, totalling $5.00 (1 was already imported)');
    const done = await clickImport(users.manager, report);
    expect(replyText(done.body)).toContain('Imported 1 sale from *more.csv*, totalling $5.00. 1 was already imported.');
    expect(await allSales()).toHaveLength(5);
  });

  it('converts other currencies exactly at the rate in force on each row’s date', async () => {
    await h.command(users.admin, '/tally', 'fx EUR 1.0832 2026-11-01');
    await h.command(users.admin, '/tally', 'fx EUR 1.1 2026-11-03');
    const rows = [
      'date,rep,amount,currency',
      `2026-11-02,${users.rep.id},100,EUR`,
      `2026-11-02,${users.rep.id},250.55,EUR`,
      `2026-11-03,${users.rep.id},250.55,eur`,
      `2026-11-02,${users.rep.id},1200,JPY`,
    ].join('\n');
    const report = await submitFile(users.manager, await openImport(users.manager), upload(users.manager, 'fx.csv', rows));
    expect(replyText(report.args)).toContain('• Row 5 (rita, U0REP1): There is no JPY to USD exchange rate for 2026-11-02');
    const fixed = rows.split('\n').slice(0, 4).join('\n');
    await clickImport(
      users.manager,
      await submitFile(users.manager, await openImport(users.manager), upload(users.manager, 'fx.csv', fixed)),
    );
    const sales = await allSales();
    expect(sales.map((s) => [s.closed_on, s.amount_minor, s.currency, s.original_amount_minor, s.original_currency, s.fx_rate])).toEqual([
      ['2026-11-02', 10832n, 'USD', 10000n, 'EUR', '1.0832'],
      ['2026-11-02', 27140n, 'USD', 25055n, 'EUR', '1.0832'], // 271.39576 rounds half up
      ['2026-11-03', 27561n, 'USD', 25055n, 'EUR', '1.1'], // 275.605
    ]);
  });

  it('imports two identical rows as two sales, and still nothing on a re-import', async () => {
    const twice = ['date,rep,amount,customer', `2026-11-10,${users.rep.id},100,Acme`, `2026-11-10,${users.rep.id},100,Acme`].join('\n');
    const report = await submitFile(users.manager, await openImport(users.manager), upload(users.manager, 'twice.csv', twice));
    await clickImport(users.manager, report);
    expect(await allSales()).toHaveLength(2);
    const again = await submitFile(users.manager, await openImport(users.manager), upload(users.manager, 'twice.csv', twice));
    expect(replyText(again.args)).toContain('all 2 sales were already imported');
  });

  it('reports every bad row with its row number and offers no import', async () => {
    const bad = [
      'date,rep,amount,currency,customer,product',
      `2026-11-02,${users.rep.id},100,,Fine,`,
      `2026-13-01,${users.rep.id},100,,Bad date,`,
      `2026-11-02,nobody@example.com,100,,Unknown email,`,
      `2026-11-02,${users.rep.id},abc,,Bad amount,`,
      `2026-11-02,${users.rep.id},100,,Unknown product,gizmos`,
      `2026-12-24,${users.rep.id},100,,Future,`,
      `2026-11-02,${users.rep.id},100,EUR,No rate,`,
      `2026-11-02,U0NOBODY,100,,Unknown id,`,
      `2026-11-02,${users.rep.id},100,,<b>&amp;,`,
    ].join('\n');
    const report = await submitFile(users.manager, await openImport(users.manager), upload(users.manager, 'bad <sales>.csv', bad));
    const text = replyText(report.args);
    expect(text).toContain('*bad &lt;sales&gt;.csv*: 7 of 9 rows have problems. Nothing was imported.');
    expect(text).toContain('• Row 3 (rita, U0REP1): `2026-13-01` is not a date: write it as YYYY-MM-DD');
    expect(text).toContain('• Row 4: no one in this workspace has the email nobody@example.com');
    expect(text).toContain('• Row 5 (rita, U0REP1): `abc` is not an amount');
    expect(text).toContain('• Row 6 (rita, U0REP1): There is no product `gizmos`. Did you mean `#widgets`?');
    expect(text).toContain('• Row 7 (rita, U0REP1): 2026-12-24 is in the future');
    expect(text).toContain('• Row 8 (rita, U0REP1): There is no EUR to USD exchange rate for 2026-11-02');
    expect(text).toContain('• Row 9: there is no Slack user U0NOBODY in this workspace');
    expect(text).not.toMatch(/Row 2\b/);
    expect(text).not.toMatch(/Row 10\b/);
    expect(importButton(report)).toBeUndefined();
    expect(await allSales()).toHaveLength(0);
    expect(await h.db.selectFrom('imports').selectAll().execute()).toHaveLength(0);
  });

  it('names the missing required columns', async () => {
    const report = await submitFile(
      users.manager,
      await openImport(users.manager),
      upload(users.manager, 'cols.csv', 'when,who,customer\n2026-11-02,U0REP1,Acme\n'),
    );
    expect(replyText(report.args)).toContain(
      "*cols.csv* can't be imported: The file has no `date`, `rep`, `amount` columns (found: `when`, `who`, `customer`)",
    );
  });

  it('refuses a rep: no modal, and a crafted submission or click imports nothing', async () => {
    const reply = await h.command(users.rep, '/tally', 'import');
    expect(replyText(reply.json)).toContain('Only managers and admins can import sales');
    expect(h.slack.callsTo('views.open')).toHaveLength(0);

    // A manager's checked import, clicked by a rep.
    const report = await submitFile(users.manager, await openImport(users.manager), upload(users.manager, 'november.csv', GOOD));
    const button = importButton(report)!;
    await h.clickButton(users.rep, ACTIONS.commitImport, button.value);
    const refusal = await waitFor(() => h.responsesTo(users.rep)[0]);
    expect(replyText(refusal.body)).toContain('Only managers and admins can import sales');

    // A rep submitting the modal (a view opened for a manager, replayed).
    const view = await openImport(users.manager);
    const dm = await submitFile(users.rep, view, upload(users.rep, 'mine.csv', GOOD));
    expect(replyText(dm.args)).toContain("mine.csv wasn't imported: Only managers and admins can import sales");
    expect(await allSales()).toHaveLength(0);
  });

  it('refuses the whole commit when a period was locked after the dry run: nothing is stored', async () => {
    const report = await submitFile(users.manager, await openImport(users.manager), upload(users.manager, 'november.csv', GOOD));
    expect(importButton(report)).toBeDefined();
    await h.db.updateTable('workspaces').set({ locked_through: '2026-11-02' }).where('team_id', '=', TEAM).execute();

    const done = await clickImport(users.manager, report);
    const text = replyText(done.body);
    expect(text).toContain('Nothing was imported: the file no longer passes the checks.');
    expect(text).toContain('• Row 2 (rita, U0REP1): Sales closed on or before 2026-11-02 are locked (the period is closed)');
    expect(text).not.toMatch(/Row 3\b/);
    expect(await allSales()).toHaveLength(0);
    expect(await importAudit()).toHaveLength(0);
    expect(await h.db.selectFrom('imports').select('status').executeTakeFirst()).toEqual({ status: 'checked' });

    // Unlocked again, the same button imports everything.
    await h.db.updateTable('workspaces').set({ locked_through: null }).where('team_id', '=', TEAM).execute();
    const retried = await clickImport(users.manager, report);
    expect(replyText(retried.body)).toContain('Imported 4 sales');
  });

  it('refuses a file Slack does not hand over (another workspace), and a non-UTF-8 file', async () => {
    const foreign = await submitFile(users.manager, await openImport(users.manager), upload(users.manager, 'theirs.csv', GOOD, 'T0OTHER'));
    expect(replyText(foreign.args)).toContain("theirs.csv wasn't imported: Slack didn't hand the file to Tally");
    const latin1 = Buffer.from('date,rep,amount,customer\n2026-11-02,U0REP1,100,M\xfcller\n', 'latin1');
    const report = await submitFile(users.manager, await openImport(users.manager), upload(users.manager, 'excel.csv', latin1));
    expect(replyText(report.args)).toContain("excel.csv wasn't imported: The file isn't UTF-8 text");
  });

  it('never sends the bot token to a download URL outside Slack', async () => {
    const seen: Array<string | undefined> = [];
    const elsewhere = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.end('date,rep,amount\n');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = elsewhere.address() as AddressInfo;
      const crafted = { ...upload(users.manager, 'sales.csv', GOOD), url_private_download: `http://127.0.0.1:${port}/steal.csv` };
      const dm = await submitFile(users.manager, await openImport(users.manager), crafted);
      expect(replyText(dm.args)).toContain("sales.csv wasn't imported: Something went wrong");
      expect(seen).toEqual([]);
    } finally {
      elsewhere.close();
    }
  });

  it('asks for a CSV file when none or another kind is chosen', async () => {
    const view = await openImport(users.manager);
    const none = await h.submitView(users.manager, view, {
      [IMPORT_FIELDS.file]: { [IMPORT_FIELDS.file]: { type: 'file_input', files: [] } },
    });
    expect(none.json).toEqual({ response_action: 'errors', errors: { [IMPORT_FIELDS.file]: 'Choose a CSV file.' } });
    const pdf = upload(users.manager, 'deck.pdf', '%PDF');
    const wrong = await h.submitView(users.manager, view, {
      [IMPORT_FIELDS.file]: { [IMPORT_FIELDS.file]: { type: 'file_input', files: [pdf] } },
    });
    expect(wrong.json).toMatchObject({
      response_action: 'errors',
      errors: { [IMPORT_FIELDS.file]: expect.stringContaining('Choose a .csv file') },
    });
  });

  it('forgets a checked file nobody imported within a week', async () => {
    const stale = await submitFile(users.manager, await openImport(users.manager), upload(users.manager, 'old.csv', GOOD));
    const later = new Date(h.now.getTime() + 8 * 24 * 3600_000);
    const saved = h.now;
    h.now = later;
    try {
      await submitFile(
        users.manager,
        await openImport(users.manager),
        upload(users.manager, 'new.csv', 'date,rep,amount\n2026-12-01,U0REP1,5\n'),
      );
      expect((await h.db.selectFrom('imports').select('file_name').execute()).map((i) => i.file_name)).toEqual(['new.csv']);
      await h.clickButton(users.manager, ACTIONS.commitImport, importButton(stale)!.value);
      const answer = await waitFor(() => h.responsesTo(users.manager)[0]);
      expect(replyText(answer.body)).toContain('That import is no longer there');
    } finally {
      h.now = saved;
    }
    expect(await allSales()).toHaveLength(0);
  });

  it('checks a double-submitted modal once', async () => {
    const view = await openImport(users.manager);
    const file = upload(users.manager, 'november.csv', GOOD);
    await submitFile(users.manager, view, file);
    await h.submitView(users.manager, view, { [IMPORT_FIELDS.file]: { [IMPORT_FIELDS.file]: { type: 'file_input', files: [file] } } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(dmsTo(users.manager)).toHaveLength(1);
    expect(await h.db.selectFrom('imports').selectAll().execute()).toHaveLength(1);
  });
});

describe('/tally import targets', () => {
  it('imports a rep x period grid as one-period targets, and a re-import changes nothing', async () => {
    const grid = ['rep,2026-11,2026-12,FY2027-Q4', `${users.rep.id},"10,000",12000,`, 'ria@example.com,,8k,30000'].join('\n');
    const report = await submitFile(users.manager, await openImport(users.manager, 'targets'), upload(users.manager, 'targets.csv', grid));
    expect(replyText(report.args)).toContain('*targets.csv* is ready: 4 targets to import, totalling $60,000.00');
    const done = await clickImport(users.manager, report);
    expect(replyText(done.body)).toContain('Imported 4 targets from *targets.csv*');

    const targets = await h.db.selectFrom('targets').selectAll().orderBy('subject_id').orderBy('first_period_start').execute();
    expect(
      targets.map((t) => [
        t.subject_type,
        t.subject_id,
        t.metric,
        t.period_kind,
        t.first_period_start,
        t.last_period_start,
        t.amount,
        t.created_by,
      ]),
    ).toEqual([
      ['rep', users.rep.id, 'revenue', 'month', '2026-11-01', '2026-11-01', 1_000_000n, users.manager.id],
      ['rep', users.rep.id, 'revenue', 'month', '2026-12-01', '2026-12-01', 1_200_000n, users.manager.id],
      ['rep', ria.id, 'revenue', 'month', '2026-12-01', '2026-12-01', 800_000n, users.manager.id],
      ['rep', ria.id, 'revenue', 'quarter', '2027-10-01', '2027-10-01', 3_000_000n, users.manager.id], // fiscal year = calendar year
    ]);
    const audit = await importAudit();
    expect(audit.map((a) => a.action)).toEqual(['targets.imported']);

    // The rep now sees the imported target for this month.
    const me = await h.command(users.rep, '/tally', 'me');
    expect(replyText(me.json)).toContain('$10,000.00');

    const again = await submitFile(users.manager, await openImport(users.manager, 'targets'), upload(users.manager, 'targets.csv', grid));
    expect(replyText(again.args)).toContain('Nothing new in *targets.csv*: all 4 targets are already set to those amounts.');
  });

  it('reports bad period columns and cells', async () => {
    const header = await submitFile(
      users.manager,
      await openImport(users.manager, 'targets'),
      upload(users.manager, 't.csv', 'rep,November\nU0REP1,5\n'),
    );
    expect(replyText(header.args)).toContain('`November` is not a period');
    const cells = await submitFile(
      users.manager,
      await openImport(users.manager, 'targets'),
      upload(users.manager, 't.csv', `rep,2026-11\n${users.rep.id},lots\nnobody@example.com,5\n`),
    );
    const text = replyText(cells.args);
    expect(text).toContain('• Row 2 (rita, U0REP1): 2026-11: `lots` is not an amount');
    expect(text).toContain('• Row 3: no one in this workspace has the email nobody@example.com');
    expect(await h.db.selectFrom('targets').selectAll().execute()).toHaveLength(0);
  });

  it('names the rep of a row once Slack has said who they are', async () => {
    h.slack.addUser({ id: ria.id, team_id: TEAM, name: ria.name, real_name: 'Ria <b> Øster', email: 'ria@example.com' });
    const grid = `rep,2026-11\n${ria.id},5\nRIA@example.com,6\n`;
    const report = await submitFile(users.manager, await openImport(users.manager, 'targets'), upload(users.manager, 't.csv', grid));
    expect(replyText(report.args)).toContain(
      `• Row 3 (Ria &lt;b&gt; Øster, ${ria.id}): ${ria.id} is also on row 2: give each rep one row.`,
    );
    expect(await h.db.selectFrom('targets').selectAll().execute()).toHaveLength(0);
    h.slack.addUser({ id: ria.id, team_id: TEAM, name: ria.name, email: 'ria@example.com' });
  });
});

describe('/tally export', () => {
  it('uploads sales and attainment CSV files of the period to the caller’s DM, with exact contents', async () => {
    // Rita's profile has a name and an email; Raj's has no email; U0GONE is a rep Slack no longer returns.
    h.slack.addUser({
      id: users.rep.id,
      team_id: TEAM,
      name: users.rep.name,
      real_name: 'Rita Lopez, "RL"',
      email: 'rita@example.com',
      tz: 'America/Chicago',
    });
    const grid = `rep,2026-11\n${users.rep.id},2000\n`;
    await clickImport(
      users.manager,
      await submitFile(users.manager, await openImport(users.manager, 'targets'), upload(users.manager, 'targets.csv', grid)),
    );
    await h.command(users.rep, '/logsale', '1,200.50 =HYPERLINK("x") #widgets 2026-11-05');
    await h.command(users.rep2, '/logsale', '300 Globex 2026-11-06');
    await h.command(users.rep2, '/logsale', '99 Voided 2026-11-07');
    await h.command(users.rep, '/logsale', '5 October 2026-10-30');
    await h.command(users.rep, '/logsale', '40 Second 2026-11-08');
    const voided = (await allSales()).find((s) => s.customer === 'Voided')!;
    await h.clickButton(users.rep2, ACTIONS.undoSale, String(voided.id));
    await waitFor(() => h.responsesTo(users.rep2).at(-1));
    const at = new Date('2026-11-09T15:00:00Z');
    await h.db
      .insertInto('sales')
      .values({
        team_id: TEAM,
        rep_id: 'U0GONE',
        amount_minor: 700n,
        currency: 'USD',
        original_amount_minor: 700n,
        original_currency: 'USD',
        closed_on: '2026-11-09',
        customer: 'Left',
        source: 'command',
        idempotency_key: 'gone-1',
        created_by: 'U0GONE',
        created_at: at,
        updated_at: at,
      })
      .execute();
    h.slack.reset();

    const reply = await h.command(users.manager, '/tally', 'export 2026-11');
    expect(reply.status).toBe(200);
    const sent = await waitFor(() => h.responsesTo(users.manager)[0]);
    expect(replyText(sent.body)).toContain(
      'Sent `sales-2026-11.csv` and `attainment-2026-11.csv` for Month 2026-11 (Nov 1 – Nov 30) to your DM with Tally.',
    );

    const dm = h.slack.directMessageWith(users.manager.id);
    const complete = h.slack.callsTo('files.completeUploadExternal');
    expect(complete).toHaveLength(1);
    expect(complete[0]!.args.channel_id).toBe(dm.id);
    expect(h.slack.callsTo('files.getUploadURLExternal').map((c) => c.args.filename)).toEqual([
      'sales-2026-11.csv',
      'attainment-2026-11.csv',
    ]);
    const message = h.slack.messages(dm.id).at(-1)!;
    expect(message.files?.map((f) => f.name)).toEqual(['sales-2026-11.csv', 'attainment-2026-11.csv']);
    expect(message.text).toContain('5 sales (voided ones included, marked), attainment of 3 reps');
    // Slack is asked once per rep, whatever the number of their sales and files.
    const asked = h.slack
      .callsTo('users.info')
      .map((c) => String(c.args.user))
      .filter((id) => id !== users.manager.id);
    expect(asked.sort()).toEqual(['U0GONE', users.rep.id, users.rep2.id].sort());

    const file = (name: string) => h.slack.files.find((f) => f.filename === name)!.bytes!.toString('utf8');
    const sales = (await allSales()).filter((s) => s.closed_on.startsWith('2026-11'));
    const line = (s: (typeof sales)[number], person: string, amount: string, customer: string, product: string, voidedFlag: string) =>
      `${s.id},${s.closed_on},${s.rep_id},${person},${amount},USD,${amount},USD,,${customer},${product},,command,${s.created_by},${s.created_at.toISOString()},${voidedFlag},`;
    const rita = '"Rita Lopez, ""RL""",rita@example.com';
    expect(file('sales-2026-11.csv')).toBe(
      [
        'id,closed_on,rep_id,rep_name,rep_email,amount,currency,original_amount,original_currency,fx_rate,customer,product,note,source,created_by,created_at,voided,teams',
        line(sales[0]!, rita, '1200.50', `"'=HYPERLINK(""x"")"`, 'widgets', 'false'),
        line(sales[1]!, 'raj,', '300.00', 'Globex', '', 'false'),
        line(sales[2]!, 'raj,', '99.00', 'Voided', '', 'true'),
        line(sales[3]!, rita, '40.00', 'Second', '', 'false'),
        line(sales[4]!, ',', '7.00', 'Left', '', 'false'),
        '',
      ].join('\r\n'),
    );
    // Month 2026-11 as of Thursday the 26th: 25 of 30 days gone, so $1,666.67 expected by now.
    expect(file('attainment-2026-11.csv')).toBe(
      [
        'rep,rep_name,rep_email,target,actual,percent,pace',
        `${users.rep.id},${rita},2000.00,1240.50,62.0,behind`,
        `${users.rep2.id},raj,,,300.00,,`,
        'U0GONE,,,,7.00,,',
        '',
      ].join('\r\n'),
    );
    h.slack.addUser({ id: users.rep.id, team_id: TEAM, name: users.rep.name, tz: 'America/Chicago' });
  });

  it('makes a sales file that Tally imports back as the same sales', async () => {
    await h.command(users.rep, '/logsale', '1,200.50 Acme, "Inc." #widgets 2026-11-05');
    await h.command(users.rep2, '/logsale', '300 Globex 2026-11-06');
    await h.command(users.admin, '/tally', 'fx EUR 1.0832 2026-11-01');
    await h.command(users.rep, '/logsale', '€950 Euro Co 2026-11-07');
    const before = (await allSales()).map((s) => [s.closed_on, s.rep_id, s.amount_minor, s.currency, s.customer, s.product_id, s.note]);
    await h.command(users.manager, '/tally', 'export 2026-11');
    await waitFor(() => h.responsesTo(users.manager)[0]);
    const exported = h.slack.files.find((f) => f.filename === 'sales-2026-11.csv')!.bytes!.toString('utf8');
    await h.db.deleteFrom('sales').execute();

    const report = await submitFile(users.manager, await openImport(users.manager), upload(users.manager, 'sales-2026-11.csv', exported));
    const text = replyText(report.args);
    expect(text).toContain('*sales-2026-11.csv* is ready: 3 sales to import, totalling $2,529.54');
    expect(text).toContain(
      'Ignored columns: `id`, `rep_name`, `rep_email`, `original_amount`, `original_currency`, `fx_rate`, `source`, `created_by`, `created_at`, `voided`, `teams`.',
    );
    await clickImport(users.manager, report);
    // The amount comes back in the workspace currency, as it was counted.
    expect((await allSales()).map((s) => [s.closed_on, s.rep_id, s.amount_minor, s.currency, s.customer, s.product_id, s.note])).toEqual(
      before,
    );
  });

  it('is for managers, and names a period it does not know', async () => {
    const byRep = await h.command(users.rep, '/tally', 'export');
    expect(replyText(byRep.json)).toContain('Only managers and admins can export sales');
    expect(h.slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);

    await h.command(users.manager, '/tally', 'export lastmonth');
    const answer = await waitFor(() => h.responsesTo(users.manager)[0]);
    expect(replyText(answer.body)).toContain("I don't know the period `lastmonth`");
    expect(h.slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);
  });

  it('exports this month by default', async () => {
    await h.command(users.manager, '/tally', 'export');
    await waitFor(() => h.responsesTo(users.manager)[0]);
    expect(h.slack.callsTo('files.getUploadURLExternal').map((c) => c.args.filename)).toEqual([
      'sales-2026-11.csv',
      'attainment-2026-11.csv',
    ]);
    expect(
      h.slack.files
        .find((f) => f.filename === 'sales-2026-11.csv')!
        .bytes!.toString('utf8')
        .split('\r\n'),
    ).toHaveLength(2);
  });
});
