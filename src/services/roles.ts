// Who may do what (SPEC 1). Admins: ADMIN_USER_IDS, Slack workspace admins and owners
// (users.info, cached briefly so the hot path does not call Slack), and members stored as
// admin. Managers are granted by admins and stored in the members table.
import type { WebClient } from '@slack/web-api';
import type { Role } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { UserError } from '../errors.js';
import { findMemberRole } from '../store/members.js';

const SLACK_ADMIN_TTL_MS = 5 * 60_000;

interface SlackUser {
  /** False when Slack does not know the user in this workspace, or they are deleted or a bot. */
  member: boolean;
  isAdmin: boolean;
  expiresAt: number;
}

export class Roles {
  private readonly users = new Map<string, SlackUser>();

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

  /**
   * A command's text or a crafted payload can name any user id: a sale, target, team or role is
   * only ever given to a person of this workspace.
   */
  async requireMember(client: WebClient, teamId: string, userId: string): Promise<void> {
    if (!(await this.slackUser(client, teamId, userId)).member) {
      throw new UserError(`<@${userId}> isn't a member of this workspace. Pick someone from the list, so Slack links them.`, 'rep');
    }
  }

  private async isSlackAdmin(client: WebClient, teamId: string, userId: string): Promise<boolean> {
    return (await this.slackUser(client, teamId, userId)).isAdmin;
  }

  private async slackUser(client: WebClient, teamId: string, userId: string): Promise<SlackUser> {
    const key = `${teamId}:${userId}`;
    const now = this.deps.clock.now().getTime();
    const cached = this.users.get(key);
    if (cached && cached.expiresAt > now) return cached;
    let user;
    try {
      ({ user } = await client.users.info({ user: userId }));
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error !== 'user_not_found') throw error;
    }
    const member = Boolean(user && !user.deleted && !user.is_bot && (user.team_id === undefined || user.team_id === teamId));
    const entry = { member, isAdmin: member && Boolean(user?.is_admin || user?.is_owner), expiresAt: now + SLACK_ADMIN_TTL_MS };
    this.users.set(key, entry);
    return entry;
  }
}
