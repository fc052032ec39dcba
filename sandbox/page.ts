// The sandbox page's HTTP API, served by the Slack stand-in next to Slack's own paths: the
// workspace (people, channels, the app's commands), what a person sees (messages, modals, App
// Home), live updates (server-sent events), and what a person does (commands, clicks,
// submissions), each carried to the app by the AppConnection exactly as Slack would.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { dayjs } from '../src/domain/dayjs.js';
import type { RunningTally } from '../src/tally.js';
import { runDigestTick } from '../src/scheduler/digest-job.js';
import type { AppConnection } from '../slack-standin/app-connection.js';
import type { FakeSlack, FakeSlackChange, VisibleMessage } from '../slack-standin/fake-slack.js';
import type { ViewStateValues } from '../slack-standin/slack-signer.js';
import type { SandboxClock } from './clock.js';
import { CHANNELS, USERS, WORKSPACE } from './directory.js';
import type { AppManifest } from './manifest.js';
import type { WebBundle } from './web-bundle.js';

export interface PageDeps {
  slack: FakeSlack;
  tally: RunningTally;
  connection: AppConnection;
  clock: SandboxClock;
  manifest: AppManifest;
  web: WebBundle;
}

const userId = z.string().refine((id) => USERS.some((user) => user.id === id), 'not a sandbox user');
// Element states as the page reports them; their inner shape is Slack's (see shared/view-state.ts).
const values = z
  .record(z.string(), z.record(z.string(), z.object({ type: z.string() }).passthrough()))
  .transform((parsed) => parsed as ViewStateValues);
const action = z.object({ type: z.string(), action_id: z.string(), block_id: z.string() }).passthrough();
const bodies = {
  command: z.object({ user: userId, channel: z.string(), text: z.string().min(1).max(4000) }),
  action: z.object({
    user: userId,
    place: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('message'), channelId: z.string(), ts: z.string() }),
      z.object({ kind: z.literal('view'), viewId: z.string(), values: values.optional() }),
    ]),
    action,
  }),
  submit: z.object({ user: userId, viewId: z.string(), values }),
  close: z.object({ user: userId, viewId: z.string(), values: values.optional() }),
  homeOpened: z.object({ user: userId, tab: z.enum(['home', 'messages']) }),
  options: z.object({ user: userId, viewId: z.string().optional(), blockId: z.string(), actionId: z.string(), value: z.string() }),
  clock: z.object({
    local: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)
      .optional(),
    reset: z.boolean().optional(),
  }),
};

