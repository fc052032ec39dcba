// The one place where a listener's outcome becomes a reply: user mistakes (UserError)
// become an ephemeral message or field errors, anything else tells the person to try
// again and goes on to the app's error handler, which logs it with context. Slack shows an
// error when a command or a form gets no answer within 3 s, so one that is not done by
// ANSWER_WITHIN_MS is answered with a "still working" message, and its outcome follows.
import type {
  AllMiddlewareArgs,
  BlockAction,
  RespondArguments,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { AnswerLost, isDatabaseUnavailable } from '../../db/errors.js';
import type { Workspace } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { resolveActor, type Actor } from '../../services/actor.js';
import type { ServiceDeps } from '../../services/deps.js';
import type { TargetProgress } from '../../services/targets.js';
import type { MilestonesSeen } from '../../services/celebrations.js';
import { OutcomeUnknown, isUserError } from '../../errors.js';
import { authorisedTeamId } from '../authorised-workspace.js';
import { celebrateMilestones, settleCelebrations } from '../celebration-publisher.js';
import { stripMarkdown } from '../forms.js';
import { ephemeral, type SlackMessage } from '../views/blocks.js';

export { isDatabaseUnavailable };

export const TRY_AGAIN = "Something went wrong and Tally couldn't finish that. Nothing was saved. Please try again in a minute.";
export const DATABASE_DOWN = "Tally couldn't reach its database, so nothing was saved. Please try again in a minute.";
export const ANSWER_LOST =
  "Tally lost its connection to its database before it could finish, so it can't tell whether anything was saved. If you were changing something, check it (App Home shows your sales) before trying again.";
export const STILL_WORKING =
  "Tally's database is slow to answer, so this is taking longer than it should. Tally will answer here as soon as it can.";
export const FORM_STILL_WORKING =
  "Tally's database is slow to answer, so Tally can't confirm yet that this was saved. Wait a minute, then check before submitting again.";

/** Slack shows an error after 3 s without an answer; this leaves room for the way there and back. */
export const ANSWER_WITHIN_MS = 2_300;

type Kind = 'command' | 'view' | 'action' | 'event';

/** What the person is told when something that is not their mistake fails. */
export function failureMessage(error: unknown): string {
  if (error instanceof OutcomeUnknown) return error.message;
  if (error instanceof AnswerLost) return ANSWER_LOST;
  return isDatabaseUnavailable(error) ? DATABASE_DOWN : TRY_AGAIN;
}

/** Runs a handler, counted and timed. (What it changes, its use case forgets from the caches.) */
async function measured<T>(deps: Pick<Deps, 'metrics' | 'db'>, kind: Kind, name: string, run: () => Promise<T>): Promise<T> {
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
  }
}

/**
 * A slash command: `run` returns the reply (sent as the ack body, so it costs no extra call),
 * or calls `ack` itself and returns nothing (e.g. before opening a modal).
 */
type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;
type ActionArgs<A extends BlockAction> = SlackActionMiddlewareArgs<A> & AllMiddlewareArgs;
/** What every handler is given besides Bolt's arguments: the workspace Bolt authorised, and who acts in it. */
interface Authorised {
  /** The team id the request acts on; a payload naming another workspace never reaches `run`. */
  teamId: string;
  /** The person acting, resolved once for the request (their role only when asked for). */
  actor: Actor;
}

type HandlerDeps = Pick<Deps, 'metrics' | 'db' | 'logger'> & ServiceDeps;

/** The authorised workspace and the actor in it, for a request from `userId`. */
function authorised(
  deps: ServiceDeps,
  args: { context: CommandArgs['context']; body: unknown; client: WebClient },
  userId: string,
): Authorised {
  const teamId = authorisedTeamId(args.context, args.body);
  return { teamId, actor: resolveActor(deps, args.client, teamId, userId) };
}

export function commandHandler(
  deps: HandlerDeps,
  name: string,
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler that answers by itself returns nothing
  run: (args: Omit<CommandArgs, 'ack'> & { ack: () => Promise<void> } & Authorised) => Promise<SlackMessage | string | void>,
  /** The answer when `run` is not done within ANSWER_WITHIN_MS; its outcome follows through the response_url. */
  stillWorking = STILL_WORKING,
): (args: CommandArgs) => Promise<void> {
  return async (args) => {
    let acked = false;
    let late = false;
    const ack = async (body?: RespondArguments) => {
      if (acked) return;
      acked = true;
      await args.ack(body);
    };
    const reply = async (message: string) => {
      if (acked) await args.respond(ephemeral(message));
      else await ack(ephemeral(message));
    };
    const deadline = setTimeout(() => {
      if (acked) return;
      late = true;
      ack(ephemeral(stillWorking)).catch((error: unknown) =>
        deps.logger.error({ err: error, teamId: args.context.teamId }, 'late answer not sent'),
      );
    }, ANSWER_WITHIN_MS);
    try {
      const message = await measured(deps, 'command', name, () =>
        run({ ...args, ack: () => ack(), ...authorised(deps, args, args.command.user_id) }),
      );
      if (!acked) await ack(message ? ephemeral(message) : undefined);
      else if (late && message) await args.respond(ephemeral(message));
    } catch (error) {
      if (isUserError(error)) return reply(error.message);
      await reply(failureMessage(error));
      throw error;
    } finally {
      clearTimeout(deadline);
    }
  };
}

