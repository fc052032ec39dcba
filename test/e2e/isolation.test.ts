// docs/rules.md#security: "every row belongs to one Slack workspace; no query crosses workspaces", end to end.
// Two workspaces share ONE database and one running Tally: Acme (team A, the harness's
// workspace) and Zeta (team B). As team A every command, modal, button and the digest tick
// is run, and nothing of team B may be read, shown or changed: B's sales never appear in A's
// replies, leaderboard, App Home or digest, and payloads crafted to name B's ids are refused
// with a clear message while every row of B stays exactly as it was.
//
// Team B is built to catch the quiet leaks: its product and sales team have the SAME names
// as A's (`widgets`, `east`), and it logs sales for a rep with the SAME user id as A's rep
// (in an Enterprise Grid org one person is a member of several workspaces with one user id),
// so a query that filters by name or by rep but forgets team_id shows up in A's numbers.
//
// In single-token mode Bolt answers every team with A's token, so B's admin cannot be looked
// up with users.info: B's admin role is stored in B's members table (the way Tally stores
// roles), and B's targets, whose confirmation Slack could not deliver to B with A's token, are
// set through the same service the Set target modal calls.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/domain/money.js';
import { teamClients, type SlackClients } from '../../src/slack/clients.js';
import { ACTIONS, LOG_SALE_FIELDS as L, SETTINGS_FIELDS as S, TARGET_FIELDS as T, VOID_FIELDS as V } from '../../src/slack/ids.js';
import { recordMilestones } from '../../src/store/celebrations.js';
import { upsertMemberRole } from '../../src/store/members.js';
import { insertSale } from '../../src/store/sales.js';
import { insertTargets } from '../../src/store/targets.js';
import { ensureWorkspace } from '../../src/store/workspaces.js';
import type { FakeSlack } from '../../slack-standin/fake-slack.js';
import { blockActionsPayload, interactionBody, type OpenedView, type ViewStateValues } from '../../slack-standin/slack-signer.js';
import { BOT_TOKEN, CHANNEL, Harness, TEAM, replyText, users, type TestUser } from '../support/harness.js';
import { craftChoice, fillModal } from '../support/modal-fill.js';

const OTHER = 'T0OTHER';
const OTHER_TOKEN = 'xoxb-test-other';
const OTHER_CHANNEL = 'C0OTHER';
const EAST = 'C0EAST';

const other = {
  admin: { id: 'U0OADMIN', team: OTHER, name: 'olga' },
  manager: { id: 'U0OMGR', team: OTHER, name: 'otto' },
  rep: { id: 'U0OREP1', team: OTHER, name: 'oona' },
} satisfies Record<string, TestUser>;

/** Text that only team B's data can put in a reply: its customers, amounts, names, ids, currency. */
const OTHER_MARKERS = [
  'ZetaSecret',
  '77,777',
  '55,555',
  '33,333',
  '99,999',
  '88,888',
  '23,456',
  '123,456',
  'zeta-secret',
  'zeta-squad',
  'vertrieb',
  other.admin.id,
  other.manager.id,
  other.rep.id,
  OTHER_CHANNEL,
  '€',
];

/** A second workspace on the same FakeSlack: its own token, users and channel. */
function seedOtherWorkspace(slack: FakeSlack): void {
  slack.addToken(OTHER_TOKEN, { team_id: OTHER, bot_user_id: 'U0OTHERBOT' });
  for (const user of Object.values(other)) slack.addUser({ id: user.id, team_id: OTHER, name: user.name, tz: 'Europe/Berlin' });
  slack.addChannel({ id: OTHER_CHANNEL, name: 'vertrieb', team_id: OTHER, members: Object.values(other).map((u) => u.id) });
}

const TABLES = [
  'workspaces',
  'members',
  'products',
  'sales',
  'audit_log',
  'sales_teams',
  'sales_team_members',
  'sales_team_managers',
  'targets',
  'digest_subscriptions',
  'digest_runs',
  'celebrations',
  'fx_rates',
] as const;

let h: Harness;
let otherBefore: Record<string, string[]>;
const mention = (u: TestUser) => `<@${u.id}|${u.name}>`;

