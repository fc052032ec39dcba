// App Home is published when the person opens it, and refreshed after a change they made from
// it (a Home button, or a form a Home button opened): anywhere else, the page is built when they
// next open it. Slack limits views.publish (Tier 4: about 100 calls a minute per workspace), so
// a workspace gets a burst of refreshes and then a steady rate; a person's refresh waits its
// turn, one at a time, and every change made while it waits is shown by it (the last change
// always shows). Pages are published in the order they were built: a build that finishes after
// a newer page of the same person was published is dropped, so an older page never replaces a
// newer one. The refreshes waiting, the pages being built and the budgets pacing them: one
// HomeRefreshes per running Tally, made in src/tally.ts and handed down in deps (home.ts uses it).
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

/** A person's pages being built: the newest published, and the publish to wait for before the next. */
interface PersonPages {
  building: number;
  published: number;
  publishing: Promise<void>;
}

export class HomeRefreshes {
  /** Whose refresh is waiting or running (`teamId:userId`), and whether another must follow it. */
  readonly people = new Map<string, { started: boolean; again: boolean }>();
  /** Pages being built, across workspaces. */
  readonly builds: LimitFunction = pLimit(HOME_BUILDS_AT_ONCE);
  private readonly budgets = new Map<string, PublishBudget>();
  /** Numbers the builds in the order they start, across people. */
  private started = 0;
  /** People with a page being built or published (`teamId:userId`). */
  private readonly pages = new Map<string, PersonPages>();

  /** How many people have a page waiting to be built, being built or being published. */
  busyPeople(): number {
    return new Set([...this.people.keys(), ...this.pages.keys()]).size;
  }

  /**
   * Builds a person's page and publishes it, unless a page of theirs built after it was
   * published first. Publishes of one person go one after the other, so Slack gets them in
   * that order too. Resolves to whether this page was published.
   */
  async publishNewest<P>(key: string, build: () => Promise<P>, publish: (page: P) => Promise<unknown>): Promise<boolean> {
    const number = ++this.started;
    let person = this.pages.get(key);
    if (!person) {
      person = { building: 0, published: 0, publishing: Promise.resolve() };
      this.pages.set(key, person);
    }
    const pages = person;
    pages.building += 1;
    try {
      const page = await build();
      let published = false;
      const turn = pages.publishing.then(async () => {
        if (number < pages.published) return;
        await publish(page);
        pages.published = number;
        published = true;
      });
      // The next publish waits for this one, whether it succeeded or not.
      pages.publishing = turn.catch(() => {});
      await turn;
      return published;
    } finally {
      pages.building -= 1;
      // Numbers only grow: a person with nothing in flight needs no record.
      if (pages.building === 0) this.pages.delete(key);
    }
  }

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
