// App Home: what reps, managers and admins see, and Edit, Void and Settings from it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, LOG_SALE_FIELDS as L, SETTINGS_FIELDS as S, TARGET_FIELDS as T, VOID_FIELDS as V } from '../../src/slack/ids.js';
import { craftChoice, fillModal } from '../support/modal-fill.js';
import { Harness, replyText, users, type TestUser } from '../support/harness.js';

let h: Harness;
const mention = (u: TestUser) => `<@${u.id}|${u.name}>`;
const homeText = (user: TestUser) => replyText(h.slack.homeView(user.id)?.blocks ?? []);
const saleOf = async (customer: string) => h.db.selectFrom('sales').selectAll().where('customer', '=', customer).executeTakeFirstOrThrow();

async function openHome(user: TestUser) {
  const before = h.slack.callsTo('views.publish').length;
  const reply = await h.openHome(user);
  expect(reply.status).toBe(200);
  await waitForPublish(user, before);
  return homeText(user);
}

/** Waits for a views.publish for this user after the first `after` calls. */
async function waitForPublish(user: TestUser, after: number) {
  await h.slack.waitForCall('views.publish', () => h.slack.callsTo('views.publish').slice(after).some((c) => c.args.user_id === user.id));
}

async function openedModal(act: () => Promise<unknown>) {
  const before = h.slack.callsTo('views.open').length;
  await act();
  await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
  return h.slack.lastModal()!;
}

beforeAll(async () => {
  h = await Harness.start();
  await h.command(users.admin, '/tally', `managers add ${mention(users.manager)}`);
  await h.command(users.manager, '/tally', 'products add widgets');
  await h.command(users.manager, '/tally', 'products add gadgets');
  const view = await openedModal(() => h.command(users.manager, '/target', ''));
  await h.submitView(users.manager, view, fillModal(view, { [T.rep]: users.rep.id, [T.amount]: '10k', [T.first]: '2026-11-01' }));
  await h.command(users.rep, '/logsale', '3000 Acme #widgets 2026-11-20');
  await h.command(users.rep, '/logsale', '1500 Globex 2026-11-24');
  await h.command(users.rep2, '/logsale', '800 Hooli');
});
afterAll(() => h.stop());

describe('what App Home shows', () => {
  it('a rep: targets with pace and projection, the last sales with Edit and Void, a Log a sale button', async () => {
    const text = await openHome(users.rep);
    expect(text).toContain('Your numbers');
    expect(text).toContain('*45.0%* of $10,000.00 · :red_circle: behind · $5,500.00 to go');
    expect(text).toContain('$5,500.00 to go ($1,100.00/day) · likely $5.1K–$5.4K');
    expect(text).toContain('*$1,500.00* · 2026-11-24 · Globex');
    expect(text).toContain('*$3,000.00* · 2026-11-20 · Acme · #widgets');
    expect(text).toContain('Log a sale');
    expect(text).not.toContain('Set target');
    expect(text).not.toContain('Behind pace');
    const home = h.slack.homeView(users.rep.id)!;
    expect(JSON.stringify(home.blocks)).toContain('"action_id":"sale_menu"');
  });

  it('a manager: the team overview and reps behind pace, with Set target', async () => {
    const text = await openHome(users.manager);
    expect(text).toContain('Team · Month 2026-11');
    expect(text).toContain('<@U0REP1>  $4,500.00 / $10,000.00 · *45.0%* :red_circle:');
    expect(text).toContain(':red_circle: *Behind pace*\n• <@U0REP1> 45.0% of $10,000.00, $5,500.00 to go');
    expect(text).toContain('Set target');
    expect(text).toContain('Log a sale for a rep');
    // Settings for the guard rails only; the workspace line is for admins.
    expect(text).toContain('Settings');
    expect(text).not.toContain('Workspace:');
  });

  it('an admin: everything a manager sees, plus Settings and the workspace settings', async () => {
    const text = await openHome(users.admin);
    expect(text).toContain('Team · Month 2026-11');
    expect(text).toContain('Settings');
    expect(text).toContain('Workspace: America/New_York · USD · fiscal year starts in month 1 · no closed periods · celebrations on at 50/100/150%');
  });

  it('is refreshed after the person logs a sale', async () => {
    const before = h.slack.callsTo('views.publish').length;
    await h.command(users.rep2, '/logsale', '200 Initech');
    await waitForPublish(users.rep2, before);
    expect(homeText(users.rep2)).toContain('*$200.00* · 2026-11-26 · Initech');
  });
});

