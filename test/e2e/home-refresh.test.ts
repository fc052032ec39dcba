// When App Home is published: whenever the person opens it, and after a change made from it (a
// form a Home button opened). A sale logged anywhere else publishes nothing: the page is built
// when the person next opens it. A page built before a newer one was published is dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, LOG_SALE_FIELDS as L, TARGET_FIELDS as T } from '../../src/slack/ids.js';
import { fillModal } from '../support/modal-fill.js';
import { DEFAULT_NOW, Harness, replyText, users, waitFor, type TestUser } from '../support/harness.js';

let h: Harness;
const rita = users.rep;

const publishesFor = (user: TestUser) => h.slack.callsTo('views.publish').filter((c) => c.args.user_id === user.id).length;
const homeText = (user: TestUser) => replyText(h.slack.homeView(user.id)?.blocks ?? []);
/** Resolves once no App Home page is waiting, being built or being published. */
const refreshesSettled = () => waitFor(() => (h.tally.deps.homeRefreshes.busyPeople() === 0 ? true : undefined));

async function openHome(user: TestUser) {
  const before = publishesFor(user);
  expect((await h.openHome(user)).status).toBe(200);
  await waitFor(() => (publishesFor(user) > before ? true : undefined));
  return homeText(user);
}

async function openedModal(act: () => Promise<unknown>) {
  const before = h.slack.callsTo('views.open').length;
  await act();
  await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
  return h.slack.lastModal()!;
}

/** The value of a button (Log it / Cancel) in a message. */
function buttonValue(message: unknown, actionId: string): string {
  const blocks = (message as { blocks?: Array<{ elements?: Array<{ action_id?: string; value?: string }> }> }).blocks ?? [];
  const found = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId);
  if (!found?.value) throw new Error(`no ${actionId} button`);
  return found.value;
}

beforeAll(async () => {
  h = await Harness.start({ gate: true });
});
afterAll(() => h.stop());

describe('a sale logged outside App Home publishes no page', () => {
  it('/logsale in a channel: no views.publish; opening Home shows the sale', async () => {
    await openHome(rita);
    const before = publishesFor(rita);
    expect(replyText((await h.command(rita, '/logsale', '1200 Channel Co')).json)).toContain('Logged');
    await refreshesSettled();
    expect(publishesFor(rita)).toBe(before);
    expect(homeText(rita)).not.toContain('Channel Co');
    expect(await openHome(rita)).toContain('*$1,200.00* · 2026-11-26 · Channel Co');
    expect(publishesFor(rita)).toBe(before + 1);
  });

  it('the Log a sale form opened with /logsale in a channel: no views.publish', async () => {
    const before = publishesFor(rita);
    const view = await openedModal(() => h.command(rita, '/logsale', ''));
    expect((await h.submitView(rita, view, fillModal(view, { [L.amount]: '300', [L.customer]: 'Form Co' }))).body).toBe('');
    expect(await h.db.selectFrom('sales').select('id').where('customer', '=', 'Form Co').execute()).toHaveLength(1);
    await refreshesSettled();
    expect(publishesFor(rita)).toBe(before);
  });

  it('"Log it anyway?" answered in the channel: no views.publish', async () => {
    expect(replyText((await h.command(rita, '/logsale', '450 Twice Co')).json)).toContain('Logged');
    const asked = (await h.command(rita, '/logsale', '450 Twice Co')).json;
    expect(replyText(asked)).toContain('Log it anyway?');
    const before = publishesFor(rita);
    const answered = h.responsesTo(rita).length;
    expect((await h.clickButton(rita, ACTIONS.confirmSale, buttonValue(asked, ACTIONS.confirmSale))).status).toBe(200);
    // The answer replaces the question once the sale is stored.
    await waitFor(() =>
      h
        .responsesTo(rita)
        .slice(answered)
        .find((r) => replyText(r.body).includes('Logged')),
    );
    expect(await h.db.selectFrom('sales').select('id').where('customer', '=', 'Twice Co').execute()).toHaveLength(2);
    await refreshesSettled();
    expect(publishesFor(rita)).toBe(before);
  });
});

describe('a sale logged from App Home', () => {
  it("Home's Log a sale form publishes the page again, showing the sale", async () => {
    await openHome(rita);
    const view = await openedModal(() => h.clickInHome(rita, ACTIONS.openLogSale, 'self'));
    expect(JSON.parse(view.private_metadata ?? '{}')).toMatchObject({ from: 'home' });
    const before = publishesFor(rita);
    expect((await h.submitView(rita, view, fillModal(view, { [L.amount]: '275', [L.customer]: 'Home Co' }))).body).toBe('');
    await waitFor(() => (publishesFor(rita) > before ? true : undefined));
    await refreshesSettled();
    expect(homeText(rita)).toContain('*$275.00* · 2026-11-26 · Home Co');
  });
});

describe('a target set from App Home', () => {
  it('/target in a channel publishes nothing; Set target from Home publishes the page again', async () => {
    const admin = users.admin;
    await openHome(admin);
    const before = publishesFor(admin);
    const fromChannel = await openedModal(() => h.command(admin, '/target', ''));
    const answers = { [T.rep]: rita.id, [T.amount]: '10k', [T.first]: '2026-11-01' };
    expect((await h.submitView(admin, fromChannel, fillModal(fromChannel, answers))).body).toBe('');
    await refreshesSettled();
    expect(publishesFor(admin)).toBe(before);
    expect(homeText(admin)).toContain(':warning: *No targets*');

    const fromHome = await openedModal(() => h.clickInHome(admin, ACTIONS.openSetTarget, 'open'));
    expect((await h.submitView(admin, fromHome, fillModal(fromHome, { ...answers, [T.amount]: '12k' }))).body).toBe('');
    await waitFor(() => (publishesFor(admin) > before ? true : undefined));
    await refreshesSettled();
    // Both targets: the one set in the channel shows now, with the one set from Home.
    expect(homeText(admin)).toContain('*Targets* 2 targets set');
  });
});

describe('opening App Home', () => {
  it('publishes a page each time, also when nothing changed', async () => {
    const before = publishesFor(rita);
    await openHome(rita);
    await openHome(rita);
    expect(publishesFor(rita)).toBe(before + 2);
  });

  it('a page whose build started before a newer page was published is dropped, never published over it', async () => {
    await openHome(rita);
    // Past the role cache: the next page asks Slack for rita's role first, and the gate holds that call.
    h.now = new Date(DEFAULT_NOW.getTime() + 10 * 60_000);
    try {
      const held = h.gate!.holdNext('users.info');
      expect((await h.openHome(rita)).status).toBe(200);
      await held.arrived;
      // Meanwhile: a sale, and rita opens Home again; this newer page is built and published.
      expect(replyText((await h.command(rita, '/logsale', '640 Newer Co')).json)).toContain('Logged');
      const newer = await openHome(rita);
      expect(newer).toContain('Newer Co');
      const published = publishesFor(rita);
      const page = h.slack.homeView(rita.id)!;

      held.release();
      await refreshesSettled();
      expect(publishesFor(rita)).toBe(published);
      expect(h.slack.homeView(rita.id)).toEqual(page);
    } finally {
      h.now = DEFAULT_NOW;
    }
  });
});
