// The modal readers, fed the state Slack sends: built from the blocks the modals actually
// have (fillModal), so the block ids and action ids are the real ones — the Set target
// selects all use the action id ACTIONS.targetSubjectChanged, not their block id.
import { describe, expect, it } from 'vitest';
import { type LogSaleForm, type SetTargetForm, openedFromHome, readLogSaleForm, readSetTargetForm } from '../../src/slack/forms.js';
import { ACTIONS, LOG_SALE_FIELDS as F, TARGET_FIELDS as TF } from '../../src/slack/ids.js';
import type { SaleFormChoices } from '../../src/services/sale-form.js';
import { NO_PRODUCT, logSaleModal } from '../../src/slack/views/log-sale-modal.js';
import { targetModal } from '../../src/slack/views/target-modal.js';
import { type Answer, fillModal } from '../support/modal-fill.js';

type Values = ReturnType<typeof fillModal>;

/** Replaces the state of a block's one element, keeping its action id: a crafted submission. */
function craft(values: Values, blockId: string, state: Record<string, unknown>): Values {
  const block = values[blockId];
  if (!block) throw new Error(`no block ${blockId}`);
  const [actionId] = Object.keys(block);
  return { ...values, [blockId]: { [actionId!]: state as never } };
}

// ---- Log a sale --------------------------------------------------------------------------

// An admin's form in a workspace without teams: Slack's people picker for the rep.
const choices: SaleFormChoices = { reps: { kind: 'anyone' }, products: ['widgets', 'gadgets'], currencies: ['USD', 'EUR', 'JPY'] };
const saleModal = logSaleModal({ channelId: 'C0SALES' }, choices);

/**
 * The form's state; a currency or product answer becomes the select's option with that value,
 * whether or not the form offers it (a crafted submission can send any).
 */
function saleState(answers: Record<string, Answer>, modal = saleModal): Values {
  const { [F.currency]: currency, [F.product]: product, ...rest } = answers;
  let values = fillModal(modal, rest);
  const picked = (value: Answer | undefined) => ({
    type: 'static_select',
    selected_option: value === null ? null : { text: { type: 'plain_text', text: String(value) }, value },
  });
  if (currency !== undefined) values = craft(values, F.currency, picked(currency));
  if (product !== undefined) values = craft(values, F.product, picked(product));
  return values;
}

function sale(fields: Partial<LogSaleForm>): LogSaleForm {
  return { amountMinor: 120_000n, currency: 'USD', customer: null, productName: null, closedOn: null, repId: null, note: null, ...fields };
}

