// A void or an edit takes back the celebrations it makes untrue: the message in the team
// channel is updated in place (chat.update), the digest no longer lists the milestone, and a
// milestone crossed again is celebrated again. Also when voids and sales race.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, LOG_SALE_FIELDS as L, TARGET_FIELDS as T, VOID_FIELDS as V } from '../../src/slack/ids.js';
import { fillModal } from '../support/modal-fill.js';
import { Harness, replyText, users, type TestUser } from '../support/harness.js';

let h: Harness;
const EAST = 'C0EAST';
const mention = (u: TestUser) => `<@${u.id}|${u.name}>`;
const NOV = 'Month 2026-11 (Nov 1 – Nov 30)';

async function openedModal(act: () => Promise<unknown>) {
  const before = h.slack.callsTo('views.open').length;
  await act();
  await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
  return h.slack.lastModal()!;
}

/** Logs a sale for rita and returns its id; waits for the celebration a crossing posts. */
async function logForRita(text: string) {
  await h.command(users.rep, '/logsale', text);
  const sale = await h.db
    .selectFrom('sales')
    .select('id')
    .where('rep_id', '=', users.rep.id)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return sale.id;
}

const eastMessages = () => h.slack.messages(EAST);
const celebrationCount = () => eastMessages().filter((m) => m.text.includes('just reached')).length;
const waitForCelebrations = (count: number) => h.slack.waitForCall('chat.postMessage', () => celebrationCount() >= count);
const updatesSoFar = () => h.slack.callsTo('chat.update').length;
const waitForUpdates = (count: number) => h.slack.waitForCall('chat.update', () => updatesSoFar() >= count);
const recorded = async () =>
  (
    await h.db
      .selectFrom('celebrations')
      .select(['period_kind', 'milestone'])
      .where('rep_id', '=', users.rep.id)
      .orderBy('milestone')
      .execute()
  ).map((r) => `${r.period_kind} ${r.milestone}`);
/** Celebrating and settling run after the reply; when they change nothing there is no call to wait for. */
const backgroundDone = () => new Promise((resolve) => setTimeout(resolve, 300));

beforeAll(async () => {
  h = await Harness.start({ now: new Date('2026-11-26T15:00:00Z') });
  h.slack.addChannel({ id: EAST, name: 'team-east', team_id: users.rep.team, members: [users.rep.id, users.manager.id] });
  await h.command(users.admin, '/tally', `managers add ${mention(users.manager)}`);
  await h.command(users.manager, '/tally', `teams add east <#${EAST}|team-east>`);
  await h.command(users.manager, '/tally', `teams east add ${mention(users.rep)}`);
  const view = await openedModal(() => h.command(users.manager, '/target', ''));
  await h.submitView(users.manager, view, fillModal(view, { [T.rep]: users.rep.id, [T.amount]: '80k', [T.first]: '2026-11-01' }));
  // 89.6% of $80,000: past 50%, short of 100%.
  await logForRita('71680 Initech 2026-11-02');
  await waitForCelebrations(1);
});
afterAll(() => h.stop());

