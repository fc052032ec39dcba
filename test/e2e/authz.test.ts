// Who may act where, end to end in OAuth mode with two installed workspaces: every handler acts
// on the workspace Bolt authorised (never a workspace id read from the payload), listeners that
// show or change something check the person's role themselves, and a replayed request id tells
// nobody but its first sender anything.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../slack-standin/fake-slack.js';
import {
  blockActionsPayload,
  eventBody,
  interactionBody,
  slashCommandBody,
  viewSubmissionPayload,
  type OpenedView,
  type ViewStateValues,
} from '../../slack-standin/slack-signer.js';
import { REPLAYED_BY_SOMEONE_ELSE } from '../../src/services/sales.js';
import { IMPORT_OF_SOMEONE_ELSE } from '../../src/services/imports.js';
import { OTHER_WORKSPACE } from '../../src/slack/authorised-workspace.js';
import { stripMarkdown } from '../../src/slack/forms.js';
import {
  ACTIONS,
  IMPORT_FIELDS,
  LOG_SALE_FIELDS as F,
  SETTINGS_FIELDS,
  TARGET_FIELDS as T,
  VIEWS,
  VOID_FIELDS,
} from '../../src/slack/ids.js';
import { CHANNEL, Harness, replyText, TEAM, users, type TestUser } from '../support/harness.js';
import { fillModal } from '../support/modal-fill.js';

const OAUTH = { SLACK_CLIENT_ID: '1234.5678', SLACK_CLIENT_SECRET: 'client-secret-9f8e', SLACK_STATE_SECRET: 'state-secret-1a2b' };
const BETA = 'T0BETA';
const BETA_CHANNEL = 'C0BETA';
const beta = {
  admin: { id: 'U0BADMIN', team: BETA, name: 'bo' },
  rep: { id: 'U0BREP', team: BETA, name: 'bea' },
} satisfies Record<string, TestUser>;
const FORM = 'application/x-www-form-urlencoded';

let h: Harness;

beforeAll(async () => {
  h = await Harness.start({ env: { ...OAUTH, SLACK_BOT_TOKEN: '', ADMIN_USER_IDS: users.manager.id } });
  h.slack.addUser({ id: beta.admin.id, team_id: BETA, name: beta.admin.name, is_admin: true });
  h.slack.addUser({ id: beta.rep.id, team_id: BETA, name: beta.rep.name });
  h.slack.addChannel({ id: BETA_CHANNEL, name: 'beta-sales', team_id: BETA, members: [beta.admin.id, beta.rep.id] });
  await install('code-acme', TEAM, 'xoxb-oauth-acme-7c1d');
  await install('code-beta', BETA, 'xoxb-oauth-beta-3e9a');
});
afterAll(() => h.stop());
beforeEach(async () => {
  await h.db.deleteFrom('audit_log').execute();
  await h.db.deleteFrom('sales').execute();
  await h.db.deleteFrom('targets').execute();
  await h.db.deleteFrom('imports').execute();
  h.slack.reset();
});

