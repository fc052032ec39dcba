// What a delivery from a connected source says about one deal, read from its JSON. Pure: the
// workspace's currency, timezone and today are arguments. Amounts follow the rules of /logsale
// (minor units, the maximum); a refusal names the field at fault.
import { z } from 'zod';
import { isCurrencyCode, parseAmount } from './money.js';
import { localDate } from './periods.js';

export type DealRep = { slackId: string } | { email: string } | { ownerId: string };

/** A won deal: what its sale holds. */
export interface WonDeal {
  amountMinor: bigint;
  currency: string;
  closedOn: string;
  customer: string | null;
  productName: string | null;
  note: string | null;
  rep: DealRep;
}

export interface DealChange {
  dealId: string;
  /** When the source says the change happened; a delivery older than one applied changes nothing. Null: the delivery's own time. */
  at: Date | null;
  /** won: the deal counts as a sale. void: it no longer does (lost, voided, reopened, deleted). */
  won: WonDeal | null;
}

export type DeliveryReading =
  | { ok: true; change: DealChange }
  | { ok: true; ignored: string }
  | { ok: false; field: string; error: string };

export interface ReadingContext {
  workspaceCurrency: string;
  timezone: string;
  /** Today in the workspace timezone (YYYY-MM-DD). */
  today: string;
}

const refused = (field: string, error: string): DeliveryReading => ({ ok: false, field, error });

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;

const genericDelivery = z.object({
  id: z.union([z.string().trim().min(1).max(200), z.number().int().nonnegative()]),
  status: z.enum(['won', 'lost', 'void']),
  amount: z.union([z.string(), z.number()]).optional(),
  currency: z.string().optional(),
  closed_on: z.string().optional(),
  customer: z.string().max(200).nullish(),
  product: z.string().max(100).nullish(),
  note: z.string().max(1000).nullish(),
  rep: z
    .object({ slack_id: z.string().regex(SLACK_USER, 'must be a Slack user id like U012ABC').optional(), email: z.email().optional() })
    .optional(),
  updated_at: z.iso.datetime({ offset: true }).optional(),
});

/** A generic webhook: `{ id, amount, currency?, closed_on?, customer?, product?, note?, rep: { slack_id | email }, status }`. */
export function readGenericDelivery(body: unknown, context: ReadingContext): DeliveryReading {
  const parsed = genericDelivery.safeParse(body);
  if (!parsed.success) return fromZodError(parsed.error, body);
  const delivery = parsed.data;
  const change = { dealId: String(delivery.id), at: delivery.updated_at ? new Date(delivery.updated_at) : null };
  if (delivery.status !== 'won') return { ok: true, change: { ...change, won: null } };
  if (delivery.amount === undefined)
    return refused('amount', 'amount is required for a won deal: a decimal string or number in the currency\'s units, like "1200.50".');
  const currency = delivery.currency?.trim().toUpperCase() || context.workspaceCurrency;
  if (!isCurrencyCode(currency)) return refused('currency', `currency "${delivery.currency}" is not an ISO 4217 code like USD or EUR.`);
  const amount = readAmount('amount', delivery.amount, currency);
  if (!amount.ok) return amount;
  const closedOn = delivery.closed_on ?? context.today;
  const date = checkDate('closed_on', closedOn, context.today);
  if (date) return date;
  const rep = delivery.rep;
  if (!rep || (!rep.slack_id && !rep.email))
    return refused('rep', 'rep is required for a won deal: { "slack_id": "U012ABC" } or { "email": "rep@example.com" }.');
  return {
    ok: true,
    change: {
      ...change,
      won: {
        amountMinor: amount.minor,
        currency,
        closedOn,
        customer: blankToNull(delivery.customer),
        productName: blankToNull(delivery.product),
        note: blankToNull(delivery.note),
        rep: rep.slack_id ? { slackId: rep.slack_id } : { email: rep.email!.toLowerCase() },
      },
    },
  };
}

const pipedriveId = z.union([z.string().trim().min(1).max(100), z.number().int().nonnegative()]);
const pipedriveDeal = z.looseObject({
  id: pipedriveId.optional(),
  status: z.string().optional(),
  value: z.union([z.number(), z.string()]).nullish(),
  currency: z.string().nullish(),
  won_time: z.string().nullish(),
  title: z.string().max(500).nullish(),
  owner_id: pipedriveId.nullish(),
});
const pipedriveDelivery = z.object({
  meta: z.looseObject({
    action: z.string(),
    entity: z.string(),
    entity_id: pipedriveId.optional(),
    timestamp: z.union([z.string(), z.number()]).optional(),
  }),
  data: pipedriveDeal.nullish(),
  previous: z.looseObject({ id: pipedriveId.optional() }).nullish(),
});