/** Every row of team B in every table, as comparable text (bigints and dates included). */
async function rowsOf(teamId: string): Promise<Record<string, string[]>> {
  const db = h.db as unknown as Kysely<Record<string, { team_id: string }>>;
  const snapshot: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await db.selectFrom(table).selectAll().where('team_id', '=', teamId).execute();
    snapshot[table] = rows
      .map((row) => JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value)))
      .sort();
  }
  return snapshot;
}

async function expectOtherUnchanged(): Promise<void> {
  // Background work (App Home refreshes, celebrations) settles first.
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await rowsOf(OTHER)).toEqual(otherBefore);
}

function expectNothingOfOther(text: string, where: string): void {
  for (const marker of OTHER_MARKERS) expect(text, `${where} shows ${marker} of team B:\n${text}`).not.toContain(marker);
}

const sales = (teamId: string) => h.db.selectFrom('sales').selectAll().where('team_id', '=', teamId).orderBy('id').execute();
const saleOf = async (teamId: string, customer: string) =>
  h.db.selectFrom('sales').selectAll().where('team_id', '=', teamId).where('customer', '=', customer).executeTakeFirstOrThrow();
const idOf = async (table: 'products' | 'sales_teams', teamId: string, name: string) =>
  (await h.db.selectFrom(table).select('id').where('team_id', '=', teamId).where('name', '=', name).executeTakeFirstOrThrow()).id;

/** Chooses the kind in an open Set target form; resolves with the form Tally updated to. */
async function chooseKind(view: OpenedView, kind: string) {
  const values = fillModal(view, { [T.subject]: kind });
  const before = h.slack.callsTo('views.update').length;
  const payload = blockActionsPayload({
    team_id: TEAM,
    user_id: users.manager.id,
    view: { ...view, state: { values } },
    actions: [
      {
        type: 'static_select',
        action_id: ACTIONS.targetSubjectChanged,
        block_id: T.subject,
        selected_option: values[T.subject]![ACTIONS.targetSubjectChanged]!.selected_option,
      },
    ],
  });
  expect((await h.post(interactionBody(payload), 'application/x-www-form-urlencoded')).status).toBe(200);
  await h.slack.waitForCall('views.update', () => h.slack.callsTo('views.update').length > before);
  return h.slack.view(view.id)! as OpenedView & { blocks: unknown[] };
}

async function openedModal(act: () => Promise<unknown>): Promise<OpenedView & { blocks: unknown[] }> {
  const before = h.slack.callsTo('views.open').length;
  await act();
  const call = await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
  expect(call.error, JSON.stringify(call)).toBeUndefined();
  // The newest modal: App Home refreshes in the background publish views too.
  return h.slack
    .views()
    .filter((v) => v.type === 'modal')
    .at(-1)!;
}

async function openHome(user: TestUser): Promise<string> {
  const before = h.slack.callsTo('views.publish').length;
  expect((await h.openHome(user)).status).toBe(200);
  await h.slack.waitForCall('views.publish', () =>
    h.slack
      .callsTo('views.publish')
      .slice(before)
      .some((c) => c.args.user_id === user.id && !c.error),
  );
  return replyText(h.slack.homeView(user.id)?.blocks ?? []);
}

/** The next DM (chat.postMessage to the user id) after the first `after` calls. */
async function nextDm(user: TestUser, after: number): Promise<string> {
  const call = await h.slack.waitForCall('chat.postMessage', () =>
    h.slack
      .callsTo('chat.postMessage')
      .slice(after)
      .some((c) => c.args.channel === user.id),
  );
  const dm =
    h.slack
      .callsTo('chat.postMessage')
      .slice(after)
      .find((c) => c.args.channel === user.id) ?? call;
  return replyText(dm.args);
}

