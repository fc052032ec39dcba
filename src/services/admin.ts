// Workspace administration through /tally: the product catalogue and the manager role.
import type { SlackDirectory } from './slack-directory.js';
import type { Product } from '../db/schema.js';
import { localDate } from '../domain/periods.js';
import { UserError } from '../errors.js';
import { insertAudit } from '../store/audit.js';
import { listMembersWithRole, upsertMemberRole } from '../store/members.js';
import { insertProduct, listProductNames } from '../store/products.js';
import { endManagement } from '../store/teams.js';
import { requireAdmin, requireManager, type Actor } from './actor.js';
import type { ServiceDeps } from './deps.js';

const PRODUCT_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,49}$/u;

export async function addProduct(deps: ServiceDeps, actor: Actor, rawName: string): Promise<Product> {
  const { teamId, userId: actorId } = actor;
  await requireManager(actor, 'add products');
  const name = rawName.trim().replace(/^#/, '');
  if (!PRODUCT_NAME.test(name)) {
    throw new UserError(
      'A product name is one word of up to 50 letters, digits, `-`, `_` or `.`, like `widgets` or `pro-plan`. Try `/tally products add widgets`.',
    );
  }
  // The workspace exists before a product points at it.
  await actor.workspace();
  return deps.db.transaction().execute(async (trx) => {
    const product = await insertProduct(trx, teamId, name, actorId, deps.clock.now());
    if (!product) throw new UserError(`There is already a product called \`${name}\`. See them all with \`/tally products\`.`);
    await insertAudit(trx, {
      teamId,
      actorId,
      action: 'product.added',
      entityType: 'product',
      entityId: String(product.id),
      after: product,
      at: deps.clock.now(),
    });
    return product;
  });
}

export function productNames(deps: ServiceDeps, teamId: string): Promise<string[]> {
  return listProductNames(deps.db, teamId);
}

/** `directory`: how Slack is asked whether a new manager is a member of the workspace. */
export async function setManager(
  deps: ServiceDeps,
  directory: SlackDirectory,
  actor: Actor,
  userId: string,
  isManager: boolean,
): Promise<void> {
  const { teamId, userId: actorId } = actor;
  await requireAdmin(actor, 'grant or revoke the manager role');
  if (isManager) await deps.roles.requireMember(directory, teamId, userId);
  const workspace = await actor.workspace();
  await deps.db.transaction().execute(async (trx) => {
    const role = isManager ? 'manager' : 'rep';
    const before = await upsertMemberRole(trx, teamId, userId, role, deps.clock.now());
    // A revoked manager manages no team from today on.
    if (!isManager) await endManagement(trx, teamId, userId, localDate(deps.clock.now(), workspace.timezone));
    await insertAudit(trx, {
      teamId,
      actorId,
      action: isManager ? 'member.manager_granted' : 'member.manager_revoked',
      entityType: 'member',
      entityId: userId,
      before: { role: before ?? 'rep' },
      after: { role },
      at: deps.clock.now(),
    });
  });
}

export async function managerIds(deps: ServiceDeps, teamId: string): Promise<string[]> {
  return (await listMembersWithRole(deps.db, teamId, 'manager')).map((m) => m.user_id);
}
