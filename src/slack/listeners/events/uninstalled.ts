// app_uninstalled / tokens_revoked: forget the workspace's tokens and stop its scheduled posts.
// Its sales, targets and audit log stay (they are the customer's records).
import type { App } from '@slack/bolt';
import { deleteInstallation } from '../../../store/installations.js';
import type { ListenerDeps } from '../index.js';

export function register(app: App, deps: ListenerDeps): void {
  const forget = async (teamId: string, reason: string) => {
    const removed = await deleteInstallation(deps.db, teamId);
    deps.logger.info({ teamId, reason, ...removed }, 'workspace tokens deleted and scheduled posts stopped');
  };
  app.event('app_uninstalled', async ({ body }) => forget(body.team_id, 'app_uninstalled'));
  app.event('tokens_revoked', async ({ event, body }) => {
    if ((event.tokens.bot ?? []).length > 0) await forget(body.team_id, 'tokens_revoked');
  });
}
