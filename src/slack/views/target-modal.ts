// The "Set target" modal (docs/rules.md#targets). Pure: the teams and products to pick from, the current
// selection and its info line (current value) in; a modal view out.
import type { types } from '@slack/bolt';
import type { TargetMetric, TargetSubject } from '../../db/schema.js';
import type { PeriodKind } from '../../domain/periods.js';
import { ACTIONS, TARGET_FIELDS as F, VIEWS } from '../ids.js';
import type { CurrentTarget } from '../../services/targets.js';
import { modalMetadata, plainText, section, type SlackMessage } from './blocks.js';
import { describePeriod, formatAmount } from './format.js';
import { teamTargetLine } from './teams.js';

export interface TargetModalInput {
  teams: ReadonlyArray<{ id: bigint; name: string }>;
  products: ReadonlyArray<{ id: bigint; name: string }>;
  /** Today in the workspace timezone, the default first period. */
  today: string;
  /** Shown at the top: what the chosen subject's target is now. */
  info: string;
  initial?: Partial<{ subject: TargetSubject; repId: string; teamId: string; productId: string; metric: TargetMetric; period: PeriodKind }>;
  /** Where the confirmation goes after submit. */
  channelId: string | null;
  /** Opened from a button in App Home: submitting it refreshes that page. */
  fromHome?: boolean;
}

const SUBJECTS: ReadonlyArray<[TargetSubject, string]> = [
  ['rep', 'A rep'],
  ['team', 'A sales team'],
  ['product', 'A product'],
  ['company', 'The whole company'],
];
const METRICS: ReadonlyArray<[TargetMetric, string]> = [
  ['revenue', 'Revenue'],
  ['deals', 'Deals won'],
];
const PERIODS: ReadonlyArray<[PeriodKind, string]> = [
  ['week', 'Week'],
  ['month', 'Month'],
  ['quarter', 'Quarter (fiscal)'],
  ['year', 'Year (fiscal)'],
];

const option = (value: string, text: string): types.PlainTextOption => ({ text: plainText(text), value });
const options = (pairs: ReadonlyArray<readonly [string, string]>) => pairs.map(([value, text]) => option(value, text));
const initialOf = (pairs: ReadonlyArray<readonly [string, string]>, value: string | undefined) => {
  const found = pairs.find(([v]) => v === value) ?? pairs[0]!;
  return option(found[0], found[1]);
};

export function targetModal(input: TargetModalInput): types.ModalView {
  const initial = input.initial ?? {};
  const blocks: types.KnownBlock[] = [
    { type: 'context', block_id: F.info, elements: [{ type: 'mrkdwn', text: input.info }] },
    {
      type: 'input',
      block_id: F.subject,
      dispatch_action: true,
      label: plainText('Target for'),
      element: {
        type: 'static_select',
        action_id: ACTIONS.targetSubjectChanged,
        options: options(SUBJECTS),
        initial_option: initialOf(SUBJECTS, initial.subject),
      },
    },
  ];
  const picker = subjectPicker(input, initialOf(SUBJECTS, initial.subject).value as TargetSubject);
  if (picker) blocks.push(picker);
  blocks.push(
    {
      type: 'input',
      block_id: F.metric,
      dispatch_action: true,
      label: plainText('Metric'),
      element: {
        type: 'radio_buttons',
        action_id: ACTIONS.targetSubjectChanged,
        options: options(METRICS),
        initial_option: initialOf(METRICS, initial.metric),
      },
    },
    {
      type: 'input',
      block_id: F.period,
      dispatch_action: true,
      label: plainText('Period'),
      element: {
        type: 'static_select',
        action_id: ACTIONS.targetSubjectChanged,
        options: options(PERIODS),
        initial_option: initialOf(PERIODS, initial.period ?? 'month'),
      },
    },
    {
      type: 'input',
      block_id: F.first,
      label: plainText('Starting with the period that contains'),
      hint: plainText('Earlier periods keep the targets they had.'),
      element: { type: 'datepicker', action_id: F.first, initial_date: input.today },
    },
    {
      type: 'input',
      block_id: F.amount,
      label: plainText('Amount per period'),
      hint: plainText('Like 50000 or 50k. For a seasonal plan, one amount per period on separate lines (e.g. 12 monthly amounts).'),
      element: { type: 'plain_text_input', action_id: F.amount, multiline: true, placeholder: plainText('50k') },
    },
    {
      type: 'input',
      block_id: F.ramp,
      optional: true,
      label: plainText('Ramp for a new rep'),
      hint: plainText('Percent of the amount for the first periods, like 25, 50, 75; the full amount follows.'),
      element: { type: 'plain_text_input', action_id: F.ramp, placeholder: plainText('25, 50, 75') },
    },
    {
      type: 'input',
      block_id: F.repeat,
      optional: true,
      label: plainText('Repeat'),
      element: {
        type: 'checkboxes',
        action_id: F.repeat,
        options: [option('repeat', 'Repeat each period until changed')],
        initial_options: [option('repeat', 'Repeat each period until changed')],
      },
    },
    {
      type: 'input',
      block_id: F.last,
      optional: true,
      label: plainText('Ending with the period that contains'),
      hint: plainText('Leave empty to repeat until changed.'),
      element: { type: 'datepicker', action_id: F.last },
    },
  );
  return {
    type: 'modal',
    callback_id: VIEWS.setTarget,
    private_metadata: modalMetadata({ channelId: input.channelId }, input.fromHome ?? false),
    title: plainText('Set target'),
    submit: plainText('Save target'),
    close: plainText('Cancel'),
    blocks,
  };
}

