// Correctly signed requests whose body is malformed or incomplete, as a broken or hostile
// client could send them: each gets a 400, reaches no listener, stores nothing and calls
// nothing in Slack; afterwards the same Tally still logs a sale. Also what the ack-less
// failure paths answer: never a 5xx, never an unhandled rejection.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.js';
import { FakeSlack } from '../../slack-standin/fake-slack.js';
import { blockActionsPayload, eventBody, interactionBody, postToSlackApp, slashCommandBody } from '../../slack-standin/slack-signer.js';
import { BOT_TOKEN, CHANNEL, Harness, SIGNING_SECRET, TEAM, replyText, seedWorkspace, users } from '../support/harness.js';
import { TallyProcess, baseEnv, freePort, waitUntilHealthy } from '../support/tally-process.js';
import { createTestDatabase } from '../support/test-database.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

let h: Harness;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  h = await Harness.start();
});
afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await h.stop();
});
beforeEach(async () => {
  await h.db.deleteFrom('workspaces').execute();
  h.slack.reset();
  h.logs.length = 0;
});

const payload = (value: string) => new URLSearchParams({ payload: value }).toString();
const without = (object: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(object).filter(([k]) => k !== key));

function click() {
  return blockActionsPayload({
    team_id: TEAM,
    user_id: users.rep.id,
    channel_id: CHANNEL,
    response_url: h.slack.responseUrl(CHANNEL, users.rep.id),
    actions: [{ type: 'button', action_id: ACTIONS.undoSale, block_id: 'sale', value: '1' }],
  }) as unknown as Record<string, unknown>;
}

function submission() {
  return {
    type: 'view_submission',
    team: { id: TEAM, domain: 'acme' },
    user: { id: users.rep.id, team_id: TEAM },
    api_app_id: 'A0TALLYAPP',
    view: { id: 'V1', callback_id: 'log_sale', state: { values: {} } },
  };
}

function slashCommand(drop: string): string {
  const fields = new URLSearchParams(
    slashCommandBody({
      command: '/logsale',
      text: '1200 Acme',
      team_id: TEAM,
      user_id: users.rep.id,
      channel_id: CHANNEL,
      response_url: h.slack.responseUrl(CHANNEL, users.rep.id),
    }),
  );
  fields.delete(drop);
  return fields.toString();
}

function eventWithout(key: 'event' | 'team_id'): string {
  const envelope = JSON.parse(
    eventBody({ team_id: TEAM, event: { type: 'app_home_opened', user: users.rep.id, channel: 'D0REP1', tab: 'home' } }),
  ) as Record<string, unknown>;
  return JSON.stringify(without(envelope, key));
}

const malformed: Array<[string, () => string, typeof FORM | typeof JSON_TYPE]> = [
  ['payload=null', () => payload('null'), FORM],
  ['payload=[]', () => payload('[]'), FORM],
  ['payload="x"', () => payload('"x"'), FORM],
  ['payload=42', () => payload('42'), FORM],
  ['payload that is not JSON', () => payload('{"type": "block_actions"'), FORM],
  ['payload={} (no type)', () => payload('{}'), FORM],
  ['payload of an unknown type', () => payload('{"type":"shortcut"}'), FORM],
  ['payload whose type is not a string', () => payload('{"type":["block_actions"]}'), FORM],
  ['JSON body null', () => 'null', JSON_TYPE],
  ['JSON body that is an array', () => '[{"type":"event_callback"}]', JSON_TYPE],
  ['JSON body that is a string', () => '"event_callback"', JSON_TYPE],
  ['body that is not JSON', () => '{"type":', JSON_TYPE],
  ['empty body', () => '', JSON_TYPE],
  ['block_actions without user', () => interactionBody(without(click(), 'user')), FORM],
  ['block_actions without actions', () => interactionBody(without(click(), 'actions')), FORM],
  ['block_actions with no action', () => interactionBody({ ...click(), actions: [] }), FORM],
  ['block_actions with an action that is null', () => interactionBody({ ...click(), actions: [null] }), FORM],
  ['view_submission without view', () => interactionBody(without(submission(), 'view')), FORM],
  ['view_submission without user', () => interactionBody(without(submission(), 'user')), FORM],
  ['view_submission whose view is a string', () => interactionBody({ ...submission(), view: 'V1' }), FORM],
  ['slash command without command', () => slashCommand('command'), FORM],
  ['slash command without user_id', () => slashCommand('user_id'), FORM],
  ['slash command without team_id', () => slashCommand('team_id'), FORM],
  ['event_callback without event', () => eventWithout('event'), JSON_TYPE],
  ['event_callback without team_id', () => eventWithout('team_id'), JSON_TYPE],
  ['event_callback whose event is null', () => JSON.stringify({ type: 'event_callback', team_id: TEAM, event: null }), JSON_TYPE],
];

