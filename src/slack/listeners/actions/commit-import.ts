import type { BlockButtonAction } from '@slack/bolt';
import { UserError } from '../../../errors.js';
import { commitImport } from '../../../services/imports.js';
import { ACTIONS } from '../../ids.js';
import { importCommittedMessage } from '../../views/imports.js';
import { actionHandler } from '../handle.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';

export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  listeners.action<BlockButtonAction>(
    ACTIONS.commitImport,
    actionHandler<BlockButtonAction>(deps, 'commit_import', async ({ action, body, client, respond, teamId }) => {
      if (!/^\d{1,18}$/.test(action.value ?? '')) throw new UserError("That button doesn't point at an import Tally knows.");
      const report = await commitImport(deps, client, { teamId, actorId: body.user.id, importId: BigInt(action.value!) });
      await respond({ ...importCommittedMessage(report), replace_original: true });
    }),
  );
}
