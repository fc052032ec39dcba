// Well-formed, signed requests for a command, button, form or options list Tally does not
// have: no handler answers them, so the receiver answers each as unhandled (404 after its
// 3-second timeout, logged), as Bolt did when no listener matched. An event Tally does not
// handle is acknowledged at once. None of them stores or sends anything, and Tally goes on serving.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS, VIEWS } from '../../src/slack/ids.js';
import {
  blockActionsPayload,
  blockSuggestionPayload,
  eventBody,
  interactionBody,
  slashCommandBody,
  viewClosedPayload,
  viewSubmissionPayload,
} from '../../slack-standin/slack-signer.js';
import { CHANNEL, Harness, TEAM, replyText, users } from '../support/harness.js';

const FORM = 'application/x-www-form-urlencoded';
const UNHANDLED = 'An incoming event was not acknowledged within 3 seconds. Ensure that the ack() argument is called in a listener.';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => {
  await h.stop();
});
beforeEach(() => {
  h.slack.reset();
  h.logs.length = 0;
});

const view = { id: 'V0NOPE', callback_id: 'nope' };

const unregistered: Array<[string, () => string]> = [
  [
    'a slash command',
    () =>
      slashCommandBody({
        command: '/nope',
        text: '1200 Acme',
        team_id: TEAM,
        user_id: users.rep.id,
        channel_id: CHANNEL,
        response_url: h.slack.responseUrl(CHANNEL, users.rep.id),
      }),
  ],
  [
    'a button',
    () =>
      interactionBody(
        blockActionsPayload({
          team_id: TEAM,
          user_id: users.rep.id,
          channel_id: CHANNEL,
          response_url: h.slack.responseUrl(CHANNEL, users.rep.id),
          actions: [{ type: 'button', action_id: 'nope', block_id: 'sale', value: '1' }],
        }),
      ),
  ],
  ['a form', () => interactionBody(viewSubmissionPayload({ team_id: TEAM, user_id: users.rep.id, view, values: {} }))],
  [
    'a known form closed (Tally asks to hear of none)',
    () =>
      interactionBody(
        viewClosedPayload({ team_id: TEAM, user_id: users.rep.id, view: { ...view, callback_id: VIEWS.logSale }, values: {} }),
      ),
  ],
  [
    'an options list',
    () =>
      interactionBody(blockSuggestionPayload({ team_id: TEAM, user_id: users.rep.id, action_id: 'nope', block_id: 'nope', value: 'ac' })),
  ],
  [
    "a known options list's action id in another block",
    () =>
      interactionBody(
        blockSuggestionPayload({
          team_id: TEAM,
          user_id: users.rep.id,
          action_id: ACTIONS.targetSubjectChanged,
          block_id: 'target_rep',
          value: '',
        }),
      ),
  ],
];

describe('a request for something Tally does not handle', () => {
  it('commands, buttons, forms and options lists: 404 once the receiver gives up, logged, nothing stored or sent', async () => {
    const replies = await Promise.all(unregistered.map(([, body]) => h.post(body(), FORM)));

    expect(replies.map((reply, i) => [unregistered[i]![0], reply.status, reply.body])).toEqual(
      unregistered.map(([name]) => [name, 404, '']),
    );
    const logged = h.logs.map((line) => JSON.parse(line) as { msg?: string }).filter((line) => line.msg === UNHANDLED);
    expect(logged).toHaveLength(unregistered.length);
    expect(h.slack.calls).toEqual([]);
    expect(h.slack.responses).toEqual([]);
    expect(await h.db.selectFrom('sales').selectAll().execute()).toEqual([]);
  });

  it('an event: acknowledged at once with an empty 200, nothing sent', async () => {
    const reply = await h.post(
      eventBody({ team_id: TEAM, event: { type: 'reaction_added', user: users.rep.id, reaction: 'tada', event_ts: '1' } }),
      'application/json',
    );

    expect([reply.status, reply.body]).toEqual([200, '']);
    expect(h.logs.filter((line) => line.includes(UNHANDLED))).toEqual([]);
    expect(h.slack.calls).toEqual([]);
  });

  it('leaves Tally serving: a /logsale afterwards is stored and confirmed', async () => {
    const reply = await h.command(users.rep, '/logsale', '1200 Acme');

    expect(reply.status).toBe(200);
    expect(replyText(reply.json)).toContain('$1,200.00');
  });
});