describe('readLogSaleForm accepts', () => {
  it('reads Slack state keyed by block id and action id', () => {
    const values = saleState({ [F.amount]: '1200' });
    expect(Object.keys(values)).toEqual(Object.values(F));
    expect(values[F.amount]).toEqual({ [F.amount]: { type: 'plain_text_input', value: '1200' } });
    expect(values[F.closedOn]).toEqual({ [F.closedOn]: { type: 'datepicker', selected_date: null } });
    expect(values[F.rep]).toEqual({ [F.rep]: { type: 'users_select', selected_user: null } });
    expect(values[F.currency]).toEqual({
      [F.currency]: {
        type: 'static_select',
        selected_option: { text: { type: 'plain_text', text: 'USD · US Dollar', emoji: true }, value: 'USD' },
      },
    });
  });

  it('reads the options a person picks: a product, "No product", a currency, a rep from the list', () => {
    const listed = logSaleModal(
      { channelId: null },
      { ...choices, reps: { kind: 'list', me: { id: 'U0MAX', name: 'Max' }, reps: [{ id: 'U0RITA', name: 'Rita' }] } },
    );
    const read = (answers: Record<string, Answer>) => readLogSaleForm(fillModal(listed, { [F.amount]: '1200', ...answers }), 'USD');
    expect(read({ [F.product]: 'gadgets', [F.currency]: 'EUR · Euro', [F.rep]: 'Rita' })).toEqual({
      ok: true,
      value: sale({ productName: 'gadgets', currency: 'EUR', repId: 'U0RITA' }),
    });
    expect(read({ [F.product]: 'No product', [F.rep]: 'Max (you)' })).toEqual({ ok: true, value: sale({ repId: 'U0MAX' }) });
    expect(read({})).toEqual({ ok: true, value: sale({ repId: 'U0MAX' }) });
  });

  it.each<[string, Record<string, Answer>, string, LogSaleForm]>([
    ['an amount alone', { [F.amount]: '1200' }, 'USD', sale({})],
    ['grouped digits and cents', { [F.amount]: ' 1,200.50 ' }, 'USD', sale({ amountMinor: 120_050n })],
    ['a multiplier', { [F.amount]: '12.5k' }, 'USD', sale({ amountMinor: 1_250_000n })],
    ['a lowercase currency', { [F.amount]: '950', [F.currency]: 'eur' }, 'USD', sale({ amountMinor: 95_000n, currency: 'EUR' })],
    ['a currency with no minor unit', { [F.amount]: '1200', [F.currency]: ' JPY ' }, 'USD', sale({ amountMinor: 1_200n, currency: 'JPY' })],
    [
      'the workspace currency without one',
      { [F.amount]: '1200', [F.currency]: null },
      'JPY',
      sale({ amountMinor: 1_200n, currency: 'JPY' }),
    ],
    ['"No product"', { [F.amount]: '1200', [F.product]: NO_PRODUCT }, 'USD', sale({})],
    ['a currency typed in a text input (an older form)', { [F.amount]: '1200', [F.currency]: 'EUR' }, 'USD', sale({ currency: 'EUR' })],
    ['an empty currency', { [F.amount]: '1200', [F.currency]: '  ' }, 'EUR', sale({ currency: 'EUR' })],
    [
      'every field',
      {
        [F.amount]: '1200',
        [F.currency]: 'USD',
        [F.customer]: '  Acme Corp ',
        [F.product]: '#widgets',
        [F.closedOn]: '2024-02-29',
        [F.rep]: 'U02REP',
        [F.note]: 'Renewal, 2 years',
      },
      'USD',
      sale({ customer: 'Acme Corp', productName: 'widgets', closedOn: '2024-02-29', repId: 'U02REP', note: 'Renewal, 2 years' }),
    ],
    ['a customer kept as typed', { [F.amount]: '1200', [F.customer]: '<!channel> & co' }, 'USD', sale({ customer: '<!channel> & co' })],
    ['a customer of 200 characters', { [F.amount]: '1200', [F.customer]: 'a'.repeat(200) }, 'USD', sale({ customer: 'a'.repeat(200) })],
    ['a bare # as no product', { [F.amount]: '1200', [F.product]: '#' }, 'USD', sale({})],
    ['an Enterprise Grid user', { [F.amount]: '1200', [F.rep]: 'W0ENT' }, 'USD', sale({ repId: 'W0ENT' })],
  ])('%s', (_name, answers, workspaceCurrency, form) => {
    expect(readLogSaleForm(saleState(answers), workspaceCurrency)).toEqual({ ok: true, value: form });
  });
});