export function pageHandler(deps: PageDeps) {
  const { slack, connection, clock, manifest, web } = deps;
  const clockListeners = new Set<() => void>();

  const workspace = () => ({
    team: { id: WORKSPACE.teamId, name: WORKSPACE.name, domain: WORKSPACE.domain },
    timezone: WORKSPACE.timezone,
    currency: WORKSPACE.currency,
    app: {
      name: manifest.name,
      botName: manifest.botName,
      botUserId: WORKSPACE.botUserId,
      description: manifest.description,
      color: manifest.color,
      homeTabEnabled: manifest.homeTabEnabled,
      messagesTabEnabled: manifest.messagesTabEnabled,
      messagesTabReadOnly: manifest.messagesTabReadOnly,
    },
    commands: manifest.commands,
    users: USERS.map((user) => ({ ...user, dm: slack.directMessageWith(user.id).id })),
    channels: Object.values(CHANNELS).map((channel) => ({ ...channel, members: slack.channel(channel.id)?.members ?? [] })),
    clock: clockState(),
  });

  const clockState = () => ({ now: clock.now().toISOString(), shifted: clock.shifted, timezone: WORKSPACE.timezone });

  const conversation = (user: string, channel: string) =>
    slack.visibleMessages(channel, user).map((message: VisibleMessage) => ({
      ...message,
      ...(message.files ? { files: message.files.map((file) => ({ ...file, url_private: new URL(file.url_private).pathname })) } : {}),
    }));

  const routes: Record<string, (body: unknown, url: URL) => Promise<unknown> | unknown> = {
    'GET /sandbox/api/workspace': () => workspace(),
    'GET /sandbox/api/conversation': (_body, url) => ({
      messages: conversation(url.searchParams.get('user') ?? '', url.searchParams.get('channel') ?? ''),
    }),
    'GET /sandbox/api/surfaces': (_body, url) => {
      const user = url.searchParams.get('user') ?? '';
      return { modals: slack.modalStack(user), home: slack.homeView(user) ?? null };
    },
    'POST /sandbox/api/command': (body) => {
      const { user, channel, text } = bodies.command.parse(body);
      return connection.command(user, channel, text);
    },
    'POST /sandbox/api/action': (body) => {
      const { user, place, action: clicked } = bodies.action.parse(body);
      if (place.kind === 'view') return connection.act(user, { kind: 'view', viewId: place.viewId, values: place.values ?? {} }, clicked);
      const message = slack.visibleMessages(place.channelId, user).find((candidate) => candidate.ts === place.ts);
      if (message === undefined) return { ok: false, error: 'That message is gone.' };
      return connection.act(user, { kind: 'message', channelId: place.channelId, message }, clicked);
    },
    'POST /sandbox/api/submit': (body) => {
      const parsed = bodies.submit.parse(body);
      return connection.submitView(parsed.user, parsed.viewId, parsed.values);
    },
    'POST /sandbox/api/close': (body) => {
      const parsed = bodies.close.parse(body);
      return connection.closeView(parsed.user, parsed.viewId, parsed.values ?? {});
    },
    'POST /sandbox/api/home-opened': (body) => {
      const { user, tab } = bodies.homeOpened.parse(body);
      return connection.openAppHome(user, tab);
    },
    'POST /sandbox/api/options': (body) => {
      const parsed = bodies.options.parse(body);
      return connection.loadOptions(parsed.user, parsed.viewId, parsed.blockId, parsed.actionId, parsed.value);
    },
    'POST /sandbox/api/clock': (body) => {
      const parsed = bodies.clock.parse(body);
      if (parsed.reset || parsed.local === undefined) clock.set(null);
      else clock.set(dayjs.tz(parsed.local, WORKSPACE.timezone).toDate());
      for (const listener of clockListeners) listener();
      return clockState();
    },
    'POST /sandbox/api/digest-tick': async () => {
      const at = clock.now();
      const counts = await runDigestTick(deps.tally.deps, at);
      return { ok: true, at: at.toISOString(), ...counts };
    },
  };

  return async (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> => {
    const path = url.pathname;
    if (req.method === 'GET' && (path === '/' || path === '/index.html')) return send(res, 200, 'text/html; charset=utf-8', web.html);
    if (req.method === 'GET' && path === '/sandbox/app.js') return send(res, 200, 'text/javascript; charset=utf-8', web.js);
    if (req.method === 'GET' && path === '/sandbox/app.css') return send(res, 200, 'text/css; charset=utf-8', web.css);
    if (req.method === 'GET' && path === '/sandbox/api/events') return streamChanges(req, res, slack, clockListeners);
    const route = routes[`${req.method} ${path}`];
    if (route === undefined) return send(res, 404, 'text/plain; charset=utf-8', 'Not found');
    try {
      const input = body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as unknown);
      sendJson(res, 200, await route(input, url));
    } catch (error) {
      const status = error instanceof z.ZodError || error instanceof SyntaxError ? 400 : 500;
      sendJson(res, status, { ok: false, error: error instanceof z.ZodError ? z.prettifyError(error) : String(error) });
    }
  };
}

/** Server-sent events: one `change` per change of the stand-in's state or of the clock. */
function streamChanges(req: IncomingMessage, res: ServerResponse, slack: FakeSlack, clockListeners: Set<() => void>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write('retry: 1000\n\n');
  const write = (change: FakeSlackChange | { kind: 'clock' }) => res.write(`data: ${JSON.stringify(change)}\n\n`);
  const stop = slack.onChange(write);
  const onClock = () => write({ kind: 'clock' });
  clockListeners.add(onClock);
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 20_000);
  req.on('close', () => {
    stop();
    clockListeners.delete(onClock);
    clearInterval(keepAlive);
  });
}

function send(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(
    res,
    status,
    'application/json; charset=utf-8',
    JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? String(item) : item)),
  );
}
