// Guard rails: a likely duplicate (same rep, amount, customer and date within 10 minutes) or an
// unusually large sale (above 5x the rep's largest of the last year and their month target)
// is asked about ("Log it anyway?") instead of stored; Log it stores exactly one, Cancel none,
// only the person who asked can answer, and a manager can turn the check off in Settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, LOG_SALE_FIELDS as L, SETTINGS_FIELDS as S, TARGET_FIELDS as T } from '../../src/slack/ids.js';
import { fillModal } from '../support/modal-fill.js';
import { CHANNEL, Harness, replyText, users, type TestUser } from '../support/harness.js';

let h: Harness;
const START = new Date('2026-11-26T20:00:00Z');
const minutesAfterStart = (minutes: number) => new Date(START.getTime() + minutes * 60_000);
const mention = (u: TestUser) => `<@${u.id}|${u.name}>`;
const salesOf = (customer: string) =>
  h.db.selectFrom('sales').selectAll().where('customer', '=', customer).where('voided_at', 'is', null).orderBy('id').execute();

async function openedModal(act: () => Promise<unknown>) {
  const before = h.slack.callsTo('views.open').length;
  await act();
  await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
  return h.slack.lastModal()!;
}

/** The value of a button (Log it / Cancel) in a message. */
function buttonValue(message: unknown, actionId: string): string {
  const blocks = (message as { blocks?: Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }> }).blocks ?? [];
  const found = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId);
  if (!found?.value) throw new Error(`no ${actionId} button`);
  return found.value;
}

