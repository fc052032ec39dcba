import type { App, BlockAction } from '@slack/bolt';
import { localDate } from '../../../domain/periods.js';
import { currentTarget } from '../../../services/targets.js';
import { ensureWorkspace } from '../../../store/workspaces.js';
import { z } from 'zod';
import { readMetadata } from '../../forms.js';
import { ACTIONS } from '../../ids.js';
import { targetInfoText, targetModal } from '../../views/target-modal.js';
import type { ListenerDeps } from '../index.js';
import { selectionFromState, subjectLabel, targetModalChoices } from '../target-subject.js';

/** Picking who, metric or period in the Set target modal refreshes its "Now:" line. */
export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction>(ACTIONS.targetSubjectChanged, async ({ ack, body, client }) => {
    await ack();
    const view = body.view;
    const teamId = body.team?.id ?? body.user.team_id;
    if (!view || !teamId) return;
    const workspace = await ensureWorkspace(deps.db, teamId, deps.config.defaults, deps.clock.now());
    const selection = selectionFromState(view.state.values);
    const [choices, current] = await Promise.all([targetModalChoices(deps, teamId), currentTarget(deps, workspace, selection)]);
    const metadata = readMetadata(z.object({ channelId: z.string().nullable() }), view.private_metadata, { channelId: null });
    await client.views.update({
      view_id: view.id,
      hash: view.hash,
      view: targetModal({
        ...choices,
        today: localDate(deps.clock.now(), workspace.timezone),
        info: targetInfoText(current, workspace.currency, subjectLabel(selection, choices)),
        channelId: metadata.channelId,
      }),
    });
  });
}
