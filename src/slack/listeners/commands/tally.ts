// `/tally <subcommand>`: the text is parsed into a subcommand (domain/tally-command.ts), and the
// table below has one handler for each, in the files of commands/tally/.
import { parseTallyCommand, unknownTallyCommandMessage } from '../../../domain/tally-command.js';
import { quoteInput } from '../../../domain/slack-text.js';
import { UserError } from '../../../errors.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';
import { COMMANDS } from '../../ids.js';
import { sourceDeps } from '../../webhooks.js';
import { commandHandler } from '../handle.js';
import { connectCommands } from './tally/connect.js';
import { digestCommands } from './tally/digest.js';
import { importExportCommands } from './tally/import-export.js';
import { meCommands } from './tally/me.js';
import { managerCommands, productCommands, teamCommands } from './tally/people.js';
import { auditCommands, fxCommands } from './tally/records.js';
import type { TallyHandlers, TallyKind, TallyReply, TallyRequest } from './tally/request.js';

const SUBCOMMANDS: TallyHandlers<TallyKind> = {
  ...meCommands,
  ...productCommands,
  ...managerCommands,
  ...teamCommands,
  ...digestCommands,
  ...fxCommands,
  ...auditCommands,
  ...importExportCommands,
  ...connectCommands,
  invalid: async ({ parsed }) => {
    throw new UserError(parsed.error);
  },
  unknown: async ({ parsed }) => {
    throw new UserError(unknownTallyCommandMessage(quoteInput(parsed.text.trim())));
  },
};

export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  const sources = sourceDeps(deps);
  listeners.command(
    COMMANDS.tally,
    commandHandler(deps, 'tally', async ({ command, client, ack, respond, actor }) => {
      const parsed = parseTallyCommand(command.text);
      const handler = SUBCOMMANDS[parsed.kind] as (request: TallyRequest) => Promise<TallyReply>;
      return handler({ deps, sources, parsed, command, client, actor, ack, respond });
    }),
  );
}
