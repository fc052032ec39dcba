import { describe, expect, it } from 'vitest';
import { joinFrom, leaveFrom, membershipDay, type Stint } from '../../src/domain/stints.js';

const always: Stint = { from: null, to: null };

describe('joinFrom', () => {
  it.each<[string, Stint[], string, Stint[] | null]>([
    ['a newcomer from a date on', [], '2026-12-15', [{ from: '2026-12-15', to: null }]],
    ['a member from the beginning: nothing changes', [always], '2026-12-15', null],
    ['a member since earlier: nothing changes', [{ from: '2026-12-01', to: null }], '2026-12-15', null],
    [
      'a member since later: now from the earlier day',
      [{ from: '2026-12-20', to: null }],
      '2026-12-15',
      [{ from: '2026-12-15', to: null }],
    ],
    [
      'a leaver comes back: the gap stays',
      [{ from: null, to: '2026-12-01' }],
      '2026-12-15',
      [
        { from: null, to: '2026-12-01' },
        { from: '2026-12-15', to: null },
      ],
    ],
    [
      'back the day after leaving: one stint again',
      [{ from: '2026-11-01', to: '2026-12-15' }],
      '2026-12-15',
      [{ from: '2026-11-01', to: null }],
    ],
    ['a leaving date is cancelled', [{ from: null, to: '2027-01-01' }], '2026-12-15', [always]],
    [
      'later stints merge into one',
      [
        { from: null, to: '2026-10-01' },
        { from: '2026-11-01', to: '2026-11-10' },
        { from: '2026-12-20', to: '2027-01-05' },
      ],
      '2026-11-05',
      [
        { from: null, to: '2026-10-01' },
        { from: '2026-11-01', to: null },
      ],
    ],
  ])('%s', (_name, stints, date, expected) => {
    expect(joinFrom(stints, date)).toEqual(expected);
  });
});

describe('leaveFrom', () => {
  it.each<[string, Stint[], string, Stint[] | null]>([
    ['a member from the beginning leaves', [always], '2026-12-15', [{ from: null, to: '2026-12-15' }]],
    ['a member since a date leaves', [{ from: '2026-11-01', to: null }], '2026-12-15', [{ from: '2026-11-01', to: '2026-12-15' }]],
    ['leaving on the first day erases the stint', [{ from: '2026-12-15', to: null }], '2026-12-15', []],
    ['a future join is cancelled', [{ from: '2027-01-01', to: null }], '2026-12-15', []],
    ['an earlier leaving date stays', [{ from: null, to: '2026-12-01' }], '2026-12-15', null],
    ['a later leaving date moves earlier', [{ from: null, to: '2027-01-01' }], '2026-12-15', [{ from: null, to: '2026-12-15' }]],
    ['never a member', [], '2026-12-15', null],
    [
      'only the days from the date on change',
      [
        { from: null, to: '2026-10-01' },
        { from: '2026-11-01', to: null },
      ],
      '2026-11-20',
      [
        { from: null, to: '2026-10-01' },
        { from: '2026-11-01', to: '2026-11-20' },
      ],
    ],
  ])('%s', (_name, stints, date, expected) => {
    expect(leaveFrom(stints, date)).toEqual(expected);
  });
});

describe('membershipDay', () => {
  const december = { startDate: '2026-12-01', endDate: '2027-01-01' };
  it.each([
    ['before the period: its first day', '2026-11-26', '2026-12-01'],
    ['while it runs: today', '2026-12-15', '2026-12-15'],
    ['on its last day', '2026-12-31', '2026-12-31'],
    ['once over: its last day', '2027-02-03', '2026-12-31'],
  ])('%s', (_name, today, expected) => {
    expect(membershipDay(december, today)).toBe(expected);
  });
});
