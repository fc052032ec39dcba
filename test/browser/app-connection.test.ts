// The stand-in's Slack side without a browser: what a person does becomes a request signed as
// Slack signs it, and the app's answers show as Slack shows them (replies, replace/delete
// original, modal stacks with response_action, field errors). The "app" here is a small HTTP
// server that checks signatures and answers what each test scripts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppConnection } from '../../slack-standin/app-connection.js';
import { FakeSlack } from '../../slack-standin/fake-slack.js';
import { signRequest } from '../../slack-standin/slack-signer.js';

const SECRET = 'stand-in-secret';
const TEAM = 'T1';
const CHANNEL = 'C1';
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const modal = (title: string) => ({
  type: 'modal',
  callback_id: 'form',
  title: { type: 'plain_text', text: title },
  submit: { type: 'plain_text', text: 'Save' },
  blocks: [section(title)],
});

interface Received {
  body: string;
  form: URLSearchParams;
  payload?: Record<string, unknown>;
}

let slack: FakeSlack;
let app: Server;
let connection: AppConnection;
let received: Received[] = [];
/** What the app answers next: a JSON body, or a status with no body. */
let answer: (request: Received) => { status?: number; json?: unknown; delayMs?: number } = () => ({});

beforeAll(async () => {
  slack = await FakeSlack.start();
  slack.addToken('xoxb-t1', { team_id: TEAM, bot_user_id: 'UBOT' });
  slack.addUser({ id: 'U1', team_id: TEAM, name: 'ana' });
  slack.addUser({ id: 'U2', team_id: TEAM, name: 'raj' });
  slack.addChannel({ id: CHANNEL, name: 'sales', team_id: TEAM, members: ['U1', 'U2'] });
  app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const timestamp = Number(req.headers['x-slack-request-timestamp']);
      if (signRequest(SECRET, body, timestamp)['x-slack-signature'] !== req.headers['x-slack-signature']) {
        res.writeHead(401).end();
        return;
      }
      const form = new URLSearchParams(body);
      const payload = form.get('payload');
      const request: Received = { body, form, ...(payload ? { payload: JSON.parse(payload) as Record<string, unknown> } : {}) };
      received.push(request);
      const { status = 200, json, delayMs = 0 } = answer(request);
      setTimeout(() => {
        if (json === undefined) res.writeHead(status).end();
        else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  connection = new AppConnection({
    slack,
    requestUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}/slack/events`,
    signingSecret: SECRET,
    teamId: TEAM,
    commands: [{ command: '/logsale', should_escape: true }, { command: '/plain' }],
    botEvents: new Set(['app_home_opened']),
    timeoutMs: 500,
  });
});

afterAll(async () => {
  app.closeAllConnections();
  await new Promise((resolve) => app.close(resolve));
  await slack.stop();
});

beforeEach(() => {
  slack.reset();
  received = [];
  answer = () => ({});
});

describe('slash commands', () => {
  it('sends a signed command with Slack’s escaping and shows the answer to the person only', async () => {
    answer = () => ({ json: { response_type: 'ephemeral', text: 'Logged', blocks: [section(':white_check_mark: Logged')] } });
    expect(await connection.command('U1', CHANNEL, '/logsale 1200 A&B for @raj in #sales #widgets')).toEqual({ ok: true });
    const form = received[0]!.form;
    expect(form.get('command')).toBe('/logsale');
    expect(form.get('text')).toBe('1200 A&amp;B for <@U2|raj> in <#C1|sales> #widgets');
    expect(form.get('user_name')).toBe('ana');
    expect(slack.visibleMessages(CHANNEL, 'U1')).toMatchObject([{ ephemeral: true, source: 'command_reply', text: 'Logged' }]);
    expect(slack.visibleMessages(CHANNEL, 'U2')).toEqual([]);
  });

  it('leaves @ and # alone without should_escape, and refuses a command the app does not have', async () => {
    await connection.command('U1', CHANNEL, '/plain @raj');
    expect(received[0]!.form.get('text')).toBe('@raj');
    expect(await connection.command('U1', CHANNEL, '/nope')).toMatchObject({
      ok: false,
      error: expect.stringContaining('/nope is not a valid command'),
    });
    expect(received).toHaveLength(1);
  });

  it('posts an in_channel answer for everyone, and refuses one that breaks Block Kit limits', async () => {
    answer = () => ({ json: { response_type: 'in_channel', text: 'Leaderboard' } });
    await connection.command('U1', CHANNEL, '/plain board');
    expect(slack.visibleMessages(CHANNEL, 'U2')).toMatchObject([{ ephemeral: false, text: 'Leaderboard' }]);
    answer = () => ({ json: { text: 'x', blocks: Array.from({ length: 51 }, () => section('x')) } });
    expect(await connection.command('U1', CHANNEL, '/plain big')).toMatchObject({
      ok: false,
      error: expect.stringContaining('invalid_blocks'),
    });
  });

  it('says so when the app answers late or not at all, as Slack does', async () => {
    answer = () => ({ delayMs: 800 });
    expect(await connection.command('U1', CHANNEL, '/plain slow')).toEqual({
      ok: false,
      error: '/plain failed with the error "operation_timeout"',
    });
    answer = () => ({ status: 500 });
    expect(await connection.command('U1', CHANNEL, '/plain broken')).toMatchObject({
      ok: false,
      error: expect.stringContaining('http_error'),
    });
  });
});

describe('clicks in messages', () => {
  it('replace_original edits the ephemeral clicked in; delete_original removes it; a plain reply adds one', async () => {
    answer = () => ({ json: { text: 'Sale logged', blocks: [section('Sale logged')] } });
    await connection.command('U1', CHANNEL, '/plain 10');
    const [logged] = slack.visibleMessages(CHANNEL, 'U1');
    const click = { type: 'button', action_id: 'undo', block_id: 'sale', value: '42' } as const;

    await connection.act('U1', { kind: 'message', channelId: CHANNEL, message: logged! }, click);
    const payload = received.at(-1)!.payload!;
    expect(payload).toMatchObject({
      type: 'block_actions',
      container: { is_ephemeral: true, message_ts: logged!.ts },
      actions: [{ action_id: 'undo', value: '42' }],
    });
    await post(String(payload.response_url), { replace_original: true, text: 'Voided' });
    expect(slack.visibleMessages(CHANNEL, 'U1')).toMatchObject([{ ts: logged!.ts, text: 'Voided' }]);

    await post(String(payload.response_url), { text: 'One more thing' });
    expect(slack.visibleMessages(CHANNEL, 'U1').map((m) => m.text)).toEqual(['Voided', 'One more thing']);
    await post(String(payload.response_url), { delete_original: true });
    expect(slack.visibleMessages(CHANNEL, 'U1').map((m) => m.text)).toEqual(['One more thing']);
  });
});

describe('modals', () => {
  async function openModal(title: string) {
    const trigger = slack.newTriggerId('U1');
    const response = await fetch(`${slack.url}views.open`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-t1', 'content-type': 'application/json' },
      body: JSON.stringify({ trigger_id: trigger, view: modal(title) }),
    });
    return ((await response.json()) as { view: { id: string } }).view.id;
  }

  it('keeps each person’s stack: push, update, errors, close', async () => {
    const first = await openModal('First');
    expect(slack.modalStack('U1').map((v) => v.id)).toEqual([first]);
    expect(slack.modalStack('U2')).toEqual([]);

    answer = () => ({ json: { response_action: 'push', view: modal('Second') } });
    await connection.submitView('U1', first, {});
    const [, second] = slack.modalStack('U1');
    expect(second).toMatchObject({ title: { text: 'Second' }, previous_view_id: first, root_view_id: first });

    answer = () => ({ json: { response_action: 'update', view: modal('Second, updated') } });
    await connection.submitView('U1', second!.id, {});
    expect(slack.modalStack('U1').map((v) => (v.title as { text: string }).text)).toEqual(['First', 'Second, updated']);

    answer = () => ({ json: { response_action: 'errors', errors: { amount: 'Enter an amount' } } });
    expect(await connection.submitView('U1', second!.id, {})).toEqual({ ok: true, errors: { amount: 'Enter an amount' } });
    expect(slack.modalStack('U1')).toHaveLength(2);

    answer = () => ({});
    await connection.submitView('U1', second!.id, {});
    expect(slack.modalStack('U1').map((v) => v.id)).toEqual([first]);
    await connection.closeView('U1', first);
    expect(slack.modalStack('U1')).toEqual([]);
  });

  it('sends the values entered with a block action in a modal, and clears the stack on response_action clear', async () => {
    const id = await openModal('Form');
    const values = { who: { pick: { type: 'users_select', selected_user: 'U2' } } };
    await connection.act(
      'U1',
      { kind: 'view', viewId: id, values },
      { type: 'users_select', action_id: 'pick', block_id: 'who', selected_user: 'U2' },
    );
    expect(received.at(-1)!.payload).toMatchObject({
      type: 'block_actions',
      view: { id, state: { values } },
      actions: [{ selected_user: 'U2' }],
    });
    answer = () => ({ json: { response_action: 'clear' } });
    await connection.submitView('U1', id, values);
    expect(slack.modalStack('U1')).toEqual([]);
  });

  it('refuses views.open with a trigger older than 3 seconds', async () => {
    const trigger = slack.newTriggerId('U1');
    const realNow = Date.now;
    Date.now = () => realNow() + 3_500;
    try {
      const response = await fetch(`${slack.url}views.open`, {
        method: 'POST',
        headers: { authorization: 'Bearer xoxb-t1', 'content-type': 'application/json' },
        body: JSON.stringify({ trigger_id: trigger, view: modal('Late') }),
      });
      expect(await response.json()).toMatchObject({ ok: false, error: 'expired_trigger_id' });
    } finally {
      Date.now = realNow;
    }
    expect(slack.modalStack('U1')).toEqual([]);
  });
});

it('sends app_home_opened as a signed Events API envelope when the app subscribes to it', async () => {
  await connection.openAppHome('U1', 'home');
  const envelope = JSON.parse(received[0]!.body) as { type: string; event: Record<string, unknown> };
  expect(envelope).toMatchObject({
    type: 'event_callback',
    event: { type: 'app_home_opened', user: 'U1', tab: 'home', channel: slack.directMessageWith('U1').id },
  });
});

function post(url: string, body: unknown) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}
