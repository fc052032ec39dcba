// Slack's side of the conversation with an app: what people do in the stand-in (type a slash
// command, click a button, pick an option, submit or close a modal, open App Home) becomes the
// request Slack would send, signed with the app's signing secret, and the app's answer shows as
// Slack shows it (a command's reply, field errors, response_action update/push/clear).
// The sandbox drives it from its web page; tests can drive it too.

import type { FakeSlack, FakeView, VisibleMessage } from './fake-slack.js';
import {
  blockActionsPayload,
  blockSuggestionPayload,
  eventBody,
  interactionBody,
  postToSlackApp,
  slashCommandBody,
  viewClosedPayload,
  viewSubmissionPayload,
  type AppResponse,
  type ButtonClick,
  type ElementAction,
  type SlackContentType,
  type ViewStateValues,
} from './slack-signer.js';

/** Slack gives an app 3 seconds to answer a command or an interaction. */
export const SLACK_ANSWER_TIMEOUT_MS = 3000;

export interface SlashCommandSpec {
  command: string;
  description?: string;
  usage_hint?: string;
  should_escape?: boolean;
}

export interface AppConnectionOptions {
  slack: FakeSlack;
  /** Where Slack sends commands, interactivity and events, e.g. http://127.0.0.1:3001/slack/events. */
  requestUrl: string;
  signingSecret: string;
  teamId: string;
  /** The app's slash commands (from its manifest); other commands are refused as Slack refuses them. */
  commands: readonly SlashCommandSpec[];
  /** The Events API events the app subscribes to; undefined sends them all. */
  botEvents?: ReadonlySet<string>;
  apiAppId?: string;
  timeoutMs?: number;
}

/** What came of something a person did: Slack shows `error` the way it shows failures. */
export interface Outcome {
  ok: boolean;
  error?: string;
}

export interface SubmitOutcome extends Outcome {
  /** Field errors by block id (response_action: errors). */
  errors?: Record<string, string>;
}

export interface OptionsOutcome extends Outcome {
  options: unknown[];
  option_groups?: unknown[];
}

/** Where a clicked element is: a message in a channel (maybe ephemeral) or a view (modal, Home). */
export type ActionPlace =
  | { kind: 'message'; channelId: string; message: Pick<VisibleMessage, 'ts' | 'ephemeral' | 'text' | 'blocks' | 'user'> }
  | { kind: 'view'; viewId: string; values?: ViewStateValues };

export class AppConnection {
  private readonly commands: Map<string, SlashCommandSpec>;

  constructor(private readonly options: AppConnectionOptions) {
    this.commands = new Map(options.commands.map((spec) => [spec.command, spec]));
  }

  /** Types `/command text` in a channel: Slack posts the command and shows the reply it gets. */
  async command(userId: string, channelId: string, typed: string): Promise<Outcome> {
    const { slack } = this.options;
    const match = /^(\/\S+)\s*([\s\S]*)$/.exec(typed.trim());
    const spec = match ? this.commands.get(match[1]!) : undefined;
    if (!match || spec === undefined) {
      const name = match?.[1] ?? typed.trim().split(/\s+/)[0] ?? typed;
      return {
        ok: false,
        error: `${name} is not a valid command. In Slack, all messages that start with "/" are interpreted as commands.`,
      };
    }
    const user = slack.user(userId);
    const channel = slack.channel(channelId);
    const body = slashCommandBody({
      command: spec.command,
      text: this.escapeCommandText(match[2] ?? '', spec.should_escape ?? false),
      team_id: this.options.teamId,
      user_id: userId,
      ...(user ? { user_name: user.name } : {}),
      channel_id: channelId,
      ...(channel ? { channel_name: channel.is_im ? 'directmessage' : channel.name } : {}),
      trigger_id: slack.newTriggerId(userId),
      response_url: slack.responseUrl(channelId, userId),
      ...(this.options.apiAppId ? { api_app_id: this.options.apiAppId } : {}),
    });
    const answer = await this.send(body, 'application/x-www-form-urlencoded');
    if ('error' in answer) return { ok: false, error: `${spec.command} failed with the error "${answer.error}"` };
    if (answer.json !== undefined && isObject(answer.json)) {
      try {
        slack.showCommandReply(channelId, userId, answer.json);
      } catch (error) {
        return { ok: false, error: `${spec.command} failed with the error "${errorCode(error)}"` };
      }
    } else if (answer.body.trim() !== '') {
      slack.showCommandReply(channelId, userId, { text: answer.body });
    }
    return { ok: true };
  }

  /** Clicks a button, picks an option or a date, in a message or a view (modal or App Home). */
  async act(userId: string, place: ActionPlace, action: ButtonClick | ElementAction): Promise<Outcome> {
    const { slack, teamId } = this.options;
    const base = { team_id: teamId, user_id: userId, trigger_id: slack.newTriggerId(userId), actions: [action] };
    let payload: ReturnType<typeof blockActionsPayload>;
    if (place.kind === 'message') {
      const { message, channelId } = place;
      payload = blockActionsPayload({
        ...base,
        channel_id: channelId,
        response_url: slack.responseUrl(channelId, userId, { ts: message.ts, ephemeral: message.ephemeral }),
        container: { type: 'message', message_ts: message.ts, channel_id: channelId, is_ephemeral: message.ephemeral },
        // Slack sends the message along for a click in a message everyone sees, not in an ephemeral.
        ...(message.ephemeral
          ? {}
          : { message: { ts: message.ts, text: message.text, user: message.user, ...(message.blocks ? { blocks: message.blocks } : {}) } }),
      });
    } else {
      const view = slack.view(place.viewId);
      if (view === undefined) return { ok: false, error: 'This view is gone.' };
      const values = place.values ?? {};
      payload = blockActionsPayload({ ...base, view: { ...viewAsSent(view), state: { values } }, state: values });
    }
    const answer = await this.send(interactionBody(payload), 'application/x-www-form-urlencoded');
    return 'error' in answer ? { ok: false, error: answer.error } : { ok: true };
  }

