// Who may do what (SPEC 1). Admins: ADMIN_USER_IDS, Slack workspace admins and owners
// (users.info, cached briefly so the hot path does not call Slack), and members stored as
// admin. Managers are granted by admins and stored in the members table.
import type { WebClient } from '@slack/web-api';
import type { Role } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { UserError } from '../errors.js';
import { findMemberRole } from '../store/members.js';

const SLACK_ADMIN_TTL_MS = 5 * 60_000;

export class Roles {
  private readonly slackAdminCache = new Map<string, { isAdmin: boolean; expiresAt: number }>();

  constructor(private readonly deps: Pick<Deps, 'config' | 'db' | 'clock'>) {}

  async roleOf(client: WebClient, teamId: string, userId: string): Promise<Role> {
    if (this.deps.config.adminUserIds.has(userId)) return 'admin';
    const stored = await findMemberRole(this.deps.db, teamId, userId);
    if (stored === 'admin') return 'admin';
    if (await this.isSlackAdmin(client, teamId, userId)) return 'admin';
    return stored ?? 'rep';
  }

  async requireManager(client: WebClient, teamId: string, userId: string, doing: string): Promise<Role> {
    const role = await this.roleOf(client, teamId, userId);
    if (role === 'rep') throw new UserError(`Only managers and admins can ${doing}. Ask an admin to run \`/tally managers add @you\`.`);
    return role;
  }

  async requireAdmin(client: WebClient, teamId: string, userId: string, doing: string): Promise<void> {
    const role = await this.roleOf(client, teamId, userId);
    if (role !== 'admin') throw new UserError(`Only workspace admins can ${doing}.`);
  }

  private async isSlackAdmin(client: WebClient, teamId: string, userId: string): Promise<boolean> {
    const key = `${teamId}:${userId}`;
    const now = this.deps.clock.now().getTime();
    const cached = this.slackAdminCache.get(key);
    if (cached && cached.expiresAt > now) return cached.isAdmin;
    const { user } = await client.users.info({ user: userId });
    const isAdmin = Boolean(user?.is_admin || user?.is_owner);
    this.slackAdminCache.set(key, { isAdmin, expiresAt: now + SLACK_ADMIN_TTL_MS });
    return isAdmin;
  }
}
