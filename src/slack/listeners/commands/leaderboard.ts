import { parseLeaderboardArgs } from '../../../domain/leaderboard-args.js';
import { UserError } from '../../../errors.js';
import { periodLeaderboard } from '../../../services/leaderboard.js';
import { COMMANDS } from '../../ids.js';
import { leaderboardMessage } from '../../views/leaderboard.js';
import { commandHandler } from '../handle.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';

export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  listeners.command(
    COMMANDS.leaderboard,
    commandHandler(deps, 'leaderboard', async ({ command, actor }) => {
      const workspace = await actor.workspace();
      const args = parseLeaderboardArgs(command.text, {
        now: actor.now,
        tz: workspace.timezone,
        fyStartMonth: workspace.fiscal_year_start_month,
      });
      if (!args.ok) throw new UserError(args.error);
      const board = await periodLeaderboard(deps, workspace, { period: args.period, salesTeamName: args.team, viewerId: command.user_id });
      return leaderboardMessage(board, command.user_id);
    }),
  );
}
