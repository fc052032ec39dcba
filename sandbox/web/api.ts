// The page's side of the sandbox API (sandbox/page.ts): shapes and calls.
import type { ViewValues } from '../shared/view-state.js';

export interface User {
  id: string;
  name: string;
  realName: string;
  title: string;
  tz: string;
  role: 'admin' | 'manager' | 'rep';
  team: 'east' | 'west' | null;
  /** The direct message channel with the app. */
  dm: string;
}

export interface Channel {
  id: string;
  name: string;
  topic: string;
  members: string[];
}

export interface Command {
  command: string;
  description?: string;
  usage_hint?: string;
}

export interface ClockState {
  now: string;
  shifted: boolean;
  timezone: string;
}

export interface Workspace {
  team: { id: string; name: string; domain: string };
  timezone: string;
  currency: string;
  app: {
    name: string;
    botName: string;
    botUserId: string;
    description: string;
    color: string;
    homeTabEnabled: boolean;
    messagesTabEnabled: boolean;
    messagesTabReadOnly: boolean;
  };
  commands: Command[];
  users: User[];
  channels: Channel[];
  clock: ClockState;
}

export interface FileInfo {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  url_private: string;
}

export interface Message {
  ts: string;
  channel: string;
  user: string;
  ephemeral: boolean;
  source: 'message' | 'ephemeral' | 'command_reply' | 'response_url' | 'local';
  text: string;
  blocks?: Block[];
  files?: FileInfo[];
  edited: boolean;
}

export type Block = { type: string; block_id?: string } & Record<string, unknown>;

export interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export interface View {
  id: string;
  type: string;
  callback_id: string;
  title?: TextObject;
  submit: TextObject | null;
  close: TextObject | null;
  blocks: Block[];
  hash: string;
  notify_on_close: boolean;
}

export interface Outcome {
  ok: boolean;
  error?: string;
  errors?: Record<string, string>;
}

export type ActionPlace = { kind: 'message'; channelId: string; ts: string } | { kind: 'view'; viewId: string; values?: ViewValues };

export interface ElementAction {
  type: string;
  action_id: string;
  block_id: string;
  [field: string]: unknown;
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(json.error ?? `${path} answered ${response.status}`);
  return json;
}

export const api = {
  workspace: () => call<Workspace>('GET', '/sandbox/api/workspace'),
  conversation: (user: string, channel: string) =>
    call<{ messages: Message[] }>(
      'GET',
      `/sandbox/api/conversation?user=${encodeURIComponent(user)}&channel=${encodeURIComponent(channel)}`,
    ),
  surfaces: (user: string) => call<{ modals: View[]; home: View | null }>('GET', `/sandbox/api/surfaces?user=${encodeURIComponent(user)}`),
  command: (user: string, channel: string, text: string) => call<Outcome>('POST', '/sandbox/api/command', { user, channel, text }),
  action: (user: string, place: ActionPlace, action: ElementAction) =>
    call<Outcome>('POST', '/sandbox/api/action', { user, place, action }),
  submit: (user: string, viewId: string, values: ViewValues) => call<Outcome>('POST', '/sandbox/api/submit', { user, viewId, values }),
  close: (user: string, viewId: string, values: ViewValues) => call<Outcome>('POST', '/sandbox/api/close', { user, viewId, values }),
  homeOpened: (user: string, tab: 'home' | 'messages') => call<Outcome>('POST', '/sandbox/api/home-opened', { user, tab }),
  options: (user: string, viewId: string | undefined, blockId: string, actionId: string, value: string) =>
    call<Outcome & { options: Array<{ text: TextObject; value: string }> }>('POST', '/sandbox/api/options', {
      user,
      viewId,
      blockId,
      actionId,
      value,
    }),
  setClock: (local: string | null) => call<ClockState>('POST', '/sandbox/api/clock', local === null ? { reset: true } : { local }),
  digestTick: () =>
    call<Outcome & { at: string; posted: number; recovered: number; not_claimed: number; failed: number; skipped: number }>(
      'POST',
      '/sandbox/api/digest-tick',
    ),
};