async function nextResponse(user: TestUser, after: number): Promise<string> {
  for (let i = 0; i < 250; i++) {
    const response = h.responsesTo(user)[after];
    if (response) return replyText(response.body);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no response_url post for ${user.id}`);
}

/** An overflow choice in App Home (Edit / Void of a sale) with any value, as Slack would send it. */
function chooseInHome(user: TestUser, value: string) {
  return h.chooseInHome(user, ACTIONS.saleMenu, value);
}

beforeAll(async () => {
  h = await Harness.start();
  seedOtherWorkspace(h.slack);
  h.slack.addChannel({ id: EAST, name: 'team-east', team_id: TEAM, members: [users.rep.id, users.rep2.id, users.manager.id] });
  const deps = h.tally.deps;

  // ---- team B (Zeta): EUR, Berlin, a fiscal year from April, the same names as A --------
  await ensureWorkspace(h.db, OTHER, deps.config.defaults, h.now);
  await upsertMemberRole(h.db, OTHER, other.admin.id, 'admin', h.now);
  const asOther = (text: string, command = '/tally') => h.command(other.admin, command, text, { channel: OTHER_CHANNEL });
  const settings = await openedModal(() => h.clickInHome(other.admin, ACTIONS.openSettings, 'open'));
  // The fake stamps views with the team of the token that opened them (A's): Slack would say B.
  const saved = await h.submitView(
    other.admin,
    { ...settings, team_id: OTHER },
    fillModal(settings, { [S.timezone]: 'Europe/Berlin', [S.currency]: 'EUR', [S.fiscalStart]: 'April' }),
  );
  expect(saved.body, saved.body).toBe('');
  for (const text of [
    'products add widgets',
    'products add zeta-secret',
    `teams add east <#${OTHER_CHANNEL}|vertrieb>`,
    'teams add zeta-squad',
    'digest here',
  ]) {
    const reply = await asOther(text);
    expect(replyText(reply.json), text).not.toMatch(/Something went wrong|Only /);
  }
  // B shares A's rep U0REP1, as a user of two workspaces of an Enterprise Grid does. The fake
  // keeps one directory entry per user id, so B's rows for U0REP1 go in through the store.
  const eastOfOther = await idOf('sales_teams', OTHER, 'east');
  await h.db
    .insertInto('sales_team_members')
    .values([users.rep.id, other.rep.id].map((user_id) => ({ team_id: OTHER, sales_team_id: eastOfOther, user_id, added_at: h.now })))
    .execute();
  await upsertMemberRole(h.db, OTHER, other.manager.id, 'manager', h.now);
  const otherSale = async (repId: string, amountMinor: bigint, customer: string, productName: string | null, closedOn: string) => {
    const productId = productName ? await idOf('products', OTHER, productName) : null;
    await insertSale(h.db, {
      team_id: OTHER,
      rep_id: repId,
      amount_minor: amountMinor,
      currency: 'EUR',
      original_amount_minor: amountMinor,
      original_currency: 'EUR',
      closed_on: closedOn,
      customer,
      product_id: productId,
      source: 'command',
      idempotency_key: `seed:${customer}`,
      created_by: other.admin.id,
      created_at: h.now,
      updated_at: h.now,
    });
  };
  await otherSale(users.rep.id, 7_777_700n, 'ZetaSecret Corp', 'widgets', '2026-11-26');
  await otherSale(other.rep.id, 5_555_500n, 'ZetaSecret GmbH', 'zeta-secret', '2026-11-24');
  expect(replyText((await asOther('33333 ZetaSecret AG yesterday', '/logsale')).json)).toContain('Logged');
  const otherTarget = (subjectType: 'rep' | 'team' | 'product' | 'company', subjectId: string, amount: bigint) =>
    insertTargets(h.db, [
      {
        team_id: OTHER,
        subject_type: subjectType,
        subject_id: subjectId,
        metric: 'revenue',
        period_kind: 'month',
        first_period_start: '2026-11-01',
        last_period_start: null,
        amount,
        created_by: other.admin.id,
        created_at: h.now,
      },
    ]);
  await otherTarget('rep', users.rep.id, 2_345_600n);
  await otherTarget('team', String(eastOfOther), 9_999_900n);
  await otherTarget('product', String(await idOf('products', OTHER, 'zeta-secret')), 8_888_800n);
  await otherTarget('company', '', 12_345_600n);
  await recordMilestones(
    h.db,
    {
      teamId: OTHER,
      repId: users.rep.id,
      metric: 'revenue',
      periodKind: 'month',
      periodStart: '2026-11-01',
      reachedAt: new Date('2026-11-24T12:00:00Z'),
    },
    [100],
  );

  // ---- team A (Acme): USD, New York ------------------------------------------------------
  await h.command(users.admin, '/tally', `managers add ${mention(users.manager)}`);
  for (const text of [
    'products add widgets',
    'products add gadgets',
    `teams add east <#${EAST}|team-east>`,
    `teams east add ${mention(users.rep)} ${mention(users.rep2)}`,
    'digest here',
  ]) {
    expect(replyText((await h.command(users.manager, '/tally', text)).json), text).not.toMatch(/Something went wrong|Only /);
  }
  const target = await openedModal(() => h.command(users.manager, '/target', ''));
  expect(
    (await h.submitView(users.manager, target, fillModal(target, { [T.rep]: users.rep.id, [T.amount]: '10k', [T.first]: '2026-11-01' })))
      .body,
  ).toBe('');
  expect(replyText((await h.command(users.rep, '/logsale', '1200 Acme #widgets')).json)).toContain('Logged');
  expect(replyText((await h.command(users.rep2, '/logsale', '800 Globex 2026-11-24')).json)).toContain('Logged');

  await new Promise((resolve) => setTimeout(resolve, 200)); // background home refreshes and celebrations
  otherBefore = await rowsOf(OTHER);
  expect(otherBefore.sales).toHaveLength(3);
  expect(otherBefore.targets).toHaveLength(4);
  expect(otherBefore.sales_team_members).toHaveLength(2);
}, 60_000);
afterAll(() => h.stop());

