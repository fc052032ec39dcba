import { z } from 'zod';
import { setTargetPlan, targetFormChoices } from '../../../services/targets.js';
import { readMetadata, readSetTargetForm } from '../../forms.js';
import { TARGET_FIELDS as F, VIEWS } from '../../ids.js';
import { targetSavedMessage } from '../../views/target-modal.js';
import { tellInBackground, viewHandler } from '../handle.js';
import { refreshHomeIfOpenedThere } from '../home.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';
import { selectionFromState, subjectLabel } from '../target-subject.js';

const channelMetadata = z.object({ channelId: z.string().nullable() });
/** The form field each of the plan's refusals shows under. */
const PLAN_FIELDS = { team: F.team, product: F.product, amount: F.amount, ramp: F.ramp, last_period: F.last } as const;

/**
 * A form submitted without the chosen kind's picker (sent before the form showed it) is told
 * to pick one; the reader's "none yet" is only true when there are none.
 */
function missingPicker(errors: Record<string, string>, kind: string, choices: { teams: readonly unknown[]; products: readonly unknown[] }) {
  const listed = kind === 'team' ? choices.teams : kind === 'product' ? choices.products : [];
  if (listed.length > 0) return { [F.subject]: `Pick the ${kind} this target is for: choose the kind again to show the list.` };
  return errors;
}

export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  listeners.viewSubmission(
    VIEWS.setTarget,
    viewHandler(deps, 'set_target', F.amount, async ({ view, body, client, teamId, actor }) => {
      const workspace = await actor.workspace();
      const form = readSetTargetForm(view.state.values, workspace.currency);
      if (!form.ok) {
        if (!(F.subject in form.errors)) return form.errors;
        return missingPicker(form.errors, selectionFromState(view.state.values).subjectType, await targetFormChoices(deps, teamId));
      }
      const target = form.value;
      const plan = await setTargetPlan(deps, client, actor, target);
      if (!plan.ok) return { [PLAN_FIELDS[plan.field]]: plan.error };

      const label = subjectLabel(target, await targetFormChoices(deps, teamId));
      const message = targetSavedMessage({
        subjectLabel: label,
        metric: target.metric,
        periodKind: target.periodKind,
        rows: plan.rows,
        currency: workspace.currency,
      });
      const { channelId } = readMetadata(channelMetadata, view.private_metadata, { channelId: null });
      tellInBackground(deps, client, { channelId, userId: body.user.id, teamId }, message);
      refreshHomeIfOpenedThere(deps, client, teamId, body.user.id, view.private_metadata);
    }),
  );
}
