// Exchange rates and the audit trail, end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, LOG_SALE_FIELDS as L } from '../../src/slack/ids.js';
import { fillModal } from '../support/modal-fill.js';
import { Harness, replyText, users, type TestUser } from '../support/harness.js';

let h: Harness;
const mention = (u: TestUser) => `<@${u.id}|${u.name}>`;
const say = async (user: TestUser, command: string, text: string) => replyText((await h.command(user, command, text)).json);
const sales = () => h.db.selectFrom('sales').selectAll().orderBy('id').execute();

beforeAll(async () => {
  h = await Harness.start();
  await h.command(users.admin, '/tally', `managers add ${mention(users.manager)}`);
});
afterAll(() => h.stop());

describe('exchange rates', () => {
  it('refuses a sale in another currency until a rate exists, naming the rate and how to set it', async () => {
    const text = await say(users.rep, '/logsale', '950 EUR Acme');
    expect(text).toContain("There is no EUR to USD exchange rate for 2026-11-26, so the sale can't be counted.");
    expect(text).toContain('`/tally fx EUR RATE 2026-11-26`');
    expect(await sales()).toHaveLength(0);
  });

  it.each([
    [users.rep, 'fx EUR 1.0832', 'Only workspace admins can set exchange rates'],
    [users.manager, 'fx EUR 1.0832', 'Only workspace admins can set exchange rates'],
    [users.admin, 'fx EUR abc', '`abc` is not a rate'],
    [users.admin, 'fx EUR 0', '`0` is not a rate'],
    [users.admin, 'fx XYZ 1.5', 'XYZ is not an ISO 4217 currency code'],
    [users.admin, 'fx USD 1', 'USD is the workspace currency'],
    [users.admin, 'fx EUR 1.08 2026-12-01', '2026-12-01 is in the future'],
    [users.admin, 'fx EUR 1.08 2026-02-30', '2026-02-30 is not a date'],
    [users.admin, 'fx EUR', 'Try `/tally fx`'],
  ])('refuses %s typing /tally %s, storing nothing', async (user, text, message) => {
    expect(await say(user, '/tally', text)).toContain(message);
    expect(await h.db.selectFrom('fx_rates').selectAll().execute()).toHaveLength(0);
  });

  it('counts a sale at the rate in force on its close date, keeping the amount as typed', async () => {
    expect(await say(users.admin, '/tally', 'fx EUR 1.0832 2026-11-01')).toContain('From 2026-11-01, 1 EUR = 1.0832 USD');
    await say(users.admin, '/tally', 'fx JPY 0.0067 2026-11-01');
    expect(await say(users.rep, '/logsale', '€950 Acme')).toContain('Logged *$1,029.04* (€950.00) from *Acme*');
    expect(await say(users.rep, '/logsale', '¥150,000 Tokyo Co 2026-11-20')).toContain('Logged *$1,005.00* (¥150,000) from *Tokyo Co*');
    expect(await say(users.rep, '/logsale', '100 EUR Early Co 2026-10-31')).toContain(
      'There is no EUR to USD exchange rate for 2026-10-31',
    );
    const stored = await sales();
    expect(stored.map((s) => [s.amount_minor, s.currency, s.original_amount_minor, s.original_currency, s.fx_rate])).toEqual([
      [102904n, 'USD', 95000n, 'EUR', '1.0832'],
      [100500n, 'USD', 150000n, 'JPY', '0.0067'],
    ]);
    // A new rate applies from its day on; earlier days keep theirs.
    await say(users.admin, '/tally', 'fx EUR 1.10 2026-11-25');
    expect(await say(users.rep, '/logsale', '€100 Late Co 2026-11-24')).toContain('*$108.32* (€100.00)');
    expect(await say(users.rep, '/logsale', '€100 Later Co')).toContain('*$110.00* (€100.00)');
    const list = await say(users.rep, '/tally', 'fx');
    expect(list).toContain('1 EUR = 1.10 USD since 2026-11-25');
    expect(list).toContain('1 JPY = 0.0067 USD since 2026-11-01');
  });
});

