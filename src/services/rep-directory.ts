// Who the reps are, as Slack knows them (users.info, users.lookupByEmail): for an import, which
// user a row names; for an export and an import's report, a rep's name and email next to their
// id. One directory lives for one import or export and asks Slack once per person.
import type { SlackDirectory } from './slack-directory.js';
import type { RepProfile } from '../domain/csv-export.js';
import type { RepRef } from '../domain/csv-import.js';

export type RepLookup = ({ ok: true; id: string } & RepProfile) | { ok: false; error: string };

interface SlackUser {
  id?: string;
  name?: string;
  real_name?: string;
  is_bot?: boolean;
  profile?: { real_name?: string; display_name?: string; email?: string };
}

export class RepDirectory {
  private readonly cache = new Map<string, Promise<RepLookup>>();

  constructor(private readonly client: SlackDirectory) {}

  /** The user a row names, by Slack user id or email; a bot or an unknown person is an error. */
  resolve(ref: RepRef): Promise<RepLookup> {
    const key = ref.kind === 'id' ? `id:${ref.id}` : `email:${ref.email}`;
    let found = this.cache.get(key);
    if (!found) {
      found = this.lookup(ref);
      this.cache.set(key, found);
    }
    return found;
  }

  /**
   * The name and email of a user id, for a file or a report; null when Slack does not return the
   * person (left the workspace, never in it): the row is still written, with empty cells.
   */
  async profile(userId: string): Promise<RepProfile | null> {
    const found = await this.resolve({ kind: 'id', id: userId });
    return found.ok ? { name: found.name, email: found.email } : null;
  }

  /** Profiles of many ids, asked a few at a time, each once. */
  async profiles(userIds: Iterable<string>): Promise<Map<string, RepProfile>> {
    const ids = [...new Set(userIds)];
    const found = new Map<string, RepProfile>();
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        const profile = await this.profile(id);
        if (profile) found.set(id, profile);
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, ids.length) }, worker));
    return found;
  }

  private async lookup(ref: RepRef): Promise<RepLookup> {
    try {
      const { user } = (
        ref.kind === 'id' ? await this.client.users.info({ user: ref.id }) : await this.client.users.lookupByEmail({ email: ref.email })
      ) as { user?: SlackUser };
      if (!user?.id) return { ok: false, error: notFound(ref) };
      if (user.is_bot) return { ok: false, error: `${ref.kind === 'id' ? ref.id : ref.email} is a bot, not a rep.` };
      const name = user.real_name || user.profile?.real_name || user.profile?.display_name || user.name || '';
      return { ok: true, id: user.id, name, email: user.profile?.email ?? '' };
    } catch (error) {
      const code = (error as { data?: { error?: unknown } }).data?.error;
      if (code === 'user_not_found' || code === 'users_not_found') return { ok: false, error: notFound(ref) };
      throw error;
    }
  }
}

function notFound(ref: RepRef): string {
  return ref.kind === 'id'
    ? `there is no Slack user ${ref.id} in this workspace: check the rep's user id (in Slack: their profile, ⋮, Copy member ID).`
    : `no one in this workspace has the email ${ref.email}: use the email of their Slack account, or their user id.`;
}
