import { describe, expect, it } from 'vitest';
import { readGenericDelivery, readPipedriveDelivery } from '../../src/domain/webhook-deals.js';

const context = { workspaceCurrency: 'USD', timezone: 'America/New_York', today: '2026-11-26' };
const won = (extra: Record<string, unknown> = {}) => ({
  id: 'D-1',
  status: 'won',
  amount: '1200.50',
  rep: { slack_id: 'U0REP1' },
  ...extra,
});
const sale = (extra: Record<string, unknown> = {}): unknown => ({
  ok: true,
  change: {
    dealId: 'D-1',
    at: null,
    won: {
      amountMinor: 120050n,
      currency: 'USD',
      closedOn: '2026-11-26',
      customer: null,
      productName: null,
      note: null,
      rep: { slackId: 'U0REP1' },
      ...extra,
    },
  },
});
const refused = (field: string, error: string) => ({ ok: false as const, field, error });

describe('readGenericDelivery', () => {
  it.each<[string, unknown, unknown]>([
    ['a won deal, defaults filled in', won(), sale()],
    ['an amount as a number', won({ amount: 1200.5 }), sale()],
    ['thousands and a k', won({ amount: '1.5k' }), sale({ amountMinor: 150000n })],
    ['JPY without minor units', won({ amount: 1200, currency: 'jpy' }), sale({ amountMinor: 1200n, currency: 'JPY' })],
    ['BHD with three', won({ amount: '1.234', currency: 'BHD' }), sale({ amountMinor: 1234n, currency: 'BHD' })],
    [
      'every field',
      won({
        id: 42,
        closed_on: '2026-11-01',
        customer: ' Acme ',
        product: 'widgets',
        note: 'n',
        rep: { email: 'Eve@Example.com' },
        updated_at: '2026-11-26T10:00:00Z',
      }),
      {
        ok: true,
        change: {
          dealId: '42',
          at: new Date('2026-11-26T10:00:00Z'),
          won: {
            amountMinor: 120050n,
            currency: 'USD',
            closedOn: '2026-11-01',
            customer: 'Acme',
            productName: 'widgets',
            note: 'n',
            rep: { email: 'eve@example.com' },
          },
        },
      },
    ],
    ['a lost deal needs no amount nor rep', { id: 'D-1', status: 'lost' }, { ok: true, change: { dealId: 'D-1', at: null, won: null } }],
    ['a voided deal', { id: 'D-1', status: 'void', amount: 'junk' }, { ok: true, change: { dealId: 'D-1', at: null, won: null } }],
    ['not an object', 'won', refused('body', 'body: must be a JSON object.')],
    ['no id', { status: 'won' }, refused('id', 'id: is required')],
    ['no status', { id: 'D-1' }, refused('status', 'status: is required')],
    [
      'a won deal without amount',
      { id: 'D-1', status: 'won', rep: { slack_id: 'U0REP1' } },
      refused('amount', 'amount is required for a won deal: a decimal string or number in the currency\'s units, like "1200.50".'),
    ],
    ['a zero amount', won({ amount: 0 }), refused('amount', 'amount: "0" is zero: amounts must be more than zero, like "1200".')],
    [
      'too many decimals',
      won({ amount: '10.005' }),
      refused('amount', 'amount: "10.005" has more decimals than USD allows (2). Try "10.01".'),
    ],
    [
      'over the maximum',
      won({ amount: '1000000000.01' }),
      refused('amount', 'amount: "1000000000.01" is over the maximum of $1,000,000,000.00. Type a smaller amount.'),
    ],
    [
      'exponent notation',
      won({ amount: 1e21 }),
      refused('amount', 'amount 1e+21 is not a plain decimal: send it as a string like "1200.50".'),
    ],
    ['an unknown currency', won({ currency: 'ABC' }), refused('currency', 'currency "ABC" is not an ISO 4217 code like USD or EUR.')],
    [
      'a future date',
      won({ closed_on: '2026-11-27' }),
      refused('closed_on', 'closed_on 2026-11-27 is in the future (today is 2026-11-26 in the workspace timezone).'),
    ],
    [
      'a date that does not exist',
      won({ closed_on: '2026-02-29' }),
      refused('closed_on', 'closed_on "2026-02-29" is not a date in the form YYYY-MM-DD.'),
    ],
    [
      'no rep',
      won({ rep: {} }),
      refused('rep', 'rep is required for a won deal: { "slack_id": "U012ABC" } or { "email": "rep@example.com" }.'),
    ],
    ['a status unknown', won({ status: 'maybe' }), refused('status', 'status: Invalid option: expected one of "won"|"lost"|"void"')],
    [
      'a customer of the wrong type',
      won({ customer: 42 }),
      refused('customer', 'customer: Invalid input: expected string, received number'),
    ],
    [
      'a rep id that is not one',
      won({ rep: { slack_id: 'bob' } }),
      refused('rep.slack_id', 'rep.slack_id: must be a Slack user id like U012ABC'),
    ],
  ])('%s', (_name, body, expected) => {
    expect(readGenericDelivery(body, context)).toEqual(expected);
  });
});

