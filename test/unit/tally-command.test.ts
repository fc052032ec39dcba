import { describe, expect, it } from 'vitest';
import { CONNECT_USAGE, type TallyCommand, parseTallyCommand, unknownTallyCommandMessage } from '../../src/domain/tally-command.js';

describe('parseTallyCommand', () => {
  it.each<[string, TallyCommand]>([
    ['', { kind: 'help' }],
    ['   ', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['me', { kind: 'me', period: null }],
    [' Me ', { kind: 'me', period: null }],
    ['products', { kind: 'products.list' }],
    ['product', { kind: 'products.list' }],
    ['products add widgets', { kind: 'products.add', name: 'widgets' }],
    ['products ADD pro-plan', { kind: 'products.add', name: 'pro-plan' }],
    ['managers', { kind: 'managers.list' }],
    ['managers add <@U123|bob>', { kind: 'managers.set', grant: true, userIds: ['U123'] }],
    ['managers remove <@U1> <@U2|x>', { kind: 'managers.set', grant: false, userIds: ['U1', 'U2'] }],
    ['manager add <@W0ENT>', { kind: 'managers.set', grant: true, userIds: ['W0ENT'] }],
    ['teams', { kind: 'teams.list', period: null }],
    ['TEAMS', { kind: 'teams.list', period: null }],
    ['team', { kind: 'teams.list', period: null }],
    ['teams add east', { kind: 'teams.add', name: 'east', channelId: null }],
    ['teams add east <#C0EAST|team-east>', { kind: 'teams.add', name: 'east', channelId: 'C0EAST' }],
    ['teams add east <#G0PRIV>', { kind: 'teams.add', name: 'east', channelId: 'G0PRIV' }],
    ['teams east add <@U1> <@U2>', { kind: 'teams.members', team: 'east', add: true, userIds: ['U1', 'U2'], from: null }],
    ['teams east remove <@U1>', { kind: 'teams.members', team: 'east', add: false, userIds: ['U1'], from: null }],
    ['teams East ADD <@U1|ann>', { kind: 'teams.members', team: 'East', add: true, userIds: ['U1'], from: null }],
    ['teams east remove <@U1> 2026-12-15', { kind: 'teams.members', team: 'east', add: false, userIds: ['U1'], from: '2026-12-15' }],
    [
      'teams east add <@U1> <@U2> from 2026-12-15',
      { kind: 'teams.members', team: 'east', add: true, userIds: ['U1', 'U2'], from: '2026-12-15' },
    ],
    ['teams east add <@U1> FROM today', { kind: 'teams.members', team: 'east', add: true, userIds: ['U1'], from: null }],
    ['teams east managers add <@U9>', { kind: 'teams.managers', team: 'east', add: true, userIds: ['U9'], from: null }],
    [
      'teams east manager remove <@U9> from 2027-01-01',
      { kind: 'teams.managers', team: 'east', add: false, userIds: ['U9'], from: '2027-01-01' },
    ],
    ['me last month', { kind: 'me', period: 'last month' }],
    ['me 2026-Q3', { kind: 'me', period: '2026-Q3' }],
    ['teams last month', { kind: 'teams.list', period: 'last month' }],
    ['teams FY2026', { kind: 'teams.list', period: 'FY2026' }],
    ['teams quarter', { kind: 'teams.list', period: 'quarter' }],
    ['teams month add <@U1>', { kind: 'teams.members', team: 'month', add: true, userIds: ['U1'], from: null }],
    ['export', { kind: 'export', period: null }],
    ['export last  week', { kind: 'export', period: 'last week' }],
    ['connect', { kind: 'connect.list' }],
    ['connect webhook hubspot', { kind: 'connect.add', source: 'webhook', name: 'hubspot' }],
    ['connect Pipedrive pd', { kind: 'connect.add', source: 'pipedrive', name: 'pd' }],
    ['connect pipedrive pd map 901 <@U0REP|rita>', { kind: 'connect.map', name: 'pd', ownerId: '901', userId: 'U0REP' }],
    ['connect rotate zap', { kind: 'connect.rotate', name: 'zap' }],
    ['connect remove zap', { kind: 'connect.remove', name: 'zap' }],
    ['connect log zap', { kind: 'connect.log', name: 'zap' }],
    ['connect webhook', { kind: 'invalid', error: CONNECT_USAGE }],
    ['connect webhook a b', { kind: 'invalid', error: CONNECT_USAGE }],
    ['connect salesforce sf', { kind: 'invalid', error: CONNECT_USAGE }],
    [
      'connect pipedrive pd map 901 rita',
      { kind: 'invalid', error: 'Name the rep with an @mention: `/tally connect pipedrive pd map 901 @rep`.' },
    ],
  ])('reads %j', (text, command) => {
    expect(parseTallyCommand(text)).toEqual(command);
  });

  it.each([
    ['frobnicate'],
    ['products add'],
    ['products remove widgets'],
    ['managers add'],
    ['managers add bob'],
    ['managers add @bob'],
    ['managers add <@U1> bob'],
    ['managers promote <@U1>'],
    ['managers add <#C0EAST|east>'],
    ['teams add'],
    ['teams add east #team-east'], // a channel must be picked so Slack links it
    ['teams add east west'],
    ['teams add east <#C0EAST|team-east> extra'],
    ['teams east'],
    ['teams east invite <@U1>'],
  ])('does not know %j', (text) => {
    expect(parseTallyCommand(text)).toEqual({ kind: 'unknown', text });
  });

  const TEAM_USAGE =
    'Try `/tally teams east add @rep`, `/tally teams east remove @rep 2026-12-15` (from that day on; default today), or `/tally teams east managers add @user from 2027-01-01`.';
  it.each([
    ['teams east add', `Name the people with @, picked from the list so Slack links them. ${TEAM_USAGE}`],
    ['teams east add bob', `Name the people with @, picked from the list so Slack links them. ${TEAM_USAGE}`],
    ['teams east remove <@U1> 15/12/2026', `\`15/12/2026\` is not a date: write it as YYYY-MM-DD. ${TEAM_USAGE}`],
    ['teams east remove <@U1> <b>', `\`&lt;b&gt;\` is not a date: write it as YYYY-MM-DD. ${TEAM_USAGE}`],
    ['teams east remove <@U1> from', `After the people, give the first day it applies to, like \`2026-12-15\`. ${TEAM_USAGE}`],
    ['teams east remove <@U1> 2026-12-15 <@U2>', `After the people, give the first day it applies to, like \`2026-12-15\`. ${TEAM_USAGE}`],
    ['teams east managers', TEAM_USAGE],
    ['teams east managers promote <@U1>', TEAM_USAGE],
  ])('explains %j', (text, error) => {
    expect(parseTallyCommand(text)).toEqual({ kind: 'invalid', error });
  });
});

describe('unknownTallyCommandMessage', () => {
  it('names what was typed and what to type instead', () => {
    expect(unknownTallyCommandMessage('  frobnicate ')).toBe(
      "I don't know `/tally frobnicate`. Try `/tally help` for the list, `/tally me` for your numbers, or `/tally managers add @user` (pick the person so Slack links them).",
    );
  });
});
