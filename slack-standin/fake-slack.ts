// A local stand-in for the Slack Web API: a real HTTP server that answers the methods Tally
// uses with Slack's documented shapes and errors, keeps the state those calls create
// (messages, ephemerals, views, files, response_url posts) and lets tests script faults.
//
// Point a WebClient (or Bolt's `clientOptions.slackApiUrl`) at `fake.url`. Seed the directory
// first: tokens (addToken), users (addUser) and channels (addChannel) are all scoped to a
// workspace, as in Slack, so a token of one team never sees another team's users or channels.
//
// The sandbox (npm run sandbox) runs this same server as its Slack: it also keeps what each
// person sees (visibleMessages: messages, ephemerals, command replies, response_url replies
// with replace/delete_original applied), each person's modal stack, serves uploaded files
// under /files/, tells listeners about every change (onChange) and hands every other path to
// the sandbox's page (serveOtherPaths).

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { validateMessageBlocks, validateView } from './block-kit-limits.js';
import { DEFAULT_APP_ID, randomTriggerId } from './slack-signer.js';

export interface FakeSlackOptions {
  /** Refuse views.open/views.push with unknown or expired trigger ids (default true). */
  strictTriggers?: boolean;
  /** How long a trigger id from newTriggerId() stays usable (default 3000 ms, as in Slack). */
  triggerTtlMs?: number;
  /** Answer chat.postMessage with 429 once a channel has had this many posts in the last second. */
  postRateLimitPerChannelPerSecond?: number;
  /** TCP port to listen on (default 0: a free one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** The clock message, channel and file times follow (default the system clock); trigger expiry and rate limits measure real elapsed time. */
  clock?: { now(): Date };
}

/** What changed in the fake's state; `user` and `channel` say whose view of it changed. */
export interface FakeSlackChange {
  kind: 'message' | 'ephemeral' | 'reply' | 'view' | 'home' | 'modal' | 'file';
  channel?: string;
  user?: string;
}

/** Serves a request outside Slack's own paths; `body` is already read. */
export type OtherPathHandler = (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer) => void | Promise<void>;

/** A message as one person sees it in a conversation: posts, their ephemerals and replies. */
export interface VisibleMessage {
  ts: string;
  channel: string;
  /** Who wrote it: the bot user for app messages. */
  user: string;
  /** Only the viewer sees it ("Only visible to you"). */
  ephemeral: boolean;
  source: 'message' | 'ephemeral' | 'command_reply' | 'response_url';
  text: string;
  blocks?: unknown[];
  files?: FileInfo[];
  metadata?: unknown;
  edited: boolean;
}

/**
 * What people saw, as plain JSON: messages, ephemerals and replies, views, App Homes, files and
 * direct message channels. The sandbox keeps it next to its database between runs.
 */
export interface FakeSlackSnapshot {
  version: 1;
  messages: Record<string, FakeMessage[]>;
  ephemerals: FakeEphemeral[];
  replies: ReplyEphemeral[];
  views: FakeView[];
  homes: Record<string, string>;
  files: Array<Omit<FakeFile, 'bytes'> & { bytes?: string }>;
  directMessages: FakeChannel[];
  lastTsMicros: number;
}

/** The message a response_url belongs to, so replace_original and delete_original find it. */
export interface ResponseUrlOriginal {
  ts: string;
  ephemeral: boolean;
}

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  at: Date;
  /** The HTTP status the fake answered with. */
  status: number;
  /** Slack's error code when the answer was not ok. */
  error?: string;
}

export interface TokenGrant {
  team_id: string;
  bot_user_id: string;
  bot_id?: string;
  app_id?: string;
}

export interface NewUser {
  id: string;
  team_id: string;
  name: string;
  real_name?: string;
  tz?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_bot?: boolean;
  email?: string;
}

/** A user as users.info returns it. */
export interface FakeUser {
  id: string;
  team_id: string;
  name: string;
  deleted: boolean;
  real_name: string;
  tz: string;
  tz_label: string;
  tz_offset: number;
  is_admin: boolean;
  is_owner: boolean;
  is_bot: boolean;
  profile: { email?: string; display_name: string; real_name: string; team: string };
}

export interface NewChannel {
  id: string;
  name: string;
  team_id: string;
  members?: string[];
  is_private?: boolean;
}

export interface FakeChannel {
  id: string;
  name: string;
  team_id: string;
  members: string[];
  is_private: boolean;
  is_im: boolean;
  /** The other party of a direct message channel. */
  user?: string;
  created: number;
}

/** A message as conversations.history returns it. */
export interface FakeMessage {
  type: 'message';
  ts: string;
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  thread_ts?: string;
  files?: FileInfo[];
  edited?: { user: string; ts: string };
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
}

/** A view as views.open/update/push/publish return it. */
export interface FakeView {
  id: string;
  team_id: string;
  type: string;
  callback_id: string;
  private_metadata: string;
  external_id: string;
  hash: string;
  title?: unknown;
  submit: unknown;
  close: unknown;
  blocks: unknown[];
  state: { values: Record<string, unknown> };
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

export interface FakeFile {
  id: string;
  team_id: string;
  filename: string;
  length: number;
  title: string;
  alt_text?: string;
  /** The bytes POSTed to the upload URL; undefined until then. */
  bytes?: Buffer;
  completed: boolean;
  channel_id?: string;
  initial_comment?: string;
}

export interface FileInfo {
  id: string;
  name: string;
  title: string;
  size: number;
  user: string;
  created: number;
  mimetype: string;
  /** Where this server serves the uploaded bytes. */
  url_private: string;
}

/** A file a person uploaded (e.g. through a modal's file_input), before the app downloads it. */
export interface NewUserFile {
  team_id: string;
  /** Who uploaded it. */
  user: string;
  filename: string;
  content: string | Buffer;
  /** Slack's file type, e.g. `csv` (default: the file name's extension). */
  filetype?: string;
}

/**
 * A person's file as Slack describes it in a view_submission's file_input state: only a bot
 * token of the same workspace may GET url_private / url_private_download; anyone else gets
 * Slack's sign-in page (HTTP 200, text/html), as from Slack.
 */
export interface UserFile {
  id: string;
  created: number;
  timestamp: number;
  name: string;
  title: string;
  filetype: string;
  mimetype: string;
  size: number;
  user: string;
  user_team: string;
  permalink: string;
  url_private: string;
  url_private_download: string;
}

export interface RecordedResponse {
  id: string;
  channel_id: string;
  user_id: string;
  body: Record<string, unknown>;
  at: Date;
}

export interface Fault {
  /** 429 answers with a Retry-After header; any other status answers with that status. */
  status?: number;
  /** Seconds in the Retry-After header of a 429 (default 1). */
  retryAfter?: number;
  /** Without a status: answer HTTP 200 `{ ok: false, error }`. */
  error?: string;
  /** How many calls in a row fail (default 1). */
  times?: number;
}

interface ResolvedOptions {
  strictTriggers: boolean;
  triggerTtlMs: number;
  postRateLimitPerChannelPerSecond?: number;
  clock?: { now(): Date };
}

interface Trigger {
  createdAt: number;
  /** The person whose click or command made it: views.open and views.push open modals for them. */
  userId?: string;
}

type SlackBody = Record<string, unknown>;

interface Answer {
  status: number;
  body: SlackBody;
  headers?: Record<string, string>;
}

interface MethodCall {
  args: Record<string, unknown>;
  grant: TokenGrant;
}

type MethodHandler = (call: MethodCall) => SlackBody;

interface ResponseUrlTarget {
  channel_id: string;
  user_id: string;
  uses: number;
  original?: ResponseUrlOriginal;
}

/** An ephemeral that did not come from chat.postEphemeral: a command's reply or a response_url post. */
export interface ReplyEphemeral {
  channel: string;
  user: string;
  ts: string;
  source: 'command_reply' | 'response_url';
  text: string;
  blocks?: unknown[];
  edited: boolean;
}

/** A Slack error answer, thrown from deep inside a method and turned into `{ ok: false, error }`. */
class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly details: SlackBody = {},
  ) {
    super(code);
  }
}

