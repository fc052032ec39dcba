import { isSaleQuestion, logSale } from '../../../services/sales.js';
import { withCurrentWorkspace } from '../../../services/workspaces.js';
import { readLogSaleForm, readMetadata } from '../../forms.js';
import { LOG_SALE_FIELDS, VIEWS } from '../../ids.js';
import { MAX_BUTTON_VALUE, encodePendingSale } from '../../pending-sale.js';
import { saleConfirmationMessage } from '../../views/sale-messages.js';
import { saleQuestionMessage } from '../../views/sale-question.js';
import { celebrateInBackground, tellInBackground, viewHandler } from '../handle.js';
import { refreshHomeIfOpenedThere } from '../home.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';
import { z } from 'zod';

const channelMetadata = z.object({ channelId: z.string().nullable() });

/** Under the amount when the sale is not stored within Slack's time: the same form never logs twice. */
export const SALE_FORM_STILL_WORKING =
  "Tally's database is slow to answer, so the sale isn't confirmed yet. Submit again in a moment: this form never logs its sale twice, and it closes once the sale is saved.";

export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  listeners.viewSubmission(
    VIEWS.logSale,
    viewHandler(
      deps,
      'log_sale',
      LOG_SALE_FIELDS.amount,
      async ({ view, body, client, teamId, actor }) => {
        const userId = body.user.id;
        const logged = await withCurrentWorkspace(deps, teamId, async (workspace) => {
          const form = readLogSaleForm(view.state.values, workspace.currency);
          if (!form.ok) return form;
          return logSale(
            deps,
            client,
            actor,
            {
              ...form.value,
              source: 'modal',
              // Both clicks of a double-clicked submit carry the same view id.
              idempotencyKey: `view:${view.id}`,
            },
            workspace,
          );
        });
        if ('errors' in logged) return logged.errors;
        const { channelId } = readMetadata(channelMetadata, view.private_metadata, { channelId: null });
        if (isSaleQuestion(logged)) {
          // The form closes and "Log it anyway?" is asked where it was opened (or in a DM).
          if (encodePendingSale(logged.request).length > MAX_BUTTON_VALUE) {
            return {
              [LOG_SALE_FIELDS.note]:
                'Tally needs to ask before logging this sale, and this note is too long to carry through the question: shorten it.',
            };
          }
          tellInBackground(
            deps,
            client,
            { channelId, userId, teamId },
            saleQuestionMessage(logged.question, logged.request, logged.workspace.currency, userId),
          );
          return;
        }
        if (logged.created) {
          const { snapshot } = logged;
          celebrateInBackground(deps, client, logged.workspace, logged.sale.rep_id, snapshot.progress, logged.milestones);
          refreshHomeIfOpenedThere(deps, client, teamId, userId, view.private_metadata);
          const message = saleConfirmationMessage({ ...logged, ...snapshot, replayed: false, viewerId: userId });
          tellInBackground(deps, client, { channelId, userId, teamId }, message);
        }
      },
      SALE_FORM_STILL_WORKING,
    ),
  );
}