async function install(code: string, team: string, token: string) {
  const start = await fetch(`${h.baseUrl}/slack/install`, { redirect: 'manual' });
  const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  h.slack.addOAuthCode(code, {
    team_id: team,
    token,
    bot_user_id: 'U0TALLYBOT',
    client_id: OAUTH.SLACK_CLIENT_ID,
    client_secret: OAUTH.SLACK_CLIENT_SECRET,
  });
  const done = await fetch(`${h.baseUrl}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  expect(done.status).toBe(200);
}

const allSales = () => h.db.selectFrom('sales').selectAll().orderBy('id').execute();
const settingsOf = (team: string) =>
  h.db
    .selectFrom('workspaces')
    .select(['timezone', 'currency', 'fiscal_year_start_month', 'locked_through'])
    .where('team_id', '=', team)
    .executeTakeFirst();

async function waitFor<T>(what: string, find: () => T | undefined): Promise<T> {
  for (let i = 0; i < 250; i++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`waited in vain for ${what}`);
}

const dmsTo = (user: TestUser): RecordedCall[] => h.slack.callsTo('chat.postMessage').filter((call) => call.args.channel === user.id);

/** Runs a command that opens a modal and returns the modal Slack shows. */
async function openedModal(user: TestUser, command: string, text: string, channel = CHANNEL): Promise<OpenedView & { blocks: unknown[] }> {
  const opened = h.slack.callsTo('views.open').length;
  expect((await h.command(user, command, text, { channel })).status).toBe(200);
  const call = await waitFor(`views.open after ${command}`, () => h.slack.callsTo('views.open')[opened]);
  expect(call.error).toBeUndefined();
  return h.slack.lastModal() as unknown as OpenedView & { blocks: unknown[] };
}

const saleValues = (amount: string, customer: string): ViewStateValues => ({
  [F.amount]: { [F.amount]: { type: 'plain_text_input', value: amount } },
  [F.customer]: { [F.customer]: { type: 'plain_text_input', value: customer } },
});

/**
 * A submission Bolt authorises for B (team.id and view.app_installed_team_id are B) whose view
 * says it belongs to A, as a modal opened through a Slack Connect channel can.
 */
function submitNamingAcme(user: TestUser, view: OpenedView, values: ViewStateValues) {
  const payload = viewSubmissionPayload({ team_id: BETA, user_id: user.id, view: { ...view, team_id: TEAM }, values });
  payload.view.app_installed_team_id = BETA;
  return h.post(interactionBody(payload), FORM);
}

const refusedOn = (field: string) => ({ response_action: 'errors', errors: { [field]: stripMarkdown(OTHER_WORKSPACE) } });

describe('every handler acts on the workspace Bolt authorised', () => {
  it('a command acts on its own workspace: B’s /logsale lands in B and never on A’s leaderboard', async () => {
    const reply = await h.command(beta.rep, '/logsale', '66 BetaCo', { channel: BETA_CHANNEL });
    expect(replyText(reply.json)).toContain('$66.00');
    expect((await allSales()).map((s) => [s.team_id, s.rep_id, s.amount_minor])).toEqual([[BETA, beta.rep.id, 6600n]]);
    const board = replyText((await h.command(users.rep, '/leaderboard', '')).json);
    expect(board).not.toContain(beta.rep.id);
    expect(board).not.toContain('$66.00');
  });

  it('a command naming an enterprise its workspace was not installed under gets 401 and stores nothing', async () => {
    const body = slashCommandBody({
      command: '/logsale',
      text: '66 BetaCo',
      team_id: BETA,
      user_id: beta.rep.id,
      channel_id: BETA_CHANNEL,
      trigger_id: h.slack.newTriggerId(),
      response_url: h.slack.responseUrl(BETA_CHANNEL, beta.rep.id),
    });
    const reply = await h.post(`${body}&enterprise_id=E0ACME`, FORM);
    expect(reply.status).toBe(401);
    expect(await allSales()).toHaveLength(0);
  });

  it('Log a sale authorised for B but naming A is refused under the amount; nothing lands in A or B', async () => {
    const view = await openedModal(beta.rep, '/logsale', '', BETA_CHANNEL);
    const reply = await submitNamingAcme(beta.rep, view, saleValues('66', 'BetaCo'));
    expect(reply.json).toEqual(refusedOn(F.amount));
    expect(await allSales()).toHaveLength(0);
    expect(replyText((await h.command(users.rep, '/leaderboard', '')).json)).not.toContain(beta.rep.id);
    // The same modal, as Slack sends it for B, logs into B.
    expect((await h.submitView(beta.rep, view, saleValues('66', 'BetaCo'))).body).toBe('');
    expect((await allSales()).map((s) => [s.team_id, s.rep_id, s.amount_minor])).toEqual([[BETA, beta.rep.id, 6600n]]);
  });

  it('Set target authorised for B but naming A is refused under the amount; no target anywhere', async () => {
    const view = await openedModal(beta.admin, '/target', '', BETA_CHANNEL);
    const values = fillModal(view, { [T.subject]: 'A rep', [T.rep]: users.rep.id, [T.amount]: '50k' });
    const reply = await submitNamingAcme(beta.admin, view, values);
    expect(reply.json).toEqual(refusedOn(T.amount));
    expect(await h.db.selectFrom('targets').selectAll().execute()).toHaveLength(0);
  });

  it('Edit sale, Void sale and Settings authorised for B but naming A are refused; A’s sale and settings are untouched', async () => {
    await h.command(users.rep, '/logsale', '500 AcmeDeal');
    const [sale] = await allSales();
    const settings = await settingsOf(TEAM);
    const metadata = JSON.stringify({ saleId: String(sale!.id) });

    const edit = await submitNamingAcme(
      beta.admin,
      { id: 'V0CRAFTEDIT', callback_id: VIEWS.editSale, private_metadata: metadata },
      saleValues('1', 'Hijacked'),
    );
    expect(edit.json).toEqual(refusedOn(F.amount));
    const voided = await submitNamingAcme(
      beta.admin,
      { id: 'V0CRAFTVOID', callback_id: VIEWS.voidSale, private_metadata: metadata },
      { [VOID_FIELDS.reason]: { [VOID_FIELDS.reason]: { type: 'plain_text_input', value: 'gone' } } },
    );
    expect(voided.json).toEqual(refusedOn(VOID_FIELDS.reason));
    const tz = { [SETTINGS_FIELDS.timezone]: { [SETTINGS_FIELDS.timezone]: { type: 'plain_text_input', value: 'Asia/Tokyo' } } };
    const changed = await submitNamingAcme(
      beta.admin,
      { id: 'V0CRAFTSETTINGS', callback_id: VIEWS.settings, private_metadata: '' },
      tz as ViewStateValues,
    );
    expect(changed.json).toEqual(refusedOn(SETTINGS_FIELDS.timezone));

    expect(await allSales()).toEqual([sale]);
    expect(await settingsOf(TEAM)).toEqual(settings);
    expect(await h.db.selectFrom('audit_log').select('action').where('action', '!=', 'sale.logged').execute()).toEqual([]);
  });

  it('an import file authorised for B but naming A is refused under the file; no file is read, nothing stored', async () => {
    const view = await openedModal(beta.admin, '/tally', 'import', BETA_CHANNEL);
    const file = h.slack.addUserFile({
      team_id: BETA,
      user: beta.admin.id,
      filename: 'sales.csv',
      content: `Date,Rep,Amount\n2026-11-02,${users.rep.id},500\n`,
    });
    const reply = await submitNamingAcme(beta.admin, view, {
      [IMPORT_FIELDS.file]: { [IMPORT_FIELDS.file]: { type: 'file_input', files: [file] } },
    });
    expect(reply.json).toEqual(refusedOn(IMPORT_FIELDS.file));
    expect(await h.db.selectFrom('imports').selectAll().execute()).toHaveLength(0);
    expect(h.slack.callsTo('files.info')).toHaveLength(0);
  });

  it('a button in a view naming A, authorised for B, is refused in B’s DM and opens nothing', async () => {
    await h.command(users.rep, '/logsale', '500 AcmeDeal');
    const [sale] = await allSales();
    const payload = blockActionsPayload({
      team_id: BETA,
      user_id: beta.admin.id,
      trigger_id: h.slack.newTriggerId(),
      view: { id: 'V0CRAFTHOME', team_id: TEAM, type: 'home' },
      actions: [{ type: 'button', action_id: ACTIONS.saleMenu, block_id: 'home', value: `void:${sale!.id}` }],
    });
    Object.assign(payload.actions[0]!, {
      type: 'overflow',
      selected_option: { text: { type: 'plain_text', text: 'Void' }, value: `void:${sale!.id}` },
    });
    expect((await h.post(interactionBody(payload), FORM)).status).toBe(200);
    const dm = await waitFor('the refusal DM', () => dmsTo(beta.admin)[0]);
    expect(replyText(dm.args)).toContain('different Slack workspace');
    expect(replyText(dm.args)).not.toContain('AcmeDeal');
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('an App Home event delivered for B but naming A publishes nothing', async () => {
    const body = JSON.parse(
      eventBody({
        team_id: BETA,
        bot_user_id: 'U0TALLYBOT',
        event: { type: 'app_home_opened', user: beta.admin.id, channel: `D${beta.admin.id}`, tab: 'home', event_ts: '1795726000.000100' },
      }),
    );
    body.team_id = TEAM;
    expect((await h.post(JSON.stringify(body), 'application/json')).status).toBe(200);
    await waitFor('the ignored-event log line', () =>
      h.logs.find((line) => line.includes('App Home event naming another workspace ignored')),
    );
    expect(h.slack.callsTo('views.publish')).toHaveLength(0);
  });

  it('an app_uninstalled delivered for B but naming A forgets neither installation', async () => {
    const body = JSON.parse(
      eventBody({ team_id: BETA, bot_user_id: 'U0TALLYBOT', event: { type: 'app_uninstalled', event_ts: '1795726000.000200' } }),
    );
    body.team_id = TEAM;
    expect((await h.post(JSON.stringify(body), 'application/json')).status).toBe(200);
    await waitFor('the ignored-event log line', () =>
      h.logs.find((line) => line.includes('uninstall event naming another workspace ignored')),
    );
    expect((await h.db.selectFrom('slack_installations').select('team_id').orderBy('team_id').execute()).map((row) => row.team_id)).toEqual(
      [TEAM, BETA].sort(),
    );
    expect((await h.command(beta.rep, '/logsale', '66 BetaCo', { channel: BETA_CHANNEL })).status).toBe(200);
  });
});

describe('listeners check the role themselves', () => {
  /** Sends a "who changed" pick of the Set target form, carrying `view`, as `user`. */
  async function pickSubject(user: TestUser, view: OpenedView, values: ViewStateValues) {
    const payload = blockActionsPayload({
      team_id: TEAM,
      user_id: user.id,
      view: { ...view, state: { values } } as OpenedView,
      actions: [{ type: 'users_select', action_id: ACTIONS.targetSubjectChanged, block_id: T.rep, selected_user: users.rep2.id }],
    });
    expect((await h.post(interactionBody(payload), FORM)).status).toBe(200);
    return waitFor(`the answer DM to ${user.id}`, () => dmsTo(user)[0]);
  }

  it('a Set target pick carrying a rep’s own Log a sale modal leaves it as it is and tells the rep no', async () => {
    const view = await openedModal(users.rep, '/logsale', '');
    const dm = await pickSubject(users.rep, view, {
      [T.rep]: { [ACTIONS.targetSubjectChanged]: { type: 'users_select', selected_user: users.rep2.id } },
    });
    expect(replyText(dm.args)).toContain("That choice doesn't belong to a Set target form");
    expect(h.slack.callsTo('views.update')).toHaveLength(0);
    expect(h.slack.view(view.id)?.callback_id).toBe(VIEWS.logSale);
  });

  it('a Set target pick from a rep, in a Set target form opened for a manager, shows no one’s target', async () => {
    const view = await openedModal(users.manager, '/target', '');
    const values = fillModal(view, { [T.subject]: 'A rep', [T.rep]: users.rep2.id });
    const dm = await pickSubject(users.rep, view, values);
    expect(replyText(dm.args)).toContain('Only managers and admins can set targets.');
    expect(h.slack.callsTo('views.update')).toHaveLength(0);
  });

  it('the same pick from a manager refreshes the form’s "Now:" line', async () => {
    const view = await openedModal(users.manager, '/target', '');
    const values = fillModal(view, { [T.subject]: 'A rep', [T.rep]: users.rep2.id });
    const payload = blockActionsPayload({
      team_id: TEAM,
      user_id: users.manager.id,
      view: { ...view, state: { values } } as OpenedView,
      actions: [{ type: 'users_select', action_id: ACTIONS.targetSubjectChanged, block_id: T.rep, selected_user: users.rep2.id }],
    });
    await h.post(interactionBody(payload), FORM);
    const update = await h.slack.waitForCall('views.update');
    expect(update.args.view_id).toBe(view.id);
    expect(replyText(update.args.view)).toContain(`<@${users.rep2.id}>`);
  });
});

describe('a replay answers only the person who sent the request first', () => {
  it('/logsale replaying another rep’s trigger id is refused without a word of their sale, and stores nothing', async () => {
    const triggerId = h.slack.newTriggerId();
    expect(replyText((await h.command(users.rep2, '/logsale', '500 VictimCorp', { triggerId })).json)).toContain('$500.00');

    const replay = await h.command(users.rep, '/logsale', '1 Anything', { triggerId });
    expect(replay.json).toMatchObject({ response_type: 'ephemeral', text: REPLAYED_BY_SOMEONE_ELSE });
    expect(JSON.stringify(replay.json)).not.toMatch(/VictimCorp|500|U0REP2|undo/i);
    expect((await allSales()).map((s) => [s.rep_id, s.customer, s.created_by])).toEqual([[users.rep2.id, 'VictimCorp', users.rep2.id]]);
    expect(await h.db.selectFrom('audit_log').select('actor_id').execute()).toEqual([{ actor_id: users.rep2.id }]);

    // The person who sent it still gets their confirmation again.
    expect(replyText((await h.command(users.rep2, '/logsale', '500 VictimCorp', { triggerId })).json)).toContain('Already logged');
  });

  it('a Log a sale modal submitted again by someone else is refused under the amount; one sale, theirs', async () => {
    const view = await openedModal(users.rep2, '/logsale', '');
    expect((await h.submitView(users.rep2, view, saleValues('500', 'VictimCorp'))).body).toBe('');
    const replay = await h.submitView(users.rep, view, saleValues('1', 'Anything'));
    expect(replay.json).toEqual({ response_action: 'errors', errors: { [F.amount]: stripMarkdown(REPLAYED_BY_SOMEONE_ELSE) } });
    expect((await allSales()).map((s) => [s.rep_id, s.customer])).toEqual([[users.rep2.id, 'VictimCorp']]);
  });

  it('Undo of someone else’s sale by a rep is refused without its details; the sale still counts', async () => {
    await h.command(users.rep2, '/logsale', '500 VictimCorp');
    const [sale] = await allSales();
    await h.clickButton(users.rep, ACTIONS.undoSale, String(sale!.id));
    const answer = await waitFor('the Undo answer', () => h.responsesTo(users.rep)[0]);
    expect((answer.body as { text: string }).text).toBe(
      "Only managers and admins can void someone else's sale. Ask an admin to run `/tally managers add @you`.",
    );
    expect(JSON.stringify(answer.body)).not.toMatch(/VictimCorp|500\.00/);
    expect((await allSales())[0]!.voided_at).toBeNull();
  });

  it('an import submitted again, or committed, by another manager is refused in their DM; nothing imported', async () => {
    const view = await openedModal(users.manager, '/tally', 'import');
    const content = `Date,Rep,Amount,Customer\n2026-11-02,${users.rep.id},700,VictimCorp\n`;
    const file = h.slack.addUserFile({ team_id: TEAM, user: users.manager.id, filename: 'secret.csv', content });
    const values = { [IMPORT_FIELDS.file]: { [IMPORT_FIELDS.file]: { type: 'file_input', files: [file] } } } as ViewStateValues;
    expect((await h.submitView(users.manager, view, values)).body).toBe('');
    await waitFor('the check report', () => dmsTo(users.manager)[0]);
    const [checked] = await h.db.selectFrom('imports').selectAll().execute();

    expect((await h.submitView(users.admin, view, values)).body).toBe('');
    const replayed = await waitFor('the replay answer', () => dmsTo(users.admin)[0]);
    expect(replyText(replayed.args)).toContain(IMPORT_OF_SOMEONE_ELSE);
    expect(JSON.stringify(replayed.args)).not.toMatch(/VictimCorp|700/);

    await h.clickButton(users.admin, ACTIONS.commitImport, String(checked!.id));
    const commit = await waitFor('the commit answer', () => h.responsesTo(users.admin)[0]);
    expect((commit.body as { text: string }).text).toBe(IMPORT_OF_SOMEONE_ELSE);
    expect(await h.db.selectFrom('imports').select(['id', 'status', 'created_by']).execute()).toEqual([
      { id: checked!.id, status: checked!.status, created_by: users.manager.id },
    ]);
    expect(await allSales()).toHaveLength(0);
  });
});