/** Beyond Slack's 100 options, products are searched as you type (an external select). */
const MAX_LISTED = 100;

/** The one picker the chosen kind needs: a rep, a team, a product; the company needs none. */
function subjectPicker(input: TargetModalInput, subject: TargetSubject): types.KnownBlock | undefined {
  const initial = input.initial ?? {};
  const dispatch = { type: 'input' as const, dispatch_action: true };
  if (subject === 'company') return undefined;
  if (subject === 'rep') {
    return {
      ...dispatch,
      block_id: F.rep,
      label: plainText('Rep'),
      element: {
        type: 'users_select',
        action_id: ACTIONS.targetSubjectChanged,
        placeholder: plainText('Pick a rep'),
        ...(initial.repId ? { initial_user: initial.repId } : {}),
      },
    };
  }
  if (subject === 'team') {
    if (input.teams.length === 0)
      return {
        type: 'context',
        block_id: F.team,
        elements: [
          { type: 'mrkdwn', text: 'There are no sales teams yet. Create one with `/tally teams add NAME`, then open this form again.' },
        ],
      };
    const teams = input.teams.slice(0, MAX_LISTED).map((t) => option(String(t.id), t.name));
    const picked = teams.find((o) => o.value === initial.teamId);
    return {
      ...dispatch,
      block_id: F.team,
      label: plainText('Sales team'),
      hint: plainText('Without a target of its own, a team’s target is the sum of its reps’ targets.'),
      element: {
        type: 'static_select',
        action_id: ACTIONS.targetSubjectChanged,
        placeholder: plainText('Pick a team'),
        options: teams,
        ...(picked ? { initial_option: picked } : {}),
      },
    };
  }
  if (input.products.length === 0)
    return {
      type: 'context',
      block_id: F.product,
      elements: [
        {
          type: 'mrkdwn',
          text: 'The product catalogue is empty. Add a product with `/tally products add NAME`, then open this form again.',
        },
      ],
    };
  const chosen = input.products.find((p) => String(p.id) === initial.productId);
  const picked = chosen ? option(String(chosen.id), chosen.name) : undefined;
  const base = { ...dispatch, block_id: F.product, label: plainText('Product') };
  if (input.products.length > MAX_LISTED) {
    return {
      ...base,
      element: {
        type: 'external_select',
        action_id: ACTIONS.targetSubjectChanged,
        min_query_length: 1,
        placeholder: plainText('Type to search the catalogue'),
        ...(picked ? { initial_option: picked } : {}),
      },
    };
  }
  return {
    ...base,
    element: {
      type: 'static_select',
      action_id: ACTIONS.targetSubjectChanged,
      placeholder: plainText('Pick a product'),
      options: input.products.map((p) => option(String(p.id), p.name)),
      ...(picked ? { initial_option: picked } : {}),
    },
  };
}

/** The modal's info line: the current target of what is picked, or what to pick. */
export function targetInfoText(current: CurrentTarget, currency: string, subjectLabel: string): string {
  const { selection, period } = current;
  if (selection.subjectId === null)
    return `Pick who the target is for. Targets apply from the period you choose; earlier periods keep theirs.`;
  const what = `${subjectLabel} · ${selection.metric === 'revenue' ? 'revenue' : 'deals won'} · ${describePeriod(period)}`;
  const since = current.since ? ` (since ${current.since}${current.repeats ? ', repeating' : ''})` : '';
  const now = current.team
    ? `*Now:* ${what}: ${teamTargetLine(current.team, currency, selection.metric)}`
    : current.amount === null
      ? `*Now:* ${what}: no target yet.`
      : `*Now:* ${what}: ${formatAmount(current.amount, selection.metric, currency)}${since}.`;
  const { suggestion } = current;
  if (!suggestion) return now;
  return suggestion.ok
    ? `${now}\n*Suggested:* ${formatAmount(suggestion.amount, selection.metric, currency)} for the next ${period.kind}. ${suggestion.basis}`
    : `${now}\n${suggestion.reason}`;
}

export interface TargetSavedInput {
  subjectLabel: string;
  metric: TargetMetric;
  periodKind: PeriodKind;
  rows: ReadonlyArray<{ firstStart: string; lastStart: string | null; amount: bigint }>;
  currency: string;
}

/** Confirms a saved target plan, period by period when it is seasonal or ramps. */
export function targetSavedMessage(input: TargetSavedInput): SlackMessage {
  const { subjectLabel, metric, periodKind, rows, currency } = input;
  const lines = rows.map((row) => {
    const amount = formatAmount(row.amount, metric, currency);
    if (row.lastStart === null)
      return `• ${amount} per ${periodKind} from the ${periodKind} starting ${row.firstStart}, repeating until changed`;
    if (row.lastStart === row.firstStart) return `• ${amount} for the ${periodKind} starting ${row.firstStart}`;
    return `• ${amount} per ${periodKind} for the ${periodKind}s starting ${row.firstStart} to ${row.lastStart}`;
  });
  const shown = lines.length > 24 ? [...lines.slice(0, 24), `• and ${lines.length - 24} more periods`] : lines;
  const text = `:dart: Target saved for ${subjectLabel} (${metric === 'revenue' ? 'revenue' : 'deals won'}):\n${shown.join('\n')}\nEarlier periods keep the targets they had.`;
  return { text: `Target saved for ${subjectLabel}`, blocks: [section(text)] };
}
