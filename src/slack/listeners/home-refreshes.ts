// App Home is refreshed after a change. Slack limits views.publish (Tier 4: about 100 calls a
// minute per workspace), so a workspace gets a burst of refreshes and then a steady rate; a
// person's refresh waits its turn, one at a time, and every change made while it waits is shown
// by it (the last change always shows). Busy workspaces do not rebuild each page on each sale.
// The refreshes waiting and the budgets pacing them: one HomeRefreshes per running Tally, made
// in src/tally.ts and handed down in deps (refreshHomeInBackground in home.ts uses it).
import pLimit, { type LimitFunction } from 'p-limit';

const HOME_PUBLISH_BURST = 100;
const HOME_PUBLISHES_PER_SECOND = 100 / 60;
/**
 * Pages built at once, across workspaces: a burst of refreshes (a busy minute at month end)
 * queues rather than building a hundred pages side by side, which would hold their memory
 * together and take the CPU from the requests people are waiting on.
 */
const HOME_BUILDS_AT_ONCE = 2;

/** A token bucket: take() resolves when a call may go, in the order asked. */
export class PublishBudget {
  private tokens = HOME_PUBLISH_BURST;
  // Elapsed time, not the time of day: the monotonic clock.
  private last = performance.now();
  private readonly waiting: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  take(): Promise<void> {
    this.refill();
    if (this.tokens >= 1 && this.waiting.length === 0) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(HOME_PUBLISH_BURST, this.tokens + ((now - this.last) / 1000) * HOME_PUBLISHES_PER_SECOND);
    this.last = now;
  }

  private schedule(): void {
    if (this.timer) return;
    const waitMs = Math.max(0, ((1 - this.tokens) / HOME_PUBLISHES_PER_SECOND) * 1000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refill();
      while (this.tokens >= 1 && this.waiting.length > 0) {
        this.tokens -= 1;
        this.waiting.shift()!();
      }
      if (this.waiting.length > 0) this.schedule();
    }, waitMs);
    // Refreshes still waiting when the process stops are dropped: the page refreshes when opened.
    this.timer.unref();
  }
}

export class HomeRefreshes {
  /** Whose refresh is waiting or running (`teamId:userId`), and whether another must follow it. */
  readonly people = new Map<string, { started: boolean; again: boolean }>();
  /** Pages being built, across workspaces. */
  readonly builds: LimitFunction = pLimit(HOME_BUILDS_AT_ONCE);
  private readonly budgets = new Map<string, PublishBudget>();

  /** The workspace's views.publish budget. */
  budget(teamId: string): PublishBudget {
    let budget = this.budgets.get(teamId);
    if (!budget) {
      budget = new PublishBudget();
      this.budgets.set(teamId, budget);
    }
    return budget;
  }
}
