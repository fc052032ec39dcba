// Whether Slack's Web API answers, checked in the background so Tally serves without it: a
// deployed bot whose Slack is briefly out of reach keeps running and says so once, instead of
// crash-looping. With a single bot token the check is auth.test, so a token Slack refuses
// (invalid_auth, token_revoked…) still stops Tally; with OAuth there is no one token to check,
// and api.test tells whether the Web API answers at all.
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, LogLevel, WebClient, type Logger as WebLogger } from '@slack/web-api';
import pRetry, { AbortError } from 'p-retry';
import type { Logger } from '../logger.js';

export type SlackReachability = 'checking' | 'ok' | 'unreachable';

/** Slack answers that mean the token is no good: retrying will not change them. */
const REFUSALS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

const HOW_TO_FIX = {
  SLACK_BOT_TOKEN:
    "copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page again, or reinstall the app to the workspace",
  SLACK_APP_TOKEN:
    "create an app-level token (xapp-…) with the connections:write scope under the app's Basic Information, and switch Socket Mode on",
};

/** Slack refused a token: Tally cannot work until someone gives it a good one. */
export class SlackRefusedError extends Error {
  override name = 'SlackRefusedError';
  constructor(
    readonly code: string,
    variable: keyof typeof HOW_TO_FIX = 'SLACK_BOT_TOKEN',
  ) {
    super(`Slack refused ${variable} (${code}): ${HOW_TO_FIX[variable]}`);
  }
}

export interface SlackConnectionOptions {
  apiUrl: string;
  /** The single-workspace bot token (checked with auth.test); undefined with OAuth (api.test). */
  botToken: string | undefined;
  logger: Logger;
  /** Backoff between tries while Slack does not answer (default 1 s doubling to 60 s). */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** One try gives up after this long (default 5 s). */
  timeoutMs?: number;
  /** Once reached, Slack is checked again this often (default 60 s). */
  recheckMs?: number;
}

/** The bot's own ids, as auth.test tells them (unknown until Slack has answered). */
export interface BotIdentity {
  botUserId?: string;
  botId?: string;
}

export class SlackConnection {
  private state: SlackReachability = 'checking';
  private bot: BotIdentity = {};
  private refusal: SlackRefusedError | undefined;
  private readonly stopping = new AbortController();
  private readonly client: WebClient;
  private answered!: () => void;
  /** Settles when the first try has an outcome: reached, unreachable or refused. */
  private readonly firstOutcome = new Promise<void>((resolve) => (this.answered = resolve));
  private onRefused!: (refusal: SlackRefusedError) => void;
  /** Resolves if Slack refuses the token, at start or later (a token revoked while running). */
  readonly refused = new Promise<SlackRefusedError>((resolve) => (this.onRefused = resolve));

  constructor(private readonly options: SlackConnectionOptions) {
    // One try per call, no retries of its own, and no log lines: this class says what matters once.
    this.client = new WebClient(options.botToken, {
      slackApiUrl: options.apiUrl,
      timeout: options.timeoutMs ?? 5_000,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: silentLogger,
    });
  }

  /** Starts checking in the background; returns at once. */
  start(): this {
    void this.run();
    return this;
  }

  stop(): void {
    this.stopping.abort();
    this.answered();
  }

  get status(): SlackReachability {
    return this.state;
  }

  get identity(): BotIdentity {
    return this.bot;
  }

  /** The refusal, once Slack has refused the token. */
  get refusedWith(): SlackRefusedError | undefined {
    return this.refusal;
  }

  /** Waits for the first try's outcome, at most `ms`. */
  async firstAnswer(ms: number): Promise<void> {
    const done = new AbortController();
    const timer = sleep(ms, undefined, { signal: AbortSignal.any([done.signal, this.stopping.signal]) }).catch(() => undefined);
    await Promise.race([this.firstOutcome, timer]);
    done.abort();
  }