describe('readLogSaleForm refuses, on the field at fault', () => {
  const ENTER_AMOUNT = 'Enter an amount, like 1200 or 1,200.50.';
  const BAD_CURRENCY = 'Use a three-letter ISO 4217 code such as USD, EUR or GBP, or leave it empty.';
  it.each<[string, Record<string, Answer>, Record<string, string>]>([
    ['an empty amount', { [F.amount]: null }, { [F.amount]: ENTER_AMOUNT }],
    ['a blank amount', { [F.amount]: '   ' }, { [F.amount]: ENTER_AMOUNT }],
    ['too many decimals for USD', { [F.amount]: '12.345' }, { [F.amount]: '12.345 has more decimals than USD allows (2). Try 12.35.' }],
    [
      'decimals for JPY',
      { [F.amount]: '12.5', [F.currency]: 'jpy' },
      { [F.amount]: '12.5 has more decimals than JPY allows (0). Try 13.' },
    ],
    ['a negative amount', { [F.amount]: '-5' }, { [F.amount]: '-5 is negative: amounts must be more than zero, like 1200.' }],
    ['zero', { [F.amount]: '0' }, { [F.amount]: '0 is zero: amounts must be more than zero, like 1200.' }],
    ['words', { [F.amount]: 'abc' }, { [F.amount]: 'abc is not an amount. Type digits, like 1200, 1,200.50 or 12.5k.' }],
    ['an unknown currency', { [F.amount]: '1200', [F.currency]: 'XYZ' }, { [F.currency]: BAD_CURRENCY }],
    ['a two-letter currency', { [F.amount]: '1200', [F.currency]: 'us' }, { [F.currency]: BAD_CURRENCY }],
    ['a four-letter currency', { [F.amount]: '1200', [F.currency]: 'EURO' }, { [F.currency]: 'Currency can be at most 3 characters.' }],
    [
      'a customer over 200 characters',
      { [F.amount]: '1200', [F.customer]: 'a'.repeat(201) },
      { [F.customer]: 'Customer can be at most 200 characters.' },
    ],
    [
      'a product over 100 characters',
      { [F.amount]: '1200', [F.product]: 'p'.repeat(101) },
      { [F.product]: 'Product can be at most 100 characters.' },
    ],
    [
      'a note over 1000 characters',
      { [F.amount]: '1200', [F.note]: 'n'.repeat(1001) },
      { [F.note]: 'Note can be at most 1000 characters.' },
    ],
    [
      'a crafted date not on the calendar',
      { [F.amount]: '1200', [F.closedOn]: '2026-02-30' },
      { [F.closedOn]: 'Pick the day the sale closed.' },
    ],
    [
      'a crafted date in another format',
      { [F.amount]: '1200', [F.closedOn]: '25/11/2026' },
      { [F.closedOn]: 'Pick the day the sale closed.' },
    ],
    [
      'several fields at once, each on its own block',
      { [F.amount]: null, [F.currency]: 'XYZ', [F.customer]: 'c'.repeat(201) },
      { [F.amount]: ENTER_AMOUNT, [F.currency]: BAD_CURRENCY, [F.customer]: 'Customer can be at most 200 characters.' },
    ],
  ])('%s', (_name, answers, errors) => {
    expect(readLogSaleForm(saleState(answers), 'USD')).toEqual({ ok: false, errors });
  });

  it.each([['bob'], ['<@U02REP>'], ['u02rep']])('a crafted rep id %j, on the rep field', (rep) => {
    // Only a crafted submission gets here: a users_select always sends a user id.
    expect(readLogSaleForm(saleState({ [F.amount]: '1200', [F.rep]: rep }), 'USD')).toEqual({
      ok: false,
      errors: { [F.rep]: expect.any(String) },
    });
  });

  it('refuses a submission with no state at all on the amount', () => {
    expect(readLogSaleForm({}, 'USD')).toEqual({ ok: false, errors: { [F.amount]: ENTER_AMOUNT } });
  });
});

// ---- Set target ----------------------------------------------------------------------------

const TODAY = '2026-11-25';
const teams = [
  { id: 7n, name: 'east' },
  { id: 8n, name: 'west' },
];
const products = [{ id: 9n, name: 'widgets' }];
// The form shows the picker of the chosen kind only: the state comes from the form as it is
// after that kind was chosen (views.update).
const KINDS: Record<string, 'rep' | 'team' | 'product' | 'company'> = {
  'A rep': 'rep',
  'A sales team': 'team',
  'A product': 'product',
  'The whole company': 'company',
};
const modalOf = (subject: 'rep' | 'team' | 'product' | 'company') =>
  targetModal({ teams, products, today: TODAY, info: 'Pick who the target is for.', channelId: null, initial: { subject } });
