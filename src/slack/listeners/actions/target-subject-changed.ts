import type { BlockAction } from '@slack/bolt';
import { localDate } from '../../../domain/periods.js';
import { UserError } from '../../../errors.js';
import { currentTarget, targetFormChoices, type TargetSelection } from '../../../services/targets.js';
import { requireManager } from '../../../services/actor.js';
import { z } from 'zod';
import { openedFromHome, readMetadata } from '../../forms.js';
import { ACTIONS, VIEWS } from '../../ids.js';
import { targetInfoText, targetModal } from '../../views/target-modal.js';
import { actionHandler } from '../handle.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';
import { selectionFromState, subjectLabel } from '../target-subject.js';

function initialOf(selection: TargetSelection) {
  const { subjectType, subjectId, metric, periodKind } = selection;
  const picked =
    subjectId === null
      ? {}
      : { rep: { repId: subjectId }, team: { teamId: subjectId }, product: { productId: subjectId }, company: {} }[subjectType];
  return { subject: subjectType, metric, period: periodKind, ...picked };
}

/**
 * Picking the kind (rep, team, product, company), who, metric or period in the Set target
 * modal rebuilds it with the chosen kind's picker and refreshes its "Now:" line. It shows
 * someone's target, so only a manager or admin gets it, and only in a Set target modal: any
 * other view (a rep's own Log a sale modal, say) is left as it is.
 */
export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  listeners.action<BlockAction>(
    ACTIONS.targetSubjectChanged,
    actionHandler<BlockAction>(deps, 'target_subject_changed', async ({ body, client, teamId, actor }) => {
      const view = body.view;
      if (!view || view.callback_id !== VIEWS.setTarget)
        throw new UserError("That choice doesn't belong to a Set target form, so Tally changed nothing. Open the form with `/target`.");
      await requireManager(actor, 'set targets');
      const workspace = await actor.workspace();
      const selection = selectionFromState(view.state.values);
      const [choices, current] = await Promise.all([targetFormChoices(deps, teamId), currentTarget(deps, workspace, selection)]);
      const metadata = readMetadata(z.object({ channelId: z.string().nullable() }), view.private_metadata, { channelId: null });
      const updated = client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: targetModal({
          ...choices,
          today: localDate(actor.now, workspace.timezone),
          info: targetInfoText(current, workspace.currency, subjectLabel(selection, choices)),
          // Only the chosen kind's picker shows; what is picked so far stays picked.
          initial: initialOf(selection),
          channelId: metadata.channelId,
          fromHome: openedFromHome(view.private_metadata),
        }),
      });
      // A newer pick already refreshed the form (its hash moved on): that refresh shows the latest.
      await updated.catch((error: unknown) => {
        if ((error as { data?: { error?: string } }).data?.error !== 'hash_conflict') throw error;
      });
    }),
  );
}
