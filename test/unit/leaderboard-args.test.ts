import { describe, expect, it } from 'vitest';
import { parseLeaderboardArgs } from '../../src/domain/leaderboard-args.js';
import type { PeriodKind } from '../../src/domain/periods.js';

describe('parseLeaderboardArgs accepts', () => {
  it.each<[string, PeriodKind, string | null]>([
    ['', 'month', null],
    ['   ', 'month', null],
    ['week', 'week', null],
    ['Quarter', 'quarter', null],
    ['YEAR', 'year', null],
    ['month east', 'month', 'east'],
    ['east', 'month', 'east'],
    ['#east', 'month', 'east'],
    ['<#C0EAST|east>', 'month', 'east'],
    ['<#G0PRIV|mid-market>', 'month', 'mid-market'],
    ['year #west', 'year', 'west'],
    ['east week', 'week', 'east'],
    ['  quarter   <#C0EAST|east>  ', 'quarter', 'east'],
  ])('%j as %s, team %s', (text, kind, team) => {
    expect(parseLeaderboardArgs(text)).toEqual({ ok: true, kind, team });
  });
});

describe('parseLeaderboardArgs refuses', () => {
  const usage = (word: string) =>
    `I couldn't read \`${word}\`. Try \`/leaderboard\`, \`/leaderboard quarter\` or \`/leaderboard week east\` (a period, then a team).`;
  it.each([
    ['month quarter', 'quarter'],
    ['week week', 'week'],
    ['east west', 'west'],
    ['east month week', 'week'],
    ['month east quarter', 'quarter'],
    // What the person typed is shown escaped.
    ['#east <#C0WEST|west>', '&lt;#C0WEST|west&gt;'],
    // ... and cut to 80 characters.
    [`east ${'w'.repeat(200)}`, `${'w'.repeat(79)}…`],
  ])('%j at %j', (text, word) => {
    expect(parseLeaderboardArgs(text)).toEqual({ ok: false, error: usage(word) });
  });
});
