// /logsale end to end: signed requests to the real app, a real database, a fake Slack.
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS, LOG_SALE_FIELDS as F } from '../../src/slack/ids.js';
import { CHANNEL, Harness, TEAM, replyText, users } from '../support/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await Harness.start();
  await h.command(users.admin, '/tally', 'products add widgets');
  await h.command(users.admin, '/tally', 'products add gadgets');
});
afterAll(() => h.stop());
beforeEach(async () => {
  await h.db.deleteFrom('audit_log').where('entity_type', '=', 'sale').execute();
  await h.db.deleteFrom('sales').execute();
  h.slack.reset();
});

const liveSales = () => h.db.selectFrom('sales').selectAll().where('voided_at', 'is', null).orderBy('id').execute();
const saleAudit = (id: bigint) =>
  h.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'sale').where('entity_id', '=', String(id)).orderBy('id').execute();
const allSales = () => h.db.selectFrom('sales').selectAll().orderBy('id').execute();

describe('/logsale with text', () => {
  it('logs a sale and confirms it with the amount formatted for the workspace currency', async () => {
    const reply = await h.command(users.rep, '/logsale', '1,200 Acme');
    expect(reply.status).toBe(200);
    const text = replyText(reply.json);
    expect(text).toContain('$1,200.00');
    expect(text).toContain('Acme');
    expect(text).toContain('This month: *$1,200.00* (1 deal)');
    expect(reply.json).toMatchObject({ response_type: 'ephemeral' });

    const [sale] = await allSales();
    expect(sale).toMatchObject({
      team_id: TEAM,
      rep_id: users.rep.id,
      amount_minor: 120000n,
      currency: 'USD',
      customer: 'Acme',
      closed_on: '2026-11-26',
      source: 'command',
      created_by: users.rep.id,
      voided_at: null,
    });
    const audit = await saleAudit(sale!.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'sale.logged', actor_id: users.rep.id, before: null });
  });

  it('reads the whole grammar: symbol, k suffix, customer words, product, date', async () => {
    const reply = await h.command(users.rep, '/logsale', '$12.5k Acme Corp #Widgets yesterday');
    expect(replyText(reply.json)).toContain('$12,500.00');
    const [sale] = await allSales();
    expect(sale).toMatchObject({ amount_minor: 1250000n, customer: 'Acme Corp', closed_on: '2026-11-25' });
    const product = await h.db.selectFrom('products').select('name').where('id', '=', sale!.product_id!).executeTakeFirstOrThrow();
    expect(product.name).toBe('widgets');
  });

  it('stores one sale when the same signed request is replayed', async () => {
    const triggerId = h.slack.newTriggerId();
    const first = await h.command(users.rep, '/logsale', '1200 Acme', { triggerId });
    const second = await h.command(users.rep, '/logsale', '1200 Acme', { triggerId });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(replyText(second.json)).toContain('Already logged');
    expect(await allSales()).toHaveLength(1);
  });

  it('shows a customer called <!channel> escaped, so it pings nobody, and stores it as typed', async () => {
    // Slack sends & < > in command text HTML-escaped.
    const reply = await h.command(users.rep, '/logsale', '500 &lt;!channel&gt; &amp; Sons');
    const text = replyText(reply.json);
    expect(text).toContain('&lt;!channel&gt; &amp; Sons');
    expect(text).not.toContain('<!channel>');
    const [sale] = await allSales();
    expect(sale!.customer).toBe('<!channel> & Sons');
  });

  it('lets a manager log for a rep, and refuses a rep logging for someone else', async () => {
    await h.command(users.admin, '/tally', `managers add <@${users.manager.id}|max>`);
    const byManager = await h.command(users.manager, '/logsale', `900 Globex <@${users.rep.id}|rita>`);
    expect(replyText(byManager.json)).toContain(`for <@${users.rep.id}>`);
    const byRep = await h.command(users.rep2, '/logsale', `900 Globex <@${users.rep.id}|rita>`);
    expect(replyText(byRep.json)).toContain('Only managers and admins can log a sale for someone else');
    const sales = await allSales();
    expect(sales).toHaveLength(1);
    expect(sales[0]).toMatchObject({ rep_id: users.rep.id, created_by: users.manager.id });
  });

  // Every bad input: a clear message that says what to type instead, and nothing stored.
  it.each([
    ['abc', 'is not an amount'],
    ['-5 Acme', 'negative'],
    ['0 Acme', 'zero'],
    ['1e309', 'not an amount'],
    ['NaN', 'not an amount'],
    ['12.345 Acme', 'more decimals than USD allows'],
    ['1000000001 Acme', 'over the maximum'],
    ['1200 Acme 2026-12-01', 'future'],
    ['1200 Acme 2026-02-30', '2026-02-30'],
    ['x'.repeat(10_000), '10,000 characters long'],
    ['1200 Acme #gizmos', 'no product `gizmos`'],
    ['1200 EUR Acme', 'exchange rate'],
    ['1200 Acme @rita', 'pick'],
  ])('refuses %j', async (text, expected) => {
    const reply = await h.command(users.rep, '/logsale', text);
    expect(reply.status).toBe(200);
    const message = replyText(reply.json);
    expect(message.toLowerCase()).toContain(expected.toLowerCase());
    expect(reply.json).toMatchObject({ response_type: 'ephemeral' });
    expect(await allSales()).toHaveLength(0);
  });

  it('suggests the closest product names for an unknown #product', async () => {
    const reply = await h.command(users.rep, '/logsale', '1200 Acme #widget');
    expect(replyText(reply.json)).toContain('Did you mean `#widgets`');
  });
});

