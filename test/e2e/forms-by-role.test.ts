// The forms show what applies to the person opening them: a rep's Log a sale has no rep field;
// a manager picks among the reps of the teams they manage, an admin among every team's reps;
// products and currencies are selects, timezones and long catalogues are searched as you type
// (block_suggestion). A crafted value the form never offered is still refused, on its field.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureWorkspace } from '../../src/store/workspaces.js';
import { ACTIONS, LOG_SALE_FIELDS as L, SETTINGS_FIELDS as S, TARGET_FIELDS as T } from '../../src/slack/ids.js';
import { blockSuggestionPayload, interactionBody, type ViewStateValues } from '../../slack-standin/slack-signer.js';
import { Harness, TEAM, replyText, users, type TestUser } from '../support/harness.js';
import { fillModal } from '../support/modal-fill.js';

let h: Harness;
const carla: TestUser = { id: 'U0CARLA', team: TEAM, name: 'carla' };
const mention = (u: TestUser) => `<@${u.id}|${u.name}>`;

beforeAll(async () => {
  h = await Harness.start();
  h.slack.addUser({ id: carla.id, team_id: TEAM, name: carla.name, real_name: 'Carla Manager' });
  await h.command(users.admin, '/tally', `managers add ${mention(users.manager)}`);
  await h.command(users.admin, '/tally', `managers add ${mention(carla)}`);
  await h.command(users.admin, '/tally', 'products add widgets');
  await h.command(users.admin, '/tally', 'products add gadgets');
  await h.command(users.admin, '/tally', 'teams add east');
  await h.command(users.admin, '/tally', 'teams add west');
  // East: Rita, and Carla (a manager: not someone to log a sale for). West: Raj, and Ada (an admin).
  await h.command(users.admin, '/tally', `teams east add ${mention(users.rep)} ${mention(carla)}`);
  await h.command(users.admin, '/tally', `teams west add ${mention(users.rep2)} ${mention(users.admin)}`);
  await h.command(users.admin, '/tally', `teams east managers add ${mention(users.manager)}`);
});
afterAll(() => h.stop());
beforeEach(async () => {
  await h.db.deleteFrom('sales').execute();
  h.slack.reset();
});

type Block = {
  type: string;
  block_id?: string;
  label?: { text: string };
  hint?: { text: string };
  element?: { type: string; options?: Array<{ value: string; text: { text: string } }>; initial_option?: { value: string } };
};

async function openLogSale(user: TestUser) {
  const before = h.slack.callsTo('views.open').length;
  expect((await h.command(user, '/logsale', '')).status).toBe(200);
  await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
  const call = h.slack.callsTo('views.open')[before]!;
  expect(call.error).toBeUndefined();
  return h.slack.lastModal()!;
}
const blockOf = (view: { blocks: unknown[] }, id: string) => (view.blocks as Block[]).find((b) => b.block_id === id);
const optionsOf = (view: { blocks: unknown[] }, id: string) => blockOf(view, id)?.element?.options?.map((o) => [o.value, o.text.text]);
const sales = () =>
  h.db
    .selectFrom('sales')
    .select(['rep_id', 'amount_minor', 'currency', 'original_currency', 'product_id', 'created_by'])
    .orderBy('id')
    .execute();
const fieldErrors = (reply: { json?: unknown }) => (reply.json as { errors?: Record<string, string> }).errors;
/** A select's state as a crafted submission sends it: any value, offered or not. */
const picked = (actionId: string, value: string) =>
  ({ [actionId]: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: value }, value } } }) as never;