describe('Edit and Void', () => {
  it('Edit changes the amount, the leaderboard follows, and the change is audited', async () => {
    await openHome(users.rep);
    const sale = await saleOf('Globex');
    const view = await openedModal(() => h.chooseInHome(users.rep, ACTIONS.saleMenu, `edit:${sale.id}`));
    expect(view.callback_id).toBe('edit_sale');
    const reply = await h.submitView(users.rep, view, fillModal(view, { [L.amount]: '2,500' }));
    expect(reply.body).toBe('');
    expect((await saleOf('Globex')).amount_minor).toBe(250000n);
    expect(replyText((await h.command(users.rep, '/leaderboard', '')).json)).toContain('$5,500.00 / $10,000.00 · *55.0%*');
    const audit = await h.db.selectFrom('audit_log').selectAll().where('action', '=', 'sale.edited').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: users.rep.id, entity_id: String(sale.id) });
    expect(audit[0]!.before).toMatchObject({ amount_minor: '150000' });
    expect(audit[0]!.after).toMatchObject({ amount_minor: '250000' });
  });

  it('refuses bad edits with field errors and changes nothing', async () => {
    const sale = await saleOf('Globex');
    const view = await openedModal(() => h.chooseInHome(users.rep, ACTIONS.saleMenu, `edit:${sale.id}`));
    // The product and rep are crafted: the form offers neither (a rep's form has no rep field).
    for (const [values, field, message] of [
      [fillModal(view, { [L.amount]: '-1' }), L.amount, 'negative'],
      [fillModal(view, { [L.closedOn]: '2026-12-31' }), L.closedOn, 'future'],
      [craftChoice(fillModal(view, {}), L.product, 'gizmo'), L.product, 'no product gizmo'],
      [craftChoice(fillModal(view, {}), L.rep, users.rep2.id), L.amount, 'Only managers and admins'],
    ] as const) {
      const reply = await h.submitView(users.rep, view, values);
      expect(reply.json).toMatchObject({ response_action: 'errors', errors: { [field]: expect.stringContaining(message) } });
    }
    expect((await saleOf('Globex')).amount_minor).toBe(250000n);
  });

  it("refuses a rep editing or voiding another rep's sale, also through a crafted submission", async () => {
    const sale = await saleOf('Hooli');
    const before = h.slack.callsTo('views.open').length;
    await h.chooseInHome(users.rep, ACTIONS.saleMenu, `edit:${sale.id}`);
    const dm = await h.slack.waitForCall('chat.postMessage', (c) => c.args.channel === users.rep.id && String(c.args.text).includes("change someone else's sale"));
    expect(dm).toBeDefined();
    expect(h.slack.callsTo('views.open')).toHaveLength(before);
    // The form of a sale the rep may edit, pointed at someone else's sale.
    const own = await saleOf('Acme');
    const view = await openedModal(() => h.chooseInHome(users.rep, ACTIONS.saleMenu, `edit:${own.id}`));
    const crafted = { ...view, private_metadata: JSON.stringify({ channelId: null, saleId: String(sale.id) }) };
    const reply = await h.submitView(users.rep, crafted, fillModal(view, { [L.amount]: '1' }));
    expect(reply.json).toMatchObject({ response_action: 'errors', errors: { [L.amount]: expect.stringContaining("Only managers and admins can change someone else's sale") } });
    expect((await saleOf('Hooli')).amount_minor).toBe(80000n);
  });

  it('Void needs a reason and then removes the sale from every total', async () => {
    const sale = await saleOf('Acme');
    const view = await openedModal(() => h.chooseInHome(users.rep, ACTIONS.saleMenu, `void:${sale.id}`));
    const empty = await h.submitView(users.rep, view, fillModal(view, { [V.reason]: '' }));
    expect(empty.json).toMatchObject({ response_action: 'errors', errors: { [V.reason]: 'Say why, in a few words.' } });
    expect((await saleOf('Acme')).voided_at).toBeNull();
    expect((await h.submitView(users.rep, view, fillModal(view, { [V.reason]: 'duplicate of a CRM import' }))).body).toBe('');
    const voided = await saleOf('Acme');
    expect(voided).toMatchObject({ voided_by: users.rep.id, void_reason: 'duplicate of a CRM import' });
    expect(replyText((await h.command(users.rep, '/leaderboard', '')).json)).toContain('$2,500.00 / $10,000.00 · *25.0%*');
    expect(replyText((await h.command(users.rep, '/tally', 'me')).json)).toContain('*This month*: $2,500.00 from 1 deal');
    const products = replyText((await h.command(users.manager, '/tally', 'products')).json);
    expect(products).toContain('*widgets* · $0.00 this month, no target');
  });
});

