// Sales from a CRM end to end: admins connect sources with /tally connect (signed slash
// commands), then deliveries arrive over real HTTP at /webhooks/<source id>, signed with the
// source's secret (generic webhook) or with its Basic credentials (Pipedrive). Checked against
// what the database holds and what the fake Slack received.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { tallySignatureHeader } from '../../src/domain/webhook-auth.js';
import { createLogger } from '../../src/logger.js';
import { deriveSealingKey, seal } from '../../src/sealing.js';
import { startTally } from '../../src/tally.js';
import { BOT_TOKEN, Harness, SIGNING_SECRET, TEAM, replyText, users } from '../support/harness.js';

let h: Harness;

const emailRep = { id: 'U0REP3', team: TEAM, name: 'eve' };

beforeAll(async () => {
  h = await Harness.start();
  h.slack.addUser({ id: emailRep.id, team_id: TEAM, name: emailRep.name, email: 'Eve@Example.com', tz: 'America/New_York' });
});
afterAll(() => h.stop());
beforeEach(async () => {
  await h.db.deleteFrom('sources').execute();
  await h.db.deleteFrom('audit_log').execute();
  await h.db.deleteFrom('sales').execute();
  await h.db.updateTable('workspaces').set({ locked_through: null }).execute();
  h.now = new Date('2026-11-26T20:00:00Z');
  h.slack.reset();
});

interface Connected {
  id: string;
  url: string;
  secret: string;
  user: string;
  password: string;
  reply: string;
}