const fullModal = modalOf('rep');
const bareModal = targetModal({
  teams: [],
  products: [],
  today: TODAY,
  info: 'Pick who the target is for.',
  channelId: null,
  initial: { subject: 'team' },
});
function targetState(answers: Record<string, Answer>, modal?: ReturnType<typeof targetModal>): Values {
  const subject = answers[TF.subject];
  const kind = typeof subject === 'string' ? (KINDS[subject] ?? (subject as 'rep')) : 'rep';
  return fillModal(modal ?? (Object.values(KINDS).includes(kind) ? modalOf(kind) : fullModal), answers);
}

function target(fields: Partial<SetTargetForm>): SetTargetForm {
  return {
    subjectType: 'rep',
    subjectId: 'U0REP',
    metric: 'revenue',
    periodKind: 'month',
    firstDate: TODAY,
    amounts: [5_000_000n],
    rampPercents: [],
    repeat: true,
    lastDate: null,
    ...fields,
  };
}

describe('readSetTargetForm accepts', () => {
  it('reads the selects under the action id they dispatch', () => {
    const values = targetState({ [TF.rep]: 'U0REP', [TF.amount]: '50k' });
    for (const blockId of [TF.subject, TF.rep, TF.metric, TF.period]) {
      expect(Object.keys(values[blockId]!)).toEqual([ACTIONS.targetSubjectChanged]);
    }
    expect([TF.team, TF.product].filter((blockId) => blockId in values)).toEqual([]);
    expect(Object.keys(values[TF.amount]!)).toEqual([TF.amount]);
  });

  it.each<[string, Record<string, Answer>, SetTargetForm]>([
    ['a rep, the defaults', { [TF.rep]: 'U0REP', [TF.amount]: '50k' }, target({})],
    ['a team', { [TF.subject]: 'team', [TF.team]: 'west', [TF.amount]: '50k' }, target({ subjectType: 'team', subjectId: '8' })],
    [
      'a product',
      { [TF.subject]: 'A product', [TF.product]: 'widgets', [TF.amount]: '50k' },
      target({ subjectType: 'product', subjectId: '9' }),
    ],
    ['the company, without a picker', { [TF.subject]: 'company', [TF.amount]: '50k' }, target({ subjectType: 'company', subjectId: '' })],
    ['deals won', { [TF.rep]: 'U0REP', [TF.metric]: 'Deals won', [TF.amount]: '12' }, target({ metric: 'deals', amounts: [12n] })],
    [
      'deals with a comma',
      { [TF.rep]: 'U0REP', [TF.metric]: 'deals', [TF.amount]: '1,000' },
      target({ metric: 'deals', amounts: [1_000n] }),
    ],
    [
      'a fiscal quarter',
      { [TF.rep]: 'U0REP', [TF.period]: 'Quarter (fiscal)', [TF.amount]: '1.2m' },
      target({ periodKind: 'quarter', amounts: [120_000_000n] }),
    ],
    [
      'a seasonal plan on separate lines',
      { [TF.rep]: 'U0REP', [TF.amount]: '10k\n20,000\n\n 30000.50 \n' },
      target({ amounts: [1_000_000n, 2_000_000n, 3_000_050n] }),
    ],
    [
      'a seasonal plan separated by ;',
      { [TF.rep]: 'U0REP', [TF.amount]: '10k; 20k;30k' },
      target({ amounts: [1_000_000n, 2_000_000n, 3_000_000n] }),
    ],
    [
      '60 amounts',
      { [TF.rep]: 'U0REP', [TF.amount]: Array.from({ length: 60 }, () => '1').join('\n') },
      target({ amounts: Array.from({ length: 60 }, () => 100n) }),
    ],
    ['a ramp', { [TF.rep]: 'U0REP', [TF.amount]: '50k', [TF.ramp]: '25, 50, 75' }, target({ rampPercents: [25, 50, 75] })],
    ['a ramp with percent signs', { [TF.rep]: 'U0REP', [TF.amount]: '50k', [TF.ramp]: '25% 50%' }, target({ rampPercents: [25, 50] })],
    ['repeat off', { [TF.rep]: 'U0REP', [TF.amount]: '50k', [TF.repeat]: [] }, target({ repeat: false })],
    ['repeat on', { [TF.rep]: 'U0REP', [TF.amount]: '50k', [TF.repeat]: ['repeat'] }, target({ repeat: true })],
    ['a last period', { [TF.rep]: 'U0REP', [TF.amount]: '50k', [TF.last]: '2027-03-31' }, target({ lastDate: '2027-03-31' })],
    ['a last date equal to the first', { [TF.rep]: 'U0REP', [TF.amount]: '50k', [TF.last]: TODAY }, target({ lastDate: TODAY })],
    ['another first date', { [TF.rep]: 'U0REP', [TF.amount]: '50k', [TF.first]: '2027-01-01' }, target({ firstDate: '2027-01-01' })],
  ])('%s', (_name, answers, form) => {
    expect(readSetTargetForm(targetState(answers), 'USD')).toEqual({ ok: true, value: form });
  });

  it('the company ignores a rep picked before the kind changed (a stale or crafted state)', () => {
    const values = {
      ...targetState({ [TF.subject]: 'company', [TF.amount]: '50k' }),
      [TF.rep]: { [ACTIONS.targetSubjectChanged]: { type: 'users_select', selected_user: 'U0REP' } },
    };
    expect(readSetTargetForm(values, 'USD')).toEqual({ ok: true, value: target({ subjectType: 'company', subjectId: '' }) });
  });

  it('reads amounts in the workspace currency', () => {
    expect(readSetTargetForm(targetState({ [TF.rep]: 'U0REP', [TF.amount]: '50k' }), 'JPY')).toEqual({
      ok: true,
      value: target({ amounts: [50_000n] }),
    });
  });

  it('reads the company from a modal without teams or products', () => {
    expect(readSetTargetForm(targetState({ [TF.subject]: 'company', [TF.amount]: '50k' }, bareModal), 'USD')).toEqual({
      ok: true,
      value: target({ subjectType: 'company', subjectId: '' }),
    });
  });
});