/**
 * Answers a button press: in place through its response_url when it came from a message, else
 * (App Home, a modal, or a response_url that failed) as an ephemeral in its channel or a DM.
 */
export async function answerAction<A extends BlockAction>(
  args: ActionArgs<A>,
  message: SlackMessage,
  replaceOriginal: boolean,
): Promise<void> {
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
export function tellInBackground(
  deps: Pick<Deps, 'logger'>,
  client: WebClient,
  to: { channelId: string | null; userId: string; teamId: string },
  message: SlackMessage,
): void {
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
  deps: Pick<Deps, 'metrics' | 'db'> & ServiceDeps,
  name: string,
  run: (args: ActionArgs<A> & Authorised) => Promise<void>,
): (args: ActionArgs<A>) => Promise<void> {
  return async (args) => {
    await args.ack();
    try {
      await measured(deps, 'action', name, () => run({ ...args, ...authorised(deps, args, args.body.user.id) }));
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
 * Not done within ANSWER_WITHIN_MS, the modal shows `stillWorking` under `fallbackField` and
 * stays open; `run` goes on (what it tells the person afterwards, it tells by message).
 */
export function viewHandler(
  deps: HandlerDeps,
  name: string,
  fallbackField: string,
  // biome-ignore lint/suspicious/noConfusingVoidType: a form that saves without field errors returns nothing
  run: (args: ViewArgs & Authorised) => Promise<Record<string, string> | void>,
  stillWorking = FORM_STILL_WORKING,
): (args: ViewArgs) => Promise<void> {
  return async (args) => {
    let acked = false;
    const ack = async (errors?: Record<string, string>) => {
      if (acked) return;
      acked = true;
      await args.ack(errors ? { response_action: 'errors', errors } : undefined);
    };
    const deadline = setTimeout(() => {
      ack({ [fallbackField]: stripMarkdown(stillWorking) }).catch((error: unknown) =>
        deps.logger.error({ err: error, teamId: args.context.teamId }, 'late answer not sent'),
      );
    }, ANSWER_WITHIN_MS);
    try {
      await ack((await measured(deps, 'view', name, () => run({ ...args, ...authorised(deps, args, args.body.user.id) }))) ?? undefined);
    } catch (error) {
      const message = isUserError(error) ? error.message : failureMessage(error);
      // An error for a block this modal does not have would not show: use the fallback field.
      const named = isUserError(error) ? error.field : undefined;
      const field = named && named in args.view.state.values ? named : fallbackField;
      await ack({ [field]: stripMarkdown(message) });
      if (!isUserError(error)) throw error;
    } finally {
      clearTimeout(deadline);
    }
  };
}

/** Posts milestone celebrations after the reply, without holding it up; failures are logged. */
export function celebrateInBackground(
  deps: Pick<Deps, 'db' | 'clock' | 'logger'>,
  client: WebClient,
  workspace: Workspace,
  repId: string,
  progress: readonly TargetProgress[],
  seen: MilestonesSeen | null,
): void {
  celebrateMilestones(deps, client, workspace, repId, progress, seen).catch((error: unknown) =>
    deps.logger.error({ err: error, teamId: workspace.team_id, userId: repId }, 'celebration not posted'),
  );
}

/**
 * After a sale is voided or changed: takes back the celebrations of each (rep, close date) it
 * touched whose milestone is no longer reached, and celebrates any newly reached. In the
 * background, in order; failures are logged.
 */
export function settleMilestonesInBackground(
  deps: Pick<Deps, 'db' | 'clock' | 'logger'>,
  client: WebClient,
  workspace: Workspace,
  touched: ReadonlyArray<{ repId: string; closedOn: string }>,
): void {
  const distinct = touched.filter((t, i) => touched.findIndex((o) => o.repId === t.repId && o.closedOn === t.closedOn) === i);
  const settle = async () => {
    for (const { repId, closedOn } of distinct) await settleCelebrations(deps, client, workspace, repId, closedOn);
  };
  settle().catch((error: unknown) => deps.logger.error({ err: error, teamId: workspace.team_id }, 'celebrations not settled'));
}
