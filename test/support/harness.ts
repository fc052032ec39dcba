// Starts a whole Tally for an end-to-end test: the real app (Bolt HTTP receiver, real
// database) pointed at a FakeSlack, with a seeded workspace, and helpers that send
// requests signed exactly as Slack signs them.
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger.js';
import { runDigestTick, type DigestJobDeps } from '../../src/scheduler/digest-job.js';
import { startTally, type RunningTally } from '../../src/tally.js';
import { FakeSlack, type FakeSlackOptions } from '../../slack-standin/fake-slack.js';
import {
  blockActionsPayload,
  eventBody,
  interactionBody,
  postToSlackApp,
  slashCommandBody,
  viewSubmissionPayload,
  type AppResponse,
  type OpenedView,
  type PostOptions,
  type ViewStateValues,
} from '../../slack-standin/slack-signer.js';
import { SlackApiGate } from './slack-api-gate.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const SIGNING_SECRET = 'test-signing-secret-8f2c1e';
export const TEAM = 'T0ACME';
export const BOT_TOKEN = 'xoxb-test-acme';
export const CHANNEL = 'C0SALES';

export interface TestUser {
  id: string;
  team: string;
  name: string;
}

export const users = {
  admin: { id: 'U0ADMIN', team: TEAM, name: 'ada' },
  manager: { id: 'U0MANAGER', team: TEAM, name: 'max' },
  rep: { id: 'U0REP1', team: TEAM, name: 'rita' },
  rep2: { id: 'U0REP2', team: TEAM, name: 'raj' },
} satisfies Record<string, TestUser>;

/** The clock every test runs on unless it moves it: a Thursday afternoon in New York. */
export const DEFAULT_NOW = new Date('2026-11-26T20:00:00Z');

export interface HarnessOptions {
  env?: Record<string, string>;
  slack?: FakeSlackOptions;
  now?: Date;
  /** Web API calls go through a SlackApiGate (harness.gate), so a test can hold one in flight. */
  gate?: boolean;
}

