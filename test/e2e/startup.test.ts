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
  const body = slashCommandBody({
    command: '/logsale',
    text,
    team_id: TEAM,
    user_id: user.id,
    user_name: user.name,
    channel_id: CHANNEL,
    trigger_id: slack.newTriggerId(),
    response_url: slack.responseUrl(CHANNEL, user.id),
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

describe('starting with bad Slack credentials', () => {
  it('exits non-zero, saying auth.test failed, without ever serving requests', async () => {
    const slack = await fakeSlack(false); // no token registered: auth.test answers invalid_auth
    const database = await freshDatabase();
    const tally = startProcess(NODE, MAIN, validEnv(slack.url, database, await freePort()));

    const exit = await tally.waitForExit(20_000);

    expect(exit.code, tally.describe()).toBe(1);
    expect(slack.callsTo('auth.test').map((call) => call.error)).toEqual(['invalid_auth']);
    expect(tally.logMessages()).toContain('Tally could not start');
    expect(tally.stdout).toContain('invalid_auth');
    expect(tally.logMessages()).not.toContain('Tally is running');
    expect(tally.stdout + tally.stderr).not.toContain(BOT_TOKEN);
  }, 30_000);
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
    expect(await storedSales(database)).toEqual([{ rep_id: users.rep.id, amount_minor: 90000n, customer: 'Globex', created_by: users.admin.id }]);
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
    expect(await health.json()).toEqual({ status: 'ok', database: 'up' });

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