describe('readSetTargetForm refuses, on the field at fault', () => {
  const RAMP = 'Write the ramp as percentages from 1 to 100 for the first periods, like 25, 50, 75.';
  const notDeals = (raw: string) => `${raw} is not a number of deals: type a whole number more than zero, like 12.`;
  it.each<[string, Record<string, Answer>, Record<string, string>]>([
    ['a rep without the rep picked', { [TF.amount]: '50k' }, { [TF.rep]: 'Pick the rep this target is for.' }],
    ['a team without the team picked', { [TF.subject]: 'team', [TF.amount]: '50k' }, { [TF.team]: 'Pick the team this target is for.' }],
    [
      'a product without the product picked',
      { [TF.subject]: 'product', [TF.amount]: '50k' },
      { [TF.product]: 'Pick the product this target is for.' },
    ],
    ['no amount', { [TF.rep]: 'U0REP', [TF.amount]: null }, { [TF.amount]: 'Enter an amount, like 50000 or 50k.' }],
    ['a blank amount', { [TF.rep]: 'U0REP', [TF.amount]: ' \n ' }, { [TF.amount]: 'Enter an amount, like 50000 or 50k.' }],
    [
      'words as revenue',
      { [TF.rep]: 'U0REP', [TF.amount]: 'abc' },
      { [TF.amount]: 'abc is not an amount. Type digits, like 1200, 1,200.50 or 12.5k.' },
    ],
    [
      'cents of a cent',
      { [TF.rep]: 'U0REP', [TF.amount]: '12.345' },
      { [TF.amount]: '12.345 has more decimals than USD allows (2). Try 12.35.' },
    ],
    [
      'one bad line in a seasonal plan',
      { [TF.rep]: 'U0REP', [TF.amount]: '10k\n-5\n30k' },
      { [TF.amount]: '-5 is negative: amounts must be more than zero, like 1200.' },
    ],
    ['half a deal', { [TF.rep]: 'U0REP', [TF.metric]: 'deals', [TF.amount]: '2.5' }, { [TF.amount]: notDeals('2.5') }],
    ['zero deals', { [TF.rep]: 'U0REP', [TF.metric]: 'deals', [TF.amount]: '0' }, { [TF.amount]: notDeals('0') }],
    ['12k deals', { [TF.rep]: 'U0REP', [TF.metric]: 'deals', [TF.amount]: '12k' }, { [TF.amount]: notDeals('12k') }],
    ['over a million deals', { [TF.rep]: 'U0REP', [TF.metric]: 'deals', [TF.amount]: '1000001' }, { [TF.amount]: notDeals('1000001') }],
    [
      '61 amounts',
      { [TF.rep]: 'U0REP', [TF.amount]: Array.from({ length: 61 }, () => '1').join('\n') },
      { [TF.amount]: 'At most 60 amounts, one per period.' },
    ],
    [
      'over 2000 characters of amounts',
      { [TF.rep]: 'U0REP', [TF.amount]: '1'.repeat(2001) },
      { [TF.amount]: 'That is too long: at most 60 amounts, one per line.' },
    ],
    ['a ramp of words', { [TF.rep]: 'U0REP', [TF.amount]: '50k', [TF.ramp]: 'abc' }, { [TF.ramp]: RAMP }],
    ['a ramp over 100%', { [TF.rep]: 'U0REP', [TF.amount]: '50k', [TF.ramp]: '50, 150' }, { [TF.ramp]: RAMP }],
    ['a ramp of 0%', { [TF.rep]: 'U0REP', [TF.amount]: '50k', [TF.ramp]: '0' }, { [TF.ramp]: RAMP }],
    [
      'a ramp too long to type',
      { [TF.rep]: 'U0REP', [TF.amount]: '50k', [TF.ramp]: '25, '.repeat(60) },
      { [TF.ramp]: 'Keep the ramp short, like 25, 50, 75.' },
    ],
    [
      'a crafted first date',
      { [TF.rep]: 'U0REP', [TF.amount]: '50k', [TF.first]: '2026-02-30' },
      { [TF.first]: 'Pick a date in the first period.' },
    ],
    ['no first date', { [TF.rep]: 'U0REP', [TF.amount]: '50k', [TF.first]: null }, { [TF.first]: 'Pick a date in the first period.' }],
    [
      'a crafted last date',
      { [TF.rep]: 'U0REP', [TF.amount]: '50k', [TF.last]: '2026-13-01' },
      { [TF.last]: 'Pick a date in the last period.' },
    ],
    ['no subject', { [TF.subject]: null, [TF.amount]: '50k' }, { [TF.subject]: 'Pick who the target is for.' }],
    ['no metric', { [TF.rep]: 'U0REP', [TF.metric]: null, [TF.amount]: '50k' }, { [TF.metric]: 'Pick revenue or deals won.' }],
    ['no period', { [TF.rep]: 'U0REP', [TF.period]: null, [TF.amount]: '50k' }, { [TF.period]: 'Pick week, month, quarter or year.' }],
  ])('%s', (_name, answers, errors) => {
    expect(readSetTargetForm(targetState(answers), 'USD')).toEqual({ ok: false, errors });
  });

  const base = targetState({ [TF.rep]: 'U0REP', [TF.amount]: '50k' });
  it.each<[string, Values, Record<string, unknown>]>([
    [
      'a crafted subject',
      craft(base, TF.subject, { type: 'static_select', selected_option: { value: 'planet' } }),
      { [TF.subject]: 'Pick who the target is for.' },
    ],
    [
      'a crafted team id',
      craft(targetState({ [TF.subject]: 'team', [TF.team]: 'east', [TF.amount]: '50k' }), TF.team, {
        type: 'static_select',
        selected_option: { value: 'east' },
      }),
      { [TF.team]: 'Pick a team from the list.' },
    ],
    [
      'a crafted product id',
      craft(targetState({ [TF.subject]: 'product', [TF.product]: 'widgets', [TF.amount]: '50k' }), TF.product, {
        type: 'static_select',
        selected_option: { value: '1; DROP' },
      }),
      { [TF.product]: 'Pick a product from the list.' },
    ],
    [
      'a crafted metric',
      craft(base, TF.metric, { type: 'radio_buttons', selected_option: { value: 'profit' } }),
      { [TF.metric]: 'Pick revenue or deals won.' },
    ],
    [
      'a crafted period',
      craft(base, TF.period, { type: 'static_select', selected_option: { value: 'decade' } }),
      { [TF.period]: 'Pick week, month, quarter or year.' },
    ],
    ['a crafted rep id', craft(base, TF.rep, { type: 'users_select', selected_user: 'bob' }), { [TF.rep]: expect.any(String) }],
  ])('%s', (_name, values, errors) => {
    expect(readSetTargetForm(values, 'USD')).toEqual({ ok: false, errors });
  });

  it('ignores a checkbox option other than repeat', () => {
    const values = craft(base, TF.repeat, { type: 'checkboxes', selected_options: [{ value: 'forever' }] });
    expect(readSetTargetForm(values, 'USD')).toEqual({ ok: true, value: target({ repeat: false }) });
  });
});