describe('Settings (admins)', () => {
  async function settingsModal(user: TestUser = users.admin) {
    await openHome(user);
    return openedModal(() => h.clickInHome(user, ACTIONS.openSettings, 'open'));
  }

  it('refuses bad values on the right field, a currency change once sales exist, and non-admins', async () => {
    const view = await settingsModal();
    for (const [answers, field, message] of [
      [{ [S.timezone]: 'Mars/Olympus' }, S.timezone, 'IANA timezone'],
      [{ [S.currency]: 'XYZ' }, S.currency, 'ISO 4217'],
      [{ [S.milestones]: '50, lots' }, S.milestones, 'whole percentages'],
      [{ [S.currency]: 'EUR' }, S.currency, "can't change from USD"],
    ] as const) {
      const reply = await h.submitView(users.admin, view, fillModal(view, answers));
      expect(reply.json).toMatchObject({ response_action: 'errors', errors: { [field]: expect.stringContaining(message) } });
    }
    const crafted = await h.submitView(users.manager, view, fillModal(view, { [S.fiscalStart]: 'April' }));
    expect(crafted.json).toMatchObject({ response_action: 'errors', errors: { [S.timezone]: expect.stringContaining('Only workspace admins') } });
    expect((await h.db.selectFrom('workspaces').selectAll().executeTakeFirstOrThrow()).fiscal_year_start_month).toBe(1);
  });

  it('a fiscal year starting in April makes April the first month of Q1', async () => {
    h.now = new Date('2026-04-15T16:00:00Z');
    expect(replyText((await h.command(users.rep, '/leaderboard', 'quarter')).json)).toContain('Quarter FY2026-Q2 (Apr 1 – Jun 30)');
    const view = await settingsModal();
    expect((await h.submitView(users.admin, view, fillModal(view, { [S.fiscalStart]: 'April' }))).body).toBe('');
    expect(replyText((await h.command(users.rep, '/leaderboard', 'quarter')).json)).toContain('Quarter FY2027-Q1 (Apr 1 – Jun 30)');
    expect(replyText((await h.command(users.rep, '/leaderboard', 'year')).json)).toContain('Year FY2027 (Apr 1 – Mar 31)');
    h.now = new Date('2026-11-26T20:00:00Z');
  });

  it('closing periods stops logging, editing and voiding sales on or before the date', async () => {
    const view = await settingsModal();
    expect((await h.submitView(users.admin, view, fillModal(view, { [S.lockedThrough]: '2026-11-21' }))).body).toBe('');
    const refused = replyText((await h.command(users.rep2, '/logsale', '100 Late Co 2026-11-21')).json);
    expect(refused).toContain('Sales closed on or before 2026-11-21 are locked');
    expect(refused).toContain('A workspace admin can unlock it');
    expect(await h.db.selectFrom('sales').selectAll().where('customer', '=', 'Late Co').execute()).toHaveLength(0);
    expect(replyText((await h.command(users.rep2, '/logsale', '100 Fine Co 2026-11-22')).json)).toContain('Logged');
  });
});