async function connect(kind: 'webhook' | 'pipedrive', name: string, who = users.admin): Promise<Connected> {
  const reply = await h.command(who, '/tally', `connect ${kind} ${name}`);
  expect(reply.status).toBe(200);
  const text = replyText(reply.json);
  const id = /https:\/\/YOUR-HOST\/webhooks\/(src_[0-9a-f]{24})/.exec(text)?.[1] ?? '';
  return {
    id,
    url: `${h.baseUrl}/webhooks/${id}`,
    secret: /`(whsec_[^`]+)`/.exec(text)?.[1] ?? '',
    user: /Basic user:\* `([^`]+)`/.exec(text)?.[1] ?? '',
    password: /Password:\* `([^`]+)`/.exec(text)?.[1] ?? '',
    reply: text,
  };
}

const nowSeconds = () => Math.floor(h.now.getTime() / 1000);

async function send(url: string, body: string | Buffer, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : { empty: true }) as Record<string, unknown> };
}

function deliver(source: Connected, payload: unknown, options: { t?: number; secret?: string; raw?: string } = {}) {
  const body = options.raw ?? JSON.stringify(payload);
  const t = options.t ?? nowSeconds();
  return send(source.url, body, { 'x-tally-signature': tallySignatureHeader(options.secret ?? source.secret, t, body) });
}

function deliverPipedrive(source: Connected, payload: unknown, credentials = { user: source.user, password: source.password }) {
  const basic = Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64');
  return send(source.url, JSON.stringify(payload), { authorization: `Basic ${basic}` });
}

const won = (extra: Record<string, unknown> = {}) => ({
  id: 'D-1',
  status: 'won',
  amount: '1200.50',
  customer: 'Acme',
  closed_on: '2026-11-25',
  rep: { slack_id: users.rep.id },
  ...extra,
});

const sales = () => h.db.selectFrom('sales').selectAll().orderBy('id').execute();
const deliveries = () => h.db.selectFrom('source_deliveries').selectAll().orderBy('id').execute();
const dmsTo = (userId: string) =>
  h.slack
    .callsTo('chat.postMessage')
    .filter((call) => call.args.channel === userId)
    .map((call) => String(call.args.text));

let pipedriveTime = Date.parse('2026-11-26T19:00:00Z');
function pipedrive(action: string, data: Record<string, unknown> | null, meta: Record<string, unknown> = {}) {
  pipedriveTime += 1000;
  const dealId = data?.id ?? meta.entity_id ?? 77;
  return {
    meta: {
      action,
      entity: 'deal',
      entity_id: String(dealId),
      id: `delivery-${pipedriveTime}`,
      timestamp: new Date(pipedriveTime).toISOString(),
      attempt: 1,
      version: '2.0',
      ...meta,
    },
    data,
    previous: null,
  };
}
const pipedriveDeal = (extra: Record<string, unknown> = {}) => ({
  id: 77,
  status: 'won',
  value: 5000,
  currency: 'USD',
  won_time: '2026-11-24T15:00:00Z',
  title: 'Globex renewal',
  owner_id: 901,
  ...extra,
});

describe('/tally connect', () => {
  it('creates a webhook source, shows its URL and secret once, and stores the secret sealed', async () => {
    const source = await connect('webhook', 'HubSpot');
    expect(source.id).toMatch(/^src_[0-9a-f]{24}$/);
    expect(source.secret).toMatch(/^whsec_/);
    const [row] = await h.db.selectFrom('sources').selectAll().execute();
    expect(row).toMatchObject({
      id: source.id,
      team_id: TEAM,
      kind: 'webhook',
      name: 'hubspot',
      created_by: users.admin.id,
      created_at: h.now,
    });
    expect(row!.secret_sealed).not.toContain(source.secret);
    expect(row!.secret_sealed).toMatch(/^v1\./);

    const list = replyText((await h.command(users.admin, '/tally', 'connect')).json);
    expect(list).toContain('`hubspot`');
    expect(list).toContain(`/webhooks/${source.id}`);
    expect(list).not.toContain(source.secret);
  });

  it('creates a Pipedrive source with Basic credentials', async () => {
    const source = await connect('pipedrive', 'pd');
    expect(source.user).toBe('tally-pd');
    expect(source.password.length).toBeGreaterThan(20);
    expect(source.reply).toContain('map OWNER_ID @rep');
  });

  it('refuses reps, a taken name, a bad name and unknown sub-commands, storing nothing', async () => {
    const asRep = await h.command(users.rep, '/tally', 'connect webhook zap');
    expect(replyText(asRep.json)).toContain('Only workspace admins can connect sources');
    expect(replyText((await h.command(users.rep, '/tally', 'connect')).json)).toContain('Only workspace admins');
    await connect('webhook', 'zap');
    expect(replyText((await h.command(users.admin, '/tally', 'connect pipedrive zap')).json)).toContain('already a source called `zap`');
    expect(replyText((await h.command(users.admin, '/tally', 'connect webhook <b>')).json)).toContain("can't name a source");
    expect(replyText((await h.command(users.admin, '/tally', 'connect frobnicate zap')).json)).toContain('/tally connect webhook NAME');
    expect(replyText((await h.command(users.admin, '/tally', 'connect rotate nope')).json)).toContain('There is no source called `nope`');
    expect(await h.db.selectFrom('sources').select('name').execute()).toEqual([{ name: 'zap' }]);
  });

  it('rotates a secret: the old one gets 401, the new one works', async () => {
    const source = await connect('webhook', 'zap');
    const reply = replyText((await h.command(users.admin, '/tally', 'connect rotate zap')).json);
    const fresh = /`(whsec_[^`]+)`/.exec(reply)![1]!;
    expect(fresh).not.toBe(source.secret);
    expect((await deliver(source, won())).status).toBe(401);
    expect((await deliver(source, won(), { secret: fresh })).status).toBe(200);
    expect(await sales()).toHaveLength(1);
  });

  it('removes a source: its URL answers 404, the sales it made stay', async () => {
    const source = await connect('webhook', 'zap');
    expect((await deliver(source, won())).status).toBe(200);
    expect(replyText((await h.command(users.admin, '/tally', 'connect remove zap')).json)).toContain('Removed Webhook source `zap`');
    const gone = await deliver(source, won({ id: 'D-2' }));
    expect(gone.status).toBe(404);
    expect(await sales()).toHaveLength(1);
  });
});

