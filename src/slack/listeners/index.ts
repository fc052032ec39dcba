// Registers every listener. Each file handles one command, modal submission (submissions/), action, event or options request,
// and registers its handlers by key in a ListenerRegistry, which gives the app one Bolt listener per kind of request.
import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.js';
import * as homeButtons from './actions/home-buttons.js';
import * as targetSubjectChanged from './actions/target-subject-changed.js';
import * as undoSale from './actions/undo-sale.js';
import * as saleQuestion from './actions/sale-question.js';
import * as leaderboardCommand from './commands/leaderboard.js';
import * as logsaleCommand from './commands/logsale.js';
import * as tallyCommand from './commands/tally.js';
import * as targetCommand from './commands/target.js';
import * as logSaleSubmission from './submissions/log-sale.js';
import * as appHomeOpened from './events/app-home-opened.js';
import * as uninstalled from './events/uninstalled.js';
import * as saleChanges from './submissions/sale-changes.js';
import * as setTargetSubmission from './submissions/set-target.js';
import * as importFileSubmission from './submissions/import-file.js';
import * as commitImport from './actions/commit-import.js';
import * as homeSetupSubmissions from './submissions/home-setup.js';
import * as selectOptions from './options/select-options.js';
import { ListenerRegistry } from './registry.js';

/** Every listener's handlers, by key. */
export function listenerRegistry(deps: ListenerDeps): ListenerRegistry {
  const registry = new ListenerRegistry();
  const listeners = [
    logsaleCommand,
    targetCommand,
    leaderboardCommand,
    tallyCommand,
    logSaleSubmission,
    setTargetSubmission,
    saleChanges,
    undoSale,
    saleQuestion,
    targetSubjectChanged,
    homeButtons,
    appHomeOpened,
    uninstalled,
    importFileSubmission,
    commitImport,
    homeSetupSubmissions,
    selectOptions,
  ];
  for (const listener of listeners) listener.register(registry, deps);
  return registry;
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  listenerRegistry(deps).attach(app);
}
