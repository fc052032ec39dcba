// Posting a message that must appear exactly once (docs/rules.md#digests). A 429 means Slack did not take
// the post: wait Retry-After and send it again. A lost answer (timeout, network error, 5xx)
// may hide a post that landed, so before sending again we look for it in the channel.
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, type ChatPostMessageArguments, type WebClient } from '@slack/web-api';
import pRetry, { AbortError } from 'p-retry';

export interface PostOnceOptions {
  /** Finds the message if an earlier try landed (by its metadata); undefined when it did not. */
  findPosted: () => Promise<string | undefined>;
  /** Tries after a lost answer (default 5, with backoff from 1 s). */
  retries?: number;
  /** Most 429 waits before giving up (default 20). */
  maxRateLimitWaits?: number;
  /** Give up rather than wait past this instant (the end of the caller's claim). */
  deadline?: Date;
  minBackoffMs?: number;
}

export async function postOnce(poster: WebClient, message: ChatPostMessageArguments, options: PostOnceOptions): Promise<string> {
  let uncertain = false;
  return pRetry(
    async () => {
      if (uncertain) {
        const landed = await options.findPosted();
        if (landed) return landed;
      }
      try {
        return await waitOutRateLimits(
          async () => (await poster.chat.postMessage(message)).ts ?? '',
          options.maxRateLimitWaits ?? 20,
          options.deadline,
        );
      } catch (error) {
        // Slack answered (ok: false): retrying will not change its mind.
        if ((error as { code?: string }).code === ErrorCode.PlatformError) throw new AbortError(error as Error);
        uncertain = true;
        throw error;
      }
    },
    { retries: options.retries ?? 5, factor: 2, minTimeout: options.minBackoffMs ?? 1_000, maxTimeout: 16_000 },
  );
}

/** Runs `call` again after each 429 once its Retry-After has passed (unless that is past `deadline`). */
export async function waitOutRateLimits<T>(call: () => Promise<T>, maxWaits: number, deadline?: Date): Promise<T> {
  for (let waits = 0; ; waits++) {
    try {
      return await call();
    } catch (error) {
      const limited = error as { code?: string; retryAfter?: number };
      const waitMs = (limited.retryAfter ?? 1) * 1000;
      const tooLate = deadline !== undefined && Date.now() + waitMs > deadline.getTime();
      if (limited.code !== ErrorCode.RateLimitedError || waits >= maxWaits || tooLate) throw error;
      await sleep(waitMs);
    }
  }
}