// Web API arguments the client sends JSON-encoded inside a form body.
const JSON_ENCODED_ARGS = new Set(['attachments', 'blocks', 'files', 'metadata', 'view']);
const MAX_MESSAGE_TEXT = 40_000;
const MAX_PRIVATE_METADATA = 3000;
const RESPONSE_URL_MAX_USES = 5;

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];

  private readonly tokens = new Map<string, TokenGrant>();
  private readonly users = new Map<string, FakeUser>();
  private readonly channels = new Map<string, FakeChannel>();
  private readonly directMessages = new Map<string, FakeChannel>();
  private readonly channelMessages = new Map<string, FakeMessage[]>();
  private readonly sentEphemerals: FakeEphemeral[] = [];
  private readonly storedViews = new Map<string, FakeView>();
  private readonly homeViewIds = new Map<string, string>();
  private readonly uploadedFiles = new Map<string, FakeFile>();
  private readonly userFiles = new Map<string, { file: UserFile; bytes: Buffer }>();
  private readonly responseUrls = new Map<string, ResponseUrlTarget>();
  private readonly triggers = new Map<string, Trigger>();
  private readonly replyEphemerals: ReplyEphemeral[] = [];
  /** Each person's open modals, bottom first (view ids). */
  private readonly modalStacks = new Map<string, string[]>();
  private readonly changeListeners = new Set<(change: FakeSlackChange) => void>();
  private otherPaths: OtherPathHandler | undefined;
  private readonly faults = new Map<string, { fault: Fault; remaining: number }>();
  private readonly hangs = new Map<string, { afterHandling: boolean }>();
  private readonly oauthCodes = new Map<
    string,
    { team_id: string; team_name?: string; token: string; bot_user_id: string; client_id: string; client_secret: string }
  >();
  private readonly recentPosts = new Map<string, number[]>();
  private lastTsMicros = 0;
  /** Every ts handed out (messages, ephemerals, replies, edits), so none is handed out twice. */
  private readonly issuedTs = new Set<number>();

  private readonly methods: Record<string, MethodHandler> = {
    'auth.test': (call) => this.authTest(call),
    'users.info': (call) => this.usersInfo(call),
    'users.lookupByEmail': (call) => this.usersLookupByEmail(call),
    'chat.postMessage': (call) => this.chatPostMessage(call),
    'chat.postEphemeral': (call) => this.chatPostEphemeral(call),
    'chat.update': (call) => this.chatUpdate(call),
    'chat.delete': (call) => this.chatDelete(call),
    'views.open': (call) => this.viewsOpen(call),
    'views.push': (call) => this.viewsPush(call),
    'views.update': (call) => this.viewsUpdate(call),
    'views.publish': (call) => this.viewsPublish(call),
    'conversations.history': (call) => this.conversationsHistory(call),
    'conversations.info': (call) => this.conversationsInfo(call),
    'conversations.open': (call) => this.conversationsOpen(call),
    'conversations.members': (call) => this.conversationsMembers(call),
    'files.getUploadURLExternal': (call) => this.filesGetUploadUrlExternal(call),
    'files.completeUploadExternal': (call) => this.filesCompleteUploadExternal(call),
  };

  private constructor(
    private readonly server: Server,
    private readonly origin: string,
    private readonly options: ResolvedOptions,
  ) {}

  static async start(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
    const server = createServer();
    const host = opts.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const fake = new FakeSlack(server, `http://${host.includes(':') ? `[${host}]` : host}:${port}`, {
      strictTriggers: opts.strictTriggers ?? true,
      triggerTtlMs: opts.triggerTtlMs ?? 3000,
      postRateLimitPerChannelPerSecond: opts.postRateLimitPerChannelPerSecond,
      ...(opts.clock === undefined ? {} : { clock: opts.clock }),
    });
    server.on('request', (req, res) => void fake.route(req, res));
    return fake;
  }

  /** The Web API base URL, e.g. `http://127.0.0.1:PORT/api/`. */
  get url(): string {
    return `${this.origin}/api/`;
  }

  /** The server's own address, e.g. `http://127.0.0.1:PORT`. */
  get baseUrl(): string {
    return this.origin;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
    this.server.closeAllConnections();
    await closed;
  }

  // ---- directory -------------------------------------------------------------------------

  addToken(token: string, grant: TokenGrant): void {
    this.tokens.set(token, grant);
  }

  addUser(user: NewUser): FakeUser {
    const tz = user.tz ?? 'UTC';
    const realName = user.real_name ?? user.name;
    const stored: FakeUser = {
      id: user.id,
      team_id: user.team_id,
      name: user.name,
      deleted: false,
      real_name: realName,
      tz,
      tz_label: timezoneLabel(tz),
      tz_offset: timezoneOffsetSeconds(tz),
      is_admin: user.is_admin ?? false,
      is_owner: user.is_owner ?? false,
      is_bot: user.is_bot ?? false,
      profile: {
        ...(user.email === undefined ? {} : { email: user.email }),
        display_name: user.name,
        real_name: realName,
        team: user.team_id,
      },
    };
    this.users.set(user.id, stored);
    return stored;
  }

  addChannel(channel: NewChannel): FakeChannel {
    const stored: FakeChannel = {
      id: channel.id,
      name: channel.name,
      team_id: channel.team_id,
      members: [...(channel.members ?? [])],
      is_private: channel.is_private ?? false,
      is_im: false,
      created: this.clockSeconds(),
    };
    this.channels.set(channel.id, stored);
    return stored;
  }

  /** A file a person uploaded; put the returned object in a file_input's `files` state. */
  addUserFile(input: NewUserFile): UserFile {
    const id = newSlackId('F');
    const bytes = Buffer.isBuffer(input.content) ? input.content : Buffer.from(input.content, 'utf8');
    const path = `${this.origin}/files-pri/${input.team_id}-${id}`;
    const file: UserFile = {
      id,
      created: this.clockSeconds(),
      timestamp: this.clockSeconds(),
      name: input.filename,
      title: input.filename,
      filetype: input.filetype ?? /\.([a-z0-9]+)$/i.exec(input.filename)?.[1]?.toLowerCase() ?? 'binary',
      mimetype: mimeTypeOf(input.filename),
      size: bytes.length,
      user: input.user,
      user_team: input.team_id,
      permalink: `https://team-${input.team_id.toLowerCase()}.slack.com/files/${input.user}/${id}/${encodeURIComponent(input.filename)}`,
      url_private: `${path}/${encodeURIComponent(input.filename)}`,
      url_private_download: `${path}/download/${encodeURIComponent(input.filename)}`,
    };
    this.userFiles.set(`${input.team_id}-${id}`, { file, bytes });
    return file;
  }

  // ---- recorded state --------------------------------------------------------------------

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  lastCall(method: string): RecordedCall | undefined {
    return this.callsTo(method).at(-1);
  }

  /** Resolves with the first call to `method` (already made or still to come) that matches. */
  async waitForCall(method: string, predicate: (call: RecordedCall) => boolean = () => true, timeoutMs = 5000): Promise<RecordedCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.calls.find((call) => call.method === method && predicate(call));
      if (match !== undefined) return match;
      if (Date.now() >= deadline) throw new Error(this.describeMissingCall(method, timeoutMs));
      await sleep(10);
    }
  }

  /** Messages posted to a channel, oldest first (thread replies included). */
  messages(channel: string): FakeMessage[] {
    return [...(this.channelMessages.get(channel) ?? [])];
  }

  ephemerals(channel?: string, user?: string): FakeEphemeral[] {
    return this.sentEphemerals.filter(
      (ephemeral) => (channel === undefined || ephemeral.channel === channel) && (user === undefined || ephemeral.user === user),
    );
  }

  view(id: string): FakeView | undefined {
    return this.storedViews.get(id);
  }

  /** Every view opened, pushed or published, in the order they were first created. */
  views(): FakeView[] {
    return [...this.storedViews.values()];
  }

  /** The modal opened last (App Home pages published meanwhile are not modals). */
  lastModal(): FakeView | undefined {
    return this.views()
      .filter((view) => view.type === 'modal')
      .at(-1);
  }

  homeView(userId: string): FakeView | undefined {
    const id = this.homeViewIds.get(userId);
    return id === undefined ? undefined : this.storedViews.get(id);
  }

  get files(): FakeFile[] {
    return [...this.uploadedFiles.values()];
  }

  /** The users of a workspace, as users.info returns them. */
  usersOf(teamId: string): FakeUser[] {
    return [...this.users.values()].filter((user) => user.team_id === teamId);
  }

  user(userId: string): FakeUser | undefined {
    return this.users.get(userId);
  }

  /** The channels of a workspace, direct messages included. */
  channelsOf(teamId: string): FakeChannel[] {
    return [...this.channels.values()].filter((channel) => channel.team_id === teamId);
  }

  channel(channelId: string): FakeChannel | undefined {
    return this.channels.get(channelId);
  }

  /** The direct message channel between a person and the app, opened when first needed. */
  directMessageWith(userId: string): FakeChannel {
    const user = this.users.get(userId);
    if (user === undefined) throw new Error(`FakeSlack: no user ${userId}`);
    const channel = this.openDirectMessage(user);
    return channel;
  }

  /**
   * What `userId` sees in a channel, oldest first: every top-level message, the ephemerals
   * sent to them, and the replies to their commands and clicks (response_url posts applied:
   * replace_original edits, delete_original removes).
   */
  visibleMessages(channelId: string, userId: string): VisibleMessage[] {
    const posts = this.messages(channelId)
      .filter(isTopLevel)
      .map(
        (message): VisibleMessage => ({
          ts: message.ts,
          channel: channelId,
          user: message.user,
          ephemeral: false,
          source: 'message',
          text: message.text,
          ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
          ...(message.files === undefined ? {} : { files: message.files }),
          ...(message.metadata === undefined ? {} : { metadata: message.metadata }),
          edited: message.edited !== undefined,
        }),
      );
    const botOf = (teamId: string) => this.grantOfTeam(teamId)?.bot_user_id ?? 'USLACKBOT';
    const teamId = this.channels.get(channelId)?.team_id ?? '';
    const ephemerals = this.ephemerals(channelId, userId).map(
      (ephemeral): VisibleMessage => ({
        ts: ephemeral.message_ts,
        channel: channelId,
        user: botOf(teamId),
        ephemeral: true,
        source: 'ephemeral',
        text: ephemeral.text,
        ...(ephemeral.blocks === undefined ? {} : { blocks: ephemeral.blocks }),
        edited: false,
      }),
    );
    const replies = this.replyEphemerals
      .filter((reply) => reply.channel === channelId && reply.user === userId)
      .map(
        (reply): VisibleMessage => ({
          ts: reply.ts,
          channel: channelId,
          user: botOf(teamId),
          ephemeral: true,
          source: reply.source,
          text: reply.text,
          ...(reply.blocks === undefined ? {} : { blocks: reply.blocks }),
          edited: reply.edited,
        }),
      );
    return [...posts, ...ephemerals, ...replies].sort((a, b) => tsToMicros(a.ts) - tsToMicros(b.ts));
  }

  /** The modals open for a person, bottom first; the last one is on screen. */
  modalStack(userId: string): FakeView[] {
    return (this.modalStacks.get(userId) ?? []).flatMap((id) => this.storedViews.get(id) ?? []);
  }

  /** Calls `listener` after every change of state; returns a function that stops it. */
  onChange(listener: (change: FakeSlackChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Requests to paths Slack does not have (not /api, /upload, /respond, /files) go to `handler`. */
  serveOtherPaths(handler: OtherPathHandler): void {
    this.otherPaths = handler;
  }

  /**
   * Shows the answer an app gave to a slash command (the HTTP response body), as Slack does:
   * `response_type: in_channel` posts it in the channel, anything else is an ephemeral reply.
   * An empty body shows nothing. Returns the ts of what was shown.
   */
  showCommandReply(channelId: string, userId: string, body: Record<string, unknown>): string | undefined {
    const text = typeof body.text === 'string' ? body.text : '';
    if (text === '' && body.blocks === undefined) return undefined;
    const problems = validateMessageBlocks(body.blocks);
    if (problems.length > 0) throw invalidBlocks(problems);
    return this.showReply(channelId, userId, body, 'command_reply');
  }

  /** Closes a person's modal `viewId` and every modal pushed on top of it. */
  closeModal(userId: string, viewId: string): void {
    const stack = this.modalStacks.get(userId) ?? [];
    const at = stack.indexOf(viewId);
    if (at < 0) return;
    this.setModalStack(userId, stack.slice(0, at));
  }

  /**
   * Carries out an app's answer to a view_submission, as Slack does: no response_action closes
   * the submitted view; `clear` closes them all; `update` replaces it; `push` opens a new one on
   * top; `errors` keeps it open and returns the field errors. A view that breaks Block Kit's
   * rules is refused as Slack refuses it (an Error naming the problems).
   */
  applyViewResponse(userId: string, viewId: string, answer: Record<string, unknown> | undefined): { errors?: Record<string, string> } {
    const action = answer?.response_action;
    const current = this.storedViews.get(viewId);
    if (current === undefined) return {};
    const grant = this.grantOfTeam(current.team_id);
    if (action === 'errors') {
      const errors = isObject(answer?.errors) ? answer.errors : {};
      return { errors: Object.fromEntries(Object.entries(errors).map(([key, value]) => [key, String(value)])) };
    }
    if (action === 'clear') {
      this.setModalStack(userId, []);
    } else if ((action === 'update' || action === 'push') && grant !== undefined) {
      const problems = isObject(answer?.view) ? validateView(answer.view) : ['view: must be an object'];
      if (problems.length > 0) throw new Error(`The app answered with a view Slack refuses: ${problems.join('; ')}`);
      const view = answer!.view as SlackBody;
      if (action === 'update') {
        this.storeView(current.id, view, grant, current);
        this.emit({ kind: 'modal', user: userId });
      } else {
        const pushed = this.storeView(newSlackId('V'), view, grant, undefined, current);
        this.setModalStack(userId, [...(this.modalStacks.get(userId) ?? []), pushed.id]);
      }
    } else {
      this.closeModal(userId, viewId);
    }
    return {};
  }

  /** What people saw so far (not the directory, calls, faults or open modals), as JSON. */
  snapshot(): FakeSlackSnapshot {
    return {
      version: 1,
      messages: Object.fromEntries(this.channelMessages),
      ephemerals: [...this.sentEphemerals],
      replies: [...this.replyEphemerals],
      views: [...this.storedViews.values()],
      homes: Object.fromEntries(this.homeViewIds),
      files: this.files.map(({ bytes, ...file }) => ({ ...file, ...(bytes === undefined ? {} : { bytes: bytes.toString('base64') }) })),
      directMessages: [...this.directMessages.values()],
      lastTsMicros: this.lastTsMicros,
    };
  }

  /** Brings back what a snapshot holds; the directory (tokens, users, channels) must be added first. */
  restore(snapshot: FakeSlackSnapshot): void {
    for (const channel of snapshot.directMessages) {
      const user = this.users.get(channel.user ?? '');
      if (user === undefined) continue;
      this.channels.set(channel.id, channel);
      this.directMessages.set(directMessageKey(user), channel);
    }
    for (const [channel, messages] of Object.entries(snapshot.messages)) this.channelMessages.set(channel, messages);
    this.sentEphemerals.push(...snapshot.ephemerals);
    this.replyEphemerals.push(...snapshot.replies);
    for (const view of snapshot.views) this.storedViews.set(view.id, view);
    for (const [user, viewId] of Object.entries(snapshot.homes)) this.homeViewIds.set(user, viewId);
    for (const { bytes, ...file } of snapshot.files)
      this.uploadedFiles.set(file.id, { ...file, ...(bytes === undefined ? {} : { bytes: Buffer.from(bytes, 'base64') }) });
    this.lastTsMicros = Math.max(this.lastTsMicros, snapshot.lastTsMicros);
    const restored = [
      ...Object.values(snapshot.messages).flatMap((messages) => messages.flatMap((message) => [message.ts, message.edited?.ts])),
      ...snapshot.ephemerals.map((ephemeral) => ephemeral.message_ts),
      ...snapshot.replies.map((reply) => reply.ts),
    ];
    for (const ts of restored) if (ts !== undefined) this.issuedTs.add(tsToMicros(ts));
    this.emit({ kind: 'message' });
  }

  /** The grant of a workspace's bot token, for state the fake changes on the app's behalf. */
  private grantOfTeam(teamId: string): TokenGrant | undefined {
    return [...this.tokens.values()].find((grant) => grant.team_id === teamId);
  }

  private setModalStack(userId: string, stack: string[]): void {
    if (stack.length === 0) this.modalStacks.delete(userId);
    else this.modalStacks.set(userId, stack);
    this.emit({ kind: 'modal', user: userId });
  }

  private emit(change: FakeSlackChange): void {
    for (const listener of this.changeListeners) listener(change);
  }

  /** Forgets everything calls did and every scripted fault; keeps tokens, users and channels. */
  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.hangs.clear();
    this.sentEphemerals.length = 0;
    this.replyEphemerals.length = 0;
    for (const state of [
      this.modalStacks,
      this.channelMessages,
      this.storedViews,
      this.homeViewIds,
      this.uploadedFiles,
      this.responseUrls,
      this.triggers,
      this.faults,
      this.recentPosts,
    ]) {
      state.clear();
    }
  }

  // ---- test controls ---------------------------------------------------------------------

  /**
   * A trigger id that views.open accepts until triggerTtlMs has passed. Given the person whose
   * command or click made it, the modals it opens become theirs (see modalStack).
   */
  newTriggerId(userId?: string): string {
    const triggerId = randomTriggerId();
    this.triggers.set(triggerId, { createdAt: Date.now(), ...(userId === undefined ? {} : { userId }) });
    return triggerId;
  }

  /**
   * A response_url on this server; what the app POSTs there lands in `responses`, and shows to
   * the person as Slack shows it. Given the message it belongs to (a click in a message),
   * replace_original and delete_original act on that message.
   */
  responseUrl(channelId: string, userId: string, original?: ResponseUrlOriginal): string {
    const id = randomBytes(12).toString('hex');
    this.responseUrls.set(id, { channel_id: channelId, user_id: userId, uses: 0, ...(original === undefined ? {} : { original }) });
    return `${this.origin}/respond/${id}`;
  }

  failNext(method: string, fault: Fault): void {
    this.faults.set(method, { fault, remaining: fault.times ?? 1 });
  }

  /**
   * The next call to `method` never gets an answer, as when the caller's process dies mid-call.
   * `afterHandling` carries the call out first (a post then lands in the channel; its caller
   * never learns the ts); otherwise it is dropped unhandled. The connection stays open until stop().
   */
  hangNext(method: string, options: { afterHandling: boolean }): void {
    this.hangs.set(method, options);
  }

  // ---- HTTP ------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', this.origin);
      const body = await readBody(req);
      const [, area, id = ''] = url.pathname.split('/');
      if (area === 'api') return this.answerApiCall(req, url, body, id, res);
      if (area === 'upload' && req.method === 'POST') return await this.receiveUpload(req, body, id, res);
      if (area === 'respond' && req.method === 'POST') return this.receiveResponse(body, id, res);
      if (area === 'files' && req.method === 'GET') return this.serveFile(id, res);
      if (area === 'files-pri' && req.method === 'GET') return this.serveUserFile(req, id, res);
      if (this.otherPaths !== undefined) return await this.otherPaths(req, res, url, body);
      sendJson(res, refusal(404, 'not_found'));
    } catch (error) {
      sendJson(res, { status: 500, body: { ok: false, error: 'fake_slack_failure', detail: String(error) } });
    }
  }

  private answerApiCall(req: IncomingMessage, url: URL, body: Buffer, method: string, res: ServerResponse): void {
    const args = parseArgs(req.headers['content-type'], body, url.searchParams);
    const token = bearerToken(req.headers.authorization) ?? stringArg(args, 'token');
    delete args.token;
    const hang = this.hangs.get(method);
    if (hang) {
      this.hangs.delete(method);
      if (hang.afterHandling) this.invoke(method, args, token);
      this.calls.push({ method, args, ...(token === undefined ? {} : { token }), at: new Date(), status: 0, error: 'no_answer' });
      return;
    }
    const answer = this.scriptedFault(method) ?? this.invoke(method, args, token);
    const error = answer.body.ok === false ? String(answer.body.error) : undefined;
    this.calls.push({
      method,
      args,
      ...(token === undefined ? {} : { token }),
      at: new Date(),
      status: answer.status,
      ...(error === undefined ? {} : { error }),
    });
    sendJson(res, answer);
  }

  /**
   * OAuth: a code that oauth.v2.access exchanges for this workspace's bot token (the token is
   * added as if the workspace had installed the app).
   */
  addOAuthCode(
    code: string,
    install: { team_id: string; team_name?: string; token: string; bot_user_id: string; client_id: string; client_secret: string },
  ): void {
    this.oauthCodes.set(code, install);
  }

  private oauthV2Access(args: Record<string, unknown>): Answer {
    const install = this.oauthCodes.get(String(args.code ?? ''));
    if (!install) return refusal(200, 'invalid_code');
    if (args.client_id !== install.client_id || args.client_secret !== install.client_secret) return refusal(200, 'invalid_client_id');
    this.oauthCodes.delete(String(args.code));
    this.addToken(install.token, { team_id: install.team_id, bot_user_id: install.bot_user_id });
    return {
      status: 200,
      body: {
        ok: true,
        access_token: install.token,
        token_type: 'bot',
        scope: 'commands,chat:write,users:read',
        bot_user_id: install.bot_user_id,
        app_id: DEFAULT_APP_ID,
        team: { id: install.team_id, name: install.team_name ?? install.team_id },
        enterprise: null,
        is_enterprise_install: false,
        authed_user: { id: 'U0INSTALLER' },
      },
    };
  }

  private invoke(method: string, args: Record<string, unknown>, token: string | undefined): Answer {
    if (method === 'oauth.v2.access') return this.oauthV2Access(args);
    // api.test checks that the Web API answers; it needs no token and echoes its arguments.
    if (method === 'api.test') return { status: 200, body: { ok: true, args } };
    const handler = this.methods[method];
    if (handler === undefined) return refusal(200, 'unknown_method');
    if (token === undefined) return refusal(200, 'not_authed');
    const grant = this.tokens.get(token);
    if (grant === undefined) return refusal(200, 'invalid_auth');
    const throttled = method === 'chat.postMessage' ? this.throttlePost(args) : undefined;
    if (throttled !== undefined) return throttled;
    try {
      return { status: 200, body: handler({ args, grant }) };
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      return { status: 200, body: { ok: false, error: error.code, ...error.details } };
    }
  }

  private scriptedFault(method: string): Answer | undefined {
    const script = this.faults.get(method);
    if (script === undefined) return undefined;
    script.remaining -= 1;
    if (script.remaining <= 0) this.faults.delete(method);
    return faultAnswer(script.fault);
  }

  private throttlePost(args: Record<string, unknown>): Answer | undefined {
    const limit = this.options.postRateLimitPerChannelPerSecond;
    const channel = stringArg(args, 'channel');
    if (limit === undefined || channel === undefined) return undefined;
    const now = Date.now();
    const recent = (this.recentPosts.get(channel) ?? []).filter((at) => at > now - 1000);
    this.recentPosts.set(channel, recent);
    const oldest = recent[0];
    if (recent.length >= limit && oldest !== undefined) {
      return rateLimited(Math.max(1, Math.ceil((oldest + 1000 - now) / 1000)));
    }
    recent.push(now);
    return undefined;
  }

  private async receiveUpload(req: IncomingMessage, body: Buffer, fileId: string, res: ServerResponse): Promise<void> {
    const file = this.uploadedFiles.get(fileId);
    if (file === undefined) {
      sendText(res, 404, 'file_not_found');
      return;
    }
    file.bytes = await uploadedBytes(req.headers['content-type'], body);
    this.emit({ kind: 'file' });
    sendText(res, 200, `OK - ${file.bytes.length}`);
  }

  private receiveResponse(body: Buffer, id: string, res: ServerResponse): void {
    const target = this.responseUrls.get(id);
    if (target === undefined) {
      sendJson(res, refusal(404, 'expired_url'));
      return;
    }
    if (target.uses >= RESPONSE_URL_MAX_USES) {
      sendJson(res, refusal(404, 'used_url'));
      return;
    }
    const message = parseJsonObject(body.toString('utf8'));
    if (message === undefined) {
      sendJson(res, refusal(400, 'invalid_payload'));
      return;
    }
    const problem = responseProblem(message);
    if (problem !== undefined) {
      sendJson(res, refusal(400, problem));
      return;
    }
    target.uses += 1;
    this.responses.push({ id, channel_id: target.channel_id, user_id: target.user_id, body: message, at: new Date() });
    this.showResponse(target, message);
    sendJson(res, { status: 200, body: { ok: true } });
  }

  /** What a response_url post does in Slack: replace or delete the original, or a new reply. */
  private showResponse(target: ResponseUrlTarget, message: SlackBody): void {
    const { channel_id: channel, user_id: user, original } = target;
    if (original !== undefined && (message.delete_original === true || message.replace_original === true)) {
      const content =
        message.delete_original === true
          ? undefined
          : { text: stringOr(message.text, ''), blocks: Array.isArray(message.blocks) ? message.blocks : undefined };
      if (this.changeOriginal(channel, user, original, content)) return;
    }
    if (message.delete_original === true) return;
    this.showReply(channel, user, message, 'response_url');
  }

  /** Replaces (content) or deletes (no content) the message a response_url belongs to. */
  private changeOriginal(
    channel: string,
    user: string,
    original: ResponseUrlOriginal,
    content: { text: string; blocks: unknown[] | undefined } | undefined,
  ): boolean {
    if (!original.ephemeral) {
      const messages = this.channelMessages.get(channel) ?? [];
      const message = messages.find((candidate) => candidate.ts === original.ts);
      if (message === undefined) return false;
      if (content === undefined)
        this.channelMessages.set(
          channel,
          messages.filter((candidate) => candidate !== message),
        );
      else Object.assign(message, { text: content.text, blocks: content.blocks, edited: { user: message.user, ts: this.nextTs() } });
      this.emit({ kind: 'message', channel });
      return true;
    }
    const reply = this.replyEphemerals.find((candidate) => candidate.ts === original.ts && candidate.user === user);
    const posted = this.sentEphemerals.find((candidate) => candidate.message_ts === original.ts && candidate.user === user);
    if (reply === undefined && posted === undefined) return false;
    if (content === undefined) {
      if (reply) this.replyEphemerals.splice(this.replyEphemerals.indexOf(reply), 1);
      if (posted) this.sentEphemerals.splice(this.sentEphemerals.indexOf(posted), 1);
    } else if (reply) {
      Object.assign(reply, { text: content.text, blocks: content.blocks, edited: true });
    } else if (posted) {
      Object.assign(posted, { text: content.text, blocks: content.blocks });
    }
    this.emit({ kind: 'reply', channel, user });
    return true;
  }

  /** A reply to a person: in the channel for `response_type: in_channel`, else only to them. */
  private showReply(channel: string, user: string, message: SlackBody, source: ReplyEphemeral['source']): string {
    const text = stringOr(message.text, '');
    const blocks = Array.isArray(message.blocks) ? message.blocks : undefined;
    const teamId = this.channels.get(channel)?.team_id ?? this.users.get(user)?.team_id ?? '';
    const grant = this.grantOfTeam(teamId);
    if (message.response_type === 'in_channel' && grant !== undefined && this.channels.has(channel)) {
      const message: FakeMessage = { ...this.fromBot(grant), text, ...(blocks === undefined ? {} : { blocks }) };
      this.appendMessage(channel, message);
      return message.ts;
    }
    const reply: ReplyEphemeral = {
      channel,
      user,
      ts: this.nextTs(),
      source,
      text,
      ...(blocks === undefined ? {} : { blocks }),
      edited: false,
    };
    this.replyEphemerals.push(reply);
    this.emit({ kind: 'reply', channel, user });
    return reply.ts;
  }

  /** A person's file, for a bot token of its workspace; anyone else gets the sign-in page. */
  private serveUserFile(req: IncomingMessage, key: string, res: ServerResponse): void {
    const stored = this.userFiles.get(key);
    if (stored === undefined) {
      sendText(res, 404, 'file_not_found');
      return;
    }
    const token = bearerToken(req.headers.authorization);
    const grant = token === undefined ? undefined : this.tokens.get(token);
    if (grant === undefined || grant.team_id !== stored.file.user_team) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>Sign in | Slack</title></head><body>Sign in to your workspace</body></html>');
      return;
    }
    res.writeHead(200, { 'content-type': stored.file.mimetype, 'content-length': stored.bytes.length });
    res.end(stored.bytes);
  }

  /** The bytes of an uploaded file (a file's url_private), for the sandbox page to show. */
  private serveFile(fileId: string, res: ServerResponse): void {
    const file = this.uploadedFiles.get(fileId);
    if (file?.bytes === undefined) {
      sendText(res, 404, 'file_not_found');
      return;
    }
    res.writeHead(200, {
      'content-type': mimeTypeOf(file.filename),
      'content-length': file.bytes.length,
      'cache-control': 'private, max-age=3600',
    });
    res.end(file.bytes);
  }

  private describeMissingCall(method: string, timeoutMs: number): string {
    const seen = [...new Set(this.calls.map((call) => call.method))];
    const seenList = seen.length === 0 ? 'none' : seen.join(', ');
    return `FakeSlack: no matching ${method} call within ${timeoutMs} ms; methods called: ${seenList}`;
  }

  // ---- auth and users --------------------------------------------------------------------

  private authTest({ grant }: MethodCall): SlackBody {
    return {
      ok: true,
      url: `https://team-${grant.team_id.toLowerCase()}.slack.com/`,
      team: `Team ${grant.team_id}`,
      user: this.users.get(grant.bot_user_id)?.name ?? 'tally',
      team_id: grant.team_id,
      user_id: grant.bot_user_id,
      bot_id: botIdOf(grant),
      is_enterprise_install: false,
    };
  }

  private usersInfo({ args, grant }: MethodCall): SlackBody {
    return { ok: true, user: this.requireUser(requireString(args, 'user'), grant) };
  }

  private usersLookupByEmail({ args, grant }: MethodCall): SlackBody {
    const email = requireString(args, 'email').toLowerCase();
    const user = [...this.users.values()].find(
      (candidate) => candidate.team_id === grant.team_id && candidate.profile.email?.toLowerCase() === email,
    );
    if (user === undefined) throw new SlackApiError('users_not_found');
    return { ok: true, user };
  }

  private requireUser(userId: string, grant: TokenGrant): FakeUser {
    const user = this.users.get(userId);
    if (user === undefined || user.team_id !== grant.team_id) throw new SlackApiError('user_not_found');
    return user;
  }

  // ---- chat ------------------------------------------------------------------------------

  private chatPostMessage({ args, grant }: MethodCall): SlackBody {
    const channel = this.resolvePostTarget(requireString(args, 'channel'), grant);
    const message: FakeMessage = {
      ...this.fromBot(grant),
      ...messageContent(args),
      ...optionalString(args, 'thread_ts'),
    };
    this.appendMessage(channel.id, message);
    return { ok: true, channel: channel.id, ts: message.ts, message };
  }

  private chatPostEphemeral({ args, grant }: MethodCall): SlackBody {
    const channel = this.requireChannel(requireString(args, 'channel'), grant);
    const user = this.requireUser(requireString(args, 'user'), grant);
    const { text, blocks } = messageContent(args);
    const ephemeral: FakeEphemeral = {
      channel: channel.id,
      user: user.id,
      message_ts: this.nextTs(),
      text,
      ...(blocks === undefined ? {} : { blocks }),
      ...optionalString(args, 'thread_ts'),
    };
    this.sentEphemerals.push(ephemeral);
    this.emit({ kind: 'ephemeral', channel: channel.id, user: user.id });
    return { ok: true, message_ts: ephemeral.message_ts };
  }

  private chatUpdate({ args, grant }: MethodCall): SlackBody {
    const channel = this.requireChannel(requireString(args, 'channel'), grant);
    const message = this.requireMessage(channel.id, requireString(args, 'ts'));
    Object.assign(message, messageContent(args), { edited: { user: grant.bot_user_id, ts: this.nextTs() } });
    this.emit({ kind: 'message', channel: channel.id });
    return { ok: true, channel: channel.id, ts: message.ts, text: message.text, message };
  }

  private chatDelete({ args, grant }: MethodCall): SlackBody {
    const channel = this.requireChannel(requireString(args, 'channel'), grant);
    const message = this.requireMessage(channel.id, requireString(args, 'ts'));
    const remaining = this.messages(channel.id).filter((candidate) => candidate !== message);
    this.channelMessages.set(channel.id, remaining);
    this.emit({ kind: 'message', channel: channel.id });
    return { ok: true, channel: channel.id, ts: message.ts };
  }

  /** chat.postMessage accepts a user id as channel: the message goes to the DM with that user. */
  private resolvePostTarget(channelOrUser: string, grant: TokenGrant): FakeChannel {
    const user = this.users.get(channelOrUser);
    if (user !== undefined && user.team_id === grant.team_id) return this.openDirectMessage(user);
    return this.requireChannel(channelOrUser, grant);
  }

  private requireMessage(channelId: string, ts: string): FakeMessage {
    const message = this.channelMessages.get(channelId)?.find((candidate) => candidate.ts === ts);
    if (message === undefined) throw new SlackApiError('message_not_found');
    return message;
  }

  private appendMessage(channelId: string, message: FakeMessage): void {
    const messages = this.channelMessages.get(channelId) ?? [];
    messages.push(message);
    this.channelMessages.set(channelId, messages);
    this.emit({ kind: 'message', channel: channelId });
  }

  /** Unix seconds on the clock the fake was given (channel, file and message times follow it). */
  private clockSeconds(): number {
    return Math.floor((this.options.clock?.now().getTime() ?? Date.now()) / 1000);
  }

  /**
   * Message timestamps as Slack makes them: seconds.microseconds of the clock, unique. Slack's
   * only grow because time does; the sandbox clock can be set back (to real time after a
   * Monday ahead), and a ts then follows the clock again, stepping past any ts handed out.
   */
  private nextTs(): string {
    let micros = (this.options.clock?.now().getTime() ?? Date.now()) * 1000;
    // A clock that stands still (tests freeze theirs) or is a moment behind: follow on from the last ts.
    if (micros <= this.lastTsMicros && this.lastTsMicros - micros < 1_000_000) micros = this.lastTsMicros + 1;
    while (this.issuedTs.has(micros)) micros++;
    this.issuedTs.add(micros);
    this.lastTsMicros = micros;
    return formatTs(micros);
  }

  // ---- views -----------------------------------------------------------------------------

  /** views.open: a new modal, opened with a fresh trigger id. */
  private viewsOpen({ args, grant }: MethodCall): SlackBody {
    const trigger = this.checkTrigger(requireString(args, 'trigger_id'));
    const submitted = acceptableView(args.view);
    const view = this.storeView(newSlackId('V'), submitted, grant);
    if (trigger?.userId !== undefined) this.setModalStack(trigger.userId, [view.id]);
    return { ok: true, view };
  }

  /** views.push: a new modal on top of the person's open one (or a first one, as views.open). */
  private viewsPush({ args, grant }: MethodCall): SlackBody {
    const trigger = this.checkTrigger(requireString(args, 'trigger_id'));
    const submitted = acceptableView(args.view);
    const stack = trigger?.userId === undefined ? [] : (this.modalStacks.get(trigger.userId) ?? []);
    const below = this.storedViews.get(stack.at(-1) ?? '');
    const view = this.storeView(newSlackId('V'), submitted, grant, undefined, below);
    if (trigger?.userId !== undefined) this.setModalStack(trigger.userId, [...stack, view.id]);
    return { ok: true, view };
  }

  private viewsUpdate({ args, grant }: MethodCall): SlackBody {
    const current = this.findViewToUpdate(args, grant);
    const hash = stringArg(args, 'hash');
    if (hash !== undefined && hash !== current.hash) throw new SlackApiError('hash_conflict');
    const view = this.storeView(current.id, acceptableView(args.view), grant, current);
    for (const [userId, stack] of this.modalStacks) if (stack.includes(view.id)) this.emit({ kind: 'modal', user: userId });
    if ([...this.homeViewIds.values()].includes(view.id)) this.emit({ kind: 'home' });
    return { ok: true, view };
  }

  private viewsPublish({ args, grant }: MethodCall): SlackBody {
    const user = this.requireUser(requireString(args, 'user_id'), grant);
    const submitted = acceptableView(args.view);
    if (submitted.type !== 'home') throw invalidArguments('views.publish only takes views of type "home"');
    const current = this.homeView(user.id);
    const view = this.storeView(current?.id ?? newSlackId('V'), submitted, grant, current);
    this.homeViewIds.set(user.id, view.id);
    this.emit({ kind: 'home', user: user.id });
    return { ok: true, view };
  }

  private findViewToUpdate(args: Record<string, unknown>, grant: TokenGrant): FakeView {
    const viewId = stringArg(args, 'view_id');
    const externalId = stringArg(args, 'external_id');
    if (viewId === undefined && externalId === undefined) throw invalidArguments('view_id or external_id is required');
    const view = [...this.storedViews.values()].find(
      (candidate) =>
        candidate.team_id === grant.team_id && (viewId === undefined ? candidate.external_id === externalId : candidate.id === viewId),
    );
    if (view === undefined) throw new SlackApiError('not_found');
    return view;
  }

  private checkTrigger(triggerId: string): Trigger | undefined {
    const trigger = this.triggers.get(triggerId);
    if (!this.options.strictTriggers) return trigger;
    if (trigger === undefined) throw new SlackApiError('invalid_trigger_id');
    if (Date.now() - trigger.createdAt > this.options.triggerTtlMs) throw new SlackApiError('expired_trigger_id');
    return trigger;
  }

  /**
   * Stores a view under `id`; an updated view (`previous`) keeps its place in the stack it had,
   * a pushed one (`below`) goes on top of the view under it.
   */
  private storeView(id: string, submitted: SlackBody, grant: TokenGrant, previous?: FakeView, below?: FakeView): FakeView {
    const view: FakeView = {
      id,
      team_id: grant.team_id,
      type: String(submitted.type),
      callback_id: stringOr(submitted.callback_id, ''),
      private_metadata: stringOr(submitted.private_metadata, ''),
      external_id: stringOr(submitted.external_id, ''),
      hash: newViewHash(),
      ...(submitted.title === undefined ? {} : { title: submitted.title }),
      submit: submitted.submit ?? null,
      close: submitted.close ?? null,
      blocks: Array.isArray(submitted.blocks) ? submitted.blocks : [],
      state: { values: {} },
      clear_on_close: submitted.clear_on_close === true,
      notify_on_close: submitted.notify_on_close === true,
      root_view_id: previous?.root_view_id ?? below?.root_view_id ?? id,
      previous_view_id: previous?.previous_view_id ?? below?.id ?? null,
      app_id: grant.app_id ?? DEFAULT_APP_ID,
      app_installed_team_id: grant.team_id,
      bot_id: botIdOf(grant),
    };
    this.storedViews.set(id, view);
    return view;
  }

  // ---- conversations ---------------------------------------------------------------------

  private conversationsHistory({ args, grant }: MethodCall): SlackBody {
    const channel = this.requireChannel(requireString(args, 'channel'), grant);
    const limit = Number(args.limit ?? 100);
    const withMetadata = flagArg(args, 'include_all_metadata');
    const inWindow = historyWindow(args);
    const matching = this.messages(channel.id)
      .filter((message) => isTopLevel(message) && inWindow(message.ts))
      .reverse();
    const page = matching.slice(0, limit).map((message) => (withMetadata ? message : withoutMetadata(message)));
    return {
      ok: true,
      messages: page,
      has_more: matching.length > page.length,
      pin_count: 0,
      response_metadata: { next_cursor: '' },
    };
  }

  private conversationsInfo({ args, grant }: MethodCall): SlackBody {
    return { ok: true, channel: conversationInfo(this.requireChannel(requireString(args, 'channel'), grant)) };
  }

  private conversationsOpen({ args, grant }: MethodCall): SlackBody {
    const userIds = requireString(args, 'users')
      .split(',')
      .map((id) => id.trim());
    const [userId] = userIds;
    if (userIds.length !== 1 || userId === undefined) throw invalidArguments('FakeSlack opens DMs with one user only');
    const user = this.requireUser(userId, grant);
    const alreadyOpen = this.directMessages.has(directMessageKey(user));
    const channel = this.openDirectMessage(user);
    return { ok: true, no_op: alreadyOpen, already_open: alreadyOpen, channel: { id: channel.id } };
  }

  private conversationsMembers({ args, grant }: MethodCall): SlackBody {
    const channel = this.requireChannel(requireString(args, 'channel'), grant);
    return { ok: true, members: [...channel.members], response_metadata: { next_cursor: '' } };
  }

  private requireChannel(channelId: string, grant: TokenGrant): FakeChannel {
    const channel = this.channels.get(channelId);
    if (channel === undefined || channel.team_id !== grant.team_id) throw new SlackApiError('channel_not_found');
    return channel;
  }

  private openDirectMessage(user: FakeUser): FakeChannel {
    const key = directMessageKey(user);
    const existing = this.directMessages.get(key);
    if (existing !== undefined) return existing;
    const channel: FakeChannel = {
      id: newSlackId('D'),
      name: user.id,
      team_id: user.team_id,
      members: [user.id],
      is_private: true,
      is_im: true,
      user: user.id,
      created: this.clockSeconds(),
    };
    this.channels.set(channel.id, channel);
    this.directMessages.set(key, channel);
    return channel;
  }

  // ---- files -----------------------------------------------------------------------------

  private filesGetUploadUrlExternal({ args, grant }: MethodCall): SlackBody {
    const filename = requireString(args, 'filename');
    const file: FakeFile = {
      id: newSlackId('F'),
      team_id: grant.team_id,
      filename,
      length: Number(requireString(args, 'length')),
      title: filename,
      ...optionalString(args, 'alt_text'),
      completed: false,
    };
    this.uploadedFiles.set(file.id, file);
    return { ok: true, upload_url: `${this.origin}/upload/${file.id}`, file_id: file.id };
  }

  private filesCompleteUploadExternal({ args, grant }: MethodCall): SlackBody {
    if (!Array.isArray(args.files) || args.files.length === 0) {
      throw invalidArguments('files must be a non-empty array');
    }
    const channelId = stringArg(args, 'channel_id');
    const channel = channelId === undefined ? undefined : this.requireChannel(channelId, grant);
    const initialComment = stringArg(args, 'initial_comment');
    const completed = args.files.map((entry: unknown) => this.completeUpload(entry, grant, channel, initialComment));
    const infos = completed.map((file) => fileInfo(file, grant, this.origin, this.clockSeconds()));
    if (channel !== undefined) this.shareFiles(channel, infos, grant, args);
    return { ok: true, files: infos };
  }

  private completeUpload(
    entry: unknown,
    grant: TokenGrant,
    channel: FakeChannel | undefined,
    initialComment: string | undefined,
  ): FakeFile {
    const request = isObject(entry) ? entry : {};
    const file = this.uploadedFiles.get(String(request.id));
    if (file === undefined || file.team_id !== grant.team_id) throw new SlackApiError('file_not_found');
    if (file.bytes === undefined) throw invalidArguments(`file ${file.id} was never uploaded to its upload_url`);
    file.completed = true;
    if (typeof request.title === 'string') file.title = request.title;
    if (channel !== undefined) file.channel_id = channel.id;
    if (initialComment !== undefined) file.initial_comment = initialComment;
    return file;
  }

  /** What every message the app posts carries: a new ts and the bot's identity. */
  private fromBot(grant: TokenGrant): Omit<FakeMessage, 'text'> {
    return {
      type: 'message',
      ts: this.nextTs(),
      user: grant.bot_user_id,
      bot_id: botIdOf(grant),
      app_id: grant.app_id ?? DEFAULT_APP_ID,
      team: grant.team_id,
    };
  }

  /** Sharing files into a channel posts a message holding them, as Slack does. */
  private shareFiles(channel: FakeChannel, files: FileInfo[], grant: TokenGrant, args: Record<string, unknown>): void {
    this.appendMessage(channel.id, {
      ...this.fromBot(grant),
      text: stringArg(args, 'initial_comment') ?? '',
      files,
      ...optionalString(args, 'thread_ts'),
    });
  }
}

