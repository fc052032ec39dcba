import { describe, expect, it } from 'vitest';
import { parseLeaderboardArgs } from '../../src/domain/leaderboard-args.js';
import { PERIOD_FORMS } from '../../src/domain/period-arg.js';

// Thursday 2026-11-26 in UTC, calendar fiscal year.
const ctx = { now: new Date('2026-11-26T12:00:00Z'), tz: 'UTC', fyStartMonth: 1 };

describe('parseLeaderboardArgs accepts', () => {
  it.each<[string, string, string | null]>([
    ['', '2026-11', null],
    ['   ', '2026-11', null],
    ['week', '2026-W48', null],
    ['Quarter', 'FY2026-Q4', null],
    ['YEAR', 'FY2026', null],
    ['month east', '2026-11', 'east'],
    ['east', '2026-11', 'east'],
    ['#east', '2026-11', 'east'],
    ['<#C0EAST|east>', '2026-11', 'east'],
    ['<#G0PRIV|mid-market>', '2026-11', 'mid-market'],
    ['year #west', 'FY2026', 'west'],
    ['east week', '2026-W48', 'east'],
    ['  quarter   <#C0EAST|east>  ', 'FY2026-Q4', 'east'],
    ['last month', '2026-10', null],
    ['last month east', '2026-10', 'east'],
    ['east last week', '2026-W47', 'east'],
    ['this quarter', 'FY2026-Q4', null],
    ['last year #west', 'FY2025', 'west'],
    ['2026-10', '2026-10', null],
    ['2026-Q3 east', 'FY2026-Q3', 'east'],
    ['FY2025', 'FY2025', null],
    ['2026-W48', '2026-W48', null],
  ])('%j as %s, team %s', (text, key, team) => {
    expect(parseLeaderboardArgs(text, ctx)).toEqual({ ok: true, period: expect.objectContaining({ key }), team });
  });
});

describe('parseLeaderboardArgs refuses', () => {
  const tryThis = 'Try `/leaderboard`, `/leaderboard last month` or `/leaderboard week east` (a period, then a team).';
  const usage = (words: string) => `I couldn't read \`${words}\`. ${tryThis}`;
  it.each([
    ['month quarter', usage('quarter')],
    ['week week', usage('week')],
    ['east west', usage('west')],
    ['east month week', usage('week')],
    ['month east quarter', usage('quarter')],
    ['#east <#C0WEST|west>', usage('&lt;#C0WEST|west&gt;')],
    ['last month last week', usage('last week')],
    ['2026-10 east 2026-09', usage('2026-09')],
    ['east <!here>', usage('&lt;!here&gt;')],
    ['last', `I don't know the period \`last\`: name one as ${PERIOD_FORMS}. ${tryThis}`],
    ['last east', `I don't know the period \`last east\`: name one as ${PERIOD_FORMS}. ${tryThis}`],
    ['2026-13 east', `I don't know the period \`2026-13\`: name one as ${PERIOD_FORMS}. ${tryThis}`],
    ['2026-12', `2026-12 hasn't started yet: name the current period or a past one, like \`last month\`. ${tryThis}`],
    // What the person typed is shown cut to 80 characters.
    [`east ${'w'.repeat(200)}`, usage(`${'w'.repeat(79)}…`)],
  ])('%j', (text, error) => {
    expect(parseLeaderboardArgs(text, ctx)).toEqual({ ok: false, error });
  });
});
