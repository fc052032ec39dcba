// The Void sale and Settings modals. Pure.
import type { types } from '@slack/bolt';
import type { Sale, Workspace } from '../../db/schema.js';
import { formatMoney } from '../../domain/money.js';
import { dateOrderOf } from '../../domain/typed-date.js';
import { SETTINGS_FIELDS as S, VIEWS, VOID_FIELDS } from '../ids.js';
import { modalMetadata, plainText } from './blocks.js';
import { currencyOption, timeZoneOption } from './select-options.js';

/** Opened from App Home's sale menu (`fromHome`: submitting it refreshes that page). */
export function voidSaleModal(sale: Sale, describe: string, fromHome = false): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.voidSale,
    private_metadata: modalMetadata({ saleId: String(sale.id) }, fromHome),
    title: plainText('Void sale'),
    submit: plainText('Void sale'),
    close: plainText('Keep it'),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${describe}\nA voided sale counts nowhere; it stays in the audit log.` } },
      {
        type: 'input',
        block_id: VOID_FIELDS.reason,
        label: plainText('Reason'),
        hint: plainText(`Why ${formatMoney(sale.amount_minor, sale.currency)} should not count, e.g. "duplicate" or "deal fell through".`),
        element: { type: 'plain_text_input', action_id: VOID_FIELDS.reason, min_length: 3, max_length: 500 },
      },
    ],
  };
}

const DATE_ORDERS = {
  mdy: { text: plainText('Month/day: 12/01 is December 1'), value: 'mdy' },
  dmy: { text: plainText('Day/month: 12/01 is January 12'), value: 'dmy' },
} as const;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The guard rails' checkbox: the one setting managers change too. */
function guardRailsBlock(workspace: Workspace): types.InputBlock {
  const ask = { text: plainText('Ask "Log it anyway?" before a likely mistake'), value: 'on' };
  return {
    type: 'input',
    block_id: S.guardRails,
    optional: true,
    label: plainText('Guard rails'),
    hint: plainText(
      "The same rep, amount and customer within 10 minutes, or above 5x the rep's largest sale of the year and their month target.",
    ),
    element: {
      type: 'checkboxes',
      action_id: S.guardRails,
      options: [ask],
      ...(workspace.guard_rails_enabled ? { initial_options: [ask] } : {}),
    },
  };
}

/** Admins change every setting; managers only the guard rails. `fromHome`: submitting it refreshes App Home. */
export function settingsModal(workspace: Workspace, isAdmin = true, fromHome = false): types.ModalView {
  const month = (m: number) => ({ text: plainText(MONTHS[m - 1]!), value: String(m) });
  const celebrate = { text: plainText('Celebrate milestones in team channels'), value: 'on' };
  const base = {
    type: 'modal' as const,
    callback_id: VIEWS.settings,
    private_metadata: modalMetadata({}, fromHome),
    title: plainText('Tally settings'),
    submit: plainText('Save'),
    close: plainText('Cancel'),
  };
  if (!isAdmin) {
    return {
      ...base,
      blocks: [
        guardRailsBlock(workspace),
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'The other settings are changed by workspace admins.' }] },
      ],
    };
  }
  return {
    ...base,
    blocks: [
      {
        type: 'input',
        block_id: S.timezone,
        label: plainText('Timezone'),
        hint: plainText('Type a city or region, like New York or Berlin. Periods and the digest follow it.'),
        element: {
          type: 'external_select',
          action_id: S.timezone,
          min_query_length: 2,
          initial_option: timeZoneOption(workspace.timezone),
        },
      },
      {
        type: 'input',
        block_id: S.currency,
        label: plainText('Currency'),
        hint: plainText('Type a code or a name, like EUR or euro. It can only change while no sales are logged.'),
        element: {
          type: 'external_select',
          action_id: S.currency,
          min_query_length: 2,
          initial_option: currencyOption(workspace.currency),
        },
      },
      {
        type: 'input',
        block_id: S.fiscalStart,
        label: plainText('Fiscal year starts in'),
        element: {
          type: 'static_select',
          action_id: S.fiscalStart,
          options: MONTHS.map((_, i) => month(i + 1)),
          initial_option: month(workspace.fiscal_year_start_month),
        },
      },
      {
        type: 'input',
        block_id: S.milestones,
        label: plainText('Milestones (% of target)'),
        element: { type: 'plain_text_input', action_id: S.milestones, initial_value: workspace.milestones.join(', ') },
      },
      {
        type: 'input',
        block_id: S.celebrations,
        optional: true,
        label: plainText('Celebrations'),
        element: {
          type: 'checkboxes',
          action_id: S.celebrations,
          options: [celebrate],
          ...(workspace.celebrations_enabled ? { initial_options: [celebrate] } : {}),
        },
      },
      {
        type: 'input',
        block_id: S.lockedThrough,
        optional: true,
        label: plainText('Periods closed through'),
        hint: plainText('No sale on or before this date can be logged, edited or voided. Leave empty to keep all periods open.'),
        element: {
          type: 'datepicker',
          action_id: S.lockedThrough,
          ...(workspace.locked_through ? { initial_date: workspace.locked_through } : {}),
        },
      },
      {
        type: 'input',
        block_id: S.dateOrder,
        label: plainText('Dates typed like 12/01 mean'),
        hint: plainText('How /logsale reads a date written with slashes. Dates like Dec 1 or 2026-12-01 read the same either way.'),
        element: {
          type: 'static_select',
          action_id: S.dateOrder,
          options: [DATE_ORDERS.mdy, DATE_ORDERS.dmy],
          initial_option: DATE_ORDERS[dateOrderOf(workspace.date_order, workspace.currency)],
        },
      },
      guardRailsBlock(workspace),
    ],
  };
}
