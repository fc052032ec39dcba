// What the Slack edge is handed by the composition root (main.ts): every listener gets
// ListenerDeps; the app itself also the installation store and what /healthz reads.
import type { Deps } from '../deps.js';
import type { Caches } from '../services/caches.js';
import type { Roles } from '../services/roles.js';
import type { SlackClients } from './clients.js';
import type { PostgresInstallationStore } from './installation-store.js';
import type { HomeRefreshes } from './listeners/home-refreshes.js';
import type { SlackConnection } from './slack-connection.js';

export interface ListenerDeps extends Deps {
  roles: Roles;
  caches: Caches;
  homeRefreshes: HomeRefreshes;
  slack: SlackClients;
}

export interface SlackAppDeps extends ListenerDeps {
  /** Set in OAuth mode (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET). */
  installationStore?: PostgresInstallationStore | undefined;
  /** Round trip to the database, for /healthz. */
  ping(): Promise<void>;
  /** Whether Slack answers (for /healthz), and the bot's ids once it has. */
  slackConnection: Pick<SlackConnection, 'status' | 'identity'>;
}