describe('Undo', () => {
  async function logOne(user = users.rep) {
    await h.command(user, '/logsale', '700 Initech');
    const [sale] = await allSales();
    return sale!;
  }

  it('voids the sale for the rep who logged it, with an audit entry, and it counts nowhere', async () => {
    const sale = await logOne();
    const click = await h.clickButton(users.rep, ACTIONS.undoSale, String(sale.id));
    expect(click.status).toBe(200);
    const response = await waitForResponse(users.rep.id);
    expect(response.body).toMatchObject({ replace_original: true });
    expect(replyText(response.body)).toContain('Voided');
    expect(await liveSales()).toHaveLength(0);
    const audit = await saleAudit(sale.id);
    expect(audit.map((a) => a.action)).toEqual(['sale.logged', 'sale.voided']);
    expect(audit[1]).toMatchObject({ actor_id: users.rep.id });
    expect((audit[1]!.before as { voided_at: unknown }).voided_at).toBeNull();
    const me = await h.command(users.rep, '/tally', 'me');
    expect(replyText(me.json)).toContain('This month*: $0.00 from 0 deals');
  });

  it("refuses another rep's undo and keeps the sale", async () => {
    const sale = await logOne();
    await h.clickButton(users.rep2, ACTIONS.undoSale, String(sale.id));
    const response = await waitForResponse(users.rep2.id);
    expect(replyText(response.body)).toContain("Only managers and admins can void someone else's sale");
    expect(await liveSales()).toHaveLength(1);
  });

  it('lets an admin undo any sale, and a second click says it was already voided', async () => {
    const sale = await logOne();
    await h.clickButton(users.admin, ACTIONS.undoSale, String(sale.id));
    await waitForResponse(users.admin.id);
    await h.clickButton(users.admin, ACTIONS.undoSale, String(sale.id));
    const second = await waitForResponse(users.admin.id, 2);
    expect(replyText(second.body)).toContain('already voided');
    expect(await liveSales()).toHaveLength(0);
  });

  it('refuses a crafted button value', async () => {
    await h.clickButton(users.rep, ACTIONS.undoSale, 'DROP TABLE sales');
    const response = await waitForResponse(users.rep.id);
    expect(replyText(response.body)).toContain("doesn't point at a sale");
  });
});

