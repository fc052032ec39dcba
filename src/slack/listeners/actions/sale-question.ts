// "Log it" and "Cancel" under the guard rails' "Log it anyway?". Only the person who asked to
// log the sale can answer; "Log it" reuses the request's key, so a second click stores nothing.
import type { BlockButtonAction } from '@slack/bolt';
import { UserError } from '../../../errors.js';
import { isSaleQuestion, logSale } from '../../../services/sales.js';
import { withCurrentWorkspace } from '../../../services/workspaces.js';
import { ACTIONS } from '../../ids.js';
import { decodePendingSale, type PendingSale } from '../../pending-sale.js';
import { saleConfirmationMessage } from '../../views/sale-messages.js';
import { saleCancelledMessage } from '../../views/sale-question.js';
import { actionHandler, answerAction, celebrateInBackground } from '../handle.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';

/** The sale a button holds, if it belongs to the workspace the request was authorised for and to the person pressing. */
function pendingOf(teamId: string, body: BlockButtonAction, value: string | undefined): PendingSale {
  const sale = decodePendingSale(value);
  if (!sale || sale.teamId !== teamId) throw new UserError("That button doesn't point at a sale Tally knows.");
  if (sale.actorId !== body.user.id) throw new UserError(`Only <@${sale.actorId}>, who asked to log this sale, can confirm or cancel it.`);
  return sale;
}

export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  listeners.action<BlockButtonAction>(
    ACTIONS.confirmSale,
    actionHandler<BlockButtonAction>(deps, 'confirm_sale', async (args) => {
      const { action, body, client, actor } = args;
      const pending = pendingOf(actor.teamId, body, action.value);
      const logged = await withCurrentWorkspace(deps, actor.teamId, (workspace) =>
        logSale(deps, client, actor, { ...pending, confirmed: true }, workspace),
      );
      if (isSaleQuestion(logged)) throw new Error('a confirmed sale was asked about again');
      const { snapshot } = logged;
      // The question is asked in a channel or a DM, never in App Home: the page is built when next opened.
      if (logged.created) celebrateInBackground(deps, client, logged.workspace, logged.sale.rep_id, snapshot.progress, logged.milestones);
      await answerAction(
        args,
        saleConfirmationMessage({ ...logged, ...snapshot, replayed: !logged.created, viewerId: body.user.id }),
        true,
      );
    }),
  );

  listeners.action<BlockButtonAction>(
    ACTIONS.cancelSale,
    actionHandler<BlockButtonAction>(deps, 'cancel_sale', async (args) => {
      const pending = pendingOf(args.actor.teamId, args.body, args.action.value);
      await answerAction(args, saleCancelledMessage(pending, args.body.user.id), true);
    }),
  );
}
