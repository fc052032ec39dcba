// /logsale dates and amounts as people type them, end to end, in a USD workspace (month/day)
// and a EUR workspace (day/month): what is stored, and that a refusal stores nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS, SETTINGS_FIELDS as S } from '../../src/slack/ids.js';
import { fillModal } from '../support/modal-fill.js';
import { Harness, replyText, users } from '../support/harness.js';

/** Thursday 2026-12-03, 10:00 in New York. */
const NOW = new Date('2026-12-03T15:00:00Z');

describe('in a USD workspace (dates read month/day)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ now: NOW });
  });
  afterAll(() => h.stop());
  beforeEach(async () => {
    await h.db.deleteFrom('audit_log').where('entity_type', '=', 'sale').execute();
    await h.db.deleteFrom('sales').execute();
  });
  const sales = () => h.db.selectFrom('sales').select(['amount_minor', 'currency', 'customer', 'closed_on']).orderBy('id').execute();

  it.each([
    ['1200 Acme 12/01/2026', '2026-12-01'],
    ['1200 Acme 12/01', '2026-12-01'],
    ['1200 Acme Dec 1', '2026-12-01'],
    ['1200 Acme 1 Dec', '2026-12-01'],
    ['1200 Acme last friday', '2026-11-27'],
    ['1200 Acme fri', '2026-11-27'],
    ['1200 Acme thu', '2026-11-26'],
    ['1200 Acme 2026-11-30', '2026-11-30'],
  ])('%j stores customer Acme closed on %s', async (text, closedOn) => {
    const reply = replyText((await h.command(users.rep, '/logsale', text)).json);
    expect(reply).toContain('Logged *$1,200.00*');
    expect(await sales()).toEqual([{ amount_minor: 120_000n, currency: 'USD', customer: 'Acme', closed_on: closedOn }]);
  });

  it('reads `1 200 Acme` as $1,200.00 for Acme', async () => {
    expect(replyText((await h.command(users.rep, '/logsale', '1 200 Acme')).json)).toContain('Logged *$1,200.00*');
    expect(await sales()).toEqual([{ amount_minor: 120_000n, currency: 'USD', customer: 'Acme', closed_on: '2026-12-03' }]);
  });

  it.each([
    ['1200 Acme 12/01/26', "I can't read `12/01/26` as a date"],
    ['1200 Acme 13/01/2026', '`13/01/2026` is not a date on the calendar'],
    ['1200 Acme 12/25', "`12/25` (2026-12-25, read month/day) is after today (2026-12-03): you can't log a sale in the future"],
    ['1200 Acme next friday', "I can't read `next friday` as a date"],
    ['1200 Acme last week', "I can't read `last week` as a date"],
    ['1 20 Acme', "I can't tell where the amount ends in `1 20`"],
    ['1200 84 Lumber', 'type the currency first, like `1200 USD 84`'],
  ])('refuses %j and stores nothing', async (text, expected) => {
    const reply = await h.command(users.rep, '/logsale', text);
    expect(reply.json).toMatchObject({ response_type: 'ephemeral' });
    const message = replyText(reply.json);
    expect(message).toContain(expected);
    expect(await sales()).toEqual([]);
  });

  it('lists the accepted forms, month/day first, when a date is not understood', async () => {
    const message = replyText((await h.command(users.rep, '/logsale', '1200 Acme 2026/12/01')).json);
    expect(message).toContain('`12/01` or `12/01/2026` (month/day), `Dec 1`, `1 Dec`, a weekday like `fri`, or `last friday`');
  });

  it('reads day/month once an admin picks it in Settings, and month/day again after', async () => {
    const pick = async (order: string) => {
      await h.openHome(users.admin);
      const before = h.slack.callsTo('views.open').length;
      await h.clickInHome(users.admin, ACTIONS.openSettings, 'open');
      await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
      const view = h.slack.lastModal()!;
      expect((await h.submitView(users.admin, view, fillModal(view, { [S.dateOrder]: order }))).body).toBe('');
    };
    await pick('dmy');
    expect((await h.db.selectFrom('workspaces').select('date_order').executeTakeFirstOrThrow()).date_order).toBe('dmy');
    await h.command(users.rep, '/logsale', '100 Acme 12/01/2026');
    await pick('mdy');
    await h.command(users.rep, '/logsale', '200 Acme 12/01/2026');
    expect((await sales()).map((s) => [s.amount_minor, s.closed_on])).toEqual([
      [10_000n, '2026-01-12'],
      [20_000n, '2026-12-01'],
    ]);
  });

  it('refuses a settings form without a date order', async () => {
    await h.openHome(users.admin);
    const before = h.slack.callsTo('views.open').length;
    await h.clickInHome(users.admin, ACTIONS.openSettings, 'open');
    await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
    const view = h.slack.lastModal()!;
    const values = fillModal(view, {});
    delete values[S.dateOrder];
    const reply = await h.submitView(users.admin, view, values);
    expect(reply.json).toMatchObject({ response_action: 'errors', errors: { [S.dateOrder]: 'Pick how dates like 12/01 read.' } });
  });
});

describe('in a EUR workspace (dates read day/month)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ now: NOW, env: { DEFAULT_CURRENCY: 'EUR' } });
  });
  afterAll(() => h.stop());
  beforeEach(async () => {
    await h.db.deleteFrom('audit_log').where('entity_type', '=', 'sale').execute();
    await h.db.deleteFrom('sales').execute();
  });
  const sales = () => h.db.selectFrom('sales').select(['amount_minor', 'currency', 'customer', 'closed_on']).orderBy('id').execute();

  it.each([
    ['1200 Acme 12/01/2026', '2026-01-12'],
    ['1200 Acme 01/12', '2026-12-01'],
    ['1200 Acme 1 Dec', '2026-12-01'],
    ['1200 Acme last friday', '2026-11-27'],
  ])('%j stores customer Acme closed on %s', async (text, closedOn) => {
    expect(replyText((await h.command(users.rep, '/logsale', text)).json)).toContain('Logged');
    expect(await sales()).toEqual([{ amount_minor: 120_000n, currency: 'EUR', customer: 'Acme', closed_on: closedOn }]);
  });

  it.each([
    [
      '1200 Acme 12/13',
      '`12/13` is not a date on the calendar. Type one of `today`, `yesterday`, `2026-12-01`, `01/12` or `01/12/2026` (day/month)',
    ],
    ['1200 Acme 25/12', "`25/12` (2026-12-25, read day/month) is after today (2026-12-03): you can't log a sale in the future"],
    // 12/01 here is January 12th, and the nearest one is next month's.
    ['1200 Acme 12/01', "`12/01` (2027-01-12, read day/month) is after today (2026-12-03): you can't log a sale in the future"],
    ['1 20 Acme', "I can't tell where the amount ends in `1 20`"],
  ])('refuses %j and stores nothing', async (text, expected) => {
    const message = replyText((await h.command(users.rep, '/logsale', text)).json);
    expect(message).toContain(expected);
    expect(await sales()).toEqual([]);
  });
});
