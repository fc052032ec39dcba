// GET /healthz and GET /metrics (docs/rules.md#running), and what a database outage looks like (docs/rules.md#security):
// /healthz says 503, people get a clear "nothing was saved" reply, and Tally recovers by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.js';
import { DATABASE_DOWN } from '../../src/slack/listeners/handle.js';
import { Harness, replyText, users } from '../support/harness.js';
import { startBehindProxy, type TcpProxy } from '../support/tcp-proxy.js';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

async function get(h: Harness, path: string) {
  const response = await fetch(`${h.baseUrl}${path}`);
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}

/** Polls GET /healthz until it answers `status`, or fails after `timeoutMs`. */
async function waitForHealth(h: Harness, status: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: number | undefined;
  while (Date.now() < deadline) {
    last = (await get(h, '/healthz')).status;
    if (last === status) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`/healthz still answered ${last} after ${timeoutMs} ms, not ${status}`);
}

/** The sample lines of one metric in Prometheus text, e.g. `tally_requests_total{...} 1`. */
function samples(metricsText: string, name: string): string[] {
  return metricsText.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

function expectDatabaseDownReply(reply: { status: number; json?: unknown }): void {
  expect(reply.status).toBe(200);
  expect(reply.json).toMatchObject({ response_type: 'ephemeral' });
  expect(replyText(reply.json)).toContain(DATABASE_DOWN);
  expect(DATABASE_DOWN).toMatch(/couldn't reach its database, so nothing was saved/);
}

describe('with the database up', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  it('GET /healthz answers 200 and says the database is up', async () => {
    const health = await get(h, '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok', database: 'up', slack: 'ok' });
  });

  it('GET /metrics answers Prometheus text that counts each /logsale by kind, name and outcome', async () => {
    const before = await get(h, '/metrics');
    expect(before.status).toBe(200);
    expect(samples(before.body, 'tally_requests_total')).toEqual([]);

    expect((await h.command(users.rep, '/logsale', '1200 Acme')).status).toBe(200);
    expect((await h.command(users.rep, '/logsale', 'abc')).status).toBe(200);

    const after = await get(h, '/metrics');
    expect(after.status).toBe(200);
    expect(after.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(after.body).toContain('# TYPE tally_requests_total counter');
    expect(samples(after.body, 'tally_requests_total').sort()).toEqual([
      'tally_requests_total{kind="command",name="logsale",outcome="ok"} 1',
      'tally_requests_total{kind="command",name="logsale",outcome="user_error"} 1',
    ]);
    expect(samples(after.body, 'tally_request_duration_seconds_count')).toEqual([
      'tally_request_duration_seconds_count{kind="command",name="logsale"} 2',
    ]);
    expect(samples(after.body, 'tally_database_errors_total')).toEqual(['tally_database_errors_total 0']);
  });

  it('GET /metrics counts the statements sent to the database and the rows it read', async () => {
    const value = (text: string, name: string) => Number(samples(text, name)[0]?.split(' ')[1]);
    const before = (await get(h, '/metrics')).body;
    expect((await h.command(users.rep, '/leaderboard', 'month')).status).toBe(200);
    const after = (await get(h, '/metrics')).body;
    expect(after).toContain('# TYPE tally_database_statements_total counter');
    expect(after).toContain('# TYPE tally_database_tuples_read gauge');
    expect(value(after, 'tally_database_statements_total')).toBeGreaterThan(value(before, 'tally_database_statements_total'));
    expect(value(after, 'tally_database_tuples_read')).toBeGreaterThan(value(before, 'tally_database_tuples_read'));
  });
});

describe.runIf(!onPostgres)('when the embedded database (PGlite) is closed', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  // The database is already closed; stop() closes it again, which must not throw.
  afterAll(() => h.stop());

  it('GET /healthz answers 503, and /logsale says the database could not be reached and saves nothing', async () => {
    expect(h.database.kind).toBe('pglite');
    await waitForHealth(h, 200);

    await h.tally.database.close();

    const health = await get(h, '/healthz');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body)).toEqual({ status: 'unavailable', database: 'down', slack: 'ok' });

    expectDatabaseDownReply(await h.command(users.rep, '/logsale', '1200 Outage'));
    const metrics = await get(h, '/metrics');
    expect(samples(metrics.body, 'tally_database_errors_total')).toEqual(['tally_database_errors_total 1']);

    // Nothing reached the folder: open it again and look.
    const reopened = await openDatabase({ dataDir: h.database.env.DATA_DIR });
    try {
      expect(await reopened.db.selectFrom('sales').selectAll().execute()).toEqual([]);
    } finally {
      await reopened.close();
    }
  });
});

describe.runIf(onPostgres)('when PostgreSQL becomes unreachable (connections cut by a proxy)', () => {
  let proxy: TcpProxy;
  let h: Harness;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ h, proxy, stop } = await startBehindProxy());
  });
  afterAll(() => stop());

  const salesFor = (customer: string) => h.db.selectFrom('sales').selectAll().where('customer', '=', customer).execute();

  it('answers 503 and a clear "nothing was saved" reply while cut, then recovers by itself', async () => {
    expect(h.database.kind).toBe('postgres');
    await waitForHealth(h, 200);
    expect((await h.command(users.rep, '/logsale', '100 Before')).status).toBe(200);
    expect(await salesFor('Before')).toHaveLength(1);

    proxy.cut();

    const health = await get(h, '/healthz');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body)).toEqual({ status: 'unavailable', database: 'down', slack: 'ok' });
    expectDatabaseDownReply(await h.command(users.rep, '/logsale', '1200 Outage'));
    const metrics = await get(h, '/metrics');
    expect(samples(metrics.body, 'tally_database_errors_total')).toEqual(['tally_database_errors_total 1']);

    proxy.restore();

    await waitForHealth(h, 200);
    expect(await salesFor('Outage')).toEqual([]);
    const after = await h.command(users.rep, '/logsale', '300 Recovered');
    expect(replyText(after.json)).toContain('$300.00');
    expect(await salesFor('Recovered')).toHaveLength(1);
  });
});
