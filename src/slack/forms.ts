// Modal state as zod schemas. The keys are the block ids, so a zod issue maps straight
// onto Slack's `response_action: 'errors'` for that block.
import { z } from 'zod';
import { dayjs } from '../domain/dayjs.js';
import { isCurrencyCode, parseAmount } from '../domain/money.js';
import { isTimeZone } from '../domain/timezone.js';
import { parseRamp } from '../domain/target-plan.js';
import type { SettingsChange } from '../services/settings.js';
import { NO_PRODUCT } from './views/log-sale-modal.js';
import { LOG_SALE_FIELDS as F, SETTINGS_FIELDS as SF, TARGET_FIELDS as TF, VOID_FIELDS as VF } from './ids.js';

export type FieldErrors = Record<string, string>;
export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Slack's view.state.values: block_id -> action_id -> element state. */
export type ViewStateValues = Record<
  string,
  Record<
    string,
    {
      type?: string;
      value?: string | null;
      selected_date?: string | null;
      selected_user?: string | null;
      selected_option?: { value: string } | null;
    }
  >
>;

const MAX_TEXT = 1000;

/** An optional text field: empty becomes null. */
const text = (max: number, what: string) =>
  z
    .string()
    .nullish()
    .transform((value) => value?.trim() || null)
    .refine((value) => value === null || value.length <= max, `${what} can be at most ${max} characters.`);

const field = <T extends z.ZodType>(actionId: string, key: 'value' | 'selected_date' | 'selected_user', schema: T) =>
  z
    .record(z.string(), z.record(z.string(), z.unknown()))
    .optional()
    .transform((block) => (block?.[actionId] as Record<string, unknown> | undefined)?.[key])
    .pipe(schema);

/**
 * A select's choice: the picked option's value (a static or external select), or the value of
 * a text input or the user of a users_select, as the form's earlier shapes and other clients send.
 */
const choice = <T extends z.ZodType>(actionId: string, schema: T) =>
  z
    .record(z.string(), z.record(z.string(), z.unknown()))
    .optional()
    .transform((block) => {
      const state = (block?.[actionId] ?? {}) as { value?: unknown; selected_user?: unknown; selected_option?: { value?: unknown } | null };
      return state.selected_option?.value ?? state.value ?? state.selected_user;
    })
    .pipe(schema);

