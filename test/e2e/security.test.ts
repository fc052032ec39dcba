// docs/rules.md#security: every request is signature-checked with a 5-minute replay window; a bad one gets 401
// and changes nothing. Checked against what the database holds, not just the status code.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.js';
import { CHANNEL, Harness, SIGNING_SECRET, TEAM, users } from '../support/harness.js';
import { blockActionsPayload, interactionBody, signRequest, slashCommandBody } from '../../slack-standin/slack-signer.js';

let h: Harness;

beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h.stop());
beforeEach(async () => {
  await h.db.deleteFrom('workspaces').execute(); // cascades to sales, audit_log and the rest
  h.slack.reset();
});

const FORM = 'application/x-www-form-urlencoded';
const SIX_MINUTES = 6 * 60;

const allSales = () => h.db.selectFrom('sales').selectAll().execute();
const auditEntries = () => h.db.selectFrom('audit_log').selectAll().execute();
const workspaces = () => h.db.selectFrom('workspaces').selectAll().execute();

/** The exact form body Slack would send for `/logsale 1200 Acme` from the rep. */
function logsaleBody(text = '1200 Acme'): string {
  return slashCommandBody({
    command: '/logsale',
    text,
    team_id: TEAM,
    user_id: users.rep.id,
    channel_id: CHANNEL,
    trigger_id: h.slack.newTriggerId(),
    response_url: h.slack.responseUrl(CHANNEL, users.rep.id),
  });
}

/** The exact form body of a click on a sale's Undo button. */
function undoBody(saleId: bigint): string {
  return interactionBody(
    blockActionsPayload({
      team_id: TEAM,
      user_id: users.rep.id,
      channel_id: CHANNEL,
      response_url: h.slack.responseUrl(CHANNEL, users.rep.id),
      actions: [{ type: 'button', action_id: ACTIONS.undoSale, block_id: 'sale', value: String(saleId) }],
    }),
  );
}

async function expectNothingStored(): Promise<void> {
  expect(await allSales()).toEqual([]);
  expect(await auditEntries()).toEqual([]);
  expect(await workspaces()).toEqual([]);
  expect(h.slack.calls).toEqual([]);
  expect(h.slack.responses).toEqual([]);
}

describe('a slash command that Slack did not sign', () => {
  it('gets 401 when signed with another secret, and stores nothing', async () => {
    const reply = await h.post(logsaleBody(), FORM, { badSignature: true });
    expect(reply.status).toBe(401);
    await expectNothingStored();
  });

  it('gets 401 when correctly signed but 6 minutes old (a replay), and stores nothing', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - SIX_MINUTES;
    const reply = await h.post(logsaleBody(), FORM, { timestamp: sixMinutesAgo });
    expect(reply.status).toBe(401);
    await expectNothingStored();
  });

  it.each([
    ['10 minutes', 10 * 60],
    ['6 minutes', SIX_MINUTES],
    ['a year', 365 * 24 * 60 * 60],
  ])('gets 401 when correctly signed but dated %s in the future, and stores nothing', async (_name, ahead) => {
    const reply = await h.post(logsaleBody(), FORM, { timestamp: Math.floor(Date.now() / 1000) + ahead });
    expect(reply.status).toBe(401);
    await expectNothingStored();
  });

  it('gets 401 with no signature headers at all, and stores nothing', async () => {
    const response = await fetch(`${h.baseUrl}/slack/events`, { method: 'POST', headers: { 'content-type': FORM }, body: logsaleBody() });
    expect(response.status).toBe(401);
    await expectNothingStored();
  });

  it('gets 401 when the body was changed after signing, and stores nothing', async () => {
    const signed = logsaleBody('1 Acme');
    const tampered = signed.replace('text=1+Acme', 'text=1000000+Acme');
    expect(tampered).not.toBe(signed);
    const reply = await h.post(tampered, FORM, { headers: signRequest(SIGNING_SECRET, signed) });
    expect(reply.status).toBe(401);
    await expectNothingStored();
  });

  it('is accepted when signed correctly (the same request, so the refusals above are about the signature)', async () => {
    const reply = await h.post(logsaleBody(), FORM);
    expect(reply.status).toBe(200);
    expect(await allSales()).toHaveLength(1);
  });

  it('is accepted when dated 4 minutes in the future or the past (clocks drift within the window)', async () => {
    for (const skew of [4 * 60, -4 * 60]) {
      // A customer of its own each: the same sale twice in ten minutes would be asked about.
      const reply = await h.post(logsaleBody(`1200 Skew ${skew}`), FORM, { timestamp: Math.floor(Date.now() / 1000) + skew });
      expect(reply.status).toBe(200);
    }
    expect(await allSales()).toHaveLength(2);
  });
});

describe('an Undo click that Slack did not sign', () => {
  it('gets 401 and the sale stays live, while the same click signed correctly voids it', async () => {
    await h.command(users.rep, '/logsale', '700 Initech');
    const [sale] = await allSales();
    expect(sale).toMatchObject({ customer: 'Initech', voided_at: null });
    h.slack.reset();

    const forged = await h.post(undoBody(sale!.id), FORM, { badSignature: true });
    expect(forged.status).toBe(401);
    expect((await saleById(sale!.id)).voided_at).toBeNull();
    expect((await auditEntries()).map((entry) => entry.action)).toEqual(['sale.logged']);
    expect(h.slack.responses).toEqual([]);

    const genuine = await h.post(undoBody(sale!.id), FORM);
    expect(genuine.status).toBe(200);
    await waitUntil(async () => (await saleById(sale!.id)).voided_at !== null, 'the genuine Undo to void the sale');
  });
});

const saleById = (id: bigint) => h.db.selectFrom('sales').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
