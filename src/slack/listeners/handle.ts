// The one place where a listener's outcome becomes a reply: user mistakes (UserError)
// become an ephemeral message or field errors, anything else tells the person to try
// again and goes on to the app's error handler, which logs it with context.
import type {
  AllMiddlewareArgs,
  BlockAction,
  RespondArguments,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Workspace } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { celebrateMilestones, settleMilestones, type CelebrationNotices } from '../../services/celebrations.js';
import { forgetLeaderboards } from '../../services/leaderboard.js';
import type { TargetProgress } from '../../services/targets.js';
import { isUserError } from '../../errors.js';
import { stripMarkdown } from '../forms.js';
import { ephemeral, type SlackMessage } from '../views/blocks.js';
import { celebrationMessage, withdrawnCelebrationMessage } from '../views/notices.js';

export const TRY_AGAIN = "Something went wrong and Tally couldn't finish that. Nothing was saved. Please try again in a minute.";
export const DATABASE_DOWN = "Tally couldn't reach its database, so nothing was saved. Please try again in a minute.";

type Kind = 'command' | 'view' | 'action' | 'event';

/** What the person is told when something that is not their mistake fails. */
export function failureMessage(error: unknown): string {
  return isDatabaseUnavailable(error) ? DATABASE_DOWN : TRY_AGAIN;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006'].includes(code ?? '') ||
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|PGlite is closed|driver has already been destroyed/i.test(message)
  );
}

/**
 * Runs a handler, counted and timed. Afterwards the workspace's cached leaderboards are
 * forgotten, unless the handler only read one: whatever it changed shows at once.
 */
async function measured<T>(deps: Pick<Deps, 'metrics' | 'db'>, kind: Kind, name: string, teamId: string | undefined, run: () => Promise<T>): Promise<T> {
  const stopTimer = deps.metrics.requestSeconds.startTimer({ kind, name });
  try {
    const result = await run();
    deps.metrics.requests.inc({ kind, name, outcome: 'ok' });
    return result;
  } catch (error) {
    const outcome = isUserError(error) ? 'user_error' : 'error';
    deps.metrics.requests.inc({ kind, name, outcome });
    if (isDatabaseUnavailable(error)) deps.metrics.databaseErrors.inc();
    throw error;
  } finally {
    stopTimer();
    if (name !== 'leaderboard') forgetLeaderboards(deps, teamId);
  }
}

/**
 * A slash command: `run` returns the reply (sent as the ack body, so it costs no extra call),
 * or calls `ack` itself and returns nothing (e.g. before opening a modal).
 */
type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;
type ActionArgs<A extends BlockAction> = SlackActionMiddlewareArgs<A> & AllMiddlewareArgs;

export function commandHandler(
  deps: Pick<Deps, 'metrics' | 'db'>,
  name: string,
  run: (args: Omit<CommandArgs, 'ack'> & { ack: () => Promise<void> }) => Promise<SlackMessage | string | void>,
): (args: CommandArgs) => Promise<void> {
  return async (args) => {
    let acked = false;
    const ack = async (body?: RespondArguments) => {
      acked = true;
      await args.ack(body);
    };
    const reply = async (message: string) => {
      if (acked) await args.respond(ephemeral(message));
      else await ack(ephemeral(message));
    };
    try {
      const message = await measured(deps, 'command', name, args.context.teamId, () => run({ ...args, ack: () => ack() }));
      if (!acked) await ack(message ? ephemeral(message) : undefined);
    } catch (error) {
      if (isUserError(error)) return reply(error.message);
      await reply(failureMessage(error));
      throw error;
    }
  };
}

/**
 * Answers a button press: in place through its response_url when it came from a message, else
 * (App Home, a modal, or a response_url that failed) as an ephemeral in its channel or a DM.
 */
export async function answerAction<A extends BlockAction>(args: ActionArgs<A>, message: SlackMessage, replaceOriginal: boolean): Promise<void> {
  if ('response_url' in args.body && args.body.response_url) {
    try {
      await args.respond({ ...message, response_type: 'ephemeral', replace_original: replaceOriginal });
      return;
    } catch {
      // The response_url expired or was used up: fall through to the Web API.
    }
  }
  const channel = args.body.channel?.id;
  if (channel) await args.client.chat.postEphemeral({ channel, user: args.body.user.id, ...message });
  else await args.client.chat.postMessage({ channel: args.body.user.id, ...message });
}