describe('taking back a celebration', () => {
  it('Undo updates the 150% celebration in place, and the digest no longer lists it', async () => {
    const saleId = await logForRita('120000 Oops Co');
    await waitForCelebrations(2);
    const rocket = eastMessages().find((m) => m.text.includes('just reached 150%'))!;
    expect(rocket.text).toBe(
      `:rocket: <@${users.rep.id}> just reached 150% of their month revenue target: $191,680.00 of $80,000.00 for ${NOV}.`,
    );
    expect(await recorded()).toEqual(['month 50', 'month 100', 'month 150']);

    await h.clickButton(users.rep, ACTIONS.undoSale, String(saleId));
    await waitForUpdates(1);
    const update = h.slack.callsTo('chat.update')[0]!;
    expect(update.args).toMatchObject({ channel: EAST, ts: rocket.ts });
    const after = eastMessages().find((m) => m.ts === rocket.ts)!;
    expect(after.edited).toBeTruthy();
    expect(after.text).toBe(`Withdrawn: <@${users.rep.id}> is no longer at 150% of their month target for ${NOV}.`);
    expect(replyText(after.blocks)).toBe(
      `~:rocket: <@${users.rep.id}> reached 150% of their month revenue target for ${NOV}~\n` +
        `_Withdrawn: a sale was voided or changed, and <@${users.rep.id}> is at 89.6% ($71,680.00 of $80,000.00)._`,
    );
    expect(await recorded()).toEqual(['month 50']);
    const posts = await h.db.selectFrom('celebration_posts').selectAll().where('message_ts', '=', rocket.ts).execute();
    expect(posts.map((p) => p.withdrawn_at?.toISOString())).toEqual(['2026-11-26T15:00:00.000Z']);

    // The Monday digest looks back at Nov 23–29: rita's 50% stands, the 150% is gone.
    h.now = new Date('2026-11-30T15:00:00Z');
    const preview = replyText((await h.command(users.manager, '/tally', 'digest preview')).json);
    h.now = new Date('2026-11-26T15:00:00Z');
    expect(preview).toContain(`*Milestones last week*\n:tada: <@${users.rep.id}> reached 50% of their month target`);
    expect(preview).not.toContain('reached 150%');
    expect(preview).not.toContain('reached 100%');
  });

  it('celebrates a milestone crossed again, with a new message', async () => {
    const before = celebrationCount();
    await logForRita('60000 Second Co');
    await waitForCelebrations(before + 1);
    const latest = eastMessages()
      .filter((m) => m.text.includes('just reached'))
      .at(-1)!;
    expect(latest.text).toBe(
      `:rocket: <@${users.rep.id}> just reached 150% of their month revenue target: $131,680.00 of $80,000.00 for ${NOV}.`,
    );
    expect(await recorded()).toEqual(['month 50', 'month 100', 'month 150']);
  });

  it('an Edit that lowers the amount takes back 150% and keeps 100%; a Void from App Home takes back 100%', async () => {
    const second = await h.db.selectFrom('sales').select('id').where('customer', '=', 'Second Co').executeTakeFirstOrThrow();
    const message = eastMessages()
      .filter((m) => m.text.includes('just reached 150%'))
      .at(-1)!;
    const updates = updatesSoFar();
    await h.openHome(users.rep);
    await h.slack.waitForCall('views.publish', (c) => c.args.user_id === users.rep.id);
    const edit = await openedModal(() => h.chooseInHome(users.rep, ACTIONS.saleMenu, `edit:${second.id}`));
    expect((await h.submitView(users.rep, edit, fillModal(edit, { [L.amount]: '10,000' }))).body).toBe('');
    await waitForUpdates(updates + 1);
    const edited = eastMessages().find((m) => m.ts === message.ts)!;
    expect(replyText(edited.blocks)).toContain(`is at 102.1% ($81,680.00 of $80,000.00)`);
    expect(await recorded()).toEqual(['month 50', 'month 100']);

    const voidForm = await openedModal(() => h.chooseInHome(users.rep, ACTIONS.saleMenu, `void:${second.id}`));
    expect((await h.submitView(users.rep, voidForm, fillModal(voidForm, { [V.reason]: 'entered twice' }))).body).toBe('');
    await h.slack.waitForCall('views.publish', () => true);
    await backgroundDone();
    expect(await recorded()).toEqual(['month 50']);
    // The 100% was never announced on its own (the 150% message named it): nothing else to update.
    expect(updatesSoFar()).toBe(updates + 1);
  });

  it('an Edit that moves the sale out of the month takes back its celebration', async () => {
    const before = celebrationCount();
    const saleId = await logForRita('40000 Late Co');
    await waitForCelebrations(before + 1);
    const message = eastMessages()
      .filter((m) => m.text.includes('just reached 100%'))
      .at(-1)!;
    expect(message.text).toBe(
      `:tada: <@${users.rep.id}> just reached 100% of their month revenue target: $111,680.00 of $80,000.00 for ${NOV}.`,
    );
    const updates = updatesSoFar();
    const edit = await openedModal(() => h.chooseInHome(users.rep, ACTIONS.saleMenu, `edit:${saleId}`));
    expect((await h.submitView(users.rep, edit, fillModal(edit, { [L.closedOn]: '2026-10-30' }))).body).toBe('');
    await waitForUpdates(updates + 1);
    expect(replyText(eastMessages().find((m) => m.ts === message.ts)!.blocks)).toContain('is at 89.6% ($71,680.00 of $80,000.00)');
    expect(await recorded()).toEqual(['month 50']);
    // October had no target: nothing there to celebrate or take back.
    expect(await h.db.selectFrom('celebrations').select('period_start').where('period_start', '<', '2026-11-01').execute()).toEqual([]);
  });
});

describe('races', () => {
  it('two voids of the same sale take its celebration back once', async () => {
    const before = celebrationCount();
    const saleId = await logForRita('20000 Twice Co');
    await waitForCelebrations(before + 1);
    const message = eastMessages()
      .filter((m) => m.text.includes('just reached 100%'))
      .at(-1)!;
    const updates = updatesSoFar();
    await Promise.all([
      h.clickButton(users.rep, ACTIONS.undoSale, String(saleId)),
      h.clickButton(users.admin, ACTIONS.undoSale, String(saleId)),
    ]);
    await waitForUpdates(updates + 1);
    await backgroundDone();
    expect(
      h.slack
        .callsTo('chat.update')
        .slice(updates)
        .map((c) => c.args.ts),
    ).toEqual([message.ts]);
    expect(await recorded()).toEqual(['month 50']);
  });

  it('a void racing a new sale ends with the celebration standing exactly when the milestone is reached', async () => {
    const before = celebrationCount();
    const first = await logForRita('120000 First Race Co');
    await waitForCelebrations(before + 1);
    // Void the first while a second of the same size comes in: rita ends at 239.6%, still past 150%.
    await Promise.all([
      h.clickButton(users.rep, ACTIONS.undoSale, String(first)),
      h.command(users.rep, '/logsale', '120000 Second Race Co'),
    ]);
    await backgroundDone();
    expect(await recorded()).toEqual(['month 50', 'month 100', 'month 150']);
    // Whichever ran last saw both: exactly one message in #team-east still claims 150%, and its post is kept.
    const standing = eastMessages().filter((m) => m.text.startsWith(':rocket:') && m.text.includes('just reached 150%'));
    const live = await h.db.selectFrom('celebration_posts').select('message_ts').where('withdrawn_at', 'is', null).execute();
    const liveRockets = standing.filter((m) => live.some((p) => p.message_ts === m.ts));
    expect(liveRockets).toHaveLength(1);
    expect(standing.length - liveRockets.length).toBe(0);
  });
});
