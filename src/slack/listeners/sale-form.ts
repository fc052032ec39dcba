// Opens the Log a sale form (from /logsale, App Home) or the Edit sale form (App Home), fitted to
// the person opening it: the choices are read first, then the modal opens on the trigger id.
import type { WebClient } from '@slack/web-api';
import { saleFormChoices } from '../../services/sale-form.js';
import type { Actor } from '../../services/actor.js';
import { logSaleModal, type SaleFormValues } from '../views/log-sale-modal.js';
import type { ListenerDeps } from '../deps.js';

export interface OpenSaleFormRequest {
  triggerId: string;
  channelId: string | null;
  /** Opened from a button in App Home: saving the sale refreshes that page. */
  fromHome?: boolean;
}

export async function openSaleForm(
  deps: ListenerDeps,
  client: WebClient,
  actor: Actor,
  request: OpenSaleFormRequest,
  editing?: SaleFormValues,
): Promise<void> {
  const choices = await saleFormChoices(deps, client, actor, editing?.repId);
  await client.views.open({
    trigger_id: request.triggerId,
    view: logSaleModal({ channelId: request.channelId, fromHome: request.fromHome ?? false }, choices, editing),
  });
}