  /**
   * Socket Mode: keeps trying to open the WebSocket (`connect`, e.g. apps.connections.open) with
   * the same backoff while Slack does not answer; `firstTry` is the connection already under way.
   * A refused app-level token resolves `refused`, as a refused bot token does.
   */
  connectSocketMode(firstTry: Promise<unknown>, connect: () => Promise<unknown>): void {
    const { signal } = this.stopping;
    // Its failure is handled by the first attempt below.
    firstTry.catch(() => undefined);
    let next: Promise<unknown> | undefined = firstTry;
    let failed = false;
    const attempt = async () => {
      const pending = next ?? connect();
      next = undefined;
      try {
        await pending;
      } catch (error) {
        const code = refusalCode(error);
        if (code) throw new AbortError(new SlackRefusedError(code, 'SLACK_APP_TOKEN'));
        throw error;
      }
    };
    pRetry(attempt, {
      retries: Infinity,
      factor: 2,
      minTimeout: this.options.minDelayMs ?? 1_000,
      maxTimeout: this.options.maxDelayMs ?? 60_000,
      signal,
      onFailedAttempt: ({ error, attemptNumber }) => {
        if (!failed)
          this.options.logger.warn(
            `Socket Mode could not connect to Slack at ${this.options.apiUrl} (${whySlackFailed(error)}): Tally tries again every ${this.every()}`,
          );
        else this.options.logger.debug({ attempt: attemptNumber, reason: whySlackFailed(error) }, 'Socket Mode still not connected');
        failed = true;
      },
    }).then(
      () => {
        if (failed) this.options.logger.info('Socket Mode connected');
      },
      (error: unknown) => {
        if (!(error instanceof SlackRefusedError)) return; // stopped
        this.refusal = error;
        this.answered();
        this.onRefused(error);
      },
    );
  }

  private every(): string {
    return `${seconds(this.options.minDelayMs ?? 1_000)} to ${seconds(this.options.maxDelayMs ?? 60_000)}`;
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    const minTimeout = this.options.minDelayMs ?? 1_000;
    const maxTimeout = this.options.maxDelayMs ?? 60_000;
    while (!signal.aborted) {
      try {
        await pRetry(() => this.check(), {
          retries: Infinity,
          factor: 2,
          minTimeout,
          maxTimeout,
          signal,
          onFailedAttempt: ({ error, attemptNumber }) => this.unreachable(error, attemptNumber),
        });
      } catch (error) {
        if (error instanceof SlackRefusedError) {
          this.refusal = error;
          this.answered();
          this.onRefused(error);
        }
        return; // refused, or stopped
      }
      await sleep(this.options.recheckMs ?? 60_000, undefined, { signal }).catch(() => undefined);
    }
  }

  private async check(): Promise<void> {
    try {
      if (this.options.botToken) {
        const answer = await this.client.auth.test();
        this.bot = { ...(answer.user_id ? { botUserId: answer.user_id } : {}), ...(answer.bot_id ? { botId: answer.bot_id } : {}) };
      } else {
        await this.client.api.test();
      }
    } catch (error) {
      const code = refusalCode(error);
      if (code && this.options.botToken) throw new AbortError(new SlackRefusedError(code));
      throw error;
    }
    if (this.state === 'unreachable') this.options.logger.info(`Slack is reachable again at ${this.options.apiUrl}`);
    this.state = 'ok';
    this.answered();
  }

  private unreachable(error: unknown, attempt: number): void {
    const reason = whySlackFailed(error);
    if (this.state !== 'unreachable') {
      // One line, whatever happens next: tries that fail the same way are logged at debug only.
      this.options.logger.warn(
        `Slack is unreachable at ${this.options.apiUrl} (${reason}): Tally keeps serving what it can without Slack and tries again every ${this.every()}`,
      );
    } else {
      this.options.logger.debug({ attempt, reason }, 'Slack still unreachable');
    }
    this.state = 'unreachable';
    this.answered();
  }
}

/** The Slack error of a refused token (`invalid_auth`…), or undefined for any other failure. */
function refusalCode(error: unknown): string | undefined {
  const failure = error as { code?: string; data?: { error?: string } };
  const code = failure.code === ErrorCode.PlatformError ? failure.data?.error : undefined;
  return code !== undefined && REFUSALS.has(code) ? code : undefined;
}

/** Why a Web API call got no usable answer, in a few words: `getaddrinfo ENOTFOUND slack.com`, `HTTP 503`. */
export function whySlackFailed(error: unknown): string {
  const failure = error as {
    code?: string;
    original?: Error & { cause?: { message?: string; code?: string } };
    statusCode?: number;
    data?: { error?: string };
  };
  switch (failure.code) {
    case ErrorCode.RequestError: {
      const original = failure.original;
      if (original?.name === 'TimeoutError' || original?.name === 'AbortError') return 'no answer in time';
      return original?.cause?.message || original?.cause?.code || original?.message || 'request failed';
    }
    case ErrorCode.HTTPError:
      return `HTTP ${failure.statusCode}`;
    case ErrorCode.RateLimitedError:
      return 'rate limited';
    case ErrorCode.PlatformError:
      return failure.data?.error ?? 'error';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

const silentLogger: WebLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};
