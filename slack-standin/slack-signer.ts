// Builds and signs requests exactly as Slack sends them to an app: slash commands,
// interactivity payloads and Events API envelopes, signed with the v0 scheme
// (HMAC-SHA256 over `v0:<timestamp>:<raw body>` with the app's signing secret).

import { createHmac, randomBytes, randomInt } from 'node:crypto';
import type { ViewStateValue } from '@slack/bolt';

/** The app id used when a test does not name one; FakeSlack stamps it on views and messages too. */
export const DEFAULT_APP_ID = 'A0TALLYAPP';
const DEFAULT_CHANNEL_ID = 'C0GENERAL';
const LEGACY_VERIFICATION_TOKEN = 'legacy-verification-token';

export type SlackContentType = 'application/x-www-form-urlencoded' | 'application/json';

export function signRequest(secret: string, rawBody: string, timestampSeconds = Math.floor(Date.now() / 1000)): Record<string, string> {
  const digest = createHmac('sha256', secret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
  return {
    'x-slack-signature': `v0=${digest}`,
    'x-slack-request-timestamp': String(timestampSeconds),
  };
}

/** A trigger id in Slack's format; FakeSlack.newTriggerId() makes ones its views.open accepts. */
export function randomTriggerId(): string {
  return `${randomInt(1e10, 1e11)}.${randomInt(1e8, 1e9)}.${randomBytes(10).toString('hex')}`;
}

export interface SlashCommandFields {
  command: string;
  text: string;
  team_id: string;
  user_id: string;
  channel_id?: string;
  trigger_id?: string;
  /** Pass FakeSlack.responseUrl(...) in tests; the default points at a host that never resolves. */
  response_url?: string;
  user_name?: string;
  team_domain?: string;
  channel_name?: string;
  api_app_id?: string;
}

/** The form body of a slash command, with Slack's fields in Slack's order. */
export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams({
    token: LEGACY_VERIFICATION_TOKEN,
    team_id: fields.team_id,
    team_domain: fields.team_domain ?? defaultTeamDomain(fields.team_id),
    channel_id: fields.channel_id ?? DEFAULT_CHANNEL_ID,
    channel_name: fields.channel_name ?? defaultChannelName(fields.channel_id ?? DEFAULT_CHANNEL_ID),
    user_id: fields.user_id,
    user_name: fields.user_name ?? defaultUserName(fields.user_id),
    command: fields.command,
    text: fields.text,
    api_app_id: fields.api_app_id ?? DEFAULT_APP_ID,
    is_enterprise_install: 'false',
    response_url: fields.response_url ?? unreachableResponseUrl(fields.team_id),
    trigger_id: fields.trigger_id ?? randomTriggerId(),
  }).toString();
}

/** The form body of an interactivity request (block_actions, view_submission, ...). */
export function interactionBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface EventEnvelopeFields {
  team_id: string;
  event: { type: string } & Record<string, unknown>;
  api_app_id?: string;
  event_id?: string;
  event_time?: number;
  /** When given, the envelope carries Slack's `authorizations` entry for this bot user. */
  bot_user_id?: string;
}

/** The JSON body of an Events API `event_callback` envelope. */
export function eventBody(fields: EventEnvelopeFields): string {
  const envelope = {
    token: LEGACY_VERIFICATION_TOKEN,
    team_id: fields.team_id,
    context_team_id: fields.team_id,
    context_enterprise_id: null,
    api_app_id: fields.api_app_id ?? DEFAULT_APP_ID,
    event: fields.event,
    type: 'event_callback',
    event_id: fields.event_id ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: fields.event_time ?? Math.floor(Date.now() / 1000),
    ...(fields.bot_user_id === undefined ? {} : { authorizations: [botAuthorization(fields)] }),
    is_ext_shared_channel: false,
  };
  return JSON.stringify(envelope);
}

function botAuthorization(fields: EventEnvelopeFields) {
  return {
    enterprise_id: null,
    team_id: fields.team_id,
    user_id: fields.bot_user_id,
    is_bot: true,
    is_enterprise_install: false,
  };
}

export interface PostOptions {
  timestamp?: number;
  /** Sign with a wrong secret, as a forged request would be. */
  badSignature?: boolean;
  /** Extra headers, applied last (they may override the signature headers). */
  headers?: Record<string, string>;
  /** Gives up waiting for the answer after this long, as Slack does after 3 s (default: waits). */
  timeoutMs?: number;
}

