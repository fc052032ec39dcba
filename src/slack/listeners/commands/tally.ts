import type { App } from '@slack/bolt';
import { parseTallyCommand, unknownTallyCommandMessage } from '../../../domain/tally-command.js';
import { escapeSlackText } from '../../../domain/slack-text.js';
import { UserError } from '../../../errors.js';
import { addProduct, managerIds, productNames, setManager } from '../../../services/admin.js';
import { currentTotals } from '../../../services/progress.js';
import { ensureWorkspace } from '../../../store/workspaces.js';
import { COMMANDS } from '../../ids.js';
import { managerListMessage, productListMessage } from '../../views/admin-messages.js';
import { helpMessage } from '../../views/help.js';
import { myProgressMessage } from '../../views/my-progress.js';
import { commandHandler } from '../handle.js';
import type { ListenerDeps } from '../index.js';

export function register(app: App, deps: ListenerDeps): void {
  app.command(
    COMMANDS.tally,
    commandHandler(deps, 'tally', async ({ command, client }) => {
      const teamId = command.team_id;
      const userId = command.user_id;
      const parsed = parseTallyCommand(command.text);
      switch (parsed.kind) {
        case 'help':
          return helpMessage();
        case 'me': {
          const workspace = await ensureWorkspace(deps.db, teamId, deps.config.defaults);
          return myProgressMessage({ currency: workspace.currency, totals: await currentTotals(deps, workspace, userId) });
        }
        case 'products.list':
          return productListMessage(await productNames(deps, teamId));
        case 'products.add': {
          const product = await addProduct(deps, client, teamId, userId, parsed.name);
          return `:package: Added product \`${escapeSlackText(product.name)}\`. Reps can now log \`/logsale 1200 Acme #${escapeSlackText(product.name)}\`.`;
        }
        case 'managers.list':
          return managerListMessage(await managerIds(deps, teamId));
        case 'managers.set': {
          for (const id of parsed.userIds) await setManager(deps, client, teamId, userId, id, parsed.grant);
          const who = parsed.userIds.map((id) => `<@${id}>`).join(', ');
          return parsed.grant ? `:briefcase: ${who} can now set targets and log sales for reps.` : `${who} ${parsed.userIds.length === 1 ? 'is' : 'are'} no longer a manager.`;
        }
        case 'unknown':
          throw new UserError(unknownTallyCommandMessage(escapeSlackText(parsed.text)));
      }
    }),
  );
}
