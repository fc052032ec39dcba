// Who is acting: resolved once at the edge, for the request, and handed to the use cases. The
// workspace's settings and the person's role are looked up when first asked for, then kept for
// the rest of the request: a request that never needs the role asks Slack nothing
// (docs/rules.md#roles: the role comes from users.info).
import type { Role, Workspace } from '../db/schema.js';
import type { ServiceDeps } from './deps.js';
import { adminOrRefuse, managerOrRefuse } from './roles.js';
import type { SlackDirectory } from './slack-directory.js';
import { workspaceOf } from './workspaces.js';

export interface Actor {
  /** The workspace the request acts on. */
  teamId: string;
  userId: string;
  /** The clock's now when the request arrived. */
  now: Date;
  /** The workspace's settings (created with the defaults the first time a team is seen). */
  workspace(): Promise<Workspace>;
  /** Admin, manager or rep (docs/rules.md#roles). */
  role(): Promise<Role>;
}

/** The actor of a request: `directory` is how their role is asked of Slack (a WebClient fits). */
export function resolveActor(deps: ServiceDeps, directory: SlackDirectory, teamId: string, userId: string): Actor {
  return {
    teamId,
    userId,
    now: deps.clock.now(),
    workspace: once(() => workspaceOf(deps, teamId)),
    role: once(() => deps.roles.roleOf(directory, teamId, userId)),
  };
}

/** The actor's role when they are a manager or an admin; a rep is told that `doing` is not for them. */
export async function requireManager(actor: Actor, doing: string): Promise<Role> {
  return managerOrRefuse(await actor.role(), doing);
}

/** Refuses anyone but an admin: `doing` is for workspace admins. */
export async function requireAdmin(actor: Actor, doing: string): Promise<void> {
  adminOrRefuse(await actor.role(), doing);
}

/** The first call's answer for every later call; a failure is not kept (the next call asks again). */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= read().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
