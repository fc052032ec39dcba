// The options of the forms' external selects, as the person types: the product catalogue when
// it is too long to list (Log a sale, Set target), timezones and currencies (Settings). Slack
// waits 3 seconds for them; a failure answers no options (the person can type again) and is logged.
import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import type { types } from '@slack/bolt';
import { isUserError } from '../../../errors.js';
import { productsMatching } from '../../../services/product-search.js';
import { authorisedTeamId } from '../../authorised-workspace.js';
import { ACTIONS, LOG_SALE_FIELDS, SETTINGS_FIELDS, TARGET_FIELDS } from '../../ids.js';
import { MAX_OPTIONS, currencyOptions, selectOption, timeZoneOptions } from '../../views/select-options.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';

type OptionsArgs = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;

function optionsHandler(
  deps: ListenerDeps,
  name: string,
  run: (typed: string, teamId: string) => Promise<types.PlainTextOption[]> | types.PlainTextOption[],
) {
  return async (args: OptionsArgs): Promise<void> => {
    const stopTimer = deps.metrics.requestSeconds.startTimer({ kind: 'options', name });
    try {
      const teamId = authorisedTeamId(args.context, args.body);
      const options = await run(args.options.value.slice(0, 100), teamId);
      await args.ack({ options });
      deps.metrics.requests.inc({ kind: 'options', name, outcome: 'ok' });
    } catch (error) {
      deps.metrics.requests.inc({ kind: 'options', name, outcome: isUserError(error) ? 'user_error' : 'error' });
      await args.ack({ options: [] });
      if (!isUserError(error)) deps.logger.error({ err: error, teamId: args.context.teamId }, 'options not loaded');
    } finally {
      stopTimer();
    }
  };
}

export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  // Log a sale: the product's name is the option's value, as typed after `#` in /logsale.
  listeners.options(
    { actionId: LOG_SALE_FIELDS.product, blockId: LOG_SALE_FIELDS.product },
    optionsHandler(deps, 'sale_product', async (typed, teamId) =>
      (await productsMatching(deps, teamId, typed, MAX_OPTIONS)).map((p) => selectOption(p.name, p.name)),
    ),
  );
  // Set target: the product's id, as the form's static list has it.
  listeners.options(
    { actionId: ACTIONS.targetSubjectChanged, blockId: TARGET_FIELDS.product },
    optionsHandler(deps, 'target_product', async (typed, teamId) =>
      (await productsMatching(deps, teamId, typed, MAX_OPTIONS)).map((p) => selectOption(String(p.id), p.name)),
    ),
  );
  listeners.options(
    { actionId: SETTINGS_FIELDS.timezone },
    optionsHandler(deps, 'timezone', (typed) => timeZoneOptions(typed)),
  );
  listeners.options(
    { actionId: SETTINGS_FIELDS.currency },
    optionsHandler(deps, 'currency', (typed) => currencyOptions(typed)),
  );
}