describe('team A reads only its own data', () => {
  it('/logsale with text confirms with A’s totals, and #widgets is A’s product, not B’s of the same name', async () => {
    const reply = await h.command(users.rep, '/logsale', '300 Initech #widgets');
    const text = replyText(reply.json);
    expectNothingOfOther(text, '/logsale confirmation');
    // U0REP1 has €77,777 in B this month; in A only $1,200 + $300.
    expect(text).toContain('This month: *$1,500.00* (2 deals)');
    expect(text).toContain('This week: *$1,500.00* (2 deals)');
    const sale = await saleOf(TEAM, 'Initech');
    expect(sale.product_id).toBe(await idOf('products', TEAM, 'widgets'));
    await expectOtherUnchanged();
  });

  it('/logsale with a product only B has is refused, suggesting A’s products only', async () => {
    const reply = await h.command(users.rep, '/logsale', '300 Initech #zeta-secret');
    const text = replyText(reply.json);
    expect(text).toContain('There is no product `zeta-secret`. Did you mean');
    expect(text).toMatch(/`#gadgets`/);
    expect(text.replaceAll('There is no product `zeta-secret`', '')).not.toContain('zeta');
    expect(await sales(TEAM)).toHaveLength(3);
    await expectOtherUnchanged();
  });

  it('the Log a sale modal stores the sale in A with A’s product, and confirms with A’s totals', async () => {
    const view = await openedModal(() => h.command(users.rep, '/logsale', ''));
    const before = h.slack.callsTo('chat.postEphemeral').length;
    const reply = await h.submitView(
      users.rep,
      view,
      fillModal(view, { [L.amount]: '200', [L.customer]: 'Modal Co', [L.product]: 'widgets' }),
    );
    expect(reply.body).toBe('');
    await h.slack.waitForCall('chat.postEphemeral', () => h.slack.callsTo('chat.postEphemeral').length > before);
    const text = replyText(h.slack.callsTo('chat.postEphemeral')[before]!.args);
    expectNothingOfOther(text, 'modal confirmation');
    expect(text).toContain('This month: *$1,700.00* (3 deals)');
    const sale = await saleOf(TEAM, 'Modal Co');
    expect(sale).toMatchObject({ team_id: TEAM, rep_id: users.rep.id, amount_minor: 20000n, currency: 'USD' });
    expect(sale.product_id).toBe(await idOf('products', TEAM, 'widgets'));

    const unknown = await h.submitView(users.rep, view, craftChoice(fillModal(view, { [L.amount]: '200' }), L.product, 'zeta-secret'));
    expect(unknown.json).toMatchObject({
      response_action: 'errors',
      errors: { [L.product]: expect.stringContaining('no product zeta-secret') },
    });
    expect(JSON.stringify(unknown.json).replace(/no product zeta-secret/g, '')).not.toContain('zeta');
    await expectOtherUnchanged();
  });

  it('/leaderboard ranks A’s reps with A’s amounts; B’s `east` and B-only teams are not A’s', async () => {
    const board = replyText((await h.command(users.rep2, '/leaderboard', '')).json);
    expectNothingOfOther(board, '/leaderboard');
    expect(board).toContain('<@U0REP1>  $1,700.00 / $10,000.00 · *17.0%*');
    expect(board).toContain('*<@U0REP2> (you)*  $800.00 · no target');
    expect(board).toContain('Total $2,500.00 of $10,000.00 targeted (4 deals)');

    const east = replyText((await h.command(users.rep2, '/leaderboard', 'month east')).json);
    expectNothingOfOther(east, '/leaderboard month east');
    expect(east).toContain('<@U0REP1>');

    const missing = replyText((await h.command(users.rep2, '/leaderboard', 'month zeta-squad')).json);
    expect(missing).toContain('There is no team `zeta-squad`. Teams: `east`.');
    await expectOtherUnchanged();
  });

  it('/tally me, /target (a rep), /tally teams, products, managers, digest and digest preview show A’s only', async () => {
    // U0REP1 also has a €23,456 monthly target in B.
    const me = replyText((await h.command(users.rep, '/tally', 'me')).json);
    expectNothingOfOther(me, '/tally me');
    expect(me).toContain('*This month*: $1,700.00 from 3 deals');
    expect(me).toContain('$10,000.00');
    const targets = replyText((await h.command(users.rep, '/target', '')).json);
    expectNothingOfOther(targets, '/target as a rep');
    expect(targets).toContain('$10,000.00');

    const teams = replyText((await h.command(users.manager, '/tally', 'teams')).json);
    expectNothingOfOther(teams, '/tally teams');
    expect(teams).toContain('*east* · <#C0EAST>');
    expect(teams).toContain('<@U0REP1> (since 2026-11-26) <@U0REP2> (since 2026-11-26)');

    for (const [user, text] of [
      [users.manager, 'products'],
      [users.rep, 'products'],
      [users.manager, 'managers'],
      [users.manager, 'digest'],
    ] as const) {
      const reply = replyText((await h.command(user, '/tally', text)).json);
      expectNothingOfOther(reply, `/tally ${text} as ${user.name}`);
      expect(reply).not.toMatch(/Something went wrong/);
      if (text === 'products') expect(reply).toContain('widgets');
      if (text === 'managers') expect(reply).toContain(`<@${users.manager.id}>`);
      if (text === 'digest') expect(reply).toContain(`<#${CHANNEL}>`);
    }

    const preview = replyText((await h.command(users.manager, '/tally', 'digest preview')).json);
    expectNothingOfOther(preview, '/tally digest preview');
    expect(preview).toContain('Weekly digest');
    await expectOtherUnchanged();
  });

  it('App Home of a rep, a manager and an admin shows A’s sales, board and settings only', async () => {
    const rep = await openHome(users.rep);
    expectNothingOfOther(rep, 'rep App Home');
    expect(rep).toContain('*$1,200.00* · 2026-11-26 · Acme · #widgets');
    expect(rep).toContain('This month: *$1,700.00* (3 deals)');
    for (const user of [users.manager, users.admin]) {
      const home = await openHome(user);
      expectNothingOfOther(home, `${user.name}'s App Home`);
      expect(home).toContain('<@U0REP1>  $1,700.00 / $10,000.00 · *17.0%*');
    }
    expect(await openHome(users.admin)).toContain('Workspace: America/New_York · USD · fiscal year starts in month 1');
    await expectOtherUnchanged();
  });

  it('the Set target modal offers A’s teams and products only, and its "Now:" line never reads B’s targets', async () => {
    const opened = await openedModal(() => h.command(users.manager, '/target', ''));
    // The form shows the chosen kind's picker only: choose each kind as a person does.
    const productForm = await chooseKind(opened, 'A product');
    const teamForm = await chooseKind(productForm, 'A sales team');
    const optionsOf = (view: { blocks: unknown[] }, blockId: string) =>
      (
        (view.blocks as Array<{ block_id?: string; element?: { options?: Array<{ value: string; text: { text: string } }> } }>).find(
          (b) => b.block_id === blockId,
        )?.element?.options ?? []
      ).map((o) => [o.value, o.text.text]);
    expect(optionsOf(teamForm, T.team)).toEqual([[String(await idOf('sales_teams', TEAM, 'east')), 'east']]);
    expect(optionsOf(productForm, T.product)).toEqual([
      [String(await idOf('products', TEAM, 'gadgets')), 'gadgets'],
      [String(await idOf('products', TEAM, 'widgets')), 'widgets'],
    ]);
    for (const form of [opened, teamForm, productForm]) expectNothingOfOther(replyText(form.blocks), 'Set target modal');
    const view = teamForm;

    // Picking a team whose option value was crafted to be B's `east`: the info line is refreshed.
    const otherEast = String(await idOf('sales_teams', OTHER, 'east'));
    const values = fillModal(view, { [T.subject]: 'A sales team', [T.team]: 'east' });
    values[T.team] = {
      [ACTIONS.targetSubjectChanged]: {
        type: 'static_select',
        selected_option: { text: { type: 'plain_text', text: 'east' }, value: otherEast },
      } as never,
    };
    const before = h.slack.callsTo('views.update').length;
    const payload = blockActionsPayload({
      team_id: TEAM,
      user_id: users.manager.id,
      view: { ...view, state: { values } },
      actions: [
        {
          type: 'static_select',
          action_id: ACTIONS.targetSubjectChanged,
          block_id: T.team,
          selected_option: { text: { type: 'plain_text', text: 'east' }, value: otherEast },
        },
      ],
    });
    expect((await h.post(interactionBody(payload), 'application/x-www-form-urlencoded')).status).toBe(200);
    await h.slack.waitForCall('views.update', () => h.slack.callsTo('views.update').length > before);
    const info = replyText(h.slack.callsTo('views.update')[before]!.args.view);
    expectNothingOfOther(info, 'Set target "Now:" line for B’s team id');
    expect(info).toContain('*Now:*');
    await expectOtherUnchanged();
  });
});

