// app_uninstalled / tokens_revoked: forget the workspace's tokens and stop its scheduled posts.
// Its sales, targets and audit log stay (they are the customer's records).
import type { Context } from '@slack/bolt';
import { isUserError } from '../../../errors.js';
import { forgetInstallation } from '../../../services/installations.js';
import { authorisedTeamId } from '../../authorised-workspace.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';

export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  // The workspace is the one the event was delivered for; an envelope naming another is ignored.
  const forget = async (context: Context, body: unknown, reason: string) => {
    let teamId: string;
    try {
      teamId = authorisedTeamId(context, body);
    } catch (error) {
      if (!isUserError(error)) throw error;
      deps.logger.warn({ teamId: context.teamId, reason }, 'uninstall event naming another workspace ignored');
      return;
    }
    const removed = await forgetInstallation(deps, teamId);
    deps.logger.info({ teamId, reason, ...removed }, 'workspace tokens deleted and scheduled posts stopped');
  };
  listeners.event('app_uninstalled', async ({ body, context }) => forget(context, body, 'app_uninstalled'));
  listeners.event('tokens_revoked', async ({ event, body, context }) => {
    if ((event.tokens.bot ?? []).length > 0) await forget(context, body, 'tokens_revoked');
  });
}