const logSaleSchema = z.object({
  [F.amount]: field(
    F.amount,
    'value',
    z.string({ message: 'Enter an amount, like 1200 or 1,200.50.' }).trim().min(1, 'Enter an amount, like 1200 or 1,200.50.'),
  ),
  [F.currency]: choice(
    F.currency,
    text(3, 'Currency')
      .transform((value) => value?.toUpperCase() ?? null)
      .refine(
        (code) => code === null || isCurrencyCode(code),
        'Use a three-letter ISO 4217 code such as USD, EUR or GBP, or leave it empty.',
      ),
  ),
  [F.customer]: field(F.customer, 'value', text(200, 'Customer')),
  [F.product]: choice(
    F.product,
    text(100, 'Product').transform((name) => (name === NO_PRODUCT ? null : name?.replace(/^#/, '') || null)),
  ),
  [F.closedOn]: field(
    F.closedOn,
    'selected_date',
    z
      .string()
      .refine(isCalendarDate, 'Pick the day the sale closed.')
      .nullish()
      .transform((d) => d ?? null),
  ),
  [F.rep]: choice(
    F.rep,
    z
      .string()
      .regex(/^[UW][A-Z0-9]+$/, 'Pick the rep from the list.')
      .nullish()
      .transform((u) => u ?? null),
  ),
  [F.note]: field(F.note, 'value', text(MAX_TEXT, 'Note')),
});

export interface LogSaleForm {
  amountMinor: bigint;
  currency: string;
  customer: string | null;
  productName: string | null;
  closedOn: string | null;
  repId: string | null;
  note: string | null;
}

/** Reads the "Log a sale" modal; the amount is checked against the chosen currency's minor units. */
export function readLogSaleForm(values: unknown, workspaceCurrency: string): FormResult<LogSaleForm> {
  const parsed = logSaleSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const form = parsed.data;
  const currency = form[F.currency] ?? workspaceCurrency;
  const amount = parseAmount(form[F.amount], currency);
  if (!amount.ok) return { ok: false, errors: { [F.amount]: stripMarkdown(amount.error) } };
  return {
    ok: true,
    value: {
      amountMinor: amount.minor,
      currency,
      customer: form[F.customer],
      productName: form[F.product],
      closedOn: form[F.closedOn],
      repId: form[F.rep],
      note: form[F.note],
    },
  };
}

/** The first issue of each block, keyed by block id. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const blockId = String(issue.path[0] ?? '');
    if (blockId && !(blockId in errors)) errors[blockId] = issue.message;
  }
  return errors;
}

/** Field errors are plain text in Slack: drop the backticks the chat messages use. */
export function stripMarkdown(message: string): string {
  return message.replaceAll('`', '');
}

// ---- Set target ------------------------------------------------------------------------

const TARGET_SUBJECTS = ['rep', 'team', 'product', 'company'] as const;
const TARGET_METRICS = ['revenue', 'deals'] as const;
const TARGET_PERIODS = ['week', 'month', 'quarter', 'year'] as const;

type ElementState = {
  value?: string | null;
  selected_date?: string | null;
  selected_user?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: Array<{ value: string }> | null;
};

/** The state of the one element in a block, whatever its action id. */
const element = z
  .record(z.string(), z.record(z.string(), z.unknown()))
  .optional()
  .transform((block) => (block ? (Object.values(block)[0] as ElementState | undefined) : undefined) ?? {});

const setTargetSchema = z.object({
  [TF.subject]: element
    .transform((e) => e.selected_option?.value)
    .pipe(z.enum(TARGET_SUBJECTS, { message: 'Pick who the target is for.' })),
  [TF.rep]: element
    .transform((e) => e.selected_user ?? null)
    .pipe(
      z
        .string()
        .regex(/^[UW][A-Z0-9]+$/, 'Pick the rep from the list.')
        .nullable(),
    ),
  [TF.team]: element
    .transform((e) => e.selected_option?.value ?? null)
    .pipe(
      z
        .string()
        .regex(/^\d{1,18}$/, 'Pick a team from the list.')
        .nullable(),
    ),
  [TF.product]: element
    .transform((e) => e.selected_option?.value ?? null)
    .pipe(
      z
        .string()
        .regex(/^\d{1,18}$/, 'Pick a product from the list.')
        .nullable(),
    ),
  [TF.metric]: element.transform((e) => e.selected_option?.value).pipe(z.enum(TARGET_METRICS, { message: 'Pick revenue or deals won.' })),
  [TF.period]: element
    .transform((e) => e.selected_option?.value)
    .pipe(z.enum(TARGET_PERIODS, { message: 'Pick week, month, quarter or year.' })),
  [TF.first]: element
    .transform((e) => e.selected_date)
    .pipe(z.string({ message: 'Pick a date in the first period.' }).refine(isCalendarDate, 'Pick a date in the first period.')),
  [TF.amount]: element
    .transform((e) => e.value?.trim() ?? '')
    .pipe(z.string().min(1, 'Enter an amount, like 50000 or 50k.').max(2000, 'That is too long: at most 60 amounts, one per line.')),
  [TF.ramp]: element
    .transform((e) => e.value?.trim() || null)
    .pipe(z.string().max(200, 'Keep the ramp short, like 25, 50, 75.').nullable()),
  [TF.repeat]: element.transform((e) => (e.selected_options ?? []).some((o) => o.value === 'repeat')),
  [TF.last]: element
    .transform((e) => e.selected_date ?? null)
    .pipe(z.string().refine(isCalendarDate, 'Pick a date in the last period.').nullable()),
});

export interface SetTargetForm {
  subjectType: (typeof TARGET_SUBJECTS)[number];
  /** User id, sales team id, product id, or '' for the company. */
  subjectId: string;
  metric: (typeof TARGET_METRICS)[number];
  periodKind: (typeof TARGET_PERIODS)[number];
  firstDate: string;
  amounts: bigint[];
  rampPercents: number[];
  repeat: boolean;
  lastDate: string | null;
}

/** Reads the "Set target" modal. Amounts are money for revenue, whole numbers for deals. */
export function readSetTargetForm(values: unknown, workspaceCurrency: string): FormResult<SetTargetForm> {
  const parsed = setTargetSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const form = parsed.data;
  const subjectType = form[TF.subject];
  const picked = { rep: form[TF.rep], team: form[TF.team], product: form[TF.product], company: '' }[subjectType];
  if (picked === null) {
    const field = { rep: TF.rep, team: TF.team, product: TF.product, company: TF.subject }[subjectType];
    // Without teams or products the modal has no picker for them: say so on the block it has.
    if (!(field in (values as Record<string, unknown>))) {
      const create = subjectType === 'team' ? '`/tally teams add NAME`' : '`/tally products add NAME`';
      return { ok: false, errors: { [TF.subject]: `There are no ${subjectType}s yet: create one with ${stripMarkdown(create)} first.` } };
    }
    return { ok: false, errors: { [field]: `Pick the ${subjectType} this target is for.` } };
  }
  const metric = form[TF.metric];
  const amounts: bigint[] = [];
  for (const raw of form[TF.amount]
    .split(/[\n;]+/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const amount = metric === 'revenue' ? parseAmount(raw, workspaceCurrency) : parseDeals(raw);
    if (!amount.ok) return { ok: false, errors: { [TF.amount]: stripMarkdown(amount.error) } };
    amounts.push(amount.minor);
  }
  if (amounts.length > 60) return { ok: false, errors: { [TF.amount]: 'At most 60 amounts, one per period.' } };
  const ramp = parseRamp(form[TF.ramp]);
  if (!ramp.ok) return { ok: false, errors: { [TF.ramp]: ramp.error } };
  // Whether the last period comes before the first is for the period maths (planRows) to say.
  const lastDate = form[TF.last];
  return {
    ok: true,
    value: {
      subjectType,
      subjectId: picked,
      metric,
      periodKind: form[TF.period],
      firstDate: form[TF.first],
      amounts,
      rampPercents: ramp.percents,
      repeat: form[TF.repeat],
      lastDate,
    },
  };
}

/** A number of deals: a whole number from 1 to 1,000,000. */
function parseDeals(raw: string): { ok: true; minor: bigint } | { ok: false; error: string } {
  const text = raw.replaceAll(',', '');
  if (!/^\d{1,7}$/.test(text) || BigInt(text) === 0n || BigInt(text) > 1_000_000n) {
    return { ok: false, error: `${raw} is not a number of deals: type a whole number more than zero, like 12.` };
  }
  return { ok: true, minor: BigInt(text) };
}

function isCalendarDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && dayjs.utc(text, 'YYYY-MM-DD').format('YYYY-MM-DD') === text;
}

// ---- Void sale and Settings --------------------------------------------------------------

const voidSchema = z.object({
  [VF.reason]: element
    .transform((e) => e.value?.trim() ?? '')
    .pipe(z.string().min(3, 'Say why, in a few words.').max(500, 'Keep the reason under 500 characters.')),
});

export function readVoidForm(values: unknown): FormResult<{ reason: string }> {
  const parsed = voidSchema.safeParse(values);
  return parsed.success ? { ok: true, value: { reason: parsed.data[VF.reason] } } : { ok: false, errors: fieldErrors(parsed.error) };
}

const settingsSchema = z.object({
  [SF.timezone]: element
    .transform((e) => (e.selected_option?.value ?? e.value)?.trim() ?? '')
    .pipe(z.string().refine(isTimeZone, 'Use an IANA timezone such as America/New_York, Europe/Berlin or UTC.')),
  [SF.currency]: element
    .transform((e) => (e.selected_option?.value ?? e.value)?.trim().toUpperCase() ?? '')
    .pipe(z.string().refine(isCurrencyCode, 'Use a three-letter ISO 4217 code such as USD, EUR or GBP.')),
  [SF.fiscalStart]: element
    .transform((e) => Number(e.selected_option?.value))
    .pipe(z.number().int().min(1, 'Pick a month.').max(12, 'Pick a month.')),
  [SF.milestones]: element
    .transform((e) => (e.value ?? '').split(/[\s,;%]+/).filter(Boolean))
    .pipe(z.array(z.string().regex(/^\d{1,3}$/, 'Milestones are whole percentages, like 50, 100, 150.')).max(10, 'At most 10 milestones.'))
    .transform((parts) => [...new Set(parts.map(Number))].sort((a, b) => a - b))
    .refine((list) => list.every((m) => m >= 1 && m <= 500), 'Milestones are percentages from 1 to 500.'),
  [SF.celebrations]: element.transform((e) => (e.selected_options ?? []).some((o) => o.value === 'on')),
  [SF.lockedThrough]: element.transform((e) => e.selected_date ?? null).pipe(z.string().refine(isCalendarDate, 'Pick a date.').nullable()),
  [SF.dateOrder]: element.transform((e) => e.selected_option?.value).pipe(z.enum(['mdy', 'dmy'], 'Pick how dates like 12/01 read.')),
  [SF.guardRails]: element.transform((e) => (e.selected_options ?? []).some((o) => o.value === 'on')),
});

/** The settings form as managers see it: the guard rails only. */
export function readGuardRailsForm(values: unknown): FormResult<{ guardRailsEnabled: boolean }> {
  const parsed = settingsSchema.pick({ [SF.guardRails]: true }).safeParse(values);
  return parsed.success
    ? { ok: true, value: { guardRailsEnabled: parsed.data[SF.guardRails] } }
    : { ok: false, errors: fieldErrors(parsed.error) };
}

/** True when a settings submission has the admins' fields (not the managers' form). */
export function hasAdminSettings(values: Record<string, unknown>): boolean {
  return SF.timezone in values;
}

export function readSettingsForm(values: unknown): FormResult<SettingsChange> {
  const parsed = settingsSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const form = parsed.data;
  return {
    ok: true,
    value: {
      timezone: form[SF.timezone],
      currency: form[SF.currency],
      fiscalYearStartMonth: form[SF.fiscalStart],
      milestones: form[SF.milestones],
      celebrationsEnabled: form[SF.celebrations],
      lockedThrough: form[SF.lockedThrough],
      dateOrder: form[SF.dateOrder],
      guardRailsEnabled: form[SF.guardRails],
    },
  };
}

const homeOrigin = z.object({ from: z.literal('home') });

/** Whether a modal was opened from a button in App Home (its private_metadata says `from: 'home'`: views/blocks.ts modalMetadata). */
export function openedFromHome(privateMetadata: string | undefined): boolean {
  return readMetadata(homeOrigin.nullable(), privateMetadata, null) !== null;
}

/** Reads a view's private_metadata with a schema; a crafted or broken value gives `fallback`. */
export function readMetadata<T>(schema: z.ZodType<T>, text: string | undefined, fallback: T): T {
  try {
    const parsed = schema.safeParse(JSON.parse(text || 'null'));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}
