// A workspace's settings (timezone, currency, closed periods) are read by every sale and change
// rarely, so logging a sale takes them from memory. The statement that stores the sale checks
// that they are still the version it was checked against (workspaces.version, which a trigger
// moves on every change, by whoever makes it); when they are not, the sale is checked again,
// from the start, against the settings as they are now. A sale refused (a closed period, a date
// after today) is refused by the current settings: a refusal from remembered ones is checked.
import { LRUCache } from 'lru-cache';
import type { Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { isUserError } from '../errors.js';
import { ensureWorkspace } from '../store/workspaces.js';

/** Thrown by a write whose settings changed after they were read: nothing was stored. */
export class WorkspaceChanged extends Error {
  constructor(teamId: string) {
    super(`The settings of workspace ${teamId} changed while a sale was being checked`);
    this.name = 'WorkspaceChanged';
  }
}

const MAX_CACHED = 10_000;

/**
 * The settings each workspace was last read with, by team id: made once by the composition root
 * (src/tally.ts) and forgotten by the settings service when it changes them (a change made by
 * another replica is caught by workspaces.version).
 */
export class WorkspaceCache {
  private readonly workspaces = new LRUCache<string, Workspace>({ max: MAX_CACHED });

  get(teamId: string): Workspace | undefined {
    return this.workspaces.get(teamId);
  }

  remember(workspace: Workspace): void {
    this.workspaces.set(workspace.team_id, workspace);
  }

  forget(teamId: string): void {
    this.workspaces.delete(teamId);
  }
}

/** Settings changing on every try is not a race any request should keep losing. */
const TRIES = 3;

/**
 * Runs `write` with the workspace's settings, from memory when they were read before, and runs
 * it again with the current settings when it throws WorkspaceChanged, or refuses (a UserError)
 * on settings that have changed since.
 */
export async function withCurrentWorkspace<T>(
  deps: Pick<Deps, 'db' | 'config' | 'clock'> & { caches: { workspaces: WorkspaceCache } },
  teamId: string,
  write: (workspace: Workspace) => Promise<T>,
): Promise<T> {
  const workspaces = deps.caches.workspaces;
  const read = async () => {
    const workspace = await ensureWorkspace(deps.db, teamId, deps.config.defaults, deps.clock.now());
    workspaces.remember(workspace);
    return workspace;
  };
  for (let attempt = 1; ; attempt++) {
    const remembered = workspaces.get(teamId);
    const workspace = remembered ?? (await read());
    try {
      return await write(workspace);
    } catch (error) {
      if (attempt >= TRIES) throw error;
      if (error instanceof WorkspaceChanged) workspaces.forget(teamId);
      else if (!isUserError(error) || !remembered || (await read()).version === remembered.version) throw error;
    }
  }
}

/** The workspace's settings, created with the configured defaults the first time a team is seen. */
export function workspaceOf(deps: Pick<Deps, 'db' | 'config' | 'clock'>, teamId: string): Promise<Workspace> {
  return ensureWorkspace(deps.db, teamId, deps.config.defaults, deps.clock.now());
}