describe('readPipedriveDelivery', () => {
  const deal = (extra: Record<string, unknown> = {}) => ({
    id: 77,
    status: 'won',
    value: 5000,
    currency: 'EUR',
    won_time: '2026-11-26T03:00:00Z',
    title: 'Globex',
    owner_id: 901,
    ...extra,
  });
  const delivery = (action: string, data: unknown, meta: Record<string, unknown> = {}) => ({
    meta: { action, entity: 'deal', entity_id: '77', timestamp: '2026-11-26T12:00:00.000Z', attempt: 1, ...meta },
    data,
    previous: null,
  });
  const at = new Date('2026-11-26T12:00:00.000Z');
  const wonDeal = (extra: Record<string, unknown> = {}) => ({
    ok: true,
    change: {
      dealId: '77',
      at,
      won: {
        amountMinor: 500000n,
        currency: 'EUR',
        closedOn: '2026-11-25',
        customer: 'Globex',
        productName: null,
        note: null,
        rep: { ownerId: '901' },
        ...extra,
      },
    },
  });
  it.each<[string, unknown, unknown]>([
    // 03:00 UTC on the 26th is the evening of the 25th in New York.
    ['a deal won, dated in the workspace timezone', delivery('create', deal()), wonDeal()],
    [
      'Pipedrive v1 time format, a string value',
      delivery('change', deal({ won_time: '2026-11-26 17:00:00', value: '5000.25' })),
      wonDeal({ closedOn: '2026-11-26', amountMinor: 500025n }),
    ],
    ['epoch milliseconds', delivery('change', deal(), { timestamp: at.getTime() }), wonDeal()],
    ['no currency: the workspace one', delivery('change', deal({ currency: null })), wonDeal({ currency: 'USD' })],
    ['a deal lost', delivery('change', deal({ status: 'lost' })), { ok: true, change: { dealId: '77', at, won: null } }],
    ['a deal reopened', delivery('change', deal({ status: 'open' })), { ok: true, change: { dealId: '77', at, won: null } }],
    ['a deal deleted', delivery('delete', null), { ok: true, change: { dealId: '77', at, won: null } }],
    ['a person changed', delivery('change', {}, { entity: 'person' }), { ok: true, ignored: 'a person event, not a deal' }],
    ['no value', delivery('create', deal({ value: null })), refused('data.value', 'data.value is required for a won deal.')],
    ['no owner', delivery('create', deal({ owner_id: null })), refused('data.owner_id', 'data.owner_id is required for a won deal.')],
    [
      'a future won time',
      delivery('create', deal({ won_time: '2026-11-28T12:00:00Z' })),
      refused('data.won_time', 'data.won_time 2026-11-28 is in the future (today is 2026-11-26 in the workspace timezone).'),
    ],
    [
      'an unreadable timestamp',
      delivery('create', deal(), { timestamp: 'soon' }),
      refused('meta.timestamp', 'meta.timestamp "soon" is not a time.'),
    ],
    ['an unknown action', delivery('merge', deal()), refused('meta.action', 'meta.action "merge" is not create, change or delete.')],
    ['no data', delivery('create', null), refused('data', 'data (the deal) is missing.')],
    ['no meta', { data: deal() }, refused('meta', 'meta: is required')],
  ])('%s', (_name, body, expected) => {
    expect(readPipedriveDelivery(body, context)).toEqual(expected);
  });
});
