import type { BlockButtonAction } from '@slack/bolt';
import { UserError } from '../../../errors.js';
import { voidSale } from '../../../services/sales.js';
import { saleWithProduct } from '../../../services/sale-lookup.js';
import { ACTIONS } from '../../ids.js';
import { saleVoidedMessage } from '../../views/sale-messages.js';
import { actionHandler, answerAction, settleMilestonesInBackground } from '../handle.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';

export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  listeners.action<BlockButtonAction>(
    ACTIONS.undoSale,
    actionHandler<BlockButtonAction>(deps, 'undo_sale', async (args) => {
      const { action, client, teamId, actor } = args;
      if (!/^\d{1,18}$/.test(action.value ?? '')) throw new UserError("That button doesn't point at a sale Tally knows.");
      const { sale, workspace } = await voidSale(deps, actor, {
        saleId: BigInt(action.value!),
        reason: 'Undone from the /logsale confirmation',
      });
      settleMilestonesInBackground(deps, client, workspace, [{ repId: sale.rep_id, closedOn: sale.closed_on }]);
      const productName = (await saleWithProduct(deps, teamId, sale.id))?.product_name ?? null;
      await answerAction(args, saleVoidedMessage(sale, productName), true);
    }),
  );
}