describe('a signed request with a malformed body', () => {
  it.each(malformed)('%s: 400, logged with a request id, nothing stored, nothing sent to Slack', async (_name, body, contentType) => {
    const reply = await h.post(body(), contentType);

    expect(reply.status).toBe(400);
    expect(await h.db.selectFrom('sales').selectAll().execute()).toEqual([]);
    expect(await h.db.selectFrom('workspaces').selectAll().execute()).toEqual([]);
    expect(h.slack.calls).toEqual([]);
    expect(h.slack.responses).toEqual([]);
    const refused = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ status: 400, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(rejections).toEqual([]);
  });

  it('all of them in a row leave Tally serving: a normal /logsale afterwards is stored and confirmed', async () => {
    for (const [name, body, contentType] of malformed) expect((await h.post(body(), contentType)).status, name).toBe(400);

    const reply = await h.command(users.rep, '/logsale', '1200 Acme');

    expect(reply.status).toBe(200);
    expect(replyText(reply.json)).toContain('$1,200.00');
    const sales = await h.db.selectFrom('sales').select(['customer', 'amount_minor', 'rep_id']).execute();
    expect(sales).toEqual([{ customer: 'Acme', amount_minor: 120000n, rep_id: users.rep.id }]);
    expect(rejections).toEqual([]);
    expect(h.logs.filter((line) => /unhandled rejection|uncaught exception|request could not be processed/.test(line))).toEqual([]);
  });

  it("Slack's unsigned SSL check is still answered 200, and a payload smuggled into it is dropped", async () => {
    const reply = await h.post(`ssl_check=1&${payload('null')}`, FORM, { headers: { 'x-slack-signature': 'v0=none' } });

    expect(reply.status).toBe(200);
    expect(reply.body).toBe('');
    expect(h.slack.responses).toEqual([]);
    expect(rejections).toEqual([]);
  });
});

describe('Tally running as its own process', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('keeps serving after payload=null and the other malformed bodies: the next /logsale is stored', async () => {
    const slack = await FakeSlack.start();
    seedWorkspace(slack);
    cleanups.push(() => slack.stop());
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const port = await freePort();
    const tally = TallyProcess.start(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      ...baseEnv(),
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.url,
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...database.env,
    });
    cleanups.push(() => tally.kill());
    const url = `http://127.0.0.1:${port}/slack/events`;
    await waitUntilHealthy(tally, `http://127.0.0.1:${port}`, 30_000);

    for (const [name, body, contentType] of malformed)
      expect((await postToSlackApp(url, SIGNING_SECRET, body(), contentType)).status, name).toBe(400);
    const logsale = slashCommandBody({
      command: '/logsale',
      text: '1200 Acme',
      team_id: TEAM,
      user_id: users.rep.id,
      channel_id: CHANNEL,
      response_url: slack.responseUrl(CHANNEL, users.rep.id),
    });
    const reply = await postToSlackApp(url, SIGNING_SECRET, logsale, FORM);

    expect(reply.status).toBe(200);
    expect(replyText(reply.json)).toContain('$1,200.00');
    expect(tally.hasExited).toBe(false);
    const refused = tally.stdout.split('\n').filter((line) => line.includes('"request refused"'));
    expect(refused).toHaveLength(malformed.length);
    expect(refused.every((line) => /"requestId":"[0-9a-f-]{36}"/.test(line))).toBe(true);
    expect(tally.stdout).not.toMatch(/unhandled rejection|uncaught exception/);
  }, 60_000);
});