describe('the audit trail', () => {
  it('shows managers who changed what and when; narrows to a rep or a sale; refuses reps', async () => {
    const [first] = await sales();
    await h.clickButton(users.manager, ACTIONS.undoSale, String(first!.id));
    for (let i = 0; i < 100 && !h.slack.responses.some((r) => r.user_id === users.manager.id); i++)
      await new Promise((r) => setTimeout(r, 20));
    const all = await say(users.manager, '/tally', 'audit');
    expect(all).toContain('Audit log of the workspace');
    expect(all).toMatch(/2026-11-2\d \d\d:\d\d · <@U0ADMIN> set the EUR rate from 1\.0832 to 1\.10 USD from 2026-11-25\n/);
    expect(all).toMatch(/ · <@U0ADMIN> set the JPY rate to 0\.0067 USD from 2026-11-01\n/);
    expect(all).toContain(
      `<@U0MANAGER> voided sale ${first!.id} of <@U0REP1> ($1,029.04 (€950.00) from Acme, closed 2026-11-26): Undone from the /logsale confirmation`,
    );
    expect(all).toContain('<@U0ADMIN> made <@U0MANAGER> a manager');
    expect(all).not.toMatch(/`\d{4}-\d\d-\d\d/); // times are plain text, not inline code
    const sale = await say(users.manager, '/tally', `audit ${first!.id}`);
    expect(sale).toContain(`Audit log of sale ${first!.id}`);
    expect(sale).toContain(`<@U0REP1> logged sale ${first!.id}: $1,029.04 (€950.00) from Acme, closed 2026-11-26`);
    expect(sale).not.toContain('EUR rate');
    const rep = await say(users.manager, '/tally', `audit ${mention(users.rep)}`);
    expect(rep).toContain('Audit log for <@U0REP1>');
    expect(rep).toContain(`<@U0REP1> logged sale ${first!.id}`);
    expect(rep).not.toContain('EUR rate');
    expect(await say(users.rep, '/tally', 'audit')).toContain('Only managers and admins can read the audit log');
    expect(await say(users.manager, '/tally', 'audit bob')).toContain('Try `/tally audit`');
  });

  it('names teams, people, products and schedules in words, old → new', async () => {
    await say(users.manager, '/tally', 'teams add east');
    await say(users.manager, '/tally', `teams east add ${mention(users.rep)}`);
    expect(await say(users.manager, '/tally', 'products add <gizmo>')).toContain('A product name is one word'); // refused, not audited
    await say(users.manager, '/tally', 'products add gizmos');
    await say(users.manager, '/tally', 'digest here weekly east');
    await say(users.manager, '/tally', 'digest here weekly east'); // said twice
    await say(users.manager, '/tally', 'digest here daily east at 08:30');
    await say(users.manager, '/tally', 'digest here off east');
    const team = await h.db.selectFrom('sales_teams').select('id').where('name', '=', 'east').executeTakeFirstOrThrow();
    expect(team.id).toBeGreaterThan(0n);

    const all = await say(users.manager, '/tally', 'audit');
    const lines = all
      .split('\n')
      .filter((line) => / · /.test(line))
      .map((line) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d · /, ''));
    // Newest first.
    expect(lines.slice(0, 7)).toEqual([
      '<@U0MANAGER> stopped the digest of team *east* in <#C0SALES> (every day at 08:30)',
      '<@U0MANAGER> changed the digest of team *east* in <#C0SALES> from every Monday at 09:00 to every day at 08:30',
      '<@U0MANAGER> scheduled the digest of team *east* in <#C0SALES> again, unchanged: every Monday at 09:00',
      '<@U0MANAGER> scheduled the digest of team *east* in <#C0SALES>, every Monday at 09:00',
      '<@U0MANAGER> added the product *gizmos*',
      '<@U0MANAGER> added <@U0REP1> to team *east* from 2026-11-26',
      '<@U0MANAGER> created team *east*',
    ]);
    // A rep's own trail holds their moves between teams.
    expect(await say(users.manager, '/tally', `audit ${mention(users.rep)}`)).toContain(
      '<@U0MANAGER> added <@U0REP1> to team *east* from 2026-11-26',
    );
    expect(await say(users.manager, '/tally', `audit ${mention(users.rep2)}`)).not.toContain('team *east*');
  });

  it('an edit reads from → to for each field changed; a refused edit adds nothing', async () => {
    expect(await say(users.rep, '/logsale', '1500 Hooli')).toContain('Logged');
    const sale = (await sales()).at(-1)!;
    const openEdit = async () => {
      const before = h.slack.callsTo('views.open').length;
      await h.chooseInHome(users.rep, ACTIONS.saleMenu, `edit:${sale.id}`);
      await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
      return h.slack.lastModal()!;
    };
    const view = await openEdit();
    const refused = await h.submitView(users.rep, view, fillModal(view, { [L.amount]: '-5' }));
    expect(refused.json).toMatchObject({ response_action: 'errors' });
    expect((await h.submitView(users.rep, view, fillModal(view, { [L.amount]: '2,500', [L.customer]: 'Hooli <XYZ>' }))).body).toBe('');

    const trail = await say(users.manager, '/tally', `audit ${sale.id}`);
    const lines = trail
      .split('\n')
      .filter((line) => / · /.test(line))
      .map((line) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d · /, ''));
    expect(lines).toEqual([
      `<@U0REP1> edited sale ${sale.id}: the amount from $1,500.00 to $2,500.00 and the customer from “Hooli” to “Hooli &lt;XYZ&gt;”`,
      `<@U0REP1> logged sale ${sale.id}: $1,500.00 from Hooli, closed 2026-11-26`,
    ]);
  });
});
