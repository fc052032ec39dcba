import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../index.js';
import { publishHome } from '../home.js';

export function register(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const stopTimer = deps.metrics.requestSeconds.startTimer({ kind: 'event', name: 'app_home_opened' });
    try {
      await publishHome(deps, client, body.team_id, event.user);
      deps.metrics.requests.inc({ kind: 'event', name: 'app_home_opened', outcome: 'ok' });
    } catch (error) {
      deps.metrics.requests.inc({ kind: 'event', name: 'app_home_opened', outcome: 'error' });
      throw error;
    } finally {
      stopTimer();
    }
  });
}