// ---- request parsing ---------------------------------------------------------------------

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Web API arguments from the query string and a JSON or form body (form fields may hold JSON). */
function parseArgs(contentType: string | undefined, body: Buffer, query: URLSearchParams): Record<string, unknown> {
  const args: Record<string, unknown> = Object.fromEntries(query);
  const text = body.toString('utf8');
  if (contentType?.startsWith('application/json')) return { ...args, ...parseJsonObject(text) };
  for (const [name, value] of new URLSearchParams(text)) {
    args[name] = JSON_ENCODED_ARGS.has(name) ? parseJsonOrKeep(value) : value;
  }
  return args;
}

/** The bytes of a file upload, sent raw or as the single file of a multipart form. */
async function uploadedBytes(contentType: string | undefined, body: Buffer): Promise<Buffer> {
  if (!contentType?.startsWith('multipart/form-data')) return body;
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return Buffer.alloc(0);
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}

function parseJsonObject(text: string): SlackBody | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function parseJsonOrKeep(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

// ---- arguments ---------------------------------------------------------------------------

function stringArg(args: Record<string, unknown>, name: string): string | undefined {
  const value = args[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function requireString(args: Record<string, unknown>, name: string): string {
  const value = stringArg(args, name);
  if (value === undefined || value === '') throw invalidArguments(`missing required field: ${name}`);
  return value;
}

function optionalString<Name extends string>(args: Record<string, unknown>, name: Name): { [Key in Name]?: string } {
  const value = stringArg(args, name);
  return (value === undefined ? {} : { [name]: value }) as { [Key in Name]?: string };
}

function flagArg(args: Record<string, unknown>, name: string): boolean {
  const value = stringArg(args, name);
  return value === 'true' || value === '1';
}

function invalidArguments(message: string): SlackApiError {
  return new SlackApiError('invalid_arguments', { response_metadata: { messages: [`[ERROR] ${message}`] } });
}

function invalidBlocks(problems: string[]): SlackApiError {
  return new SlackApiError('invalid_blocks', {
    errors: problems,
    response_metadata: { messages: problems.map((problem) => `[ERROR] ${problem}`) },
  });
}

// ---- messages and views ------------------------------------------------------------------

type MessageContent = Pick<FakeMessage, 'text' | 'blocks' | 'attachments' | 'metadata'>;

/** The text, blocks, attachments and metadata of a message, refused as Slack would refuse them. */
function messageContent(args: Record<string, unknown>): MessageContent {
  const text = stringArg(args, 'text') ?? '';
  const { blocks, attachments, metadata } = args;
  if (text === '' && blocks === undefined && attachments === undefined) throw new SlackApiError('no_text');
  if (text.length > MAX_MESSAGE_TEXT) throw new SlackApiError('msg_too_long');
  const problems = validateMessageBlocks(blocks);
  if (problems.length > 0) throw invalidBlocks(problems);
  return {
    text,
    ...(Array.isArray(blocks) ? { blocks } : {}),
    ...(Array.isArray(attachments) ? { attachments } : {}),
    ...(metadata === undefined ? {} : { metadata }),
  };
}

/** Why Slack would refuse a response_url message, or undefined when it is fine. */
function responseProblem(message: SlackBody): string | undefined {
  if (message.delete_original === true) return undefined;
  const text = typeof message.text === 'string' ? message.text : '';
  if (text === '' && message.blocks === undefined) return 'no_text';
  if (validateMessageBlocks(message.blocks).length > 0) return 'invalid_blocks';
  return undefined;
}

function acceptableView(view: unknown): SlackBody {
  if (!isObject(view)) throw invalidArguments('view must be a view object');
  const metadata = view.private_metadata;
  if (typeof metadata === 'string' && metadata.length > MAX_PRIVATE_METADATA) {
    throw invalidArguments(`private_metadata must be at most ${MAX_PRIVATE_METADATA} characters`);
  }
  const problems = validateView(view);
  if (problems.length > 0) throw invalidBlocks(problems);
  return view;
}

function isTopLevel(message: FakeMessage): boolean {
  return message.thread_ts === undefined || message.thread_ts === message.ts;
}

function withoutMetadata(message: FakeMessage): FakeMessage {
  const { metadata: _metadata, ...rest } = message;
  return rest;
}

/** The oldest/latest/inclusive filter of conversations.history. */
function historyWindow(args: Record<string, unknown>): (ts: string) => boolean {
  const oldest = tsToMicros(stringArg(args, 'oldest') ?? '0');
  const latestArg = stringArg(args, 'latest');
  const latest = latestArg === undefined ? Infinity : tsToMicros(latestArg);
  const inclusive = flagArg(args, 'inclusive');
  return (ts) => {
    const micros = tsToMicros(ts);
    return inclusive ? micros >= oldest && micros <= latest : micros > oldest && micros < latest;
  };
}

function conversationInfo(channel: FakeChannel): SlackBody {
  return {
    id: channel.id,
    ...(channel.is_im ? { user: channel.user } : { name: channel.name }),
    is_channel: !channel.is_im && !channel.is_private,
    is_group: false,
    is_im: channel.is_im,
    is_private: channel.is_private,
    is_archived: false,
    is_member: true,
    created: channel.created,
    context_team_id: channel.team_id,
    num_members: channel.members.length,
  };
}

function fileInfo(file: FakeFile, grant: TokenGrant, origin: string, created: number): FileInfo {
  return {
    id: file.id,
    name: file.filename,
    title: file.title,
    size: file.bytes?.length ?? file.length,
    user: grant.bot_user_id,
    created,
    mimetype: mimeTypeOf(file.filename),
    url_private: `${origin}/files/${file.id}/${encodeURIComponent(file.filename)}`,
  };
}

const MIME_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  pdf: 'application/pdf',
};

function mimeTypeOf(filename: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? '';
  return MIME_TYPES[extension] ?? 'application/octet-stream';
}

// ---- answers -----------------------------------------------------------------------------

function faultAnswer(fault: Fault): Answer {
  if (fault.status === 429) return rateLimited(fault.retryAfter ?? 1);
  const status = fault.status ?? (fault.error === undefined ? 500 : 200);
  return refusal(status, fault.error ?? 'fatal_error');
}

function rateLimited(retryAfterSeconds: number): Answer {
  return { ...refusal(429, 'ratelimited'), headers: { 'retry-after': String(retryAfterSeconds) } };
}

function refusal(status: number, error: string): Answer {
  return { status, body: { ok: false, error } };
}

function sendJson(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

// ---- ids, time and small helpers ---------------------------------------------------------

function newSlackId(prefix: string): string {
  return `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;
}

function newViewHash(): string {
  return `${nowSeconds()}.${randomBytes(4).toString('hex')}`;
}

function botIdOf(grant: TokenGrant): string {
  return grant.bot_id ?? `B${grant.bot_user_id.slice(1)}`;
}

function directMessageKey(user: FakeUser): string {
  return `${user.team_id}:${user.id}`;
}

function formatTs(micros: number): string {
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

function tsToMicros(ts: string): number {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return Number(seconds) * 1e6 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function timezoneOffsetSeconds(timeZone: string, at = new Date()): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (match === null) return 0;
  const [, sign, hours, minutes] = match;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 3600 + Number(minutes) * 60);
}

function timezoneLabel(timeZone: string): string {
  return (
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'long' })
      .formatToParts(new Date())
      .find((part) => part.type === 'timeZoneName')?.value ?? timeZone
  );
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function isObject(value: unknown): value is SlackBody {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
