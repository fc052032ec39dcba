// The "Log a sale" and "Edit sale" modal. It shows what applies to the person opening it
// (services/sale-form.ts): a rep field only for managers and admins, the catalogue's products
// and the currencies a sale can be counted in. Pure.
import type { types } from '@slack/bolt';
import type { RepPicker, SaleFormChoices } from '../../services/sale-form.js';
import { LOG_SALE_FIELDS as F, VIEWS } from '../ids.js';
import { modalMetadata, plainText } from './blocks.js';
import { MAX_OPTIONS, currencyOption, selectOption } from './select-options.js';

export interface LogSaleModalContext {
  /** Where the confirmation goes: the channel /logsale was typed in, or none (DM). */
  channelId: string | null;
  /** Opened from a button in App Home: submitting it refreshes that page. */
  fromHome?: boolean;
}

/** A stored sale's values, to edit it in the same form. */
export interface SaleFormValues {
  saleId: bigint;
  amount: string;
  currency: string;
  customer: string | null;
  productName: string | null;
  closedOn: string;
  repId: string;
  note: string | null;
}

/** The value of the product select's "No product" option (product names hold no colon). */
export const NO_PRODUCT = ':none';

export function logSaleModal(ctx: LogSaleModalContext, choices: SaleFormChoices, editing?: SaleFormValues): types.ModalView {
  const initial = <K extends string>(key: K, value: string | null | undefined) => (value ? { [key]: value } : {});
  const blocks: types.KnownBlock[] = [
    {
      type: 'input',
      block_id: F.amount,
      label: plainText('Amount'),
      hint: plainText('Like 1200, 1,200.50 or 12.5k'),
      element: {
        type: 'plain_text_input',
        action_id: F.amount,
        placeholder: plainText('1200'),
        ...initial('initial_value', editing?.amount),
      },
    },
    currencyBlock(choices.currencies, editing?.currency),
    {
      type: 'input',
      block_id: F.customer,
      optional: true,
      label: plainText('Customer'),
      element: {
        type: 'plain_text_input',
        action_id: F.customer,
        max_length: 200,
        placeholder: plainText('Acme Corp'),
        ...initial('initial_value', editing?.customer),
      },
    },
    productBlock(choices.products, editing?.productName ?? null),
    {
      type: 'input',
      block_id: F.closedOn,
      optional: true,
      label: plainText('Closed on'),
      hint: plainText(editing ? 'The day the deal closed.' : 'Leave empty for today.'),
      element: {
        type: 'datepicker',
        action_id: F.closedOn,
        placeholder: plainText('Today'),
        ...initial('initial_date', editing?.closedOn),
      },
    },
  ];
  const rep = repBlock(choices.reps, editing?.repId);
  if (rep) blocks.push(rep);
  blocks.push({
    type: 'input',
    block_id: F.note,
    optional: true,
    label: plainText('Note'),
    element: { type: 'plain_text_input', action_id: F.note, multiline: true, max_length: 1000, ...initial('initial_value', editing?.note) },
  });
  return {
    type: 'modal',
    callback_id: editing ? VIEWS.editSale : VIEWS.logSale,
    private_metadata: modalMetadata(
      editing ? { channelId: ctx.channelId, saleId: String(editing.saleId) } : { channelId: ctx.channelId },
      ctx.fromHome ?? false,
    ),
    title: plainText(editing ? 'Edit sale' : 'Log a sale'),
    submit: plainText(editing ? 'Save changes' : 'Log sale'),
    close: plainText('Cancel'),
    blocks,
  };
}

/** The workspace currency, and each currency an admin set a rate for. */
function currencyBlock(currencies: readonly string[], editing: string | undefined): types.InputBlock {
  const codes = editing && !currencies.includes(editing) ? [...currencies, editing] : currencies;
  const options = codes.map(currencyOption);
  return {
    type: 'input',
    block_id: F.currency,
    label: plainText('Currency'),
    hint: plainText(
      codes.length > 1
        ? `Another currency counts in ${codes[0]} at the rate of the day the deal closed.`
        : 'Other currencies show here once an admin sets their exchange rate (/tally fx EUR 1.08).',
    ),
    element: {
      type: 'static_select',
      action_id: F.currency,
      options,
      initial_option: options.find((o) => o.value === (editing ?? codes[0])) ?? options[0]!,
    },
  };
}

/** The catalogue as a list, searched as you type when it is long, or how to start one. */
function productBlock(products: SaleFormChoices['products'], editing: string | null): types.KnownBlock {
  if (products !== 'search' && products.length === 0 && !editing) {
    return {
      type: 'context',
      block_id: F.product,
      elements: [{ type: 'mrkdwn', text: 'No products in the catalogue yet. A manager adds one with `/tally products add NAME`.' }],
    };
  }
  const base = {
    type: 'input' as const,
    block_id: F.product,
    optional: true,
    label: plainText('Product'),
    hint: plainText('From the catalogue (/tally products).'),
  };
  const none = selectOption(NO_PRODUCT, 'No product');
  const current = editing ? selectOption(editing, editing) : undefined;
  if (products === 'search') {
    return {
      ...base,
      element: {
        type: 'external_select',
        action_id: F.product,
        min_query_length: 1,
        placeholder: plainText('Type to search the catalogue'),
        ...(current ? { initial_option: current } : {}),
      },
    };
  }
  const names = editing && !products.includes(editing) ? [...products, editing] : products;
  const options = [none, ...names.slice(0, MAX_OPTIONS - 1).map((name) => selectOption(name, name))];
  return {
    ...base,
    element: {
      type: 'static_select',
      action_id: F.product,
      placeholder: plainText('Pick a product'),
      options,
      ...(current ? { initial_option: options.find((o) => o.value === editing) ?? current } : {}),
    },
  };
}

/** Whose sale it is: no field for reps, who log their own; a list, or Slack's people search. */
function repBlock(reps: RepPicker, editing: string | undefined): types.InputBlock | undefined {
  if (reps.kind === 'own') return undefined;
  const label = plainText('Rep');
  const hint = plainText(editing ? 'Whose sale this is.' : 'Whose sale this is: yours, or one of your reps’.');
  if (reps.kind === 'anyone') {
    return {
      type: 'input',
      block_id: F.rep,
      optional: true,
      label,
      hint: editing ? hint : plainText('Leave empty for your own sale, or pick the rep whose sale it is.'),
      element: { type: 'users_select', action_id: F.rep, placeholder: plainText('You'), ...(editing ? { initial_user: editing } : {}) },
    };
  }
  const options = [selectOption(reps.me.id, `${reps.me.name} (you)`), ...reps.reps.map((p) => selectOption(p.id, p.name))];
  return {
    type: 'input',
    block_id: F.rep,
    label,
    hint,
    element: {
      type: 'static_select',
      action_id: F.rep,
      options,
      initial_option: options.find((o) => o.value === (editing ?? reps.me.id)) ?? options[0]!,
    },
  };
}
