// The caches a running Tally keeps: made once by the composition root (src/tally.ts) and handed
// down in deps, each forgotten by the use cases that change what it holds, so every surface
// reads the same numbers (docs/rules.md#sales, "One truth").
import { LeaderboardCache } from './leaderboard.js';
import { WorkspaceCache } from './workspaces.js';

export interface Caches {
  /** Current leaderboards, at most a second old; forgotten by sales, targets, teams, settings and imports. */
  leaderboards: LeaderboardCache;
  /** Workspace settings as last read; forgotten by the settings use cases (workspaces.version catches the rest). */
  workspaces: WorkspaceCache;
}

export function createCaches(): Caches {
  return { leaderboards: new LeaderboardCache(), workspaces: new WorkspaceCache() };
}