/**
 * A Pipedrive webhook (v2): a deal created, changed or deleted. A won deal is a sale; one that
 * is not won (open, lost, deleted) is not. Its rep is the Slack user mapped to its owner.
 */
export function readPipedriveDelivery(body: unknown, context: ReadingContext): DeliveryReading {
  const parsed = pipedriveDelivery.safeParse(body);
  if (!parsed.success) return fromZodError(parsed.error, body);
  const { meta, data, previous } = parsed.data;
  if (meta.entity !== 'deal') return { ok: true, ignored: `a ${meta.entity} event, not a deal` };
  const dealId = meta.entity_id ?? data?.id ?? previous?.id;
  if (dealId === undefined) return refused('meta.entity_id', 'meta.entity_id (the deal id) is missing.');
  const at = meta.timestamp === undefined ? null : readInstant(meta.timestamp);
  if (at === undefined) return refused('meta.timestamp', `meta.timestamp "${meta.timestamp}" is not a time.`);
  const change = { dealId: String(dealId), at };
  if (meta.action === 'delete' || meta.action === 'deleted') return { ok: true, change: { ...change, won: null } };
  if (!['create', 'change', 'added', 'updated'].includes(meta.action))
    return refused('meta.action', `meta.action "${meta.action}" is not create, change or delete.`);
  if (!data) return refused('data', 'data (the deal) is missing.');
  if (data.status !== 'won') return { ok: true, change: { ...change, won: null } };
  if (data.value === null || data.value === undefined) return refused('data.value', 'data.value is required for a won deal.');
  const currency = data.currency?.trim().toUpperCase() || context.workspaceCurrency;
  if (!isCurrencyCode(currency))
    return refused('data.currency', `data.currency "${data.currency}" is not an ISO 4217 code like USD or EUR.`);
  const amount = readAmount('data.value', data.value, currency);
  if (!amount.ok) return amount;
  let closedOn = context.today;
  if (data.won_time) {
    const wonAt = readInstant(data.won_time);
    if (!wonAt) return refused('data.won_time', `data.won_time "${data.won_time}" is not a time.`);
    closedOn = localDate(wonAt, context.timezone);
  }
  const date = checkDate('data.won_time', closedOn, context.today);
  if (date) return date;
  if (data.owner_id === null || data.owner_id === undefined) return refused('data.owner_id', 'data.owner_id is required for a won deal.');
  return {
    ok: true,
    change: {
      ...change,
      won: {
        amountMinor: amount.minor,
        currency,
        closedOn,
        customer: blankToNull(data.title),
        productName: null,
        note: null,
        rep: { ownerId: String(data.owner_id) },
      },
    },
  };
}

function readAmount(
  field: string,
  value: string | number,
  currency: string,
): { ok: true; minor: bigint } | { ok: false; field: string; error: string } {
  if (typeof value === 'number' && !Number.isFinite(value)) return { ok: false, field, error: `${field} is not a finite number.` };
  // A JSON number is read as the shortest decimal that round-trips, e.g. 1200.5 as "1200.5".
  const text = typeof value === 'number' ? String(value) : value;
  if (/e/i.test(text)) return { ok: false, field, error: `${field} ${text} is not a plain decimal: send it as a string like "1200.50".` };
  const amount = parseAmount(text, currency);
  if (!amount.ok) return { ok: false, field, error: `${field}: ${amount.error.replaceAll('`', '"')}` };
  return amount;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function checkDate(field: string, date: string, today: string): DeliveryReading | undefined {
  const match = ISO_DATE.exec(date);
  const real = match && new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).toISOString().slice(0, 10) === date;
  if (!real) return refused(field, `${field} "${date}" is not a date in the form YYYY-MM-DD.`);
  if (date > today) return refused(field, `${field} ${date} is in the future (today is ${today} in the workspace timezone).`);
  return undefined;
}

/** An ISO-8601 time (Pipedrive also sends `2026-11-26 14:05:00`, in UTC) or epoch milliseconds. */
function readInstant(value: string | number): Date | undefined {
  const text =
    typeof value === 'number' ? value : /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  const instant = new Date(text);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

function blankToNull(text: string | null | undefined): string | null {
  const trimmed = text?.trim();
  return trimmed ? trimmed : null;
}

function fromZodError(error: z.ZodError, body: unknown): DeliveryReading {
  const issue = error.issues[0]!;
  if (issue.path.length === 0) return refused('body', 'body: must be a JSON object.');
  const field = issue.path.map(String).join('.');
  let value: unknown = body;
  for (const key of issue.path)
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return refused(field, `${field}: ${value === undefined ? 'is required' : issue.message}`);
}
