import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isValidSlackRequest, verifySlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockActionsPayload,
  eventBody,
  interactionBody,
  postToSlackApp,
  signRequest,
  slashCommandBody,
  viewSubmissionPayload,
} from '../../slack-standin/slack-signer.js';

const SECRET = 'test-signing-secret';

function verify(secret: string, body: string, headers: Record<string, string>, nowMilliseconds?: number): void {
  verifySlackRequest({
    signingSecret: secret,
    body,
    headers: {
      'x-slack-signature': headers['x-slack-signature'] ?? '',
      'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
    },
    ...(nowMilliseconds === undefined ? {} : { nowMilliseconds }),
  });
}

describe('signRequest', () => {
  const body = slashCommandBody({ command: '/logsale', text: '1200 Acme', team_id: 'T1', user_id: 'U1' });

  it('produces a signature Bolt accepts', () => {
    expect(() => verify(SECRET, body, signRequest(SECRET, body))).not.toThrow();
  });

  it('is rejected when the body changes after signing', () => {
    const headers = signRequest(SECRET, body);
    expect(() => verify(SECRET, body.replace('1200', '9999'), headers)).toThrow(/signature mismatch/);
  });

  it('is rejected under another secret', () => {
    expect(() => verify('another-secret', body, signRequest(SECRET, body))).toThrow(/signature mismatch/);
  });

  it('is rejected once older than the 5-minute replay window', () => {
    const now = Date.now();
    const sixMinutesAgo = Math.floor(now / 1000) - 6 * 60;
    expect(() => verify(SECRET, body, signRequest(SECRET, body, sixMinutesAgo), now)).toThrow(/stale/);
  });

  it('returns only the two Slack headers', () => {
    expect(Object.keys(signRequest(SECRET, body, 1_700_000_000))).toEqual(['x-slack-signature', 'x-slack-request-timestamp']);
  });
});

describe('request bodies', () => {
  it('encodes a slash command with Slack fields in Slack order and unique trigger ids', () => {
    const fields = { command: '/logsale', text: '1,200 Acme & Co', team_id: 'T1', user_id: 'U1' };
    const first = new URLSearchParams(slashCommandBody(fields));
    const second = new URLSearchParams(slashCommandBody(fields));

    expect([...first.keys()]).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(first.get('text')).toBe('1,200 Acme & Co');
    expect(first.get('is_enterprise_install')).toBe('false');
    expect(first.get('trigger_id')).not.toBe(second.get('trigger_id'));
  });

  it('wraps an interaction payload as url-encoded JSON in `payload`', () => {
    const body = interactionBody({ type: 'block_actions', note: 'a&b=c' });
    const payload = new URLSearchParams(body).get('payload') ?? '';
    expect(JSON.parse(payload)).toEqual({ type: 'block_actions', note: 'a&b=c' });
  });

  it('builds an event_callback envelope', () => {
    const envelope = JSON.parse(eventBody({ team_id: 'T1', event: { type: 'app_home_opened', user: 'U1' }, bot_user_id: 'UBOT' }));
    expect(envelope).toMatchObject({
      type: 'event_callback',
      team_id: 'T1',
      event: { type: 'app_home_opened', user: 'U1' },
      authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
    });
    expect(envelope.event_id).toMatch(/^Ev/);
    expect(typeof envelope.event_time).toBe('number');
  });

  it('builds a view_submission payload around the opened view', () => {
    const view = { id: 'V1', callback_id: 'log_sale', private_metadata: '{"c":"C1"}', hash: 'h1', blocks: [] };
    const values = { amount: { amount: { type: 'plain_text_input', value: '1200' } } };
    const payload = viewSubmissionPayload({ team_id: 'T1', user_id: 'U1', view, values });

    expect(payload).toMatchObject({
      type: 'view_submission',
      team: { id: 'T1' },
      user: { id: 'U1', team_id: 'T1' },
      view: { id: 'V1', team_id: 'T1', type: 'modal', callback_id: 'log_sale', private_metadata: '{"c":"C1"}' },
      response_urls: [],
      is_enterprise_install: false,
    });
    expect(payload.view.state.values).toEqual(values);
  });

  it('builds a block_actions payload for a button in a message', () => {
    const payload = blockActionsPayload({
      team_id: 'T1',
      user_id: 'U1',
      channel_id: 'C1',
      response_url: 'http://127.0.0.1/respond/x',
      message: { ts: '1700000000.000100', text: 'Logged' },
      actions: [{ action_id: 'undo_sale', block_id: 'sale', value: '42', type: 'button' }],
    });

    expect(payload).toMatchObject({
      type: 'block_actions',
      container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C1' },
      channel: { id: 'C1' },
      message: { type: 'message', ts: '1700000000.000100' },
      response_url: 'http://127.0.0.1/respond/x',
      actions: [{ action_id: 'undo_sale', block_id: 'sale', value: '42', type: 'button' }],
    });
    expect(payload.actions[0]?.action_ts).toMatch(/^\d+\.\d{6}$/);
  });
});

describe('postToSlackApp', () => {
  let server: Server;
  let url: string;

  // A stand-in app that answers 200 with JSON to signed requests and 401 to others.
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const valid = isValidSlackRequest({
          signingSecret: SECRET,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: {
            'x-slack-signature': String(req.headers['x-slack-signature']),
            'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
          },
        });
        res.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ valid, contentType: req.headers['content-type'] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends a signed request and parses a JSON answer', async () => {
    const body = eventBody({ team_id: 'T1', event: { type: 'app_home_opened' } });
    const response = await postToSlackApp(url, SECRET, body, 'application/json');
    expect(response).toMatchObject({ status: 200, json: { valid: true, contentType: 'application/json' } });
  });

  it('forges the signature when asked', async () => {
    const body = interactionBody({ type: 'block_actions' });
    const response = await postToSlackApp(url, SECRET, body, 'application/x-www-form-urlencoded', {
      badSignature: true,
    });
    expect(response.status).toBe(401);
  });
});
