// SlackConnection against the fake Slack Web API: what /healthz reports, the one line logged
// while Slack is out of reach, the reason it names, and the refusals that stop Tally.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { SlackConnection, SlackRefusedError } from '../../src/slack/slack-connection.js';
import { FakeSlack } from '../../slack-standin/fake-slack.js';
import { freePort } from '../support/tally-process.js';

const TOKEN = 'xoxb-team-one';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function logged() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = createLogger(
    'debug',
    new Writable({
      write: (chunk, _enc, done) => {
        lines.push(JSON.parse(String(chunk)) as { level: number; msg: string });
        done();
      },
    }),
  );
  return {
    logger,
    warnings: () => lines.filter((line) => line.level >= 40).map((line) => line.msg),
    infos: () => lines.filter((line) => line.level === 30).map((line) => line.msg),
  };
}

async function fakeSlack(port?: number, withToken = true): Promise<FakeSlack> {
  const fake = await FakeSlack.start(port === undefined ? {} : { port });
  if (withToken) fake.addToken(TOKEN, { team_id: 'T1', bot_user_id: 'UBOT' });
  cleanups.push(() => fake.stop());
  return fake;
}

function connect(
  apiUrl: string,
  botToken: string | undefined,
  logger: ReturnType<typeof logged>['logger'],
  timeoutMs = 2_000,
): SlackConnection {
  const connection = new SlackConnection({ apiUrl, botToken, logger, minDelayMs: 20, maxDelayMs: 80, timeoutMs }).start();
  cleanups.push(() => connection.stop());
  return connection;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('SlackConnection', () => {
  it('is "checking" until Slack answers, then "ok" with the bot ids from auth.test', async () => {
    const fake = await fakeSlack();
    const log = logged();
    const connection = connect(fake.url, TOKEN, log.logger);
    expect(connection.status).toBe('checking');
    await connection.firstAnswer(5_000);
    expect(connection.status).toBe('ok');
    expect(connection.identity).toEqual({ botUserId: 'UBOT', botId: expect.stringMatching(/^B/) });
    expect(fake.callsTo('auth.test').map((call) => call.token)).toEqual([TOKEN]);
    expect(log.warnings()).toEqual([]);
  });

  it('without a bot token (OAuth) asks api.test, with no token, and is never refused', async () => {
    const fake = await fakeSlack(undefined, false);
    const connection = connect(fake.url, undefined, logged().logger);
    await connection.firstAnswer(5_000);
    expect(connection.status).toBe('ok');
    expect(fake.callsTo('api.test').map((call) => call.token)).toEqual([undefined]);
    expect(fake.callsTo('auth.test')).toEqual([]);
  });

  it.each([['invalid_auth'], ['account_inactive'], ['token_revoked'], ['not_authed']])(
    'resolves `refused` when auth.test answers %s, and tries no more',
    async (code) => {
      const fake = await fakeSlack();
      fake.failNext('auth.test', { error: code });
      const connection = connect(fake.url, TOKEN, logged().logger);
      const refusal = await connection.refused;
      expect(refusal).toBeInstanceOf(SlackRefusedError);
      expect(refusal.code).toBe(code);
      expect(refusal.message).toBe(
        `Slack refused SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page again, or reinstall the app to the workspace`,
      );
      expect(connection.refusedWith).toBe(refusal);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(fake.callsTo('auth.test')).toHaveLength(1);
    },
  );

  // Each failure is answered to one try; the next try reaches the fake's normal answer.
  it.each([
    ['HTTP 503', { status: 503 }, 'HTTP 503'],
    ['a Slack error that is no refusal', { error: 'fatal_error' }, 'fatal_error'],
    ['rate limited', { status: 429, retryAfter: 1 }, 'rate limited'],
  ] as const)('names the reason once (%s), then says when Slack is reachable again', async (_name, fault, reason) => {
    const fake = await fakeSlack();
    fake.failNext('auth.test', { ...fault, times: 3 });
    const log = logged();
    const connection = connect(fake.url, TOKEN, log.logger);
    await until(() => connection.status === 'ok', '"ok"');
    expect(fake.callsTo('auth.test')).toHaveLength(4);
    expect(log.warnings()).toEqual([
      `Slack is unreachable at ${fake.url} (${reason}): Tally keeps serving what it can without Slack and tries again every 20 ms to 80 ms`,
    ]);
    expect(log.infos()).toEqual([`Slack is reachable again at ${fake.url}`]);
  });

  it('says "no answer in time" when a try gets no answer', async () => {
    const fake = await fakeSlack();
    fake.hangNext('auth.test', { afterHandling: false });
    const log = logged();
    const connection = connect(fake.url, TOKEN, log.logger, 200);
    await until(() => connection.status === 'ok', '"ok"');
    expect(log.warnings()).toEqual([
      `Slack is unreachable at ${fake.url} (no answer in time): Tally keeps serving what it can without Slack and tries again every 20 ms to 80 ms`,
    ]);
  });

  it('names a refused connection and keeps trying until a Slack listens on that port', async () => {
    const port = await freePort();
    const apiUrl = `http://127.0.0.1:${port}/api/`;
    const log = logged();
    const connection = connect(apiUrl, TOKEN, log.logger);
    await connection.firstAnswer(5_000);
    expect(connection.status).toBe('unreachable');
    await new Promise((resolve) => setTimeout(resolve, 200)); // several tries, one line
    expect(log.warnings()).toEqual([
      `Slack is unreachable at ${apiUrl} (connect ECONNREFUSED 127.0.0.1:${port}): Tally keeps serving what it can without Slack and tries again every 20 ms to 80 ms`,
    ]);

    await fakeSlack(port);
    await until(() => connection.status === 'ok', '"ok"');
    expect(log.warnings()).toHaveLength(1);
  });

  it('stops trying once stopped', async () => {
    const port = await freePort();
    const connection = connect(`http://127.0.0.1:${port}/api/`, TOKEN, logged().logger);
    await connection.firstAnswer(5_000);
    connection.stop();
    const fake = await fakeSlack(port);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.callsTo('auth.test')).toEqual([]);
    expect(connection.status).toBe('unreachable');
  });
});
