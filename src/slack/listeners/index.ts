// Registers every listener. Each file handles one command, view, action or event.
import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import type { Roles } from '../../services/roles.js';
import * as undoSale from './actions/undo-sale.js';
import * as logsaleCommand from './commands/logsale.js';
import * as tallyCommand from './commands/tally.js';
import * as logSaleView from './views/log-sale.js';

export interface ListenerDeps extends Deps {
  roles: Roles;
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  for (const listener of [logsaleCommand, tallyCommand, logSaleView, undoSale]) listener.register(app, deps);
}