describe('a generic webhook delivery', () => {
  it('logs a won deal as a sale like any other: DM naming the source, audit naming the source', async () => {
    const source = await connect('webhook', 'zap');
    const answer = await deliver(source, won({ product: null, note: 'from <!channel>' }));
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ ok: true, outcome: 'created', deal_id: 'D-1' });
    const [sale] = await sales();
    expect(sale).toMatchObject({
      rep_id: users.rep.id,
      amount_minor: 120050n,
      currency: 'USD',
      closed_on: '2026-11-25',
      customer: 'Acme',
      source: 'api',
      idempotency_key: `source:${source.id}:D-1`,
      note: 'from <!channel>',
    });
    expect(answer.json.sale_id).toBe(String(sale!.id));
    const audit = await h.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'sale').execute();
    expect(audit).toMatchObject([{ action: 'sale.logged', actor_id: 'source:webhook:zap', entity_id: String(sale!.id) }]);
    await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === users.rep.id);
    expect(dmsTo(users.rep.id)[0]).toContain('Logged $1,200.50 from Acme · closed 2026-11-25 from Webhook source `zap`');
    expect(replyText((await h.command(users.admin, '/tally', 'audit')).json)).toContain(
      `Webhook source \`zap\` logged sale ${sale!.id} of <@${users.rep.id}>: $1,200.50 from Acme, closed 2026-11-25`,
    );
    // It counts everywhere: the rep's own progress reads it.
    expect(replyText((await h.command(users.rep, '/tally', 'me')).json)).toContain('$1,200.50');
    expect(await deliveries()).toMatchObject([{ status: 200, outcome: 'created', deal_id: 'D-1', sale_id: sale!.id }]);
    // No App Home page is built for a delivery (none waiting, none published): the rep sees the
    // sale when they next open Home.
    expect(h.tally.deps.homeRefreshes.busyPeople()).toBe(0);
    expect(h.slack.callsTo('views.publish').filter((call) => call.args.user_id === users.rep.id)).toHaveLength(0);
  });

  it('converts amounts as /logsale does: a number, another currency with a rate, JPY without decimals', async () => {
    const source = await connect('webhook', 'zap');
    expect((await deliver(source, won({ id: 'n', amount: 99.99 }))).status).toBe(200);
    await h.command(users.admin, '/tally', 'fx EUR 1.10 2026-11-01');
    expect((await deliver(source, won({ id: 'eur', amount: '100', currency: 'eur' }))).status).toBe(200);
    const jpy = await deliver(source, won({ id: 'jpy', amount: '100.5', currency: 'JPY' }));
    expect(jpy.status).toBe(422);
    expect(jpy.json).toMatchObject({ ok: false, field: 'amount' });
    expect(String(jpy.json.error)).toContain('more decimals than JPY allows (0)');
    expect((await sales()).map((s) => [s.amount_minor, s.original_amount_minor, s.original_currency])).toEqual([
      [9999n, 9999n, 'USD'],
      [11000n, 10000n, 'EUR'],
    ]);
  });

  it('resolves a rep by email through users.lookupByEmail, once, and refuses an unknown email with 422', async () => {
    const source = await connect('webhook', 'zap');
    expect((await deliver(source, won({ id: 'e1', rep: { email: 'eve@example.com' } }))).status).toBe(200);
    expect((await deliver(source, won({ id: 'e2', rep: { email: 'EVE@example.com' } }))).status).toBe(200);
    expect(h.slack.callsTo('users.lookupByEmail')).toHaveLength(1);
    expect((await sales()).map((s) => s.rep_id)).toEqual([emailRep.id, emailRep.id]);

    const unknown = await deliver(source, won({ id: 'e3', rep: { email: 'nobody@example.com' } }));
    expect(unknown.status).toBe(422);
    expect(unknown.json).toMatchObject({ ok: false, field: 'rep.email' });
    expect(String(unknown.json.error)).toContain('no member of this Slack workspace has the email nobody@example.com');
    expect(await sales()).toHaveLength(2);
    const log = replyText((await h.command(users.admin, '/tally', 'connect log zap')).json);
    expect(log).toContain('422 *rejected* deal `e3`: rep.email: no member of this Slack workspace has the email nobody@example.com');
  });

  it('edits the sale when the deal changes, voids it when lost, and ignores replays and older deliveries', async () => {
    const source = await connect('webhook', 'zap');
    const t0 = nowSeconds();
    expect((await deliver(source, won(), { t: t0 })).json.outcome).toBe('created');
    // The same delivery again (a retry): nothing changes.
    expect((await deliver(source, won(), { t: t0 })).json.outcome).toBe('unchanged');
    const edited = await deliver(source, won({ amount: '1500' }), { t: t0 + 10 });
    expect(edited.json.outcome).toBe('edited');
    const [sale] = await sales();
    expect(sale).toMatchObject({ amount_minor: 150000n, voided_at: null });
    // A delivery sent before the edit but arriving after it changes nothing.
    expect((await deliver(source, won({ amount: '1200.50' }), { t: t0 + 5 })).json.outcome).toBe('stale');
    expect((await sales())[0]!.amount_minor).toBe(150000n);

    expect((await deliver(source, won({ status: 'lost' }), { t: t0 + 20 })).json.outcome).toBe('voided');
    expect((await sales())[0]).toMatchObject({ voided_at: h.now, voided_by: 'source:webhook:zap' });
    // The won delivery from before the loss, retried: the sale stays voided.
    expect((await deliver(source, won({ amount: '1500' }), { t: t0 + 10 })).json.outcome).toBe('stale');
    expect((await sales())[0]!.voided_at).toEqual(h.now);
    expect(await sales()).toHaveLength(1);
    const actions = await h.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_type', '=', 'sale')
      .orderBy('id')
      .execute();
    expect(actions).toEqual([
      { action: 'sale.logged', actor_id: 'source:webhook:zap' },
      { action: 'sale.edited', actor_id: 'source:webhook:zap' },
      { action: 'sale.voided', actor_id: 'source:webhook:zap' },
    ]);
  });

  it('stores one sale when the same delivery arrives twice at once', async () => {
    const source = await connect('webhook', 'zap');
    const body = JSON.stringify(won());
    const header = tallySignatureHeader(source.secret, nowSeconds(), body);
    const answers = await Promise.all([1, 2, 3].map(() => send(source.url, body, { 'x-tally-signature': header })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.json.outcome).sort()).toEqual(['created', 'unchanged', 'unchanged']);
    expect(await sales()).toHaveLength(1);
    expect(await h.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'sale').execute()).toEqual([
      { action: 'sale.logged' },
    ]);
  });

  it('escapes what the deal says in Slack, and lists the delivery in the source log', async () => {
    const source = await connect('webhook', 'zap');
    const answer = await deliver(source, won({ customer: '<!channel> & co' }));
    await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === users.rep.id);
    expect(dmsTo(users.rep.id)[0]).toContain('from &lt;!channel&gt; &amp; co');
    const log = replyText((await h.command(users.admin, '/tally', 'connect log zap')).json);
    expect(log).toContain(`\`2026-11-26 20:00:00\` 200 *created* deal \`D-1\` → sale ${String(answer.json.sale_id)}`);
  });

  it('takes a deal closed in a locked period with 202, logs the reason and stores nothing', async () => {
    const source = await connect('webhook', 'zap');
    await h.db.updateTable('workspaces').set({ locked_through: '2026-11-25' }).execute();
    const answer = await deliver(source, won());
    expect(answer.status).toBe(202);
    expect(answer.json).toMatchObject({ ok: false, outcome: 'refused' });
    expect(String(answer.json.reason)).toContain('locked');
    expect(await sales()).toEqual([]);
    expect(await deliveries()).toMatchObject([{ status: 202, outcome: 'refused', sale_id: null }]);
  });

  it('celebrates a milestone the sale crosses', async () => {
    const source = await connect('webhook', 'zap');
    await h.command(users.admin, '/tally', 'teams add east <#C0SALES|sales>');
    await h.command(users.admin, '/tally', `teams east add <@${users.rep.id}>`);
    await h.db
      .insertInto('targets')
      .values({
        team_id: TEAM,
        subject_type: 'rep',
        subject_id: users.rep.id,
        metric: 'revenue',
        period_kind: 'month',
        first_period_start: '2026-11-01',
        last_period_start: null,
        amount: 200000n,
        created_by: users.admin.id,
        created_at: h.now,
      })
      .execute();
    expect((await deliver(source, won())).status).toBe(200);
    const post = await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === 'C0SALES');
    expect(String(post.args.text)).toMatch(/50%/);
  });
});

