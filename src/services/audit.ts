// `/tally audit [@user|sale id]` (managers): who changed what and when, with the names of the
// sales teams and products the entries refer to by id.
import { UserError } from '../errors.js';
import { auditNames, recentAudit } from '../store/audit.js';
import { requireManager, type Actor } from './actor.js';
import type { ServiceDeps } from './deps.js';

export const AUDIT_PAGE = 20;

export async function auditTrail(deps: ServiceDeps, actor: Actor, filter: { userId: string | null; saleId: string | null }) {
  const { teamId } = actor;
  await requireManager(actor, 'read the audit log');
  if (filter.saleId !== null && BigInt(filter.saleId) <= 0n) throw new UserError('Sale ids start at 1.');
  const [entries, names] = await Promise.all([recentAudit(deps.db, teamId, { ...filter, limit: AUDIT_PAGE }), auditNames(deps.db, teamId)]);
  return { entries, ...names };
}