export class Harness {
  now: Date;
  private constructor(
    readonly slack: FakeSlack,
    readonly tally: RunningTally,
    readonly database: TestDatabase,
    readonly logs: string[],
    now: Date,
    readonly gate: SlackApiGate | undefined,
  ) {
    this.now = now;
  }

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    // One clock for the app, the times it writes to the database and the fake Slack's messages.
    const startedAt = options.now ?? DEFAULT_NOW;
    let harness: Harness | undefined;
    const clock = { now: () => harness?.now ?? startedAt };
    const slack = await FakeSlack.start({ clock, ...options.slack });
    seedWorkspace(slack);
    const gate = options.gate ? await SlackApiGate.start(slack.url) : undefined;
    const database = await createTestDatabase();
    const logs: string[] = [];
    const logger = createLogger(
      'debug',
      new Writable({
        write: (chunk, _enc, done) => {
          logs.push(String(chunk));
          done();
        },
      }),
    );
    const tally = await startTally(
      {
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: gate?.url ?? slack.url,
        PORT: '0',
        DEFAULT_TIMEZONE: 'America/New_York',
        ...database.env,
        ...options.env,
      },
      // Tests run scheduler ticks by hand, at the instants they choose.
      { clock, logger, scheduler: false },
    );
    harness = new Harness(slack, tally, database, logs, startedAt, gate);
    return harness;
  }

  /** Runs one digest scheduler tick as if the clock read `at`. */
  digestTick(at: Date, options: Partial<DigestJobDeps> = {}) {
    return runDigestTick({ ...this.tally.deps, ...options }, at);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.tally.port}`;
  }

  get db() {
    return this.tally.deps.db;
  }

  async stop(): Promise<void> {
    await this.tally.stop();
    await this.gate?.stop();
    await this.slack.stop();
    await this.database.drop();
  }

  /** Sends a slash command as Slack does; the trigger id is one the fake accepts. */
  command(
    user: TestUser,
    command: string,
    text: string,
    extra: { channel?: string; triggerId?: string; post?: PostOptions } = {},
  ): Promise<AppResponse> {
    const channel = extra.channel ?? CHANNEL;
    const body = slashCommandBody({
      command,
      text,
      team_id: user.team,
      user_id: user.id,
      user_name: user.name,
      channel_id: channel,
      trigger_id: extra.triggerId ?? this.slack.newTriggerId(),
      response_url: this.slack.responseUrl(channel, user.id),
    });
    return this.post(body, 'application/x-www-form-urlencoded', extra.post);
  }

  /** Submits a modal the fake recorded from views.open, with the given field values. */
  submitView(user: TestUser, view: OpenedView, values: ViewStateValues): Promise<AppResponse> {
    return this.post(
      interactionBody(viewSubmissionPayload({ team_id: user.team, user_id: user.id, view, values })),
      'application/x-www-form-urlencoded',
    );
  }

  /** Clicks a button in an ephemeral message; replies go to a response_url on the fake. */
  clickButton(user: TestUser, actionId: string, value: string, channel = CHANNEL): Promise<AppResponse> {
    const payload = blockActionsPayload({
      team_id: user.team,
      user_id: user.id,
      channel_id: channel,
      response_url: this.slack.responseUrl(channel, user.id),
      actions: [{ type: 'button', action_id: actionId, block_id: 'sale', value }],
    });
    return this.post(interactionBody(payload), 'application/x-www-form-urlencoded');
  }

  /** Opens the App Home tab: Slack sends an app_home_opened event. */
  openHome(user: TestUser): Promise<AppResponse> {
    const body = eventBody({
      team_id: user.team,
      event: { type: 'app_home_opened', user: user.id, channel: `D${user.id}`, tab: 'home', event_ts: `${this.now.getTime() / 1000}` },
    });
    return this.post(body, 'application/json');
  }

  /** Chooses an option of an overflow menu (e.g. Edit / Void of a sale) in App Home. */
  chooseInHome(user: TestUser, actionId: string, value: string): Promise<AppResponse> {
    const home = this.slack.homeView(user.id);
    const payload = blockActionsPayload({
      team_id: user.team,
      user_id: user.id,
      trigger_id: this.slack.newTriggerId(),
      actions: [{ type: 'button', action_id: actionId, block_id: 'home', value }],
      ...(home ? { view: home as never } : {}),
    });
    // An overflow menu sends the chosen option instead of a button's value.
    const action = payload.actions[0] as Record<string, unknown>;
    Object.assign(action, { type: 'overflow', selected_option: { text: { type: 'plain_text', text: value }, value } });
    delete action.value;
    return this.post(interactionBody(payload), 'application/x-www-form-urlencoded');
  }

  /** Clicks a button in App Home. */
  clickInHome(user: TestUser, actionId: string, value: string): Promise<AppResponse> {
    const home = this.slack.homeView(user.id);
    const payload = blockActionsPayload({
      team_id: user.team,
      user_id: user.id,
      trigger_id: this.slack.newTriggerId(),
      actions: [{ type: 'button', action_id: actionId, block_id: 'home_actions', value }],
      ...(home ? { view: home as never } : {}),
    });
    return this.post(interactionBody(payload), 'application/x-www-form-urlencoded');
  }

  post(body: string, contentType: 'application/x-www-form-urlencoded' | 'application/json', options?: PostOptions): Promise<AppResponse> {
    return postToSlackApp(`${this.baseUrl}/slack/events`, SIGNING_SECRET, body, contentType, options);
  }

  /** The replies posted to response URLs for this user, newest last. */
  responsesTo(user: TestUser) {
    return this.slack.responses.filter((r) => r.user_id === user.id);
  }
}

export function seedWorkspace(slack: FakeSlack, team = TEAM, token = BOT_TOKEN): void {
  slack.addToken(token, { team_id: team, bot_user_id: 'U0TALLYBOT' });
  slack.addUser({ id: users.admin.id, team_id: team, name: users.admin.name, is_admin: true, tz: 'America/New_York' });
  slack.addUser({ id: users.manager.id, team_id: team, name: users.manager.name, tz: 'America/New_York' });
  slack.addUser({ id: users.rep.id, team_id: team, name: users.rep.name, tz: 'America/Chicago' });
  slack.addUser({ id: users.rep2.id, team_id: team, name: users.rep2.name, tz: 'Europe/Berlin' });
  slack.addChannel({ id: CHANNEL, name: 'sales', team_id: team, members: Object.values(users).map((u) => u.id) });
}

/** Text of a reply: its fallback text and every text in its blocks. */
export function replyText(reply: unknown): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') texts.push(value);
        else walk(value);
      }
    }
  };
  walk(reply);
  return texts.join('\n');
}

/** Polls `find` until it returns something (every 20 ms, real time), or fails after `timeoutMs`. */
export async function waitFor<T>(find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