describe('team A cannot reach team B’s rows with crafted ids', () => {
  it('a Set target submission naming B’s sales team or B’s product is refused and stores nothing', async () => {
    const targetsBefore = (await h.db.selectFrom('targets').select('id').execute()).length;
    for (const [subject, block, table, name, message] of [
      ['A sales team', T.team, 'sales_teams', 'east', 'Pick a team from the list.'],
      ['A product', T.product, 'products', 'zeta-secret', 'Pick a product from the list.'],
    ] as const) {
      const view = await openedModal(() => h.command(users.manager, '/target', ''));
      const values: ViewStateValues = fillModal(view, { [T.subject]: subject, [T.amount]: '50k' });
      const crafted = String(await idOf(table, OTHER, name));
      values[block] = {
        [ACTIONS.targetSubjectChanged]: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: name }, value: crafted },
        } as never,
      };
      const reply = await h.submitView(users.manager, view, values);
      expect(reply.json, `${subject} ${crafted}`).toEqual({ response_action: 'errors', errors: { [block]: message } });
    }
    expect(await h.db.selectFrom('targets').select('id').execute()).toHaveLength(targetsBefore);
    await expectOtherUnchanged();
  });

  it('Undo, Edit and Void naming B’s sale id are refused with a clear message, even for A’s admin', async () => {
    const target = await saleOf(OTHER, 'ZetaSecret Corp');

    await h.clickButton(users.admin, ACTIONS.undoSale, String(target.id));
    expect(await nextResponse(users.admin, 0)).toContain(`Sale ${target.id} doesn't exist in this workspace.`);

    await openHome(users.admin);
    for (const choice of ['edit', 'void']) {
      const opened = h.slack.callsTo('views.open').length;
      const before = h.slack.callsTo('chat.postMessage').length;
      await chooseInHome(users.admin, `${choice}:${target.id}`);
      expect(await nextDm(users.admin, before)).toContain('That sale no longer exists or was voided.');
      expect(h.slack.callsTo('views.open')).toHaveLength(opened);
    }

    // The Edit and Void forms of one of A's own sales, pointed at B's sale.
    const own = await saleOf(TEAM, 'Initech');
    const edit = await openedModal(() => chooseInHome(users.admin, `edit:${own.id}`));
    const craftedEdit = { ...edit, private_metadata: JSON.stringify({ channelId: null, saleId: String(target.id) }) };
    const edited = await h.submitView(users.admin, craftedEdit, fillModal(edit, { [L.amount]: '1', [L.customer]: 'Hijacked' }));
    expect(edited.json).toEqual({
      response_action: 'errors',
      errors: { [L.amount]: `Sale ${target.id} doesn't exist in this workspace.` },
    });

    const voidView = await openedModal(() => chooseInHome(users.admin, `void:${own.id}`));
    const craftedVoid = { ...voidView, private_metadata: JSON.stringify({ saleId: String(target.id) }) };
    const voided = await h.submitView(users.admin, craftedVoid, fillModal(voidView, { [V.reason]: 'crafted from team A' }));
    expect(voided.json).toEqual({
      response_action: 'errors',
      errors: { [V.reason]: `Sale ${target.id} doesn't exist in this workspace.` },
    });

    expect((await saleOf(TEAM, 'Initech')).voided_at).toBeNull();
    await expectOtherUnchanged();
  });

  it('Edit, Void and Undo of A’s own sales work and touch nothing of B', async () => {
    const own = await saleOf(TEAM, 'Modal Co');
    await openHome(users.rep);
    const edit = await openedModal(() => chooseInHome(users.rep, `edit:${own.id}`));
    expect((await h.submitView(users.rep, edit, fillModal(edit, { [L.amount]: '250' }))).body).toBe('');
    expect((await saleOf(TEAM, 'Modal Co')).amount_minor).toBe(25000n);

    const voidView = await openedModal(() => chooseInHome(users.rep, `void:${own.id}`));
    expect((await h.submitView(users.rep, voidView, fillModal(voidView, { [V.reason]: 'test of isolation' }))).body).toBe('');
    expect((await saleOf(TEAM, 'Modal Co')).voided_at).not.toBeNull();

    const logged = await h.command(users.rep2, '/logsale', '90 Undo Me');
    expect(replyText(logged.json)).toContain('Logged');
    const undone = await saleOf(TEAM, 'Undo Me');
    const responses = h.responsesTo(users.rep2).length;
    await h.clickButton(users.rep2, ACTIONS.undoSale, String(undone.id));
    expect(await nextResponse(users.rep2, responses)).toContain('Voided');
    expect((await saleOf(TEAM, 'Undo Me')).voided_at).not.toBeNull();
    await expectOtherUnchanged();
  });

  it('Settings change A’s workspace only; the currency check counts A’s sales only', async () => {
    const workspaceOf = (teamId: string) =>
      h.db.selectFrom('workspaces').selectAll().where('team_id', '=', teamId).executeTakeFirstOrThrow();
    await openHome(users.admin);
    const view = await openedModal(() => h.clickInHome(users.admin, ACTIONS.openSettings, 'open'));
    expectNothingOfOther(replyText(view.blocks), 'A’s settings modal');
    expect(JSON.stringify(view.blocks)).toContain('"value":"America/New_York"');
    const saved = await h.submitView(users.admin, view, fillModal(view, { [S.milestones]: '25, 50, 100' }));
    expect(saved.body).toBe('');
    expect((await workspaceOf(TEAM)).milestones).toEqual([25, 50, 100]);
    const refused = await h.submitView(users.admin, view, fillModal(view, { [S.currency]: 'GBP' }));
    expect(refused.json).toMatchObject({
      errors: { [S.currency]: expect.stringContaining(`${(await sales(TEAM)).length} sales are already counted`) },
    });
    await expectOtherUnchanged();
  });
});

