// A sale waiting for "Log it anyway?" travels in the value of its buttons, so nothing is stored
// until it is confirmed. Slack sends a button's value back as it was posted; it is still read
// with a schema, and the confirm and cancel listeners check who clicks.
import { z } from 'zod';
import type { LogSaleRequest } from '../services/sales.js';

/** Slack's limit on a button's value. */
export const MAX_BUTTON_VALUE = 2000;

const pendingSale = z.object({
  teamId: z.string().min(1),
  actorId: z.string().regex(/^[UW][A-Z0-9]+$/),
  repId: z.string().regex(/^[UW][A-Z0-9]+$/),
  amountMinor: z.string().regex(/^\d{1,18}$/),
  currency: z.string().regex(/^[A-Z]{3}$/),
  customer: z.string().max(200).nullable(),
  productName: z.string().max(100).nullable(),
  closedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  note: z.string().max(1000).nullable(),
  source: z.enum(['command', 'modal']),
  idempotencyKey: z.string().min(1).max(200),
});

export type PendingSale = LogSaleRequest & { repId: string; closedOn: string };

export function encodePendingSale(sale: PendingSale): string {
  return JSON.stringify({
    teamId: sale.teamId,
    actorId: sale.actorId,
    repId: sale.repId,
    amountMinor: String(sale.amountMinor),
    currency: sale.currency,
    customer: sale.customer,
    productName: sale.productName,
    closedOn: sale.closedOn,
    note: sale.note ?? null,
    source: sale.source,
    idempotencyKey: sale.idempotencyKey,
  });
}

/** The sale in a button's value, or null when it is not one Tally posted. */
export function decodePendingSale(value: string | undefined): PendingSale | null {
  try {
    const parsed = pendingSale.safeParse(JSON.parse(value ?? ''));
    if (!parsed.success) return null;
    return { ...parsed.data, amountMinor: BigInt(parsed.data.amountMinor) };
  } catch {
    return null;
  }
}