describe('settings changed while Tally remembers them', () => {
  // Changed in SQL, as an admin or another replica could: the app is not told.
  const lockThrough = (date: string | null) =>
    h.db.updateTable('workspaces').set({ locked_through: date }).where('team_id', '=', TEAM).execute();
  afterAll(() => lockThrough(null));

  it('refuses a sale in a period closed since the settings were read, and stores nothing', async () => {
    await lockThrough(null);
    expect(replyText((await h.command(users.rep, '/logsale', '100 Acme 2026-11-20')).json)).toContain('Logged');
    await lockThrough('2026-11-21');
    const reply = await h.command(users.rep, '/logsale', '200 Acme 2026-11-20');
    expect(replyText(reply.json)).toContain('Sales closed on or before 2026-11-21 are locked');
    expect((await allSales()).map((s) => s.amount_minor)).toEqual([10000n]);
  });

  it('takes a sale in a period opened again since the settings were read', async () => {
    await lockThrough('2026-11-21');
    expect(replyText((await h.command(users.rep, '/logsale', '100 Acme 2026-11-20')).json)).toContain('are locked');
    await lockThrough(null);
    const reply = await h.command(users.rep, '/logsale', '200 Acme 2026-11-20');
    expect(replyText(reply.json)).toContain('Logged *$200.00*');
    expect((await allSales()).map((s) => s.amount_minor)).toEqual([20000n]);
  });

  it('counts the sale once in both answers when the same request arrives twice at once', async () => {
    const triggerId = h.slack.newTriggerId();
    const replies = await Promise.all([1, 2].map(() => h.command(users.rep, '/logsale', '1200 Acme', { triggerId })));
    for (const reply of replies) expect(replyText(reply.json)).toContain('This month: *$1,200.00* (1 deal)');
    expect(await allSales()).toHaveLength(1);
  });
});

