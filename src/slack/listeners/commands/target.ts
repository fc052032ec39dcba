import type { App } from '@slack/bolt';
import { localDate } from '../../../domain/periods.js';
import { repSnapshot } from '../../../services/progress.js';
import { currentTarget } from '../../../services/targets.js';
import { ensureWorkspace } from '../../../store/workspaces.js';
import { COMMANDS } from '../../ids.js';
import { myProgressMessage } from '../../views/my-progress.js';
import { targetInfoText, targetModal } from '../../views/target-modal.js';
import { commandHandler } from '../handle.js';
import type { ListenerDeps } from '../index.js';
import { subjectLabel, targetModalChoices } from '../target-subject.js';

const USER_MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/;

export function register(app: App, deps: ListenerDeps): void {
  app.command(
    COMMANDS.target,
    commandHandler(deps, 'target', async ({ command, ack, client }) => {
      const role = await deps.roles.roleOf(client, command.team_id, command.user_id);
      const workspace = await ensureWorkspace(deps.db, command.team_id, deps.config.defaults);
      if (role === 'rep') {
        // Reps see their own targets; setting them is for managers.
        return myProgressMessage({ currency: workspace.currency, ...(await repSnapshot(deps, workspace, command.user_id)) });
      }
      const repId = USER_MENTION.exec(command.text)?.[1] ?? null;
      const selection = { subjectType: 'rep' as const, subjectId: repId, metric: 'revenue' as const, periodKind: 'month' as const };
      const [choices, current] = await Promise.all([targetModalChoices(deps, command.team_id), currentTarget(deps, workspace, selection)]);
      const view = targetModal({
        ...choices,
        today: localDate(deps.clock.now(), workspace.timezone),
        info: targetInfoText(current, workspace.currency, subjectLabel(selection, choices)),
        initial: repId ? { subject: 'rep', repId } : {},
        channelId: command.channel_id,
      });
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view });
    }),
  );
}