export interface AppResponse {
  status: number;
  body: string;
  json?: unknown;
}

/** POSTs a signed request to the app, as Slack would, and reads the whole answer. */
export async function postToSlackApp(
  url: string,
  secret: string,
  body: string,
  contentType: SlackContentType,
  opts: PostOptions = {},
): Promise<AppResponse> {
  const signingSecret = opts.badSignature ? `${secret}-forged` : secret;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      ...signRequest(signingSecret, body, opts.timestamp),
      ...opts.headers,
    },
    body,
    ...(opts.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(opts.timeoutMs) }),
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
  if (!isJson || text === '') return { status: response.status, body: text };
  return { status: response.status, body: text, json: JSON.parse(text) };
}

/** The parts of a view Slack echoes back when it is submitted; a view FakeSlack stored has them all. */
export interface OpenedView {
  id: string;
  team_id?: string;
  type?: string;
  callback_id?: string;
  private_metadata?: string;
  hash?: string;
  title?: unknown;
  blocks?: unknown[];
  submit?: unknown;
  close?: unknown;
  external_id?: string;
  root_view_id?: string | null;
  previous_view_id?: string | null;
  app_id?: string | null;
  bot_id?: string;
  clear_on_close?: boolean;
  notify_on_close?: boolean;
  /** The values entered so far (block_actions from a modal carry them). */
  state?: { values: Record<string, unknown> };
}

export type ViewStateValues = Record<string, Record<string, ViewStateValue>>;

export interface ViewSubmissionFields {
  team_id: string;
  user_id: string;
  view: OpenedView;
  values: ViewStateValues;
  api_app_id?: string;
}

