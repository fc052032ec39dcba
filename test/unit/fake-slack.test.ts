import { setTimeout as sleep } from 'node:timers/promises';
import { LogLevel, webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack, type FakeSlackOptions } from '../../slack-standin/fake-slack.js';
import { viewSubmissionPayload } from '../../slack-standin/slack-signer.js';

const TOKEN = 'xoxb-team-one';
const TEAM = 'T1';
const CHANNEL = 'C1';

let fake: FakeSlack;
let client: webApi.WebClient;

async function startFake(options: FakeSlackOptions = {}): Promise<void> {
  fake = await FakeSlack.start(options);
  fake.addToken(TOKEN, { team_id: TEAM, bot_user_id: 'UBOT' });
  fake.addUser({ id: 'U1', team_id: TEAM, name: 'ana', tz: 'Europe/Paris', email: 'ana@example.com' });
  fake.addChannel({ id: CHANNEL, name: 'sales', team_id: TEAM, members: ['U1', 'UBOT'] });
  client = slackClient(TOKEN);
}

function slackClient(token: string, options: Partial<webApi.WebClientOptions> = {}): webApi.WebClient {
  return new webApi.WebClient(token, {
    slackApiUrl: fake.url,
    logLevel: LogLevel.ERROR,
    retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 },
    ...options,
  });
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('FakeSlack', () => {
  beforeEach(() => startFake());
  afterEach(() => fake.stop());

  it('records chat.postMessage, decodes JSON-encoded fields and returns the message ts', async () => {
    const blocks = [section('*$1,200*')];
    const result = await client.chat.postMessage({ channel: CHANNEL, text: 'Sale logged', blocks });

    const [stored] = fake.messages(CHANNEL);
    expect(result.ts).toBe(stored?.ts);
    expect(result.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(stored).toMatchObject({ text: 'Sale logged', user: 'UBOT', blocks });
    const call = fake.lastCall('chat.postMessage');
    expect(call).toMatchObject({ token: TOKEN, status: 200, args: { channel: CHANNEL, blocks } });
  });

  it('answers an unknown token with invalid_auth', async () => {
    await expect(slackClient('xoxb-unknown').auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    expect(fake.lastCall('auth.test')).toMatchObject({ token: 'xoxb-unknown', error: 'invalid_auth' });
  });

  it('answers auth.test and users.info with Slack shapes, scoped to the token workspace', async () => {
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true, team_id: TEAM, user_id: 'UBOT' });
    const { user } = await client.users.info({ user: 'U1' });
    expect(user).toMatchObject({ id: 'U1', tz: 'Europe/Paris', is_admin: false });
    expect(user?.profile?.email).toBe('ana@example.com');
    expect([3600, 7200]).toContain(user?.tz_offset);

    fake.addToken('xoxb-team-two', { team_id: 'T2', bot_user_id: 'UBOT2' });
    await expect(slackClient('xoxb-team-two').users.info({ user: 'U1' })).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
  });

  it('answers a 429 with Retry-After, after which the WebClient retries and succeeds', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });

    const result = await client.chat.postMessage({ channel: CHANNEL, text: 'Weekly digest' });

    expect(result.ok).toBe(true);
    expect(fake.callsTo('chat.postMessage').map((call) => call.status)).toEqual([429, 200]);
    expect(fake.messages(CHANNEL)).toHaveLength(1);
  });

  it('answers a scripted platform error for the next calls only', async () => {
    fake.failNext('users.info', { error: 'fatal_error', times: 2 });

    await expect(client.users.info({ user: 'U1' })).rejects.toMatchObject({ data: { error: 'fatal_error' } });
    await expect(client.users.info({ user: 'U1' })).rejects.toMatchObject({ data: { error: 'fatal_error' } });
    await expect(client.users.info({ user: 'U1' })).resolves.toMatchObject({ ok: true });
  });

  it('refuses a message with more than 50 blocks as invalid_blocks', async () => {
    const blocks = Array.from({ length: 51 }, (_, index) => section(`row ${index}`));

    await expect(client.chat.postMessage({ channel: CHANNEL, text: 'Leaderboard', blocks })).rejects.toMatchObject({
      data: { error: 'invalid_blocks', errors: ['blocks: must hold at most 50 blocks, got 51'] },
    });
    expect(fake.messages(CHANNEL)).toEqual([]);
  });

  it('refuses messages without text and with too much text', async () => {
    await expect(client.chat.postMessage({ channel: CHANNEL, text: '' })).rejects.toMatchObject({
      data: { error: 'no_text' },
    });
    await expect(client.chat.postMessage({ channel: CHANNEL, text: 'x'.repeat(40_001) })).rejects.toMatchObject({
      data: { error: 'msg_too_long' },
    });
  });

  it('returns posted messages newest first from conversations.history, with metadata on request', async () => {
    const metadata = { event_type: 'digest_posted', event_payload: { slot: '2025-06-02T09:00' } };
    await client.chat.postMessage({ channel: CHANNEL, text: 'first', metadata });
    await client.chat.postMessage({ channel: CHANNEL, text: 'second' });

    const withMetadata = await client.conversations.history({ channel: CHANNEL, include_all_metadata: true });
    expect(withMetadata.messages?.map((message) => message.text)).toEqual(['second', 'first']);
    expect(withMetadata.messages?.[1]?.metadata).toEqual(metadata);

    const plainHistory = await client.conversations.history({ channel: CHANNEL });
    expect(plainHistory.messages?.[1]).not.toHaveProperty('metadata');
  });

  it('stores ephemerals, updates and deletes messages', async () => {
    await client.chat.postEphemeral({ channel: CHANNEL, user: 'U1', text: 'Only you can see this' });
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'Logged $1,200' });
    await client.chat.update({ channel: CHANNEL, ts: String(posted.ts), text: 'Voided' });

    expect(fake.ephemerals(CHANNEL, 'U1')).toMatchObject([{ text: 'Only you can see this' }]);
    expect(fake.messages(CHANNEL)).toMatchObject([{ ts: posted.ts, text: 'Voided' }]);

    await client.chat.delete({ channel: CHANNEL, ts: String(posted.ts) });
    expect(fake.messages(CHANNEL)).toEqual([]);
  });

  it('opens one DM channel per user and accepts a user id as chat.postMessage channel', async () => {
    const opened = await client.conversations.open({ users: 'U1' });
    const posted = await client.chat.postMessage({ channel: 'U1', text: 'Your weekly summary' });

    expect(posted.channel).toBe(opened.channel?.id);
    expect(opened.channel?.id).toMatch(/^D/);
    const { members } = await client.conversations.members({ channel: CHANNEL });
    expect(members).toEqual(['U1', 'UBOT']);
  });

  it('opens a modal with a fresh trigger id and stores it for a later view_submission', async () => {
    const title = { type: 'plain_text' as const, text: 'Log a sale' };
    const modal = { type: 'modal' as const, callback_id: 'log_sale', private_metadata: 'C1', title, blocks: [] };

    const result = await client.views.open({ trigger_id: fake.newTriggerId(), view: modal });

    const [stored] = fake.views();
    expect(result.view?.id).toMatch(/^V/);
    expect(stored).toMatchObject({ id: result.view?.id, callback_id: 'log_sale', team_id: TEAM });
    if (stored === undefined) return;
    const submission = viewSubmissionPayload({ team_id: TEAM, user_id: 'U1', view: stored, values: {} });
    expect(submission.view).toMatchObject({ id: stored.id, hash: stored.hash, private_metadata: 'C1' });
  });

  it('publishes one App Home view per user', async () => {
    const home = { type: 'home' as const, blocks: [section('Your month: 62%')] };

    const first = await client.views.publish({ user_id: 'U1', view: home });
    const updated = { ...home, blocks: [section('Your month: 70%')] };
    const second = await client.views.publish({ user_id: 'U1', view: updated });

    expect(second.view?.id).toBe(first.view?.id);
    expect(fake.homeView('U1')?.blocks).toEqual([section('Your month: 70%')]);
  });

  it('uploads a file through getUploadURLExternal, the upload URL and completeUploadExternal', async () => {
    const content = 'rep,amount\nana,1200\n';
    await client.files.uploadV2({ channel_id: CHANNEL, content, filename: 'sales.csv', title: 'Sales' });

    const [file] = fake.files;
    expect(file?.bytes?.toString('utf8')).toBe(content);
    expect(file).toMatchObject({ filename: 'sales.csv', title: 'Sales', completed: true, channel_id: CHANNEL });
    expect(fake.messages(CHANNEL)).toMatchObject([{ files: [{ id: file?.id, name: 'sales.csv' }] }]);
  });

  it('records what the app posts to a response_url', async () => {
    const url = fake.responseUrl(CHANNEL, 'U1');

    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Sale undone', replace_original: true }),
    });

    expect(answer.status).toBe(200);
    expect(fake.responses).toMatchObject([{ channel_id: CHANNEL, user_id: 'U1', body: { text: 'Sale undone' } }]);
  });

  it('answers unknown methods with unknown_method', async () => {
    await expect(client.apiCall('sales.targets')).rejects.toMatchObject({ data: { error: 'unknown_method' } });
  });

  it('waitForCall resolves with a later call and names the methods seen when it times out', async () => {
    const waiting = fake.waitForCall('chat.postMessage', (call) => call.args.text === 'late');
    await client.chat.postMessage({ channel: CHANNEL, text: 'late' });
    await expect(waiting).resolves.toMatchObject({ args: { text: 'late' } });

    await expect(fake.waitForCall('views.open', undefined, 50)).rejects.toThrow(
      'no matching views.open call within 50 ms; methods called: chat.postMessage',
    );
  });

  it('reset forgets calls and messages but keeps the directory', async () => {
    await client.chat.postMessage({ channel: CHANNEL, text: 'before reset' });
    fake.reset();

    expect(fake.calls).toEqual([]);
    expect(fake.messages(CHANNEL)).toEqual([]);
    await expect(client.users.info({ user: 'U1' })).resolves.toMatchObject({ ok: true });
  });
});