describe('Log a sale by role', () => {
  it("a rep's form has no rep field; products and currencies are lists of what exists", async () => {
    const view = await openLogSale(users.rep);
    expect(blockOf(view, L.rep)).toBeUndefined();
    expect(JSON.stringify(view.blocks)).not.toMatch(/managers only|Leave empty to log your own/);
    expect(optionsOf(view, L.product)).toEqual([
      [':none', 'No product'],
      ['gadgets', 'gadgets'],
      ['widgets', 'widgets'],
    ]);
    expect(optionsOf(view, L.currency)).toEqual([['USD', 'USD · US Dollar']]);
    expect(blockOf(view, L.currency)!.hint!.text).toContain('/tally fx');
  });

  it("a manager's lists themself, picked, and the reps of the team they manage: no managers, admins or other teams", async () => {
    const view = await openLogSale(users.manager);
    expect(blockOf(view, L.rep)).toMatchObject({
      label: { text: 'Rep' },
      element: { type: 'static_select', initial_option: { value: users.manager.id } },
    });
    expect(optionsOf(view, L.rep)).toEqual([
      [users.manager.id, 'max (you)'],
      [users.rep.id, 'rita'],
    ]);
  });

  it("an admin's lists every team's reps, without the managers or admins in them", async () => {
    const view = await openLogSale(users.admin);
    expect(optionsOf(view, L.rep)).toEqual([
      [users.admin.id, 'ada (you)'],
      [users.rep2.id, 'raj'],
      [users.rep.id, 'rita'],
    ]);
  });

  it('a manager logs for a rep picked from the list, in a currency with a rate, with a product', async () => {
    expect(replyText((await h.command(users.admin, '/tally', 'fx EUR 1.10 2026-11-01')).json)).toContain('EUR');
    const view = await openLogSale(users.manager);
    expect(optionsOf(view, L.currency)).toEqual([
      ['USD', 'USD · US Dollar'],
      ['EUR', 'EUR · Euro'],
    ]);
    const reply = await h.submitView(
      users.manager,
      view,
      fillModal(view, { [L.amount]: '1000', [L.currency]: 'EUR', [L.product]: 'gadgets', [L.rep]: 'rita' }),
    );
    expect(reply.body).toBe('');
    const [gadgets] = await h.db.selectFrom('products').select('id').where('name', '=', 'gadgets').execute();
    expect(await sales()).toEqual([
      {
        rep_id: users.rep.id,
        amount_minor: 110_000n,
        currency: 'USD',
        original_currency: 'EUR',
        product_id: gadgets!.id,
        created_by: users.manager.id,
      },
    ]);
  });

  it.each([
    ['a rep naming another rep', users.rep, L.rep, users.rep2.id, 'Only admins and managers of *west*'],
    ['a manager naming a rep of a team they do not manage', users.manager, L.rep, users.rep2.id, 'Only admins and managers of *west*'],
    ['a currency not on the list', users.rep, L.currency, 'XYZ', 'ISO 4217'],
    ['a currency without a rate', users.rep, L.currency, 'GBP', 'no GBP to USD exchange rate'],
    ['a product not in the catalogue', users.rep, L.product, 'gizmo', 'no product gizmo'],
  ])('refuses a crafted form with %s, on its field, and stores nothing', async (_name, user, block, value, message) => {
    const view = await openLogSale(user);
    const values: ViewStateValues = { ...fillModal(view, { [L.amount]: '100' }), [block]: picked(block, value) };
    const reply = await h.submitView(user, view, values);
    const errors = fieldErrors(reply)!;
    // Rights are refused under the amount (the rep field may not be in the form); the rest on their own field.
    const field = block === L.rep ? L.amount : block;
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]!.toLowerCase()).toContain(message.toLowerCase());
    expect(await sales()).toEqual([]);
  });

  it('the Edit form names the sale’s rep and reads as editing', async () => {
    expect(replyText((await h.command(users.manager, '/logsale', `250 Acme ${mention(users.rep)}`)).json)).toContain('Logged');
    const [sale] = await h.db.selectFrom('sales').select('id').execute();
    const before = h.slack.callsTo('views.open').length;
    await h.chooseInHome(users.manager, ACTIONS.saleMenu, `edit:${sale!.id}`);
    await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
    const view = h.slack.lastModal()!;
    expect([replyText(view.title), replyText(view.submit)]).toEqual(['Edit sale', 'Save changes']);
    expect(blockOf(view, L.rep)).toMatchObject({
      label: { text: 'Rep' },
      hint: { text: 'Whose sale this is.' },
      element: { initial_option: { value: users.rep.id } },
    });
    expect(JSON.stringify(view.blocks)).not.toMatch(/Leave empty|managers only/);
    const reply = await h.submitView(users.manager, view, fillModal(view, { [L.amount]: '300' }));
    expect(reply.body).toBe('');
    expect((await sales()).map((s) => [s.rep_id, s.amount_minor])).toEqual([[users.rep.id, 30_000n]]);
  });
});

describe('help', () => {
  it('gives its product example from the catalogue', async () => {
    const help = replyText((await h.command(users.rep, '/tally', 'help')).json);
    expect(help).toContain('Products: `#gadgets`, `#widgets`, e.g. `/logsale 1200 Acme #gadgets`.');
  });
});

