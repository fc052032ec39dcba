import { isUserError } from '../../../errors.js';
import { resolveActor } from '../../../services/actor.js';
import { authorisedTeamId } from '../../authorised-workspace.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';
import { publishHome } from '../home.js';

export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  listeners.event('app_home_opened', async ({ event, body, client, context }) => {
    if (event.tab !== 'home') return;
    const stopTimer = deps.metrics.requestSeconds.startTimer({ kind: 'event', name: 'app_home_opened' });
    try {
      await publishHome(deps, client, resolveActor(deps, client, authorisedTeamId(context, body), event.user));
      deps.metrics.requests.inc({ kind: 'event', name: 'app_home_opened', outcome: 'ok' });
    } catch (error) {
      // An event naming another workspace has no one to tell: it is logged and nothing is shown.
      if (isUserError(error)) {
        deps.metrics.requests.inc({ kind: 'event', name: 'app_home_opened', outcome: 'user_error' });
        deps.logger.warn({ teamId: context.teamId, userId: event.user }, 'App Home event naming another workspace ignored');
        return;
      }
      deps.metrics.requests.inc({ kind: 'event', name: 'app_home_opened', outcome: 'error' });
      throw error;
    } finally {
      stopTimer();
    }
  });
}
