// Tally as an operator runs it: a real process started from this checkout with an explicit
// environment. Bad configuration or bad Slack credentials stop it before it serves anything;
// SIGTERM lets requests in flight finish and exits 0; `npm start` works as the README says.
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.js';
import { FakeSlack } from '../../slack-standin/fake-slack.js';
import { BOT_TOKEN, CHANNEL, SIGNING_SECRET, TEAM, replyText, seedWorkspace, users } from '../support/harness.js';
import { SlackApiGate } from '../support/slack-api-gate.js';
import { postToSlackApp, slashCommandBody } from '../../slack-standin/slack-signer.js';
import { TallyProcess, baseEnv, freePort, waitUntil, waitUntilHealthy } from '../support/tally-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

// Node itself with tsx's loader: signals reach Tally directly, with no relaying parent process.
const NODE = process.execPath;
const MAIN = ['--import', 'tsx', 'src/main.ts'];

// Everything a test starts, stopped in afterEach even when the test failed.
const processes: TallyProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.kill()));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startProcess(command: string, args: string[], env: Record<string, string>): TallyProcess {
  const tally = TallyProcess.start(command, args, env);
  processes.push(tally);
  return tally;
}

async function fakeSlack(withToken: boolean): Promise<FakeSlack> {
  const slack = await FakeSlack.start();
  if (withToken) seedWorkspace(slack);
  cleanups.push(() => slack.stop());
  return slack;
}

/** A fresh database: a new PGlite folder, or a new database on TEST_DATABASE_URL's server. */
async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  return database;
}

/** A complete, valid environment for Tally, built from nothing but the test's own choices. */
function validEnv(slackApiUrl: string, database: TestDatabase, port: number): Record<string, string> {
  return {
    ...baseEnv(),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slackApiUrl,
    PORT: String(port),
    LOG_LEVEL: 'info',
    ...database.env,
  };
}

function logsale(baseUrl: string, slack: FakeSlack, user: (typeof users)[keyof typeof users], text: string) {
  return command(baseUrl, CHANNEL, user, '/logsale', text, {
    trigger_id: slack.newTriggerId(),
    response_url: slack.responseUrl(CHANNEL, user.id),
  });
}

/** A slash command signed as Slack signs it; without a fake Slack, its trigger and response URL lead nowhere. */
function command(
  baseUrl: string,
  channel: string,
  user: (typeof users)[keyof typeof users],
  name: string,
  text: string,
  links: { trigger_id: string; response_url: string } = { trigger_id: 'unused.trigger', response_url: 'http://127.0.0.1:9/respond/unused' },
) {
  const body = slashCommandBody({
    command: name,
    text,
    team_id: TEAM,
    user_id: user.id,
    user_name: user.name,
    channel_id: channel,
    ...links,
  });
  return postToSlackApp(`${baseUrl}/slack/events`, SIGNING_SECRET, body, 'application/x-www-form-urlencoded');
}

/** The sales in a database Tally has stopped using, read by opening it again. */
async function storedSales(database: TestDatabase) {
  const reopened = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR });
  try {
    return await reopened.db.selectFrom('sales').select(['rep_id', 'amount_minor', 'customer', 'created_by']).execute();
  } finally {
    await reopened.close();
  }
}

describe('starting with a bad configuration', () => {
  it('exits non-zero at once, naming every bad variable and printing no value', async () => {
    const tally = startProcess(NODE, MAIN, {
      ...baseEnv(),
      SLACK_SIGNING_SECRET: 'topsecret123',
      PORT: 'abc',
      DATABASE_URL: 'postgres://tally:dbpassword456@127.0.0.1:1/tally',
    });

    const exit = await tally.waitForExit(10_000);

    expect(exit.code, tally.describe()).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(tally.stderr).toContain('SLACK_BOT_TOKEN');
    expect(tally.stderr).toContain('PORT');
    const output = tally.stdout + tally.stderr;
    expect(output).not.toContain('topsecret123');
    expect(output).not.toContain('dbpassword456');
  });
});

/** What Tally prints when Slack refuses its token, after `Tally could not start: ` or `Tally is stopping: `. */
const REFUSED =
  "Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page again, or reinstall the app to the workspace";

