// Submissions of App Home's setup forms: add a sales team, add a product, choose a digest
// channel. Each goes through the service its command uses; App Home then shows it set up.
import { subscribeChannel } from '../../../services/digest-subscriptions.js';
import { addProduct } from '../../../services/admin.js';
import { addSalesTeam } from '../../../services/teams.js';
import { readAddProductForm, readAddTeamForm, readDigestChannelForm } from '../../home-setup-forms.js';
import { SETUP_FIELDS as F, VIEWS } from '../../ids.js';
import { viewHandler } from '../handle.js';
import { refreshHomeIfOpenedThere } from '../home.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';

export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  listeners.viewSubmission(
    VIEWS.addTeam,
    viewHandler(deps, 'add_team', F.teamName, async ({ view, body, client, teamId, actor }) => {
      const form = readAddTeamForm(view.state.values);
      if (!form.ok) return form.errors;
      await addSalesTeam(deps, actor, form.value.name, form.value.channelId);
      refreshHomeIfOpenedThere(deps, client, teamId, body.user.id, view.private_metadata);
    }),
  );

  listeners.viewSubmission(
    VIEWS.addProduct,
    viewHandler(deps, 'add_product', F.productName, async ({ view, body, client, teamId, actor }) => {
      const form = readAddProductForm(view.state.values);
      if (!form.ok) return form.errors;
      await addProduct(deps, actor, form.value.name);
      refreshHomeIfOpenedThere(deps, client, teamId, body.user.id, view.private_metadata);
    }),
  );

  listeners.viewSubmission(
    VIEWS.digestChannel,
    viewHandler(deps, 'digest_channel', F.digestChannel, async ({ view, body, client, teamId, actor }) => {
      const form = readDigestChannelForm(view.state.values);
      if (!form.ok) return form.errors;
      await subscribeChannel(deps, actor, {
        channelId: form.value.channelId,
        cadence: form.value.cadence,
        teamName: null,
        time: null,
        weekday: null,
      });
      refreshHomeIfOpenedThere(deps, client, teamId, body.user.id, view.private_metadata);
    }),
  );
}
