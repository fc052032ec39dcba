import type { App } from '@slack/bolt';
import { z } from 'zod';
import { periodOfDate } from '../../../domain/periods.js';
import { planRows } from '../../../domain/target-plan.js';
import { setTargets } from '../../../services/targets.js';
import { findProduct } from '../../../store/products.js';
import { findSalesTeam } from '../../../store/teams.js';
import { ensureWorkspace } from '../../../store/workspaces.js';
import { readMetadata, readSetTargetForm } from '../../forms.js';
import { TARGET_FIELDS as F, VIEWS } from '../../ids.js';
import { targetSavedMessage } from '../../views/target-modal.js';
import { tellInBackground, viewHandler } from '../handle.js';
import type { ListenerDeps } from '../index.js';
import { selectionFromState, subjectLabel, targetModalChoices } from '../target-subject.js';

const channelMetadata = z.object({ channelId: z.string().nullable() });

/**
 * A form submitted without the chosen kind's picker (sent before the form showed it) is told
 * to pick one; the reader's "none yet" is only true when there are none.
 */
function missingPicker(errors: Record<string, string>, kind: string, choices: { teams: readonly unknown[]; products: readonly unknown[] }) {
  const listed = kind === 'team' ? choices.teams : kind === 'product' ? choices.products : [];
  if (listed.length > 0) return { [F.subject]: `Pick the ${kind} this target is for: choose the kind again to show the list.` };
  return errors;
}

export function register(app: App, deps: ListenerDeps): void {
  app.view(
    { callback_id: VIEWS.setTarget, type: 'view_submission' },
    viewHandler(deps, 'set_target', F.amount, async ({ view, body, client, teamId }) => {
      const workspace = await ensureWorkspace(deps.db, teamId, deps.config.defaults, deps.clock.now());
      const form = readSetTargetForm(view.state.values, workspace.currency);
      if (!form.ok) {
        if (!(F.subject in form.errors)) return form.errors;
        return missingPicker(form.errors, selectionFromState(view.state.values).subjectType, await targetModalChoices(deps, teamId));
      }
      const target = form.value;
      // A submission can be crafted: the team or product must be one of this workspace's.
      if (target.subjectType === 'team' && !(await findSalesTeam(deps.db, teamId, BigInt(target.subjectId)))) return { [F.team]: 'Pick a team from the list.' };
      if (target.subjectType === 'product' && !(await findProduct(deps.db, teamId, BigInt(target.subjectId)))) return { [F.product]: 'Pick a product from the list.' };

      const { timezone: tz, fiscal_year_start_month: fy } = workspace;
      const plan = planRows(
        {
          first: periodOfDate(target.periodKind, target.firstDate, tz, fy),
          last: target.lastDate ? periodOfDate(target.periodKind, target.lastDate, tz, fy) : null,
          amounts: target.amounts,
          rampPercents: target.rampPercents,
          repeat: target.repeat,
        },
        tz,
        fy,
      );
      if (!plan.ok) return { [{ amount: F.amount, ramp: F.ramp, last_period: F.last }[plan.field]]: plan.error };

      await setTargets(deps, client, { teamId, actorId: body.user.id, ...target, rows: plan.rows });

      const label = subjectLabel(target, await targetModalChoices(deps, teamId));
      const message = targetSavedMessage({ subjectLabel: label, metric: target.metric, periodKind: target.periodKind, rows: plan.rows, currency: workspace.currency });
      const { channelId } = readMetadata(channelMetadata, view.private_metadata, { channelId: null });
      tellInBackground(deps, client, { channelId, userId: body.user.id, teamId }, message);
    }),
  );
}