describe('starting with bad Slack credentials', () => {
  it('exits 1 with one plain line naming invalid_auth, without ever serving requests', async () => {
    const slack = await fakeSlack(false); // no token registered: auth.test answers invalid_auth
    const database = await freshDatabase();
    const tally = startProcess(NODE, MAIN, validEnv(slack.url, database, await freePort()));

    const exit = await tally.waitForExit(20_000);

    expect(exit.code, tally.describe()).toBe(1);
    expect(slack.callsTo('auth.test').map((call) => call.error)).toEqual(['invalid_auth']);
    const errors = tally.logs().filter((entry) => Number(entry.level) >= 50);
    expect(
      errors.map((entry) => entry.msg),
      tally.describe(),
    ).toEqual([`Tally could not start: ${REFUSED}`]);
    expect(errors[0]).not.toHaveProperty('err');
    expect(tally.stdout).not.toContain('stack');
    expect(tally.logMessages()).not.toContain('Tally is running');
    expect(tally.stdout + tally.stderr).not.toContain(BOT_TOKEN);
  }, 30_000);
});

describe('starting while Slack is out of reach', () => {
  type Health = { status: number; body: Record<string, unknown> };
  async function health(baseUrl: string): Promise<Health> {
    const response = await fetch(`${baseUrl}/healthz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  /** Polls /healthz until it says `slack: slackState`; fails early if Tally exits. */
  async function healthUntil(baseUrl: string, tally: TallyProcess, slackState: string, timeoutMs: number): Promise<Health> {
    const deadline = Date.now() + timeoutMs;
    let last: Health | undefined;
    while (Date.now() < deadline && !tally.hasExited) {
      last = await health(baseUrl).catch(() => undefined);
      if (last?.body.slack === slackState) return last;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`/healthz did not say slack: ${slackState} (last: ${JSON.stringify(last)})\n${tally.describe()}`);
  }

  /** Tally started with SLACK_API_URL on a port where nothing listens yet (connection refused). */
  async function startWithoutSlack() {
    const slackPort = await freePort();
    const slackUrl = `http://127.0.0.1:${slackPort}/api/`;
    const database = await freshDatabase();
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const tally = startProcess(NODE, MAIN, validEnv(slackUrl, database, port));
    const unreachable = await healthUntil(baseUrl, tally, 'unreachable', 50_000);
    return { tally, baseUrl, slackPort, slackUrl, unreachable };
  }

  /** A fake Slack on the port Tally was told about, as if Slack came back. */
  async function slackComesBack(port: number, withToken: boolean): Promise<FakeSlack> {
    const slack = await FakeSlack.start({ port });
    if (withToken) seedWorkspace(slack);
    cleanups.push(() => slack.stop());
    return slack;
  }

  it('serves at once with /healthz 200 "slack: unreachable", says why in one line, logs a sale, and reports "ok" once Slack answers', async () => {
    const { tally, baseUrl, slackPort, slackUrl, unreachable } = await startWithoutSlack();

    expect(unreachable).toEqual({ status: 200, body: { status: 'ok', database: 'up', slack: 'unreachable' } });
    expect(tally.logMessages()).toContain('Tally is running');
    const warnings = tally
      .logs()
      .filter((entry) => Number(entry.level) >= 40)
      .map((entry) => entry.msg);
    expect(warnings, tally.describe()).toEqual([
      `Slack is unreachable at ${slackUrl} (connect ECONNREFUSED 127.0.0.1:${slackPort}): Tally keeps serving what it can without Slack and tries again every 1 s to 60 s`,
    ]);
    expect(tally.stdout).not.toContain('http request failed');
    expect(tally.stdout).not.toContain('stack');

    // Commands whose answer needs nothing from Slack are answered as usual: a rep logs a sale.
    const help = await command(baseUrl, CHANNEL, users.rep, '/tally', 'help');
    expect(help.status).toBe(200);
    expect(replyText(help.json)).toContain('/logsale');
    const offline = await command(baseUrl, CHANNEL, users.rep, '/logsale', '1200 Acme');
    expect(offline.status).toBe(200);
    expect(replyText(offline.json), tally.describe()).toContain('Logged $1,200.00 from Acme');

    const slack = await slackComesBack(slackPort, true);
    const ok = await healthUntil(baseUrl, tally, 'ok', 40_000);
    expect(ok).toEqual({ status: 200, body: { status: 'ok', database: 'up', slack: 'ok' } });
    expect(slack.callsTo('auth.test').map((call) => call.error)).toEqual([undefined]);
    expect(tally.logMessages()).toContain(`Slack is reachable again at ${slackUrl}`);
    // Still one warning about Slack's connection: the tries that failed while Slack was away
    // were not logged again. (What the offline sale set going in the background, such as its
    // App Home refresh, may have failed while Slack was away, and says so on its own.)
    const slackWarnings = tally.logs().filter((entry) => Number(entry.level) >= 40 && /^Slack is /.test(String(entry.msg)));
    expect(
      slackWarnings.map((entry) => entry.msg),
      tally.describe(),
    ).toHaveLength(1);

    // With Slack back, the next sale is logged as well, and the rep's totals count both.
    const sale = await logsale(baseUrl, slack, users.rep, '900 Globex');
    expect(replyText(sale.json), tally.describe()).toContain('Logged $900.00 from Globex');
    expect(replyText(sale.json)).toContain('$2,100.00');
    expect(tally.hasExited).toBe(false);
  }, 120_000);

  it('in Socket Mode, serves /healthz at once and says once that the WebSocket could not connect; SIGTERM still exits 0', async () => {
    const slackPort = await freePort();
    const slackUrl = `http://127.0.0.1:${slackPort}/api/`;
    const database = await freshDatabase();
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const { SLACK_SIGNING_SECRET: _unused, ...httpEnv } = validEnv(slackUrl, database, port);
    const tally = startProcess(NODE, MAIN, { ...httpEnv, SLACK_APP_TOKEN: 'xapp-test-socket' });

    const unreachable = await healthUntil(baseUrl, tally, 'unreachable', 50_000);
    expect(unreachable).toEqual({ status: 200, body: { status: 'ok', database: 'up', slack: 'unreachable' } });
    // Tries at 1 s and 2 s after the first go by without another line.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const reason = `connect ECONNREFUSED 127.0.0.1:${slackPort}`;
    const warnings = tally
      .logs()
      .filter((entry) => Number(entry.level) >= 40)
      .map((entry) => entry.msg);
    expect(warnings, tally.describe()).toEqual([
      `Slack is unreachable at ${slackUrl} (${reason}): Tally keeps serving what it can without Slack and tries again every 1 s to 60 s`,
      `Socket Mode could not connect to Slack at ${slackUrl} (${reason}): Tally tries again every 1 s to 60 s`,
    ]);

    tally.signal('SIGTERM');
    expect(await tally.waitForExit(10_000), tally.describe()).toEqual({ code: 0, signal: null });
  }, 120_000);

  it('stops with exit 1 and one plain line when Slack, once back, refuses the token', async () => {
    const { tally, slackPort } = await startWithoutSlack();

    const slack = await slackComesBack(slackPort, false); // no token registered: invalid_auth
    const exit = await tally.waitForExit(40_000);

    expect(exit, tally.describe()).toEqual({ code: 1, signal: null });
    expect(slack.callsTo('auth.test').map((call) => call.error)).toEqual(['invalid_auth']);
    const errors = tally.logs().filter((entry) => Number(entry.level) >= 50);
    expect(
      errors.map((entry) => entry.msg),
      tally.describe(),
    ).toEqual([`Tally is stopping: ${REFUSED}`]);
    expect(tally.logMessages().at(-1)).toBe('stopped');
  }, 120_000);
});

describe('SIGTERM', () => {
  it('stops a running Tally cleanly: exit code 0 within 10 s, "stopping" then "stopped" logged', async () => {
    const slack = await fakeSlack(true);
    const database = await freshDatabase();
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const tally = startProcess(NODE, MAIN, validEnv(slack.url, database, port));
    await waitUntilHealthy(tally, baseUrl, 20_000);

    const reply = await logsale(baseUrl, slack, users.rep, '1200 Acme');
    expect(reply.status).toBe(200);
    expect(replyText(reply.json)).toContain('$1,200.00');

    tally.signal('SIGTERM');
    const exit = await tally.waitForExit(10_000);

    expect(exit, tally.describe()).toEqual({ code: 0, signal: null });
    await tally.waitUntilGone(5_000); // tsx's node child too
    const messages = tally.logMessages();
    expect(messages).toContain('Tally is running');
    const stopping = messages.findIndex((msg) => msg.startsWith('stopping'));
    expect(stopping, tally.describe()).toBeGreaterThan(messages.indexOf('Tally is running'));
    expect(messages.indexOf('stopped'), JSON.stringify(messages)).toBeGreaterThan(stopping);
  }, 30_000);

  it('lets a request that is in flight when SIGTERM arrives finish with 200, and stores its sale', async () => {
    // The admin logs a sale for a rep, so Tally asks Slack (users.info) whether they may; the
    // gate holds that call, so the request is provably in flight when the signal arrives.
    const slack = await fakeSlack(true);
    const gate = await SlackApiGate.start(slack.url);
    cleanups.push(() => gate.stop());
    const database = await freshDatabase();
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const tally = startProcess(NODE, MAIN, validEnv(gate.url, database, port));
    await waitUntilHealthy(tally, baseUrl, 20_000);

    const usersInfo = gate.holdNext('users.info');
    const pending = logsale(baseUrl, slack, users.admin, `900 Globex <@${users.rep.id}|rita>`);
    await usersInfo.arrived;
    tally.signal('SIGTERM');
    await waitUntil(() => tally.logMessages().some((msg) => msg.startsWith('stopping')), 5_000, 'the "stopping" log line');
    expect(tally.hasExited).toBe(false);
    usersInfo.release();

    const reply = await pending;
    const exit = await tally.waitForExit(10_000);

    expect(reply.status, tally.describe()).toBe(200);
    expect(replyText(reply.json), tally.describe()).toContain(`Logged for <@${users.rep.id}> $900.00 from Globex`);
    expect(exit, tally.describe()).toEqual({ code: 0, signal: null });
    expect(tally.logMessages()).toContain('stopped');
    expect(await storedSales(database)).toEqual([
      { rep_id: users.rep.id, amount_minor: 90000n, customer: 'Globex', created_by: users.admin.id },
    ]);
  }, 30_000);
});

describe('npm start', () => {
  async function startWithNpm() {
    const slack = await fakeSlack(true);
    const database = await freshDatabase();
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const tally = startProcess('npm', ['start'], validEnv(slack.url, database, port));
    await waitUntilHealthy(tally, baseUrl, 50_000);
    return { tally, baseUrl };
  }

  it('builds and runs Tally from this checkout; SIGTERM to the process group stops it cleanly', async () => {
    const { tally, baseUrl } = await startWithNpm();
    const health = await fetch(`${baseUrl}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'up', slack: 'ok' });

    tally.signalGroup('SIGTERM'); // what Ctrl-C in a terminal (SIGINT) or systemd's stop does
    await tally.waitUntilGone(10_000);

    const messages = tally.logMessages();
    expect(messages, tally.describe()).toContain('Tally is running');
    expect(messages.some((msg) => msg.startsWith('stopping'))).toBe(true);
    expect(messages.at(-1)).toBe('stopped');
  }, 60_000);

  it('passes a SIGTERM sent to npm on to Tally: npm exits 0 and leaves no process behind', async () => {
    // A process manager that runs `npm start` signals the pid it started: npm. npm forwards the
    // signal to its child; unless that child is Tally itself, Tally never hears of it.
    const { tally } = await startWithNpm();

    tally.signal('SIGTERM');
    const exit = await tally.waitForExit(10_000);

    expect(exit, tally.describe()).toEqual({ code: 0, signal: null });
    await tally.waitUntilGone(5_000);
    expect(tally.logMessages().at(-1)).toBe('stopped');
  }, 60_000);
});