async function waitForResponses(user: TestUser, count: number) {
  for (let i = 0; i < 200; i++) {
    const responses = h.responsesTo(user);
    if (responses.length >= count) return responses[count - 1]!;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no response_url post number ${count} for ${user.id}`);
}

beforeAll(async () => {
  h = await Harness.start({ now: START });
  await h.command(users.admin, '/tally', `managers add ${mention(users.manager)}`);
  const view = await openedModal(() => h.command(users.manager, '/target', ''));
  await h.submitView(users.manager, view, fillModal(view, { [T.rep]: users.rep.id, [T.amount]: '36k', [T.first]: '2026-11-01' }));
});
afterAll(() => h.stop());

describe('a likely duplicate', () => {
  it('asks within 10 minutes, nothing stored; after 11 minutes it logs without asking', async () => {
    expect(replyText((await h.command(users.rep, '/logsale', '5000 Big Deal Corp')).json)).toContain(
      ':white_check_mark: Logged *$5,000.00* from *Big Deal Corp*',
    );
    const [first] = await salesOf('Big Deal Corp');

    h.now = minutesAfterStart(1);
    const asked = (await h.command(users.rep, '/logsale', '5000 Big Deal Corp')).json;
    expect((asked as { text: string }).text).toBe(
      `:raised_hand: Log it anyway? $5,000.00 from Big Deal Corp · closed 2026-11-26\n` +
        `• The same amount and customer was logged for you 1 minute ago (sale ${first!.id}).\nNothing is saved until you choose Log it.`,
    );
    expect(buttonValue(asked, ACTIONS.confirmSale)).toBe(buttonValue(asked, ACTIONS.cancelSale));
    // Case and spaces do not make another customer; a manager logging it for rita is asked too.
    expect(replyText((await h.command(users.rep, '/logsale', '5000  big deal CORP')).json)).toContain('Log it anyway?');
    const forRita = replyText((await h.command(users.manager, '/logsale', `5000 Big Deal Corp ${mention(users.rep)}`)).json);
    expect(forRita).toContain(`for <@${users.rep.id}>`);
    expect(forRita).toContain(`The same amount and customer was logged for <@${users.rep.id}> 1 minute ago`);
    expect(await salesOf('Big Deal Corp')).toHaveLength(1);
    // Another amount, close date or rep is not a duplicate.
    expect(replyText((await h.command(users.rep, '/logsale', '5001 Big Deal Corp')).json)).toContain('Logged');
    expect(replyText((await h.command(users.rep, '/logsale', '5000 Big Deal Corp 2026-11-25')).json)).toContain('Logged');
    expect(replyText((await h.command(users.rep2, '/logsale', '5000 Big Deal Corp')).json)).toContain('Logged');

    h.now = minutesAfterStart(11);
    expect(replyText((await h.command(users.rep, '/logsale', '5000 Big Deal Corp')).json)).toContain(
      ':white_check_mark: Logged *$5,000.00* from *Big Deal Corp*',
    );
    expect((await salesOf('Big Deal Corp')).map((s) => [s.rep_id, s.original_amount_minor])).toEqual([
      [users.rep.id, 500_000n],
      [users.rep.id, 500_100n],
      [users.rep.id, 500_000n],
      [users.rep2.id, 500_000n],
      [users.rep.id, 500_000n],
    ]);
  });

  it('a retried request is answered as a replay, not asked', async () => {
    h.now = minutesAfterStart(30);
    const triggerId = h.slack.newTriggerId();
    expect(replyText((await h.command(users.rep2, '/logsale', '700 Retry Co', { triggerId })).json)).toContain('Logged');
    expect(replyText((await h.command(users.rep2, '/logsale', '700 Retry Co', { triggerId })).json)).toContain('Already logged');
    expect(await salesOf('Retry Co')).toHaveLength(1);
  });
});

describe('an unusually large amount', () => {
  it('asks when above 5x the largest sale of the last year and the month target', async () => {
    h.now = minutesAfterStart(60);
    // rita: largest sale $5,001.00 (5x = $25,005.00), month target $36,000.00.
    const asked = replyText((await h.command(users.rep, '/logsale', '1.2m Mega')).json);
    expect(asked).toContain(':raised_hand: *Log it anyway?* *$1,200,000.00* from *Mega* · closed 2026-11-26');
    expect(asked).toContain(
      '• This is more than 5× your largest sale of the last year ($5,001.00) and more than your month target ($36,000.00): on its own it is 3333.3% of the target.',
    );
    expect(await salesOf('Mega')).toHaveLength(0);
    // Above 5x her largest but within her target, or above her target but within 5x: logged.
    expect(replyText((await h.command(users.rep, '/logsale', '30000 Medium Co')).json)).toContain('Logged');
    // rep2 has no target: a big first deal is not called unusual.
    expect(replyText((await h.command(users.rep2, '/logsale', '90000 Big First')).json)).toContain('Logged');
  });
});

describe('answering "Log it anyway?"', () => {
  it('Log it stores exactly one sale, also when clicked twice', async () => {
    const asked = (await h.command(users.rep, '/logsale', '1.2m Mega')).json;
    const value = buttonValue(asked, ACTIONS.confirmSale);
    const before = h.responsesTo(users.rep).length;
    await h.clickButton(users.rep, ACTIONS.confirmSale, value);
    const confirmed = await waitForResponses(users.rep, before + 1);
    expect(confirmed.body).toMatchObject({ replace_original: true });
    expect(replyText(confirmed.body)).toContain(':white_check_mark: Logged *$1,200,000.00* from *Mega* · closed 2026-11-26');
    await h.clickButton(users.rep, ACTIONS.confirmSale, value);
    expect(replyText((await waitForResponses(users.rep, before + 2)).body)).toContain('Already logged: *$1,200,000.00* from *Mega*');
    const stored = await salesOf('Mega');
    expect(stored.map((s) => [s.amount_minor, s.source, s.created_by])).toEqual([[120_000_000n, 'command', users.rep.id]]);
  });

  it('Cancel stores nothing', async () => {
    // rita's largest sale is $1,200,000.00 now: 5x is $6,000,000.00.
    const asked = (await h.command(users.rep, '/logsale', '7m Mega Two')).json;
    const before = h.responsesTo(users.rep).length;
    await h.clickButton(users.rep, ACTIONS.cancelSale, buttonValue(asked, ACTIONS.cancelSale));
    const cancelled = await waitForResponses(users.rep, before + 1);
    expect(cancelled.body).toMatchObject({ replace_original: true });
    expect(replyText(cancelled.body)).toContain(':x: Not logged: *$7,000,000.00* from *Mega Two* · closed 2026-11-26. Nothing was saved.');
    expect(await salesOf('Mega Two')).toHaveLength(0);
  });

  it('works only for the person who asked', async () => {
    const asked = (await h.command(users.rep, '/logsale', '7m Mega Three')).json;
    const value = buttonValue(asked, ACTIONS.confirmSale);
    for (const actionId of [ACTIONS.confirmSale, ACTIONS.cancelSale]) {
      const before = h.responsesTo(users.manager).length;
      await h.clickButton(users.manager, actionId, value);
      expect(((await waitForResponses(users.manager, before + 1)).body as { text: string }).text).toBe(
        `Only <@${users.rep.id}>, who asked to log this sale, can confirm or cancel it.`,
      );
    }
    expect(await salesOf('Mega Three')).toHaveLength(0);
    const crafted = h.responsesTo(users.rep).length;
    await h.clickButton(users.rep, ACTIONS.confirmSale, value.replace('"amountMinor":"700000000"', '"amountMinor":"-1"'));
    expect(replyText((await waitForResponses(users.rep, crafted + 1)).body)).toContain("That button doesn't point at a sale Tally knows.");
    expect(await salesOf('Mega Three')).toHaveLength(0);
  });

  it('the Log a sale modal closes and asks in the channel; Log it stores one', async () => {
    const form = await openedModal(() => h.command(users.rep, '/logsale', ''));
    const reply = await h.submitView(
      users.rep,
      form,
      fillModal(form, { [L.amount]: '8m', [L.customer]: 'Modal Mega', [L.note]: 'from the "big" call' }),
    );
    expect(reply.body).toBe('');
    const question = await h.slack.waitForCall('chat.postEphemeral', (c) => String(c.args.text).includes('Modal Mega'));
    expect(question.args).toMatchObject({ channel: CHANNEL, user: users.rep.id });
    expect(String(question.args.text)).toContain('Log it anyway? $8,000,000.00 from Modal Mega');
    expect(await salesOf('Modal Mega')).toHaveLength(0);
    const value = buttonValue(question.args, ACTIONS.confirmSale);
    const before = h.responsesTo(users.rep).length;
    await h.clickButton(users.rep, ACTIONS.confirmSale, value);
    await waitForResponses(users.rep, before + 1);
    await h.clickButton(users.rep, ACTIONS.confirmSale, value);
    await waitForResponses(users.rep, before + 2);
    const stored = await salesOf('Modal Mega');
    expect(stored.map((s) => [s.amount_minor, s.source, s.note])).toEqual([[800_000_000n, 'modal', 'from the "big" call']]);
  });
});

describe('turning the check off', () => {
  async function settingsModal(user: TestUser) {
    const published = h.slack.callsTo('views.publish').length;
    await h.openHome(user);
    await h.slack.waitForCall('views.publish', () =>
      h.slack
        .callsTo('views.publish')
        .slice(published)
        .some((c) => c.args.user_id === user.id),
    );
    return openedModal(() => h.clickInHome(user, ACTIONS.openSettings, 'open'));
  }

  it('a rep cannot; a manager gets the guard rails only and turns them off; then nothing is asked', async () => {
    h.now = minutesAfterStart(120);
    const before = h.responsesTo(users.rep).length;
    await h.clickInHome(users.rep, ACTIONS.openSettings, 'open');
    expect(
      replyText(
        (await h.slack.waitForCall('chat.postMessage', (c) => c.args.channel === users.rep.id && String(c.args.text).includes('settings')))
          .args,
      ),
    ).toContain('Only managers and admins can change the settings');
    expect(h.responsesTo(users.rep)).toHaveLength(before);

    const view = await settingsModal(users.manager);
    const inputs = (view.blocks as Array<{ type: string; block_id?: string }>).filter((b) => b.type === 'input').map((b) => b.block_id);
    expect(inputs).toEqual([S.guardRails]);
    // A manager's crafted submission of the admins' fields is refused.
    const adminView = await settingsModal(users.admin);
    expect((adminView.blocks as Array<{ block_id?: string }>).map((b) => b.block_id)).toContain(S.guardRails);
    const crafted = await h.submitView(users.manager, adminView, fillModal(adminView, { [S.guardRails]: [] }));
    expect(crafted.json).toMatchObject({
      response_action: 'errors',
      errors: { [S.timezone]: expect.stringContaining('Only workspace admins') },
    });
    expect((await h.db.selectFrom('workspaces').select('guard_rails_enabled').executeTakeFirstOrThrow()).guard_rails_enabled).toBe(true);

    expect((await h.submitView(users.manager, view, fillModal(view, { [S.guardRails]: [] }))).body).toBe('');
    expect((await h.db.selectFrom('workspaces').select('guard_rails_enabled').executeTakeFirstOrThrow()).guard_rails_enabled).toBe(false);
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['actor_id', 'action'])
      .where('action', '=', 'workspace.settings_changed')
      .execute();
    expect(audit).toEqual([{ actor_id: users.manager.id, action: 'workspace.settings_changed' }]);

    expect(replyText((await h.command(users.rep, '/logsale', '8000 Twice Inc')).json)).toContain('Logged');
    expect(replyText((await h.command(users.rep, '/logsale', '8000 Twice Inc')).json)).toContain('Logged');
    expect(replyText((await h.command(users.rep, '/logsale', '900m Huge Inc')).json)).toContain('Logged');
    expect(await salesOf('Twice Inc')).toHaveLength(2);
    expect(await salesOf('Huge Inc')).toHaveLength(1);

    // Back on: asked again.
    const again = await settingsModal(users.manager);
    expect(
      (await h.submitView(users.manager, again, fillModal(again, { [S.guardRails]: ['Ask "Log it anyway?" before a likely mistake'] })))
        .body,
    ).toBe('');
    expect(replyText((await h.command(users.rep, '/logsale', '8000 Twice Inc')).json)).toContain('Log it anyway?');
  });
});