describe('readSetTargetForm, known bugs (reported; change it.fails to it once fixed)', () => {
  // BUG: with no teams the modal has no target_team block, yet the error is put there.
  // Slack answers errors for a block the view does not have with "We had some trouble
  // connecting" instead of showing the message. The error belongs on a block the modal has.
  it('refuses a team target in a modal without teams on a block the modal has', () => {
    const inputs = bareModal.blocks.filter((b) => b.type === 'input').map((b) => b.block_id);
    const result = readSetTargetForm(targetState({ [TF.subject]: 'team', [TF.amount]: '50k' }, bareModal), 'USD');
    expect(result.ok).toBe(false);
    expect(inputs).toEqual(expect.arrayContaining(Object.keys(result.ok ? {} : result.errors)));
  });

  // BUG: the fields read "Starting/Ending with the period that contains": a last date
  // earlier in the same month names the same period, which planRows accepts, but the form
  // compares the dates and refuses it.
  it('accepts a last date earlier in the same period as the first', () => {
    expect(readSetTargetForm(targetState({ [TF.rep]: 'U0REP', [TF.amount]: '50k', [TF.last]: '2026-11-10' }), 'USD')).toEqual({
      ok: true,
      value: target({ lastDate: '2026-11-10' }),
    });
  });
});

describe('where a form was opened', () => {
  it('a form opened from App Home says so in its private_metadata, next to what its submission needs', () => {
    const fromHome = logSaleModal({ channelId: null, fromHome: true }, choices);
    expect(JSON.parse(fromHome.private_metadata!)).toEqual({ channelId: null, from: 'home' });
    expect(openedFromHome(fromHome.private_metadata)).toBe(true);
    const inChannel = logSaleModal({ channelId: 'C0SALES' }, choices);
    expect(openedFromHome(inChannel.private_metadata)).toBe(false);
    const target = targetModal({ teams: [], products: [], today: '2026-11-26', info: '', channelId: null, fromHome: true });
    expect(openedFromHome(target.private_metadata)).toBe(true);
  });

  it('a crafted or broken private_metadata is not from App Home', () => {
    for (const text of [undefined, '', 'null', '{', '"home"', '{"from":"channel"}', '{"from":["home"]}'])
      expect(openedFromHome(text)).toBe(false);
  });
});