  /** Presses a modal's submit button with the values entered; the answer decides what Slack shows. */
  async submitView(userId: string, viewId: string, values: ViewStateValues): Promise<SubmitOutcome> {
    const { slack, teamId } = this.options;
    const view = slack.view(viewId);
    if (view === undefined) return { ok: false, error: 'This view is gone.' };
    const payload = viewSubmissionPayload({ team_id: teamId, user_id: userId, view: viewAsSent(view), values });
    const answer = await this.send(interactionBody(payload), 'application/x-www-form-urlencoded');
    if ('error' in answer) return { ok: false, error: answer.error };
    try {
      const shown = slack.applyViewResponse(userId, viewId, isObject(answer.json) ? answer.json : undefined);
      return { ok: true, ...shown };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Closes a modal (Cancel or ×); the app hears of it when the view asked to be notified. */
  async closeView(userId: string, viewId: string, values: ViewStateValues = {}): Promise<Outcome> {
    const { slack, teamId } = this.options;
    const view = slack.view(viewId);
    slack.closeModal(userId, viewId);
    if (view === undefined || !view.notify_on_close) return { ok: true };
    const payload = viewClosedPayload({ team_id: teamId, user_id: userId, view: viewAsSent(view), values });
    const answer = await this.send(interactionBody(payload), 'application/x-www-form-urlencoded');
    return 'error' in answer ? { ok: false, error: answer.error } : { ok: true };
  }

  /** Opens the app's Home or Messages tab: Slack sends app_home_opened when the app subscribes to it. */
  async openAppHome(userId: string, tab: 'home' | 'messages'): Promise<Outcome> {
    if (!this.subscribes('app_home_opened')) return { ok: true };
    const { slack, teamId } = this.options;
    const home = slack.homeView(userId);
    const body = eventBody({
      team_id: teamId,
      event: {
        type: 'app_home_opened',
        user: userId,
        channel: slack.directMessageWith(userId).id,
        tab,
        event_ts: (Date.now() / 1000).toFixed(6),
        ...(home ? { view: viewAsSent(home) } : {}),
      },
      ...(this.options.apiAppId ? { api_app_id: this.options.apiAppId } : {}),
    });
    const answer = await this.send(body, 'application/json');
    return 'error' in answer ? { ok: false, error: answer.error } : { ok: true };
  }

  /** An external_select asks the app for the options matching what the person typed. */
  async loadOptions(userId: string, viewId: string | undefined, blockId: string, actionId: string, value: string): Promise<OptionsOutcome> {
    const { slack, teamId } = this.options;
    const view = viewId === undefined ? undefined : slack.view(viewId);
    const payload = blockSuggestionPayload({
      team_id: teamId,
      user_id: userId,
      block_id: blockId,
      action_id: actionId,
      value,
      ...(view ? { view: viewAsSent(view) } : {}),
    });
    const answer = await this.send(interactionBody(payload), 'application/x-www-form-urlencoded');
    if ('error' in answer) return { ok: false, error: answer.error, options: [] };
    const json = isObject(answer.json) ? answer.json : {};
    return {
      ok: true,
      options: Array.isArray(json.options) ? json.options : [],
      ...(Array.isArray(json.option_groups) ? { option_groups: json.option_groups } : {}),
    };
  }

  private subscribes(event: string): boolean {
    return this.options.botEvents === undefined || this.options.botEvents.has(event);
  }

  /**
   * Command text as Slack sends it: `&`, `<` and `>` escaped; with should_escape, `@name` and
   * `#channel` of this workspace become `<@U123|name>` and `<#C123|name>`.
   */
  private escapeCommandText(text: string, shouldEscape: boolean): string {
    const escaped = text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    if (!shouldEscape) return escaped;
    const { slack, teamId } = this.options;
    const users = slack.usersOf(teamId);
    const channels = slack.channelsOf(teamId).filter((channel) => !channel.is_im);
    return escaped.replace(/(^|\s)([@#])([\w.-]+)/g, (whole, space: string, sigil: string, name: string) => {
      const lower = name.toLowerCase();
      if (sigil === '@') {
        const user = users.find((candidate) => candidate.name.toLowerCase() === lower);
        return user ? `${space}<@${user.id}|${user.name}>` : whole;
      }
      const channel = channels.find((candidate) => candidate.name.toLowerCase() === lower);
      return channel ? `${space}<#${channel.id}|${channel.name}>` : whole;
    });
  }

  /** Posts a signed request; a non-200 answer or none within 3 s is an error, as in Slack. */
  private async send(body: string, contentType: SlackContentType): Promise<AppResponse | { error: string }> {
    const { requestUrl, signingSecret } = this.options;
    try {
      const answer = await postToSlackApp(requestUrl, signingSecret, body, contentType, {
        timeoutMs: this.options.timeoutMs ?? SLACK_ANSWER_TIMEOUT_MS,
      });
      if (answer.status !== 200) return { error: `http_error (the app answered ${answer.status})` };
      return answer;
    } catch (error) {
      const name = (error as { name?: string } | null)?.name;
      return { error: name === 'TimeoutError' ? 'operation_timeout' : 'dispatch_failed' };
    }
  }
}

/** A stored view as Slack puts it in payloads (its state is sent separately). */
function viewAsSent(view: FakeView) {
  const { state: _state, ...rest } = view;
  return rest;
}

function errorCode(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
