// The buttons of App Home: Log a sale, Set target, Settings, each sale's Edit / Void menu, and
// the setup buttons (add a team, add a product, choose a digest channel). The forms they open
// say so in their private_metadata when pressed in App Home, so saving them refreshes the page.
import type { BlockButtonAction, BlockOverflowAction } from '@slack/bolt';
import { toMajorString } from '../../../domain/money.js';
import { UserError } from '../../../errors.js';
import { saleWithProduct } from '../../../services/sale-lookup.js';
import { requireManager } from '../../../services/actor.js';
import { ACTIONS } from '../../ids.js';
import { addProductModal, addTeamModal, digestChannelModal } from '../../views/home-setup.js';
import { settingsModal, voidSaleModal } from '../../views/sale-modals.js';
import { describeSale } from '../../views/sale-messages.js';
import { actionHandler } from '../handle.js';
import { isHomeAction, openTargetModal } from '../home.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';
import { openSaleForm } from '../sale-form.js';

export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  listeners.action<BlockButtonAction>(
    ACTIONS.openLogSale,
    actionHandler(deps, 'open_log_sale', async ({ body, client, actor }) => {
      await openSaleForm(deps, client, actor, { triggerId: body.trigger_id, channelId: null, fromHome: isHomeAction(body) });
    }),
  );

  listeners.action<BlockButtonAction>(
    ACTIONS.openSetTarget,
    actionHandler(deps, 'open_set_target', async ({ body, client, actor }) => {
      await requireManager(actor, 'set targets');
      await openTargetModal(deps, client, actor, {
        triggerId: body.trigger_id,
        channelId: null,
        repId: null,
        fromHome: isHomeAction(body),
      });
    }),
  );

  listeners.action<BlockButtonAction>(
    ACTIONS.openSettings,
    actionHandler(deps, 'open_settings', async ({ body, client, actor }) => {
      // Admins change every setting; managers the guard rails only.
      const role = await requireManager(actor, 'change the settings');
      const workspace = await actor.workspace();
      await client.views.open({ trigger_id: body.trigger_id, view: settingsModal(workspace, role === 'admin', isHomeAction(body)) });
    }),
  );

  // The setup forms; their services check the role again when they are submitted.
  listeners.action<BlockButtonAction>(
    ACTIONS.openAddTeam,
    actionHandler(deps, 'open_add_team', async ({ body, client, actor }) => {
      await requireManager(actor, 'create teams');
      await client.views.open({ trigger_id: body.trigger_id, view: addTeamModal(isHomeAction(body)) });
    }),
  );

  listeners.action<BlockButtonAction>(
    ACTIONS.openAddProduct,
    actionHandler(deps, 'open_add_product', async ({ body, client, actor }) => {
      await requireManager(actor, 'add products');
      await client.views.open({ trigger_id: body.trigger_id, view: addProductModal(isHomeAction(body)) });
    }),
  );

  listeners.action<BlockButtonAction>(
    ACTIONS.openDigestChannel,
    actionHandler(deps, 'open_digest_channel', async ({ body, client, actor }) => {
      await requireManager(actor, 'schedule digests');
      const workspace = await actor.workspace();
      await client.views.open({ trigger_id: body.trigger_id, view: digestChannelModal(workspace.timezone, isHomeAction(body)) });
    }),
  );

  listeners.action<BlockOverflowAction>(
    ACTIONS.saleMenu,
    actionHandler(deps, 'sale_menu', async ({ action, body, client, teamId, actor }) => {
      const match = /^(edit|void):(\d{1,18})$/.exec(action.selected_option.value);
      if (!match) throw new UserError("That menu doesn't point at a sale Tally knows.");
      const sale = await saleWithProduct(deps, teamId, BigInt(match[2]!));
      if (!sale || sale.voided_at) throw new UserError('That sale no longer exists or was voided.');
      // Permission is checked again when the modal is submitted; here it saves a useless form.
      if (sale.rep_id !== body.user.id && sale.created_by !== body.user.id) {
        await deps.roles.requireActorActOn(actor, sale.rep_id, sale.closed_on, "change someone else's sale");
      }
      if (match[1] === 'void') {
        await client.views.open({
          trigger_id: body.trigger_id,
          view: voidSaleModal(sale, describeSale(sale, sale.product_name), isHomeAction(body)),
        });
        return;
      }
      await openSaleForm(
        deps,
        client,
        actor,
        { triggerId: body.trigger_id, channelId: null, fromHome: isHomeAction(body) },
        {
          saleId: sale.id,
          amount: toMajorString(sale.original_amount_minor, sale.original_currency),
          currency: sale.original_currency,
          customer: sale.customer,
          productName: sale.product_name,
          closedOn: sale.closed_on,
          repId: sale.rep_id,
          note: sale.note,
        },
      );
    }),
  );
}