/** A `view_submission` payload as Slack sends it when the user presses the modal's submit button. */
export function viewSubmissionPayload(fields: ViewSubmissionFields) {
  const apiAppId = fields.api_app_id ?? DEFAULT_APP_ID;
  return {
    type: 'view_submission' as const,
    team: teamOf(fields.team_id),
    user: userOf(fields.user_id, fields.team_id),
    api_app_id: apiAppId,
    token: LEGACY_VERIFICATION_TOKEN,
    trigger_id: randomTriggerId(),
    view: submittedView(fields.view, fields.team_id, apiAppId, fields.values),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

function submittedView(view: OpenedView, teamId: string, apiAppId: string, values: ViewStateValues) {
  return {
    id: view.id,
    team_id: view.team_id ?? teamId,
    type: 'modal',
    blocks: view.blocks ?? [],
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id ?? '',
    state: { values },
    hash: view.hash ?? '',
    title: view.title,
    clear_on_close: view.clear_on_close ?? false,
    notify_on_close: view.notify_on_close ?? false,
    close: view.close ?? null,
    submit: view.submit ?? null,
    previous_view_id: view.previous_view_id ?? null,
    root_view_id: view.root_view_id ?? view.id,
    app_id: view.app_id ?? apiAppId,
    external_id: view.external_id ?? '',
    app_installed_team_id: view.team_id ?? teamId,
    bot_id: view.bot_id ?? '',
  };
}

export interface ButtonClick {
  action_id: string;
  block_id: string;
  value: string;
  type: 'button';
  /** The button's label; defaults to the action id. */
  text?: string;
}

/**
 * Any other interactive element's action as Slack reports it: its type, ids and the fields
 * that element carries (selected_option, selected_user, selected_date, selected_options, value...).
 */
export interface ElementAction {
  type: string;
  action_id: string;
  block_id: string;
  [field: string]: unknown;
}

export interface BlockActionsFields {
  team_id: string;
  user_id: string;
  actions: Array<ButtonClick | ElementAction>;
  /** The input values of the surface (a modal's or a message's), as Slack sends them along. */
  state?: ViewStateValues;
  channel_id?: string;
  response_url?: string;
  trigger_id?: string;
  container?: Record<string, unknown>;
  /** The message holding the buttons (for clicks in a message). */
  message?: { ts: string } & Record<string, unknown>;
  /** The view holding the buttons (for clicks in a modal or App Home). */
  view?: OpenedView;
  api_app_id?: string;
}

/** A `block_actions` payload as Slack sends it when the user clicks buttons in a message or view. */
export function blockActionsPayload(fields: BlockActionsFields) {
  return {
    type: 'block_actions' as const,
    user: userOf(fields.user_id, fields.team_id),
    api_app_id: fields.api_app_id ?? DEFAULT_APP_ID,
    token: LEGACY_VERIFICATION_TOKEN,
    container: fields.container ?? containerOf(fields),
    trigger_id: fields.trigger_id ?? randomTriggerId(),
    team: teamOf(fields.team_id),
    enterprise: null,
    is_enterprise_install: false,
    ...(fields.channel_id === undefined ? {} : { channel: channelOf(fields.channel_id) }),
    ...(fields.message === undefined ? {} : { message: { type: 'message', ...fields.message } }),
    ...(fields.view === undefined ? {} : { view: fields.view }),
    ...(fields.response_url === undefined ? {} : { response_url: fields.response_url }),
    state: { values: fields.state ?? {} },
    actions: fields.actions.map(reportedAction),
  };
}

export interface BlockSuggestionFields {
  team_id: string;
  user_id: string;
  action_id: string;
  block_id: string;
  /** What the person has typed so far. */
  value: string;
  view?: OpenedView;
  api_app_id?: string;
}

/** A `block_suggestion` payload: an external_select asks the app for options matching `value`. */
export function blockSuggestionPayload(fields: BlockSuggestionFields) {
  return {
    type: 'block_suggestion' as const,
    user: userOf(fields.user_id, fields.team_id),
    container: fields.view === undefined ? { type: 'message' } : { type: 'view', view_id: fields.view.id },
    api_app_id: fields.api_app_id ?? DEFAULT_APP_ID,
    token: LEGACY_VERIFICATION_TOKEN,
    action_id: fields.action_id,
    block_id: fields.block_id,
    value: fields.value,
    team: teamOf(fields.team_id),
    enterprise: null,
    is_enterprise_install: false,
    ...(fields.view === undefined ? {} : { view: fields.view }),
  };
}

/** A `view_closed` payload: the person closed a modal opened with notify_on_close. */
export function viewClosedPayload(fields: ViewSubmissionFields & { is_cleared?: boolean }) {
  const apiAppId = fields.api_app_id ?? DEFAULT_APP_ID;
  return {
    type: 'view_closed' as const,
    team: teamOf(fields.team_id),
    user: userOf(fields.user_id, fields.team_id),
    api_app_id: apiAppId,
    token: LEGACY_VERIFICATION_TOKEN,
    view: submittedView(fields.view, fields.team_id, apiAppId, fields.values),
    is_cleared: fields.is_cleared ?? false,
    is_enterprise_install: false,
    enterprise: null,
  };
}

function reportedAction(action: ButtonClick | ElementAction) {
  if (action.type === 'button') return clickedButton(action as ButtonClick);
  return { ...action, action_ts: (Date.now() / 1000).toFixed(6) };
}

function containerOf(fields: BlockActionsFields): Record<string, unknown> {
  if (fields.view !== undefined) return { type: 'view', view_id: fields.view.id };
  return {
    type: 'message',
    message_ts: fields.message?.ts,
    channel_id: fields.channel_id,
    is_ephemeral: false,
  };
}

function clickedButton(click: ButtonClick) {
  return {
    action_id: click.action_id,
    block_id: click.block_id,
    text: { type: 'plain_text', text: click.text ?? click.action_id, emoji: true },
    value: click.value,
    type: click.type,
    action_ts: (Date.now() / 1000).toFixed(6),
  };
}

function channelOf(channelId: string) {
  return { id: channelId, name: defaultChannelName(channelId) };
}

function teamOf(teamId: string) {
  return { id: teamId, domain: defaultTeamDomain(teamId) };
}

function userOf(userId: string, teamId: string) {
  const name = defaultUserName(userId);
  return { id: userId, username: name, name, team_id: teamId };
}

function defaultTeamDomain(teamId: string): string {
  return `team-${teamId.toLowerCase()}`;
}

function defaultChannelName(channelId: string): string {
  return channelId.toLowerCase();
}

function defaultUserName(userId: string): string {
  return userId.toLowerCase();
}

function unreachableResponseUrl(teamId: string): string {
  return `https://hooks.slack.invalid/commands/${teamId}/${randomInt(1e9, 1e10)}/${randomBytes(12).toString('hex')}`;
}
