// The "Log a sale" modal. It holds no data from the database, so /logsale can open it
// before any other I/O (a trigger id lives 3 seconds).
import type { types } from '@slack/bolt';
import { LOG_SALE_FIELDS as F, VIEWS } from '../ids.js';
import { plainText } from './blocks.js';

export interface LogSaleModalContext {
  /** Where the confirmation goes: the channel /logsale was typed in, or none (DM). */
  channelId: string | null;
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

export function logSaleModal(ctx: LogSaleModalContext, editing?: SaleFormValues): types.ModalView {
  const initial = <K extends string>(key: K, value: string | null | undefined) => (value ? { [key]: value } : {});
  return {
    type: 'modal',
    callback_id: editing ? VIEWS.editSale : VIEWS.logSale,
    private_metadata: JSON.stringify(editing ? { ...ctx, saleId: String(editing.saleId) } : ctx),
    title: plainText(editing ? 'Edit sale' : 'Log a sale'),
    submit: plainText(editing ? 'Save changes' : 'Log sale'),
    close: plainText('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: F.amount,
        label: plainText('Amount'),
        hint: plainText('Like 1200, 1,200.50 or 12.5k'),
        element: { type: 'plain_text_input', action_id: F.amount, placeholder: plainText('1200'), ...initial('initial_value', editing?.amount) },
      },
      {
        type: 'input',
        block_id: F.currency,
        optional: true,
        label: plainText('Currency'),
        hint: plainText('ISO code such as USD or EUR. Leave empty for the workspace currency.'),
        element: { type: 'plain_text_input', action_id: F.currency, max_length: 3, placeholder: plainText('USD'), ...initial('initial_value', editing?.currency) },
      },
      {
        type: 'input',
        block_id: F.customer,
        optional: true,
        label: plainText('Customer'),
        element: { type: 'plain_text_input', action_id: F.customer, max_length: 200, placeholder: plainText('Acme Corp'), ...initial('initial_value', editing?.customer) },
      },
      {
        type: 'input',
        block_id: F.product,
        optional: true,
        label: plainText('Product'),
        hint: plainText('A product from the catalogue (/tally products).'),
        element: { type: 'plain_text_input', action_id: F.product, max_length: 100, placeholder: plainText('widgets'), ...initial('initial_value', editing?.productName) },
      },
      {
        type: 'input',
        block_id: F.closedOn,
        optional: true,
        label: plainText('Closed on'),
        hint: plainText('Leave empty for today.'),
        element: { type: 'datepicker', action_id: F.closedOn, placeholder: plainText('Today'), ...initial('initial_date', editing?.closedOn) },
      },
      {
        type: 'input',
        block_id: F.rep,
        optional: true,
        label: plainText('Rep (managers only)'),
        hint: plainText('Leave empty to log your own sale.'),
        element: { type: 'users_select', action_id: F.rep, placeholder: plainText('Me'), ...initial('initial_user', editing?.repId) },
      },
      {
        type: 'input',
        block_id: F.note,
        optional: true,
        label: plainText('Note'),
        element: { type: 'plain_text_input', action_id: F.note, multiline: true, max_length: 1000, ...initial('initial_value', editing?.note) },
      },
    ],
  };
}
