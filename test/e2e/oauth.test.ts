// Multi-workspace install through OAuth: the install flow, tokens sealed in the database,
// requests from a workspace that has not installed Tally refused, uninstall forgetting tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { BOT_SCOPES } from '../../src/slack/ids.js';
import { eventBody, slashCommandBody } from '../../slack-standin/slack-signer.js';
import { CHANNEL, Harness, replyText, TEAM, users } from '../support/harness.js';

const OAUTH = { SLACK_CLIENT_ID: '1234.5678', SLACK_CLIENT_SECRET: 'client-secret-9f8e', SLACK_STATE_SECRET: 'state-secret-1a2b' };
const TOKEN = 'xoxb-oauth-acme-7c1d';
let h: Harness;

beforeAll(async () => {
  h = await Harness.start({ env: { ...OAUTH, SLACK_BOT_TOKEN: '', ADMIN_USER_IDS: users.manager.id } });
});
afterAll(() => h.stop());

async function install() {
  const start = await fetch(`${h.baseUrl}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  expect(`${authorize.origin}${authorize.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
  expect(authorize.searchParams.get('client_id')).toBe(OAUTH.SLACK_CLIENT_ID);
  expect(authorize.searchParams.get('scope')!.split(',').sort()).toEqual([...BOT_SCOPES].sort());
  const state = authorize.searchParams.get('state')!;
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  h.slack.addOAuthCode('code-acme', {
    team_id: TEAM,
    token: TOKEN,
    bot_user_id: 'U0TALLYBOT',
    client_id: OAUTH.SLACK_CLIENT_ID,
    client_secret: OAUTH.SLACK_CLIENT_SECRET,
  });
  return fetch(`${h.baseUrl}/slack/oauth_redirect?code=code-acme&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
    redirect: 'manual',
  });
}

const signedCommand = (team: string, text: string) =>
  h.post(
    slashCommandBody({
      command: '/logsale',
      text,
      team_id: team,
      user_id: users.rep.id,
      channel_id: CHANNEL,
      trigger_id: h.slack.newTriggerId(),
      response_url: h.slack.responseUrl(CHANNEL, users.rep.id),
    }),
    'application/x-www-form-urlencoded',
  );

describe('OAuth install', () => {
  it('checks that Slack answers with api.test, which needs no token, and says so on /healthz', async () => {
    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'up', slack: 'ok' });
    expect(h.slack.callsTo('auth.test')).toEqual([]);
    expect(h.slack.callsTo('api.test').map((call) => [call.token, call.status])).toEqual([[undefined, 200]]);
  });

  it('refuses requests from a workspace that has not installed Tally with 401, writing nothing', async () => {
    const reply = await signedCommand(TEAM, '1200 Acme');
    expect(reply.status).toBe(401);
    expect(await h.db.selectFrom('sales').selectAll().execute()).toHaveLength(0);
    expect(await h.db.selectFrom('workspaces').selectAll().execute()).toHaveLength(0);
  });

  it('installs through /slack/install and /slack/oauth_redirect, sealing the token in the database', async () => {
    const done = await install();
    expect(done.status).toBe(200);
    const [row] = await h.db.selectFrom('slack_installations').selectAll().execute();
    expect(row).toMatchObject({ team_id: TEAM, bot_user_id: 'U0TALLYBOT' });
    expect(row!.installation_sealed).not.toContain(TOKEN);
    expect(row!.installation_sealed).toMatch(/^v1\./);
  });

  it('then serves that workspace with its own token', async () => {
    const reply = await signedCommand(TEAM, '1200 Acme');
    expect(reply.status).toBe(200);
    expect(replyText(reply.json)).toContain('$1,200.00');
    await signedCommand(TEAM, '');
    const open = await h.slack.waitForCall('views.open');
    expect(open.token).toBe(TOKEN);
  });

  it('still refuses a workspace that has not installed it', async () => {
    const reply = await signedCommand('T0STRANGER', '500 Nope');
    expect(reply.status).toBe(401);
    expect(await h.db.selectFrom('sales').selectAll().where('team_id', '=', 'T0STRANGER').execute()).toHaveLength(0);
  });

  it('posts the digest with the workspace’s own token', async () => {
    await h.command(users.manager, '/tally', 'digest here');
    h.slack.reset();
    const result = await h.digestTick(new Date('2026-11-30T14:00:00Z'));
    expect(result.posted).toBe(1);
    expect(h.slack.callsTo('chat.postMessage').map((c) => c.token)).toEqual([TOKEN]);
  });

  it('forgets the tokens and stops scheduled posts on app_uninstalled, keeping the sales', async () => {
    const event = eventBody({ team_id: TEAM, event: { type: 'app_uninstalled', event_ts: '1795726000.000100' } });
    expect((await h.post(event, 'application/json')).status).toBe(200);
    for (let i = 0; i < 50 && (await h.db.selectFrom('slack_installations').selectAll().execute()).length > 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await h.db.selectFrom('slack_installations').selectAll().execute()).toHaveLength(0);
    expect(await h.db.selectFrom('digest_subscriptions').selectAll().execute()).toHaveLength(0);
    expect(await h.db.selectFrom('sales').selectAll().execute()).toHaveLength(1);
    expect((await signedCommand(TEAM, '1200 Acme')).status).toBe(401);
    expect((await h.digestTick(new Date('2026-12-07T14:00:00Z'))).posted).toBe(0);
  });
});

describe('OAuth with Slack out of reach at start', () => {
  let away: Harness;
  beforeAll(async () => {
    // Nothing listens on port 1 of this host: every Web API call fails at once.
    away = await Harness.start({ env: { ...OAUTH, SLACK_BOT_TOKEN: '', SLACK_API_URL: 'http://127.0.0.1:1/api/' } });
  });
  afterAll(() => away.stop());

  it('starts anyway: /healthz is 200 with slack "unreachable", one line says why, and the install page is served', async () => {
    const health = await fetch(`${away.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'up', slack: 'unreachable' });
    const warnings = away.logs.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((entry) => entry.level >= 40);
    expect(warnings.map((entry) => entry.msg)).toEqual([
      'Slack is unreachable at http://127.0.0.1:1/api/ (bad port): Tally keeps serving what it can without Slack and tries again every 1 s to 60 s',
    ]);
    const start = await fetch(`${away.baseUrl}/slack/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    expect(new URL(start.headers.get('location')!).searchParams.get('client_id')).toBe(OAUTH.SLACK_CLIENT_ID);
  });
});

describe('manifest.yml', () => {
  it('declares exactly the bot scopes Tally asks for at install', () => {
    const manifest = parse(readFileSync('manifest.yml', 'utf8')) as { oauth_config: { scopes: { bot: string[] } } };
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
  });
});
