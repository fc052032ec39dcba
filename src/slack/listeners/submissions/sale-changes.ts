// Submissions of the Edit sale, Void sale and Settings modals opened from App Home.
import { z } from 'zod';
import { editSale, voidSale } from '../../../services/sales.js';
import { setGuardRails, updateSettings } from '../../../services/settings.js';
import { hasAdminSettings, readGuardRailsForm, readLogSaleForm, readMetadata, readSettingsForm, readVoidForm } from '../../forms.js';
import { LOG_SALE_FIELDS, SETTINGS_FIELDS, VIEWS, VOID_FIELDS } from '../../ids.js';
import { settleMilestonesInBackground, viewHandler } from '../handle.js';
import { refreshHomeIfOpenedThere } from '../home.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';

const saleIdOf = (metadata: string): bigint | null => {
  const { saleId } = readMetadata(
    z.object({
      saleId: z
        .string()
        .regex(/^\d{1,18}$/)
        .nullable(),
    }),
    metadata,
    { saleId: null },
  );
  return saleId === null ? null : BigInt(saleId);
};

export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  listeners.viewSubmission(
    VIEWS.editSale,
    viewHandler(deps, 'edit_sale', LOG_SALE_FIELDS.amount, async ({ view, body, client, teamId, actor }) => {
      const saleId = saleIdOf(view.private_metadata);
      if (saleId === null) return { [LOG_SALE_FIELDS.amount]: "This form doesn't point at a sale Tally knows." };
      const workspace = await actor.workspace();
      const form = readLogSaleForm(view.state.values, workspace.currency);
      if (!form.ok) return form.errors;
      const edited = await editSale(deps, client, actor, { saleId, ...form.value });
      const touched = [edited.before, edited.sale].map((s) => ({ repId: s.rep_id, closedOn: s.closed_on }));
      settleMilestonesInBackground(deps, client, edited.workspace, touched);
      refreshHomeIfOpenedThere(deps, client, teamId, body.user.id, view.private_metadata);
    }),
  );

  listeners.viewSubmission(
    VIEWS.voidSale,
    viewHandler(deps, 'void_sale', VOID_FIELDS.reason, async ({ view, body, client, teamId, actor }) => {
      const saleId = saleIdOf(view.private_metadata);
      if (saleId === null) return { [VOID_FIELDS.reason]: "This form doesn't point at a sale Tally knows." };
      const form = readVoidForm(view.state.values);
      if (!form.ok) return form.errors;
      const voided = await voidSale(deps, actor, { saleId, reason: form.value.reason });
      settleMilestonesInBackground(deps, client, voided.workspace, [{ repId: voided.sale.rep_id, closedOn: voided.sale.closed_on }]);
      refreshHomeIfOpenedThere(deps, client, teamId, body.user.id, view.private_metadata);
    }),
  );

  listeners.viewSubmission(
    VIEWS.settings,
    viewHandler(deps, 'settings', SETTINGS_FIELDS.timezone, async ({ view, body, client, teamId, actor }) => {
      // Managers get the guard rails only; the rest of the form is the admins'.
      if (!hasAdminSettings(view.state.values)) {
        const form = readGuardRailsForm(view.state.values);
        if (!form.ok) return form.errors;
        await setGuardRails(deps, actor, form.value.guardRailsEnabled);
        refreshHomeIfOpenedThere(deps, client, teamId, body.user.id, view.private_metadata);
        return;
      }
      const form = readSettingsForm(view.state.values);
      if (!form.ok) return form.errors;
      await updateSettings(deps, actor, form.value);
      refreshHomeIfOpenedThere(deps, client, teamId, body.user.id, view.private_metadata);
    }),
  );
}
