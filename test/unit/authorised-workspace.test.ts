import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { authorisedTeamId, NO_WORKSPACE, OTHER_WORKSPACE, workspacesNamed } from '../../src/slack/authorised-workspace.js';

describe('workspacesNamed', () => {
  it.each([
    ['a slash command', { team_id: 'T1', enterprise_id: 'E1' }, { teams: ['T1'], enterprises: ['E1'] }],
    [
      'a view submission from Slack Connect',
      { team: { id: 'T2', enterprise_id: null }, view: { team_id: 'T1', app_installed_team_id: 'T2' }, enterprise: null },
      { teams: ['T2', 'T1'], enterprises: [] },
    ],
    [
      'a block action in App Home',
      { team: { id: 'T1' }, view: { team_id: 'T1' }, enterprise: { id: 'E1' } },
      { teams: ['T1'], enterprises: ['E1'] },
    ],
    ['an event envelope', { team_id: 'T1', event: { view: { team_id: 'T3' } } }, { teams: ['T1', 'T3'], enterprises: [] }],
    ['empty ids and odd shapes', { team_id: '', team: null, view: 'V1', enterprise_id: 7 }, { teams: [], enterprises: [] }],
    ['no body', undefined, { teams: [], enterprises: [] }],
  ])('reads %s', (_name, body, expected) => {
    expect(workspacesNamed(body)).toEqual(expected);
  });
});

describe('authorisedTeamId', () => {
  it.each([
    ['the payload names only the authorised team', { teamId: 'T1' }, { team_id: 'T1' }, 'T1'],
    ['a view names it three times', { teamId: 'T2' }, { team: { id: 'T2' }, view: { team_id: 'T2', app_installed_team_id: 'T2' } }, 'T2'],
    ['the enterprise matches', { teamId: 'T1', enterpriseId: 'E1' }, { team_id: 'T1', enterprise_id: 'E1' }, 'T1'],
    ['the payload names no enterprise', { teamId: 'T1', enterpriseId: 'E1' }, { team: { id: 'T1' } }, 'T1'],
  ])('answers the authorised team when %s', (_name, authorised, body, expected) => {
    expect(authorisedTeamId(authorised, body)).toBe(expected);
  });

  it.each([
    ['Bolt authorised no team', {}, { team_id: 'T1' }, NO_WORKSPACE],
    [
      'view.team_id names another workspace',
      { teamId: 'T2' },
      { team: { id: 'T2' }, view: { team_id: 'T1', app_installed_team_id: 'T2' } },
      OTHER_WORKSPACE,
    ],
    ['the event view names another workspace', { teamId: 'T2' }, { team_id: 'T2', event: { view: { team_id: 'T1' } } }, OTHER_WORKSPACE],
    ['the enterprise differs', { teamId: 'T1', enterpriseId: 'E1' }, { team: { id: 'T1', enterprise_id: 'E2' } }, OTHER_WORKSPACE],
  ])('refuses with a UserError when %s', (_name, authorised, body, message) => {
    expect(() => authorisedTeamId(authorised, body)).toThrow(new UserError(message));
  });
});