describe('the digest tick', () => {
  it('posts A’s digest with A’s data only (and B’s with B’s only), each with its own token', async () => {
    // What a multi-workspace install does: each team's posts go out with that team's token.
    const config = h.tally.deps.config;
    const byTeam: Record<string, ReturnType<typeof teamClients>> = {
      [TEAM]: teamClients(BOT_TOKEN, config, h.tally.deps.logger),
      [OTHER]: teamClients(OTHER_TOKEN, config, h.tally.deps.logger),
    };
    const slack: SlackClients = { forTeam: async (teamId) => byTeam[teamId] };
    const result = await h.digestTick(new Date('2026-11-30T14:00:00Z'), { slack });
    expect(result).toMatchObject({ posted: 2, failed: 0 });

    const digestOf = (channel: string) => {
      const posts = h.slack
        .messages(channel)
        .filter((m) => (m.metadata as { event_type?: string } | undefined)?.event_type === 'tally_digest');
      expect(posts, channel).toHaveLength(1);
      return replyText(posts[0]!.blocks);
    };
    const acme = digestOf(CHANNEL);
    console.log(`Team A's digest:\n${acme}`);
    expectNothingOfOther(acme, 'A’s digest');
    const week = await h.db
      .selectFrom('sales')
      .select((eb) => [eb.fn.sum<bigint>('amount_minor').as('total'), eb.fn.countAll<bigint>().as('deals')])
      .where('team_id', '=', TEAM)
      .where('voided_at', 'is', null)
      .where('closed_on', '>=', '2026-11-23')
      .where('closed_on', '<', '2026-11-30')
      .executeTakeFirstOrThrow();
    expect(acme).toContain(`*Last week:* ${formatMoney(BigInt(week.total), 'USD')} from ${week.deals} deals`);
    // B recorded a 100% milestone for the rep with A's user id: A's digest must not say so.
    expect(acme).not.toContain('Milestones last week');
    expect(acme).not.toContain('reached 100%');

    const zeta = digestOf(OTHER_CHANNEL);
    // B's digest does see B's sales and B's milestone: their absence from A's is not an accident.
    expect(zeta).toContain('€77,777.00');
    expect(zeta).toContain(`<@${users.rep.id}> reached 100% of their month target`);
    expect(zeta).not.toMatch(/Acme|Globex|Initech|\$/);
    const chats = h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL || c.args.channel === OTHER_CHANNEL);
    expect(chats.every((c) => c.token === (c.args.channel === CHANNEL ? BOT_TOKEN : OTHER_TOKEN))).toBe(true);
    // Only B's own digest run was added to B's rows.
    const after = await rowsOf(OTHER);
    expect({ ...after, digest_runs: [] }).toEqual({ ...otherBefore, digest_runs: [] });
    expect(after.digest_runs).toHaveLength(1);
    // B's digest run is B's own doing: the tests after this one compare against it.
    otherBefore = after;
  });
});

