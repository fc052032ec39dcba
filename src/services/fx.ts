// Exchange rates (docs/rules.md#money): admins set them; a sale in another currency counts at the rate in
// force on its close date. A sale keeps the rate it was counted at.
import { dayjs } from '../domain/dayjs.js';
import { isCurrencyCode } from '../domain/money.js';
import { localDate } from '../domain/periods.js';
import { quoteInput } from '../domain/slack-text.js';
import { UserError } from '../errors.js';
import { insertAudit } from '../store/audit.js';
import { latestRates, rateOn, upsertRate } from '../store/fx.js';
import { requireAdmin, type Actor } from './actor.js';
import type { ServiceDeps } from './deps.js';

export interface SetRateRequest {
  currency: string;
  rate: string;
  /** First day it applies; default today in the workspace timezone. */
  validOn: string | null;
}

export async function setRate(deps: ServiceDeps, actor: Actor, request: SetRateRequest) {
  const { teamId, userId: actorId } = actor;
  await requireAdmin(actor, 'set exchange rates');
  const workspace = await actor.workspace();
  const today = localDate(deps.clock.now(), workspace.timezone);
  const validOn = request.validOn ?? today;
  if (!isCurrencyCode(request.currency))
    throw new UserError(`${request.currency} is not an ISO 4217 currency code. Try \`/tally fx EUR 1.0832\`.`);
  if (request.currency === workspace.currency) throw new UserError(`${request.currency} is the workspace currency: it needs no rate.`);
  if (!/^\d{1,9}(\.\d{1,10})?$/.test(request.rate) || /^0+(\.0+)?$/.test(request.rate)) {
    throw new UserError(
      `\`${quoteInput(request.rate)}\` is not a rate: write how many ${workspace.currency} one ${request.currency} is worth, like 1.0832.`,
    );
  }
  if (dayjs.utc(validOn).format('YYYY-MM-DD') !== validOn) throw new UserError(`${validOn} is not a date. Write it as YYYY-MM-DD.`);
  if (validOn > today) throw new UserError(`${validOn} is in the future: set a rate from today or an earlier day.`);
  const change = await deps.db.transaction().execute(async (trx) => {
    // The rate in force on that day until now (set that day, or earlier): the audit says from what to what.
    const inForce = await rateOn(trx, teamId, request.currency, validOn);
    const { after } = await upsertRate(trx, teamId, request.currency, validOn, request.rate, actorId, deps.clock.now());
    const before = inForce ? { currency: request.currency, rate: inForce.rate, valid_on: inForce.valid_on } : null;
    await insertAudit(trx, {
      teamId,
      actorId,
      action: 'fx.rate_set',
      entityType: 'workspace',
      entityId: `fx:${request.currency}:${validOn}`,
      before,
      after,
      at: deps.clock.now(),
    });
    return after;
  });
  return { rate: change, workspace };
}

export function ratesOf(deps: Pick<ServiceDeps, 'db'>, teamId: string) {
  return latestRates(deps.db, teamId);
}
