import { describe, expect, it } from 'vitest';
import { requestShapeProblem } from '../../src/slack/request-shape.js';

const user = { id: 'U1' };
const team = { id: 'T1' };
const view = { id: 'V1', callback_id: 'log_sale', state: { values: {} } };

describe('requestShapeProblem', () => {
  it.each<[string, unknown, string | undefined]>([
    ['slash command', { command: '/logsale', user_id: 'U1', team_id: 'T1', text: '1200' }, undefined],
    ['block_actions', { type: 'block_actions', user, team, actions: [{ action_id: 'undo', type: 'button' }] }, undefined],
    [
      'block_actions of an org-wide install (team null)',
      { type: 'block_actions', user, team: null, actions: [{ action_id: 'undo', type: 'button' }] },
      undefined,
    ],
    ['view_submission', { type: 'view_submission', user, team, view }, undefined],
    ['view_closed', { type: 'view_closed', user, team, view }, undefined],
    ['block_suggestion', { type: 'block_suggestion', user, team, action_id: 'customer', block_id: 'b', value: 'Ac' }, undefined],
    [
      'block_suggestion without action_id',
      { type: 'block_suggestion', user, team, value: 'Ac' },
      'block_suggestion: action_id is missing or malformed',
    ],
    ['event_callback', { type: 'event_callback', team_id: 'T1', event: { type: 'app_home_opened' } }, undefined],
    ['url_verification', { type: 'url_verification', challenge: 'abc' }, undefined],
    ['null', null, 'the body is not an object'],
    ['an array', [], 'the body is not an object'],
    ['a string', 'x', 'the body is not an object'],
    ['a number', 42, 'the body is not an object'],
    ['an empty object', {}, 'slash command: command is missing or malformed'],
    ['slash command without user_id', { command: '/logsale', team_id: 'T1' }, 'slash command: user_id is missing or malformed'],
    [
      'slash command with an empty team_id',
      { command: '/logsale', user_id: 'U1', team_id: '' },
      'slash command: team_id is missing or malformed',
    ],
    ['a type that is not a string', { type: 7 }, 'type is not a string'],
    ['an unknown type', { type: 'shortcut' }, 'requests of type "shortcut" are not handled'],
    [
      'block_actions without user',
      { type: 'block_actions', team, actions: [{ action_id: 'a', type: 'button' }] },
      'block_actions: user is missing or malformed',
    ],
    ['block_actions without actions', { type: 'block_actions', user, team }, 'block_actions: actions is missing or malformed'],
    ['block_actions with no action', { type: 'block_actions', user, team, actions: [] }, 'block_actions: actions is missing or malformed'],
    [
      'block_actions with an action without id',
      { type: 'block_actions', user, team, actions: [{ type: 'button' }] },
      'block_actions: actions.0.action_id is missing or malformed',
    ],
    ['view_submission without view', { type: 'view_submission', user, team }, 'view_submission: view is missing or malformed'],
    [
      'view_submission whose state has no values',
      { type: 'view_submission', user, team, view: { ...view, state: {} } },
      'view_submission: view.state.values is missing or malformed',
    ],
    ['event_callback without event', { type: 'event_callback', team_id: 'T1' }, 'event_callback: event is missing or malformed'],
    [
      'event_callback without team_id',
      { type: 'event_callback', event: { type: 'app_home_opened' } },
      'event_callback: team_id is missing or malformed',
    ],
  ])('%s -> %j', (_name, body, problem) => {
    expect(requestShapeProblem(body)).toBe(problem);
  });
});
