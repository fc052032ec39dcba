// What a failed database call tells the person: nothing saved only when Tally knows it.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { AnswerLost, isDatabaseUnavailable, lostAnswer } from '../../src/db/errors.js';
import { OutcomeUnknown } from '../../src/errors.js';
import { SALE_NOT_CONFIRMED } from '../../src/services/sales.js';
import { ANSWER_LOST, DATABASE_DOWN, TRY_AGAIN, failureMessage } from '../../src/slack/listeners/handle.js';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function serverError(message: string, code: string): Error {
  return Object.assign(new pg.DatabaseError(message, message.length, 'error'), { code });
}

/** lostIfSent: a statement sent and failing so may have been applied (the query path checks it only for statements it sent). */
const cases: Array<[string, Error, { unavailable: boolean; lostIfSent: boolean; told: string }]> = [
  [
    'connection refused',
    withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
    { unavailable: true, lostIfSent: true, told: DATABASE_DOWN },
  ],
  [
    'no free connection in time',
    new Error('timeout exceeded when trying to connect'),
    { unavailable: true, lostIfSent: true, told: DATABASE_DOWN },
  ],
  ['connection reset', withCode('read ECONNRESET', 'ECONNRESET'), { unavailable: true, lostIfSent: true, told: DATABASE_DOWN }],
  [
    'connection dropped mid-statement',
    new Error('Connection terminated unexpectedly'),
    { unavailable: true, lostIfSent: true, told: DATABASE_DOWN },
  ],
  [
    'a connection already gone',
    new Error('Client was closed and is not queryable'),
    { unavailable: true, lostIfSent: false, told: DATABASE_DOWN },
  ],
  [
    'the answer lost outside a transaction',
    new AnswerLost(new Error('Connection terminated')),
    { unavailable: true, lostIfSent: true, told: ANSWER_LOST },
  ],
  [
    'the server shutting down',
    serverError('terminating connection due to administrator command', '57P01'),
    { unavailable: true, lostIfSent: false, told: DATABASE_DOWN },
  ],
  [
    'the server cancelling a slow statement',
    serverError('canceling statement due to statement timeout', '57014'),
    { unavailable: false, lostIfSent: false, told: TRY_AGAIN },
  ],
  [
    'a unique key taken',
    serverError('duplicate key value violates unique constraint', '23505'),
    { unavailable: false, lostIfSent: false, told: TRY_AGAIN },
  ],
  [
    'a sale whose outcome stayed unknown',
    new OutcomeUnknown(SALE_NOT_CONFIRMED),
    { unavailable: false, lostIfSent: false, told: SALE_NOT_CONFIRMED },
  ],
  [
    'a bug',
    new TypeError("Cannot read properties of undefined (reading 'id')"),
    { unavailable: false, lostIfSent: false, told: TRY_AGAIN },
  ],
];

describe('database failures', () => {
  it.each(cases)('%s', (_what, error, expected) => {
    expect({ unavailable: isDatabaseUnavailable(error), lostIfSent: lostAnswer(error), told: failureMessage(error) }).toEqual(expected);
  });

  it('says nothing was saved only for failures that carried nothing to the database', () => {
    for (const [what, , expected] of cases) {
      if (expected.told === DATABASE_DOWN || expected.told === TRY_AGAIN) expect(expected.told, what).toMatch(/[Nn]othing was saved/);
      else expect(expected.told, what).not.toMatch(/nothing was saved/i);
    }
  });
});
