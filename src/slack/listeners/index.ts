// Registers every listener. Each file handles one command, view, action or event.
import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import type { Caches } from '../../services/caches.js';
import type { Roles } from '../../services/roles.js';
import type { SlackClients } from '../clients.js';
import type { HomeRefreshes } from './home-refreshes.js';
import * as homeButtons from './actions/home-buttons.js';
import * as targetSubjectChanged from './actions/target-subject-changed.js';
import * as undoSale from './actions/undo-sale.js';
import * as saleQuestion from './actions/sale-question.js';
import * as leaderboardCommand from './commands/leaderboard.js';
import * as logsaleCommand from './commands/logsale.js';
import * as tallyCommand from './commands/tally.js';
import * as targetCommand from './commands/target.js';
import * as logSaleView from './views/log-sale.js';
import * as appHomeOpened from './events/app-home-opened.js';
import * as uninstalled from './events/uninstalled.js';
import * as saleChanges from './views/sale-changes.js';
import * as setTargetView from './views/set-target.js';
import * as importFileView from './views/import-file.js';
import * as commitImport from './actions/commit-import.js';
import * as homeSetupViews from './views/home-setup.js';
import * as selectOptions from './options/select-options.js';

export interface ListenerDeps extends Deps {
  caches: Caches;
  homeRefreshes: HomeRefreshes;
  roles: Roles;
  slack: SlackClients;
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  const listeners = [
    logsaleCommand,
    targetCommand,
    leaderboardCommand,
    tallyCommand,
    logSaleView,
    setTargetView,
    saleChanges,
    undoSale,
    saleQuestion,
    targetSubjectChanged,
    homeButtons,
    appHomeOpened,
    uninstalled,
    importFileView,
    commitImport,
    homeSetupViews,
    selectOptions,
  ];
  for (const listener of listeners) listener.register(app, deps);
}