describe('bad generic deliveries get a 4xx naming the problem and store nothing', () => {
  const cases: Array<[string, unknown, number, string]> = [
    ['invalid JSON', '{"id": "D-1", ', 400, 'body'],
    ['a JSON array', [], 422, 'body'],
    ['no id', { ...won(), id: undefined }, 422, 'id'],
    ['no amount', { ...won(), amount: undefined }, 422, 'amount'],
    ['amount of the wrong type', won({ amount: true }), 422, 'amount'],
    ['a negative amount', won({ amount: '-5' }), 422, 'amount'],
    ['a zero amount', won({ amount: 0 }), 422, 'amount'],
    ['an amount over the maximum', won({ amount: '2000000000' }), 422, 'amount'],
    ['an amount in exponent notation', won({ amount: 1e21 }), 422, 'amount'],
    ['an unknown currency', won({ currency: 'XYZ' }), 422, 'currency'],
    ['a currency without a rate', won({ currency: 'GBP' }), 422, 'currency'],
    ['a date in the future', won({ closed_on: '2026-11-27' }), 422, 'closed_on'],
    ['a date that does not exist', won({ closed_on: '2026-02-30' }), 422, 'closed_on'],
    ['an unknown status', won({ status: 'maybe' }), 422, 'status'],
    ['no rep', { ...won(), rep: undefined }, 422, 'rep'],
    ['a rep id that is not a Slack id', won({ rep: { slack_id: 'bob' } }), 422, 'rep.slack_id'],
    ['a rep who is not in the workspace', won({ rep: { slack_id: 'U0NOBODY' } }), 422, 'rep.slack_id'],
    ['an email that is not one', won({ rep: { email: 'not-an-email' } }), 422, 'rep.email'],
    ['an unknown product', won({ product: 'nonesuch' }), 422, 'product'],
    ['a customer name of the wrong type', won({ customer: 42 }), 422, 'customer'],
  ];
  it.each(cases)('%s', async (_name, payload, status, field) => {
    const source = await connect('webhook', 'zap');
    const answer = typeof payload === 'string' ? await deliver(source, null, { raw: payload }) : await deliver(source, payload);
    expect(answer.status).toBe(status);
    expect(answer.json).toMatchObject({ ok: false, field });
    expect(String(answer.json.error)).not.toBe('');
    expect(await sales()).toEqual([]);
    expect(await deliveries()).toMatchObject([{ status, outcome: 'rejected', sale_id: null }]);
  });

  it('answers a wrong secret, a stale or future timestamp, a tampered body and no header with 401', async () => {
    const source = await connect('webhook', 'zap');
    const body = JSON.stringify(won());
    const attempts = [
      await deliver(source, won(), { secret: 'whsec_wrong' }),
      await deliver(source, won(), { t: nowSeconds() - 301 }),
      await deliver(source, won(), { t: nowSeconds() + 301 }),
      await send(source.url, JSON.stringify(won({ amount: '999999' })), {
        'x-tally-signature': tallySignatureHeader(source.secret, nowSeconds(), body),
      }),
      await send(source.url, body, {}),
      await send(source.url, body, { 'x-tally-signature': 'sha256=abc' }),
    ];
    expect(attempts.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(String(attempts[1]!.json.error)).toContain('more than 5 minutes');
    expect(await sales()).toEqual([]);
    // Within the window on both sides is fine.
    expect((await deliver(source, won(), { t: nowSeconds() - 299 })).status).toBe(200);
  });

  it('answers 401 naming the fix when the secret was sealed under another app secret', async () => {
    const source = await connect('webhook', 'zap');
    const otherKey = deriveSealingKey('another-signing-secret', 'sources');
    await h.db
      .updateTable('sources')
      .set({ secret_sealed: seal(otherKey, JSON.stringify({ kind: 'webhook', secret: source.secret })) })
      .execute();
    const answer = await deliver(source, won());
    expect(answer.status).toBe(401);
    expect(String(answer.json.error)).toContain('/tally connect rotate zap');
    expect(await sales()).toEqual([]);
  });

  it('answers 413 to a body over 1 MB, 404 to an unknown source, and stays up', async () => {
    const source = await connect('webhook', 'zap');
    const huge = JSON.stringify({ ...won(), note: 'x'.repeat(1024 * 1024) });
    const tooLarge = await send(source.url, huge, { 'x-tally-signature': tallySignatureHeader(source.secret, nowSeconds(), huge) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json).toMatchObject({ ok: false, field: 'body' });
    const unknown = await send(`${h.baseUrl}/webhooks/src_000000000000000000000000`, '{}', {});
    expect(unknown.status).toBe(404);
    expect((await send(`${h.baseUrl}/webhooks/..%2F..%2Fetc`, '{}', {})).status).toBe(404);
    expect(await sales()).toEqual([]);
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });
});

describe('a Pipedrive delivery', () => {
  async function mapped() {
    const source = await connect('pipedrive', 'pd');
    await h.command(users.admin, '/tally', `connect pipedrive pd map 901 <@${users.rep.id}>`);
    h.slack.reset();
    return source;
  }

  it('logs a deal created won, edits it on change, voids it when lost or deleted', async () => {
    const source = await mapped();
    const created = await deliverPipedrive(source, pipedrive('create', pipedriveDeal()));
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ outcome: 'created', deal_id: '77' });
    expect(await sales()).toMatchObject([
      {
        rep_id: users.rep.id,
        amount_minor: 500000n,
        closed_on: '2026-11-24',
        customer: 'Globex renewal',
        idempotency_key: `source:${source.id}:77`,
      },
    ]);
    await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === users.rep.id);
    expect(dmsTo(users.rep.id)[0]).toContain('from Pipedrive source `pd`');

    expect((await deliverPipedrive(source, pipedrive('change', pipedriveDeal({ value: 6000.5 })))).json.outcome).toBe('edited');
    expect((await sales())[0]!.amount_minor).toBe(600050n);
    expect(
      (await deliverPipedrive(source, pipedrive('change', pipedriveDeal({ value: 6000.5, won_time: '2026-11-23T10:00:00Z' })))).json
        .outcome,
    ).toBe('edited');
    expect((await sales())[0]!.closed_on).toBe('2026-11-23');
    // A change that touches nothing a sale holds (say, the deal's label).
    expect(
      (
        await deliverPipedrive(
          source,
          pipedrive('change', pipedriveDeal({ value: 6000.5, won_time: '2026-11-23T10:00:00Z', label: 'hot' })),
        )
      ).json.outcome,
    ).toBe('unchanged');

    expect((await deliverPipedrive(source, pipedrive('change', pipedriveDeal({ status: 'lost' })))).json.outcome).toBe('voided');
    expect((await sales())[0]!.voided_at).toEqual(h.now);
    // Won again later: the same sale counts again, never a second one.
    expect((await deliverPipedrive(source, pipedrive('change', pipedriveDeal()))).json.outcome).toBe('restored');
    expect(await sales()).toMatchObject([{ voided_at: null, amount_minor: 500000n }]);
    expect((await deliverPipedrive(source, pipedrive('delete', null, { entity_id: '77' }))).json.outcome).toBe('voided');
    expect(await sales()).toHaveLength(1);
    expect((await sales())[0]!.voided_at).not.toBeNull();
  });

  it('never doubles or resurrects a sale on retries and out-of-order deliveries', async () => {
    const source = await mapped();
    const createdWon = pipedrive('create', pipedriveDeal());
    const deleted = pipedrive('delete', null, { entity_id: '77' });
    // The delete arrives first, then the creation it followed, then a retry of the creation.
    expect((await deliverPipedrive(source, deleted)).json.outcome).toBe('unchanged');
    expect((await deliverPipedrive(source, createdWon)).json.outcome).toBe('stale');
    expect((await deliverPipedrive(source, { ...createdWon, meta: { ...createdWon.meta, attempt: 2 } })).json.outcome).toBe('stale');
    expect(await sales()).toEqual([]);

    const other = pipedrive('create', pipedriveDeal({ id: 78 }));
    expect((await deliverPipedrive(source, other)).json.outcome).toBe('created');
    expect((await deliverPipedrive(source, { ...other, meta: { ...other.meta, attempt: 2 } })).json.outcome).toBe('unchanged');
    expect((await deliverPipedrive(source, { ...other, meta: { ...other.meta, attempt: 3 } })).json.outcome).toBe('unchanged');
    expect(await sales()).toHaveLength(1);
  });

  it('keeps a deal of an unmapped owner waiting, tells the admin once, and logs it when mapped', async () => {
    const source = await connect('pipedrive', 'pd');
    const first = await deliverPipedrive(source, pipedrive('create', pipedriveDeal({ owner_id: 555 })));
    expect(first.status).toBe(202);
    expect(first.json).toMatchObject({ outcome: 'waiting' });
    expect((await deliverPipedrive(source, pipedrive('create', pipedriveDeal({ id: 79, owner_id: 555, value: 100 })))).status).toBe(202);
    expect(await sales()).toEqual([]);
    await h.slack.waitForCall('chat.postMessage', (call) => call.args.channel === users.admin.id);
    const adminDms = dmsTo(users.admin.id);
    expect(adminDms).toHaveLength(1);
    expect(adminDms[0]).toContain('/tally connect pipedrive pd map 555 @rep');

    const reply = await h.command(users.admin, '/tally', `connect pipedrive pd map 555 <@${users.rep2.id}>`);
    expect(replyText(reply.json)).toContain('Logged 2 waiting deals');
    expect((await sales()).map((s) => [s.rep_id, s.amount_minor])).toEqual([
      [users.rep2.id, 500000n],
      [users.rep2.id, 10000n],
    ]);
    // Later deliveries of that owner are logged at once.
    expect((await deliverPipedrive(source, pipedrive('create', pipedriveDeal({ id: 80, owner_id: 555 })))).json.outcome).toBe('created');
  });

  it('refuses wrong credentials with 401, and a rep mapping from a non-admin', async () => {
    const source = await connect('pipedrive', 'pd');
    expect((await deliverPipedrive(source, pipedrive('create', pipedriveDeal()), { user: source.user, password: 'wrong' })).status).toBe(
      401,
    );
    expect((await send(source.url, JSON.stringify(pipedrive('create', pipedriveDeal())), {})).status).toBe(401);
    expect(replyText((await h.command(users.rep, '/tally', `connect pipedrive pd map 901 <@${users.rep.id}>`)).json)).toContain(
      'Only workspace admins',
    );
    expect(replyText((await h.command(users.admin, '/tally', 'connect pipedrive pd map 901 rita')).json)).toContain('@mention');
    expect(await h.db.selectFrom('source_owners').selectAll().execute()).toEqual([]);
    expect(await sales()).toEqual([]);
  });

  const bad: Array<[string, unknown, number, string]> = [
    ['no meta', { data: pipedriveDeal() }, 422, 'meta'],
    ['a won deal without a value', pipedrive('create', pipedriveDeal({ value: null })), 422, 'data.value'],
    ['a value of the wrong type', pipedrive('create', pipedriveDeal({ value: [1] })), 422, 'data.value'],
    ['an unknown currency', pipedrive('create', pipedriveDeal({ currency: 'ABC' })), 422, 'data.currency'],
    ['a won time in the future', pipedrive('create', pipedriveDeal({ won_time: '2026-12-01T10:00:00Z' })), 422, 'data.won_time'],
    ['a won time that is not a time', pipedrive('create', pipedriveDeal({ won_time: 'yesterday' })), 422, 'data.won_time'],
    ['an unknown action', pipedrive('merge', pipedriveDeal()), 422, 'meta.action'],
    ['no owner', pipedrive('create', pipedriveDeal({ owner_id: null })), 422, 'data.owner_id'],
  ];
  it.each(bad)('refuses %s with a 4xx naming the field, storing nothing', async (_name, payload, status, field) => {
    const source = await mapped();
    const answer = await deliverPipedrive(source, payload);
    expect(answer.status).toBe(status);
    expect(answer.json).toMatchObject({ ok: false, field });
    expect(await sales()).toEqual([]);
  });

  it('ignores events about other objects', async () => {
    const source = await mapped();
    const answer = await deliverPipedrive(source, {
      meta: { action: 'change', entity: 'person', entity_id: '5' },
      data: { id: 5 },
      previous: null,
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ ok: true, outcome: 'ignored' });
    expect(await sales()).toEqual([]);
  });
});