// One request's sale still uncommitted when its replay arrives: the replay's statement waits for
// it, then must answer with what became of it. Needs a second connection: PostgreSQL only.
describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('a replay that arrives while the first is still being stored', () => {
  async function replayDuring(outcome: 'commit' | 'rollback') {
    const triggerId = h.slack.newTriggerId();
    let reply: ReturnType<typeof h.command> | undefined;
    await h.db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('sales')
          .values({
            team_id: TEAM,
            rep_id: users.rep.id,
            amount_minor: 120000n,
            currency: 'USD',
            original_amount_minor: 120000n,
            original_currency: 'USD',
            closed_on: '2026-11-26',
            customer: 'Acme',
            source: 'command',
            idempotency_key: `command:${triggerId}`,
            created_by: users.rep.id,
            created_at: h.now,
            updated_at: h.now,
          })
          .execute();
        reply = h.command(users.rep, '/logsale', '1200 Acme', { triggerId });
        // Until the replay's insert waits on this transaction's row.
        for (let i = 0; i < 200; i++) {
          const { rows } = await sql<{
            waiting: string;
          }>`select count(*) as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(
            h.db,
          );
          if (Number(rows[0]!.waiting) > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        if (outcome === 'rollback') throw new Error('rolled back');
      })
      .catch((error: Error) => expect(error.message).toBe('rolled back'));
    return replyText((await reply!).json);
  }

  it('answers "Already logged" with the sale counted once when the first commits', async () => {
    const text = await replayDuring('commit');
    expect(text).toContain('Already logged');
    expect(text).toContain('This month: *$1,200.00* (1 deal)');
    expect(await allSales()).toHaveLength(1);
  });

  it('stores the sale, with its audit entry, when the first rolls back', async () => {
    const text = await replayDuring('rollback');
    expect(text).toContain('Logged *$1,200.00*');
    expect(text).toContain('This month: *$1,200.00* (1 deal)');
    const [sale] = await allSales();
    expect(await saleAudit(sale!.id)).toHaveLength(1);
  });
});

describe('the Log a sale modal', () => {
  async function openModal(user = users.rep) {
    const reply = await h.command(user, '/logsale', '');
    expect(reply.status).toBe(200);
    const call = await h.slack.waitForCall('views.open');
    const view = h.slack.lastModal()!;
    expect(call.error).toBeUndefined();
    return view;
  }

  const values = (fields: { amount?: string; currency?: string; customer?: string; product?: string; date?: string; rep?: string }) => ({
    [F.amount]: { [F.amount]: { type: 'plain_text_input', value: fields.amount ?? null } },
    [F.currency]: { [F.currency]: { type: 'plain_text_input', value: fields.currency ?? null } },
    [F.customer]: { [F.customer]: { type: 'plain_text_input', value: fields.customer ?? null } },
    [F.product]: { [F.product]: { type: 'plain_text_input', value: fields.product ?? null } },
    [F.closedOn]: { [F.closedOn]: { type: 'datepicker', selected_date: fields.date ?? null } },
    [F.rep]: { [F.rep]: { type: 'users_select', selected_user: fields.rep ?? null } },
    [F.note]: { [F.note]: { type: 'plain_text_input', value: null } },
  });

  it('opens with no text, logs on submit and confirms in the channel', async () => {
    const view = await openModal();
    const submit = await h.submitView(
      users.rep,
      view,
      values({ amount: '2,500', customer: 'Hooli', product: 'gadgets', date: '2026-11-20' }),
    );
    expect(submit.status).toBe(200);
    expect(submit.body).toBe('');
    const [sale] = await allSales();
    expect(sale).toMatchObject({ amount_minor: 250000n, customer: 'Hooli', closed_on: '2026-11-20', source: 'modal' });
    const ephemeral = await h.slack.waitForCall('chat.postEphemeral');
    expect(ephemeral.args).toMatchObject({ channel: CHANNEL, user: users.rep.id });
    expect(replyText(ephemeral.args)).toContain('$2,500.00');
  });

  it('stores one sale when the submit is double-clicked', async () => {
    const view = await openModal();
    const [a, b] = await Promise.all([
      h.submitView(users.rep, view, values({ amount: '100' })),
      h.submitView(users.rep, view, values({ amount: '100' })),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await allSales()).toHaveLength(1);
  });

  it.each([
    [{ amount: '' }, F.amount, 'Enter an amount'],
    [{ amount: '12.345' }, F.amount, 'more decimals than USD allows'],
    [{ amount: '-5' }, F.amount, 'negative'],
    [{ amount: '100', currency: 'XYZ' }, F.currency, 'ISO 4217'],
    [{ amount: '100', date: '2027-01-01' }, F.closedOn, 'future'],
    [{ amount: '100', product: 'gizmo' }, F.product, 'no product gizmo'],
    [{ amount: '100', rep: users.rep2.id }, F.amount, 'Only managers and admins'],
  ])('answers %j with an error on the right field and stores nothing', async (fields, block, message) => {
    const view = await openModal();
    const reply = await h.submitView(users.rep, view, values(fields));
    expect(reply.status).toBe(200);
    const json = reply.json as { response_action: string; errors: Record<string, string> };
    expect(json.response_action).toBe('errors');
    expect(Object.keys(json.errors)).toEqual([block]);
    expect(json.errors[block]!.toLowerCase()).toContain(message.toLowerCase());
    expect(await allSales()).toHaveLength(0);
  });

  it('shows a period closed since the settings were read under the date, and stores nothing', async () => {
    expect((await h.submitView(users.rep, await openModal(), values({ amount: '100', date: '2026-11-20' }))).body).toBe('');
    await h.db.updateTable('workspaces').set({ locked_through: '2026-11-21' }).where('team_id', '=', TEAM).execute();
    try {
      const reply = await h.submitView(users.rep, await openModal(), values({ amount: '200', date: '2026-11-20' }));
      const json = reply.json as { response_action: string; errors: Record<string, string> };
      expect(json.response_action).toBe('errors');
      expect(json.errors[F.closedOn]).toContain('Sales closed on or before 2026-11-21 are locked');
      expect((await allSales()).map((s) => s.amount_minor)).toEqual([10000n]);
    } finally {
      await h.db.updateTable('workspaces').set({ locked_through: null }).where('team_id', '=', TEAM).execute();
    }
  });

  it('refuses a crafted submission that names another rep, from a rep', async () => {
    const view = await openModal(users.rep2);
    const reply = await h.submitView(users.rep2, view, values({ amount: '100', rep: users.rep.id }));
    expect((reply.json as { response_action: string }).response_action).toBe('errors');
    expect(await allSales()).toHaveLength(0);
  });
});

async function waitForResponse(userId: string, count = 1) {
  for (let i = 0; i < 100; i++) {
    const responses = h.slack.responses.filter((r) => r.user_id === userId);
    if (responses.length >= count) return responses[count - 1]!;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no response_url post for ${userId}`);
}
