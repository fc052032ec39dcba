// What every use case is handed: the app's deps, who may do what (Roles), and the caches a
// change makes stale (made once in src/tally.ts).
import type { Deps } from '../deps.js';
import type { Roles } from './roles.js';
import type { WorkspaceCache } from './workspaces.js';

export interface ServiceDeps extends Pick<Deps, 'config' | 'db' | 'clock'> {
  roles: Roles;
  /** What a change makes stale: the workspace's current leaderboards, its settings. */
  caches: { leaderboards: { forget(teamId: string): void }; workspaces: WorkspaceCache };
}