// Slack only lets people mention members of their own workspace, but a command's text and a
// modal's state can name any user id (Slack Connect channels, a crafted payload). Tally stores
// the sale, target or role for that id in A without asking Slack who it is.
describe('team A naming a user of team B', () => {
  // BUG isolation-1: a manager can log a sale for a user id that is not a member of the
  // workspace (checkSale only checks the actor's role, never that the rep is a member).
  it('/logsale text and the Log a sale modal refuse @rep who is a member of B, storing nothing', async () => {
    const before = (await sales(TEAM)).length;
    const text = replyText((await h.command(users.manager, '/logsale', `400 Crossover ${mention(other.rep)}`)).json);
    expect(text).not.toContain('Logged');
    expect(text).toMatch(/workspace/i);
    const view = await openedModal(() => h.command(users.manager, '/logsale', ''));
    const reply = await h.submitView(
      users.manager,
      view,
      craftChoice(fillModal(view, { [L.amount]: '400', [L.customer]: 'Crossover' }), L.rep, other.rep.id),
    );
    expect(reply.json).toMatchObject({ response_action: 'errors' });
    expect(await sales(TEAM)).toHaveLength(before);
    await expectOtherUnchanged();
  });

  // BUG isolation-2: the same for targets, sales team membership and the manager role.
  it('a target, a team membership and the manager role for a member of B are refused', async () => {
    const view = await openedModal(() => h.command(users.manager, '/target', ''));
    const target = await h.submitView(users.manager, view, fillModal(view, { [T.rep]: other.rep.id, [T.amount]: '5k' }));
    expect(target.json).toMatchObject({ response_action: 'errors' });
    expect(replyText((await h.command(users.manager, '/tally', `teams east add ${mention(other.rep)}`)).json)).not.toContain('Added');
    expect(replyText((await h.command(users.admin, '/tally', `managers add ${mention(other.rep)}`)).json)).not.toContain(
      'can now set targets',
    );
    const stored = await h.db
      .selectFrom('targets')
      .select('id')
      .where('team_id', '=', TEAM)
      .where('subject_id', '=', other.rep.id)
      .execute();
    const member = await h.db
      .selectFrom('sales_team_members')
      .select('user_id')
      .where('team_id', '=', TEAM)
      .where('user_id', '=', other.rep.id)
      .execute();
    const role = await h.db.selectFrom('members').select('role').where('team_id', '=', TEAM).where('user_id', '=', other.rep.id).execute();
    expect({ stored, member, role }).toEqual({ stored: [], member: [], role: [] });
    await expectOtherUnchanged();
  });
});
