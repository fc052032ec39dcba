// Workspace settings, changed by admins in App Home (docs/rules.md#roles): timezone, currency, fiscal year
// start month, milestones and celebrations, the date through which periods are closed, and how
// a typed `12/01` reads.
import { sql } from 'kysely';
import type { Workspace } from '../db/schema.js';
import type { DateOrder } from '../domain/typed-date.js';
import { UserError } from '../errors.js';
import { insertAudit } from '../store/audit.js';
import { ensureWorkspace } from '../store/workspaces.js';
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
  const { teamId, userId: actorId } = actor;
  await requireAdmin(actor, 'change the workspace settings');
  // Read again, not the actor's: the audit's "before" is the settings as they are now.
  const before = await ensureWorkspace(deps.db, teamId, deps.config.defaults, deps.clock.now());
  const now = deps.clock.now();
  const updated = await deps.db.transaction().execute(async (trx) => {
    if (change.currency !== before.currency) {
      // Sums would mix currencies: the workspace currency is fixed once money is stored in it.
      const { count } = await trx
        .selectFrom('sales')
        .select(sql<bigint>`count(*)::int8`.as('count'))
        .where('team_id', '=', teamId)
        .executeTakeFirstOrThrow();
      if (count > 0n) {
        throw new UserError(
          `The currency can't change from ${before.currency}: ${count} sales are already counted in it.`,
          'settings_currency',
        );
      }
    }
    const after = await trx
      .updateTable('workspaces')
      .set({
        timezone: change.timezone,
        currency: change.currency,
        fiscal_year_start_month: change.fiscalYearStartMonth,
        milestones: change.milestones,
        celebrations_enabled: change.celebrationsEnabled,
        locked_through: change.lockedThrough,
        date_order: change.dateOrder,
        guard_rails_enabled: change.guardRailsEnabled,
        updated_at: now,
      })
      .where('team_id', '=', teamId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertAudit(trx, {
      teamId,
      actorId,
      action: 'workspace.settings_changed',
      entityType: 'workspace',
      entityId: teamId,
      before,
      after,
      at: now,
    });
    return after;
  });
  deps.caches.workspaces.forget(teamId);
  deps.caches.leaderboards.forget(teamId);
  return updated;
}

/** Turns the guard rails (see guard-rails.ts) on or off: managers and admins. Audited. */
export async function setGuardRails(deps: ServiceDeps, actor: Actor, enabled: boolean): Promise<Workspace> {
  const { teamId, userId: actorId } = actor;
  await requireManager(actor, 'turn the guard rails on or off');
  await ensureWorkspace(deps.db, teamId, deps.config.defaults, deps.clock.now());
  const updated = await deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('workspaces').selectAll().where('team_id', '=', teamId).forUpdate().executeTakeFirstOrThrow();
    const after = await trx
      .updateTable('workspaces')
      .set({ guard_rails_enabled: enabled, updated_at: deps.clock.now() })
      .where('team_id', '=', teamId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertAudit(trx, {
      teamId,
      actorId,
      action: 'workspace.settings_changed',
      entityType: 'workspace',
      entityId: teamId,
      before,
      after,
      at: deps.clock.now(),
    });
    return after;
  });
  deps.caches.workspaces.forget(teamId);
  return updated;
}
