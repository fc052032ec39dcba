// `/tally audit [@user|sale id]` (managers): who changed what and when, with the names of the
// sales teams and products the entries refer to by id.
import type { SlackDirectory } from './slack-directory.js';
import { UserError } from '../errors.js';
import { auditNames, recentAudit } from '../store/audit.js';
import type { ServiceDeps } from './deps.js';

export const AUDIT_PAGE = 20;

export async function auditTrail(deps: ServiceDeps, client: SlackDirectory, teamId: string, actorId: string, filter: { userId: string | null; saleId: string | null }) {
  await deps.roles.requireManager(client, teamId, actorId, 'read the audit log');
  if (filter.saleId !== null && BigInt(filter.saleId) <= 0n) throw new UserError('Sale ids start at 1.');
  const [entries, names] = await Promise.all([recentAudit(deps.db, teamId, { ...filter, limit: AUDIT_PAGE }), auditNames(deps.db, teamId)]);
  return { entries, ...names };
}
