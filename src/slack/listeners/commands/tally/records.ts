// `/tally fx` (exchange rates) and `/tally audit` (the audit log).
import { auditTrail } from '../../../../services/audit.js';
import { ratesOf, setRate } from '../../../../services/fx.js';
import { auditMessage, ratesMessage } from '../../../views/audit.js';
import { auditScope, rateSetMessage } from '../../../views/tally-replies.js';
import type { TallyHandlers } from './request.js';

export const fxCommands: TallyHandlers<'fx.list' | 'fx.set'> = {
  'fx.list': async ({ deps, actor }) => {
    const workspace = await actor.workspace();
    return ratesMessage(await ratesOf(deps, actor.teamId), workspace.currency);
  },
  'fx.set': async ({ deps, actor, parsed }) => {
    const { rate, workspace } = await setRate(deps, actor, { currency: parsed.currency, rate: parsed.rate, validOn: parsed.date });
    return rateSetMessage(rate, workspace.currency);
  },
};

export const auditCommands: TallyHandlers<'audit'> = {
  audit: async ({ deps, actor, parsed }) => {
    const workspace = await actor.workspace();
    const { entries, teamNames, productNames } = await auditTrail(deps, actor, parsed);
    const auditContext = {
      timezone: workspace.timezone,
      currency: workspace.currency,
      fiscalYearStartMonth: workspace.fiscal_year_start_month,
      teamNames,
      productNames,
    };
    return auditMessage(entries, auditContext, auditScope(parsed));
  },
};
