// What each /tally subcommand's handler is given, and the shape of the table (tally.ts) that
// has one handler per subcommand: it returns the reply, or calls `ack` itself and returns nothing.
import type { RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Workspace } from '../../../../db/schema.js';
import { periodFromText } from '../../../../domain/period-arg.js';
import type { Period } from '../../../../domain/periods.js';
import type { TallyCommand } from '../../../../domain/tally-command.js';
import { UserError } from '../../../../errors.js';
import type { Actor } from '../../../../services/actor.js';
import type { ListenerDeps } from '../../../deps.js';
import type { SlackMessage } from '../../../views/blocks.js';
import type { SlackSourceDeps } from '../../../webhooks.js';

export type TallyKind = TallyCommand['kind'];

/** The parsed subcommand of kind K (one shape can serve several kinds, e.g. connect rotate/remove/log). */
type CommandOf<K extends TallyKind> = K extends unknown
  ? TallyCommand extends infer C
    ? C extends { kind: infer CK }
      ? K extends CK
        ? C
        : never
      : never
    : never
  : never;

export interface TallyRequest<K extends TallyKind = TallyKind> {
  deps: ListenerDeps;
  /** The connected sources' view of Slack, built once for the app. */
  sources: SlackSourceDeps;
  /** The subcommand as parsed from the command's text. */
  parsed: CommandOf<K>;
  command: SlashCommand;
  client: WebClient;
  actor: Actor;
  ack: () => Promise<void>;
  respond: RespondFn;
}

// biome-ignore lint/suspicious/noConfusingVoidType: a handler that answers by itself returns nothing
export type TallyReply = SlackMessage | string | void;

/** One handler per subcommand kind. */
export type TallyHandlers<K extends TallyKind> = { [P in K]: (request: TallyRequest<P>) => Promise<TallyReply> };

/** The period a command names (the current month for none), or a UserError that says what to type. */
export function namedPeriod(words: string | null, now: Date, workspace: Workspace): Period {
  const read = periodFromText(words, now, workspace.timezone, workspace.fiscal_year_start_month);
  if (!read.ok) throw new UserError(read.error);
  return read.period;
}
