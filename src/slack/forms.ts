// Modal state as zod schemas. The keys are the block ids, so a zod issue maps straight
// onto Slack's `response_action: 'errors'` for that block.
import { z } from 'zod';
import { isCurrencyCode, parseAmount } from '../domain/money.js';
import { LOG_SALE_FIELDS as F } from './ids.js';

export type FieldErrors = Record<string, string>;
export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Slack's view.state.values: block_id -> action_id -> element state. */
export type ViewStateValues = Record<string, Record<string, { type?: string; value?: string | null; selected_date?: string | null; selected_user?: string | null; selected_option?: { value: string } | null }>>;

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

const logSaleSchema = z
  .object({
    [F.amount]: field(F.amount, 'value', z.string({ message: 'Enter an amount, like 1200 or 1,200.50.' }).trim().min(1, 'Enter an amount, like 1200 or 1,200.50.')),
    [F.currency]: field(
      F.currency,
      'value',
      text(3, 'Currency')
        .transform((value) => value?.toUpperCase() ?? null)
        .refine((code) => code === null || isCurrencyCode(code), 'Use a three-letter ISO 4217 code such as USD, EUR or GBP, or leave it empty.'),
    ),
    [F.customer]: field(F.customer, 'value', text(200, 'Customer')),
    [F.product]: field(F.product, 'value', text(100, 'Product').transform((name) => name?.replace(/^#/, '') || null)),
    [F.closedOn]: field(F.closedOn, 'selected_date', z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullish().transform((d) => d ?? null)),
    [F.rep]: field(F.rep, 'selected_user', z.string().regex(/^[UW][A-Z0-9]+$/).nullish().transform((u) => u ?? null)),
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
