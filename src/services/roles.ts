// Who may do what (docs/rules.md#roles). Admins: ADMIN_USER_IDS, Slack workspace admins and owners
// (users.info, cached briefly so the hot path does not call Slack), and members stored as
// admin. Managers are granted by admins and stored in the members table. A manager who has
// been given teams to manage (sales_team_managers) acts on the reps of those teams only, judged
// on the day the act concerns; a manager never given a team acts on everyone, as before teams
// had managers.
import type { SlackDirectory, SlackPerson } from './slack-directory.js';
import type { Role } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { UserError } from '../errors.js';
import { escapeSlackText } from '../domain/slack-text.js';
import { findMemberRole } from '../store/members.js';
import { hasTeamAssignments, managedTeamIdsOn, teamsOfRepOn } from '../store/teams.js';

const SLACK_ADMIN_TTL_MS = 5 * 60_000;

interface SlackUser {
  /** False when Slack does not know the user in this workspace, or they are deleted or a bot. */
  member: boolean;
  isAdmin: boolean;
  /** The name Slack shows for them (real name, else display name, else handle). */
  name: string;
  expiresAt: number;
}

export class Roles {
  private readonly users = new Map<string, SlackUser>();

  constructor(private readonly deps: Pick<Deps, 'config' | 'db' | 'clock'>) {}

  async roleOf(client: SlackDirectory, teamId: string, userId: string): Promise<Role> {
    if (this.deps.config.adminUserIds.has(userId)) return 'admin';
    const stored = await findMemberRole(this.deps.db, teamId, userId);
    if (stored === 'admin') return 'admin';
    if (await this.isSlackAdmin(client, teamId, userId)) return 'admin';
    return stored ?? 'rep';
  }

  async requireManager(client: SlackDirectory, teamId: string, userId: string, doing: string): Promise<Role> {
    return managerOrRefuse(await this.roleOf(client, teamId, userId), doing);
  }

  /**
   * The actor may act on a rep's sales or targets on a local date (a sale's close date, or
   * today): admins always; managers when they manage a team the rep belongs to that day, or
   * when they have never been given a team. `doing` names the act, e.g. "void someone else's sale".
   */
  async requireActOn(client: SlackDirectory, teamId: string, actorId: string, repId: string, date: string, doing: string): Promise<void> {
    return this.requireActorActOn(this.acting(client, teamId, actorId), repId, date, doing);
  }

  /** Someone acting who is not a request's Actor (a row of an import, a connected source's rep): their role asked when needed. */
  acting(client: SlackDirectory, teamId: string, userId: string): Acting {
    return { teamId, userId, role: () => this.roleOf(client, teamId, userId) };
  }

  /** requireActOn for the request's actor (their role as the actor has it). */
  async requireActorActOn(actor: Acting, repId: string, date: string, doing: string): Promise<void> {
    const { teamId, userId: actorId } = actor;
    const role = await actor.role();
    if (role === 'admin') return;
    const repTeams = await teamsOfRepOn(this.deps.db, teamId, repId, date);
    if (role === 'manager') {
      if (!(await hasTeamAssignments(this.deps.db, teamId, actorId))) return;
      const managed = await managedTeamIdsOn(this.deps.db, teamId, actorId, date);
      if (repTeams.some((t) => managed.includes(t.id))) return;
    }
    if (repTeams.length > 0)
      throw new UserError(`Only admins and managers of ${teamNames(repTeams)} (<@${repId}>'s team on ${date}) can ${doing}.`);
    if (role === 'rep') throw new UserError(`Only managers and admins can ${doing}. Ask an admin to run \`/tally managers add @you\`.`);
    throw new UserError(`Only admins can ${doing}: <@${repId}> is in no sales team on ${date}, and you manage the reps of your teams.`);
  }

  /** The actor may change a sales team on a local date: admins, its managers that day, and managers never given a team. */
  async requireTeamManager(actor: Acting, team: { id: bigint; name: string }, date: string, doing: string): Promise<void> {
    const { teamId, userId: actorId } = actor;
    const role = await actor.role();
    if (role === 'admin') return;
    if (role === 'manager') {
      if (!(await hasTeamAssignments(this.deps.db, teamId, actorId))) return;
      if ((await managedTeamIdsOn(this.deps.db, teamId, actorId, date)).includes(team.id)) return;
    }
    throw new UserError(`Only admins and managers of ${teamNames([team])} can ${doing}.`);
  }

  /**
   * A command's text or a crafted payload can name any user id: a sale, target, team or role is
   * only ever given to a person of this workspace.
   */
  async requireMember(client: SlackDirectory, teamId: string, userId: string): Promise<void> {
    if (!(await this.slackUser(client, teamId, userId)).member) {
      throw new UserError(`<@${userId}> isn't a member of this workspace. Pick someone from the list, so Slack links them.`, 'rep');
    }
  }

  /**
   * A person as Slack describes them (from the same short-lived cache): whether they are a
   * member of this workspace, a Slack admin, and their name, for pickers that list people.
   */
  async person(client: SlackDirectory, teamId: string, userId: string): Promise<{ member: boolean; isAdmin: boolean; name: string }> {
    const { member, isAdmin, name } = await this.slackUser(client, teamId, userId);
    return { member, isAdmin, name };
  }

  private async isSlackAdmin(client: SlackDirectory, teamId: string, userId: string): Promise<boolean> {
    return (await this.slackUser(client, teamId, userId)).isAdmin;
  }

  private async slackUser(client: SlackDirectory, teamId: string, userId: string): Promise<SlackUser> {
    const key = `${teamId}:${userId}`;
    const now = this.deps.clock.now().getTime();
    const cached = this.users.get(key);
    if (cached && cached.expiresAt > now) return cached;
    let user: SlackPerson | undefined;
    try {
      ({ user } = await client.users.info({ user: userId }));
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error !== 'user_not_found') throw error;
    }
    const member = Boolean(user && !user.deleted && !user.is_bot && (user.team_id === undefined || user.team_id === teamId));
    const name = user?.real_name || user?.profile?.real_name || user?.profile?.display_name || user?.name || userId;
    const entry = { member, isAdmin: member && Boolean(user?.is_admin || user?.is_owner), name, expiresAt: now + SLACK_ADMIN_TTL_MS };
    this.users.set(key, entry);
    return entry;
  }
}

/** Who acts, as the role checks need them: a request's Actor (services/actor.ts) fits. */
export interface Acting {
  teamId: string;
  userId: string;
  role(): Promise<Role>;
}

/** Anyone but an admin is told that `doing` is for workspace admins. */
export function adminOrRefuse(role: Role, doing: string): void {
  if (role !== 'admin') throw new UserError(`Only workspace admins can ${doing}.`);
}

/** The role when it is a manager's or an admin's; a rep is told that `doing` is not for them. */
export function managerOrRefuse(role: Role, doing: string): Role {
  if (role === 'rep') throw new UserError(`Only managers and admins can ${doing}. Ask an admin to run \`/tally managers add @you\`.`);
  return role;
}

function teamNames(teams: ReadonlyArray<{ name: string }>): string {
  const names = teams.map((t) => `*${escapeSlackText(t.name)}*`);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