describe('external selects answer what is typed', () => {
  async function suggest(user: TestUser, blockId: string, actionId: string, value: string) {
    const payload = blockSuggestionPayload({ team_id: TEAM, user_id: user.id, block_id: blockId, action_id: actionId, value });
    const reply = await h.post(interactionBody(payload), 'application/x-www-form-urlencoded');
    expect(reply.status).toBe(200);
    return ((reply.json as { options: Array<{ value: string; text: { text: string } }> }).options ?? []).map((o) => [o.value, o.text.text]);
  }

  it('timezones and currencies for the admin’s Settings form; a crafted value is refused', async () => {
    expect(await suggest(users.admin, S.timezone, S.timezone, 'new york')).toEqual([['America/New_York', 'America/New_York']]);
    expect(await suggest(users.admin, S.currency, S.currency, 'euro')).toEqual([['EUR', 'EUR · Euro']]);
    expect(await suggest(users.admin, S.timezone, S.timezone, 'Atlantis')).toEqual([]);
    const before = h.slack.callsTo('views.open').length;
    await h.clickInHome(users.admin, ACTIONS.openSettings, 'open');
    await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
    const settings = h.slack.lastModal()!;
    expect(blockOf(settings, S.timezone)).toMatchObject({
      element: { type: 'external_select', initial_option: { value: 'America/New_York' } },
    });
    expect(blockOf(settings, S.currency)).toMatchObject({ element: { type: 'external_select', initial_option: { value: 'USD' } } });
    const crafted = await h.submitView(users.admin, settings, fillModal(settings, { [S.timezone]: 'Mars/Olympus' }));
    expect(fieldErrors(crafted)).toEqual({ [S.timezone]: expect.stringContaining('IANA timezone') });
    const saved = await h.submitView(users.admin, settings, fillModal(settings, { [S.timezone]: 'Europe/Berlin' }));
    expect(saved.body).toBe('');
    expect((await h.db.selectFrom('workspaces').select('timezone').where('team_id', '=', TEAM).executeTakeFirstOrThrow()).timezone).toBe(
      'Europe/Berlin',
    );
    await h.db.updateTable('workspaces').set({ timezone: 'America/New_York' }).where('team_id', '=', TEAM).execute();
  });

  it('a catalogue of more than 100 products is searched in Log a sale and Set target, only this workspace’s', async () => {
    const now = h.now;
    await h.db
      .insertInto('products')
      .values(
        Array.from({ length: 100 }, (_, i) => ({
          team_id: TEAM,
          name: `sku-${String(i).padStart(3, '0')}`,
          created_by: users.admin.id,
          created_at: now,
        })),
      )
      .execute();
    await ensureWorkspace(h.db, 'T0OTHER', h.tally.deps.config.defaults, now);
    await h.db.insertInto('products').values({ team_id: 'T0OTHER', name: 'gadgets-secret', created_by: 'U0X', created_at: now }).execute();
    try {
      const view = await openLogSale(users.rep);
      expect(blockOf(view, L.product)).toMatchObject({ element: { type: 'external_select', min_query_length: 1 } });
      expect(await suggest(users.rep, L.product, L.product, 'GADG')).toEqual([['gadgets', 'gadgets']]);
      expect(await suggest(users.rep, L.product, L.product, 'sku-')).toHaveLength(100);
      expect(await suggest(users.rep, L.product, L.product, '%')).toEqual([]);
      const reply = await h.submitView(users.rep, view, fillModal(view, { [L.amount]: '100', [L.product]: 'sku-007' }));
      expect(reply.body).toBe('');
      expect(await sales()).toHaveLength(1);
      const [gadgets] = await h.db.selectFrom('products').select('id').where('team_id', '=', TEAM).where('name', '=', 'gadgets').execute();
      expect(await suggest(users.manager, T.product, ACTIONS.targetSubjectChanged, 'gadg')).toEqual([[String(gadgets!.id), 'gadgets']]);
    } finally {
      await h.db.deleteFrom('sales').execute();
      await h.db
        .deleteFrom('products')
        .where((eb) => eb.or([eb('name', 'like', 'sku-%'), eb('team_id', '=', 'T0OTHER')]))
        .execute();
    }
  });
});
