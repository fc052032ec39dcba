import { parseLogSaleText } from '../../../domain/logsale-text.js';
import { localDate } from '../../../domain/periods.js';
import { dateOrderOf } from '../../../domain/typed-date.js';
import { UserError } from '../../../errors.js';
import { isSaleQuestion, logSale } from '../../../services/sales.js';
import { withCurrentWorkspace } from '../../../services/workspaces.js';
import { COMMANDS } from '../../ids.js';
import { saleConfirmationMessage } from '../../views/sale-messages.js';
import { saleQuestionMessage } from '../../views/sale-question.js';
import { celebrateInBackground, commandHandler } from '../handle.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';
import { openSaleForm } from '../sale-form.js';

/** The answer when the sale is not stored within Slack's time; the outcome follows. Retyping would log a second sale. */
export const SALE_STILL_WORKING =
  "Tally's database is slow to answer, so Tally can't confirm yet that the sale was saved. It will tell you here as soon as it knows: please don't log the sale again until then.";

export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  listeners.command(
    COMMANDS.logsale,
    commandHandler(
      deps,
      'logsale',
      async ({ command, ack, client, teamId, actor }) => {
        if (command.text.trim() === '') {
          await ack();
          await openSaleForm(deps, client, actor, { triggerId: command.trigger_id, channelId: command.channel_id });
          return;
        }
        const logged = await withCurrentWorkspace(deps, teamId, (workspace) => {
          const parsed = parseLogSaleText(command.text, {
            today: localDate(deps.clock.now(), workspace.timezone),
            workspaceCurrency: workspace.currency,
            dateOrder: dateOrderOf(workspace.date_order, workspace.currency),
          });
          if (!parsed.ok) throw new UserError(parsed.error);
          const draft = parsed.value;
          return logSale(
            deps,
            client,
            actor,
            {
              repId: draft.repUserId,
              amountMinor: draft.amountMinor,
              currency: draft.currency,
              customer: draft.customer,
              productName: draft.productName,
              closedOn: draft.closedOn,
              source: 'command',
              idempotencyKey: `command:${command.trigger_id}`,
            },
            workspace,
          );
        });
        if (isSaleQuestion(logged)) return saleQuestionMessage(logged.question, logged.request, logged.workspace.currency, command.user_id);
        const { snapshot } = logged;
        // App Home is not refreshed: it is built when the person next opens it.
        if (logged.created) celebrateInBackground(deps, client, logged.workspace, logged.sale.rep_id, snapshot.progress, logged.milestones);
        return saleConfirmationMessage({ ...logged, ...snapshot, replayed: !logged.created, viewerId: command.user_id });
      },
      SALE_STILL_WORKING,
    ),
  );
}