/**
 * Tells a person something after the work is done (a confirmation): ephemeral in the channel
 * they worked in, or their DM. Runs after the reply to Slack; a failure is logged, not thrown,
 * since what it confirms is already saved.
 */
export function tellInBackground(deps: Pick<Deps, 'logger'>, client: WebClient, to: { channelId: string | null; userId: string; teamId: string }, message: SlackMessage): void {
  const send = async () => {
    if (to.channelId) {
      try {
        await client.chat.postEphemeral({ channel: to.channelId, user: to.userId, ...message });
        return;
      } catch (error) {
        deps.logger.warn({ err: error, teamId: to.teamId, userId: to.userId }, 'ephemeral confirmation failed: sent as a DM');
      }
    }
    await client.chat.postMessage({ channel: to.userId, ...message });
  };
  send().catch((error: unknown) => deps.logger.error({ err: error, teamId: to.teamId, userId: to.userId }, 'confirmation not delivered'));
}

/** A block action: acked at once; the outcome is posted back with `respond`. */
export function actionHandler<A extends BlockAction>(
  deps: Pick<Deps, 'metrics' | 'db'>,
  name: string,
  run: (args: ActionArgs<A>) => Promise<void>,
): (args: ActionArgs<A>) => Promise<void> {
  return async (args) => {
    await args.ack();
    try {
      await measured(deps, 'action', name, args.context.teamId, () => run(args));
    } catch (error) {
      const text = isUserError(error) ? error.message : failureMessage(error);
      // A button in a message can answer in place; one in App Home or a modal has no
      // response_url, so the answer goes to the person's DM with Tally.
      await answerAction(args, ephemeral(text), false);
      if (!isUserError(error)) throw error;
    }
  };
}

/**
 * A modal submission: `run` returns field errors, or nothing to close the modal.
 * A UserError with a field shows under that field; without one, under `fallbackField`.
 */
export function viewHandler(
  deps: Pick<Deps, 'metrics' | 'db'>,
  name: string,
  fallbackField: string,
  run: (args: ViewArgs) => Promise<Record<string, string> | void>,
): (args: ViewArgs) => Promise<void> {
  return async (args) => {
    try {
      const errors = await measured(deps, 'view', name, args.context.teamId, () => run(args));
      await args.ack(errors ? { response_action: 'errors', errors } : undefined);
    } catch (error) {
      const message = isUserError(error) ? error.message : failureMessage(error);
      // An error for a block this modal does not have would not show: use the fallback field.
      const named = isUserError(error) ? error.field : undefined;
      const field = named && named in args.view.state.values ? named : fallbackField;
      await args.ack({ response_action: 'errors', errors: { [field]: stripMarkdown(message) } });
      if (!isUserError(error)) throw error;
    }
  };
}

/** Posts milestone celebrations after the reply, without holding it up; failures are logged. */
export function celebrateInBackground(
  deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'config'>,
  client: WebClient,
  workspace: Workspace,
  repId: string,
  progress: readonly TargetProgress[],
): void {
  celebrateMilestones(deps, client, CELEBRATION_NOTICES, workspace, repId, progress).catch((error: unknown) =>
    deps.logger.error({ err: error, teamId: workspace.team_id, userId: repId }, 'celebration not posted'),
  );
}

const CELEBRATION_NOTICES: CelebrationNotices = { celebration: celebrationMessage, withdrawn: withdrawnCelebrationMessage };

/**
 * After a sale is voided or changed: takes back the celebrations of each (rep, close date) it
 * touched whose milestone is no longer reached, and celebrates any newly reached. In the
 * background, in order; failures are logged.
 */
export function settleMilestonesInBackground(
  deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'config'>,
  client: WebClient,
  workspace: Workspace,
  touched: ReadonlyArray<{ repId: string; closedOn: string }>,
): void {
  const distinct = touched.filter((t, i) => touched.findIndex((o) => o.repId === t.repId && o.closedOn === t.closedOn) === i);
  const settle = async () => {
    for (const { repId, closedOn } of distinct) await settleMilestones(deps, client, CELEBRATION_NOTICES, workspace, repId, closedOn);
  };
  settle().catch((error: unknown) => deps.logger.error({ err: error, teamId: workspace.team_id }, 'celebrations not settled'));
}
