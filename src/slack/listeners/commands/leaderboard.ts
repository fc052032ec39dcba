import type { App } from '@slack/bolt';
import { parseLeaderboardArgs } from '../../../domain/leaderboard-args.js';
import { UserError } from '../../../errors.js';
import { currentLeaderboard } from '../../../services/leaderboard.js';
import { ensureWorkspace } from '../../../store/workspaces.js';
import { COMMANDS } from '../../ids.js';
import { leaderboardMessage } from '../../views/leaderboard.js';
import { commandHandler } from '../handle.js';
import type { ListenerDeps } from '../index.js';

export function register(app: App, deps: ListenerDeps): void {
  app.command(
    COMMANDS.leaderboard,
    commandHandler(deps, 'leaderboard', async ({ command, teamId }) => {
      const args = parseLeaderboardArgs(command.text);
      if (!args.ok) throw new UserError(args.error);
      const workspace = await ensureWorkspace(deps.db, teamId, deps.config.defaults, deps.clock.now());
      const board = await currentLeaderboard(deps, workspace, { kind: args.kind, salesTeamName: args.team, viewerId: command.user_id });
      return leaderboardMessage(board, command.user_id);
    }),
  );
}