// Two Tally processes on one PostgreSQL database (PGlite is one process's own database).
describe.runIf(process.env.TEST_DATABASE_URL)('two replicas on one PostgreSQL database', () => {
  it('apply the same delivery, arriving at both at once, exactly once', async () => {
    const replica = await startTally(
      {
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: h.slack.url,
        PORT: '0',
        DEFAULT_TIMEZONE: 'America/New_York',
        ...h.database.env,
      },
      {
        clock: { now: () => h.now },
        logger: createLogger('error', new Writable({ write: (_chunk, _enc, done) => done() })),
        scheduler: false,
      },
    );
    try {
      const source = await connect('webhook', 'zap');
      const other = { ...source, url: `http://127.0.0.1:${replica.port}/webhooks/${source.id}` };
      for (const id of ['R-1', 'R-2', 'R-3', 'R-4', 'R-5']) {
        const body = JSON.stringify(won({ id }));
        const header = { 'x-tally-signature': tallySignatureHeader(source.secret, nowSeconds(), body) };
        const answers = await Promise.all([
          send(source.url, body, header),
          send(other.url, body, header),
          send(source.url, body, header),
          send(other.url, body, header),
        ]);
        expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
        expect(answers.filter((a) => a.json.outcome === 'created')).toHaveLength(1);
      }
      expect((await sales()).map((s) => s.idempotency_key)).toEqual(
        ['R-1', 'R-2', 'R-3', 'R-4', 'R-5'].map((id) => `source:${source.id}:${id}`),
      );
      expect(await h.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'sale').execute()).toHaveLength(5);
    } finally {
      await replica.stop();
    }
  });
});
