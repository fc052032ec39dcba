// Workspace settings, changed by admins in App Home (docs/rules.md#roles): timezone, currency, fiscal year
// start month, milestones and celebrations, the date through which periods are closed, and how
// a typed `12/01` reads.
import type { Transaction } from 'kysely';
import type { Database, Workspace } from '../db/schema.js';
import type { DateOrder } from '../domain/typed-date.js';
import { UserError } from '../errors.js';
import { insertAudit } from '../store/audit.js';
import { countSales, ensureWorkspace, lockWorkspace, updateWorkspace } from '../store/workspaces.js';
import { requireAdmin, requireManager, type Actor } from './actor.js';
import type { ServiceDeps } from './deps.js';

export interface SettingsChange {
  timezone: string;
  currency: string;
  fiscalYearStartMonth: number;
  milestones: number[];
  celebrationsEnabled: boolean;
  lockedThrough: string | null;
  dateOrder: DateOrder;
  guardRailsEnabled: boolean;
}

export async function updateSettings(deps: ServiceDeps, actor: Actor, change: SettingsChange): Promise<Workspace> {
  const { teamId } = actor;
  await requireAdmin(actor, 'change the workspace settings');
  // Read again, not the actor's: the audit's "before" is the settings as they are now.
  const before = await ensureWorkspace(deps.db, teamId, deps.config.defaults, deps.clock.now());
  const now = deps.clock.now();
  const updated = await changeWorkspace(deps, actor, now, async (trx) => {
    if (change.currency !== before.currency) {
      // Sums would mix currencies: the workspace currency is fixed once money is stored in it.
      const count = await countSales(trx, teamId);
      if (count > 0n) {
        throw new UserError(
          `The currency can't change from ${before.currency}: ${count} sales are already counted in it.`,
          'settings_currency',
        );
      }
    }
    const after = await updateWorkspace(trx, teamId, {
      timezone: change.timezone,
      currency: change.currency,
      fiscal_year_start_month: change.fiscalYearStartMonth,
      milestones: change.milestones,
      celebrations_enabled: change.celebrationsEnabled,
      locked_through: change.lockedThrough,
      date_order: change.dateOrder,
      guard_rails_enabled: change.guardRailsEnabled,
      updated_at: now,
    });
    return { before, after };
  });
  deps.caches.leaderboards.forget(teamId);
  return updated;
}

/** Turns the guard rails (see guard-rails.ts) on or off: managers and admins. Audited. */
export async function setGuardRails(deps: ServiceDeps, actor: Actor, enabled: boolean): Promise<Workspace> {
  const { teamId } = actor;
  await requireManager(actor, 'turn the guard rails on or off');
  await ensureWorkspace(deps.db, teamId, deps.config.defaults, deps.clock.now());
  return changeWorkspace(deps, actor, null, async (trx) => {
    const before = await lockWorkspace(trx, teamId);
    const after = await updateWorkspace(trx, teamId, { guard_rails_enabled: enabled, updated_at: deps.clock.now() });
    return { before, after };
  });
}

/**
 * Changes the workspace's settings and audits the change, in one transaction; afterwards the
 * cached settings are forgotten. `at` is the audit's time (null: the clock's, after the change).
 */
async function changeWorkspace(
  deps: ServiceDeps,
  actor: Actor,
  at: Date | null,
  change: (trx: Transaction<Database>) => Promise<{ before: Workspace; after: Workspace }>,
): Promise<Workspace> {
  const updated = await deps.db.transaction().execute(async (trx) => {
    const { before, after } = await change(trx);
    await insertAudit(trx, {
      teamId: actor.teamId,
      actorId: actor.userId,
      action: 'workspace.settings_changed',
      entityType: 'workspace',
      entityId: actor.teamId,
      before,
      after,
      at: at ?? deps.clock.now(),
    });
    return after;
  });
  deps.caches.workspaces.forget(actor.teamId);
  return updated;
}