describe('FakeSlack trigger ids', () => {
  afterEach(() => fake.stop());

  const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Set target' }, blocks: [] };

  it('refuses expired and unknown trigger ids', async () => {
    await startFake({ triggerTtlMs: 50 });
    const triggerId = fake.newTriggerId();
    await sleep(80);

    await expect(client.views.open({ trigger_id: triggerId, view: modal })).rejects.toMatchObject({
      data: { error: 'expired_trigger_id' },
    });
    await expect(client.views.open({ trigger_id: '123.456.abc', view: modal })).rejects.toMatchObject({
      data: { error: 'invalid_trigger_id' },
    });
  });

  it('accepts any trigger id when strictTriggers is false', async () => {
    await startFake({ strictTriggers: false });
    await expect(client.views.open({ trigger_id: '123.456.abc', view: modal })).resolves.toMatchObject({ ok: true });
  });
});

describe('FakeSlack per-channel post rate limit', () => {
  afterEach(() => fake.stop());

  it('answers 429 with Retry-After once a channel exceeds its posts per second', async () => {
    await startFake({ postRateLimitPerChannelPerSecond: 1 });
    const impatient = slackClient(TOKEN, { rejectRateLimitedCalls: true });

    await impatient.chat.postMessage({ channel: CHANNEL, text: 'one' });
    await expect(impatient.chat.postMessage({ channel: CHANNEL, text: 'two' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 1,
    });
  });
});

describe('FakeSlack message timestamps on a clock that is set', () => {
  afterEach(() => fake.stop());

  // A clock standing still unless moved, as the sandbox's "Set time" and "Real time" move it.
  const START = Date.UTC(2026, 11, 3, 17, 0, 0);
  const MONDAY = Date.UTC(2026, 11, 7, 14, 30, 0);
  let nowMs = START;
  const clock = { now: () => new Date(nowMs) };
  const post = async (text: string) => String((await client.chat.postMessage({ channel: CHANNEL, text })).ts);

  it('follows the clock back after it was set ahead, and never hands out a ts twice', async () => {
    nowMs = START;
    await startFake({ clock });
    const before = await post('before');
    nowMs = MONDAY;
    const ahead = await post('on Monday');
    nowMs = START + 60_000; // back to "real time", a minute later
    const back = await post('back to today');
    const again = await post('and again');
    nowMs = MONDAY; // set to the same Monday instant once more
    const mondayAgain = await post('Monday again');

    expect([before, ahead, back, again, mondayAgain]).toEqual([
      '1796317200.000000',
      '1796653800.000000',
      '1796317260.000000',
      '1796317260.000001',
      '1796653800.000001',
    ]);
    expect(fake.messages(CHANNEL).map((m) => m.ts)).toEqual([before, ahead, back, again, mondayAgain]);
  });

  it('counts on from the last ts while the clock stands still or is under a second behind', async () => {
    nowMs = START;
    await startFake({ clock });
    const first = await post('one');
    const second = await post('two');
    nowMs = START - 500;
    const third = await post('three');

    expect([first, second, third]).toEqual(['1796317200.000000', '1796317200.000001', '1796317200.000002']);
  });

  it('after a restore, does not reuse a ts the snapshot holds', async () => {
    nowMs = MONDAY;
    await startFake({ clock });
    const ahead = await post('on Monday');
    const snapshot = fake.snapshot();
    await fake.stop();

    nowMs = START;
    await startFake({ clock });
    fake.restore(snapshot);
    const back = await post('today');
    nowMs = MONDAY;
    const mondayAgain = await post('Monday again');

    expect(ahead).toBe('1796653800.000000');
    expect(back).toBe('1796317200.000000');
    expect(mondayAgain).toBe('1796653800.000001');
  });
});
