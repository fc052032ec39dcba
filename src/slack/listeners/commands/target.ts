import { repSnapshot } from '../../../services/progress.js';
import { COMMANDS } from '../../ids.js';
import { myProgressMessage } from '../../views/my-progress.js';
import { commandHandler } from '../handle.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';
import { openTargetModal } from '../home.js';

const USER_MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/;

export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  listeners.command(
    COMMANDS.target,
    commandHandler(deps, 'target', async ({ command, ack, client, actor }) => {
      const role = await actor.role();
      const workspace = await actor.workspace();
      if (role === 'rep') {
        // Reps see their own targets; setting them is for managers.
        return myProgressMessage({ currency: workspace.currency, ...(await repSnapshot(deps, workspace, command.user_id)) });
      }
      const repId = USER_MENTION.exec(command.text)?.[1] ?? null;
      await openTargetModal(deps, client, actor, { triggerId: command.trigger_id, channelId: command.channel_id, repId }, ack);
    }),
  );
}
