// Shared by the App Home event, its buttons and the modals they open: publishing a person's
// home view, and opening the Set target modal.
import type { WebClient } from '@slack/web-api';
import pLimit, { type LimitFunction } from 'p-limit';
import { localDate } from '../../domain/periods.js';
import { homeData } from '../../services/home.js';
import { currentTarget, targetFormChoices } from '../../services/targets.js';
import { resolveActor, type Actor } from '../../services/actor.js';
import { homeView } from '../views/home.js';
import { targetInfoText, targetModal } from '../views/target-modal.js';
import type { ListenerDeps } from '../deps.js';
import { subjectLabel } from './target-subject.js';

export async function publishHome(deps: ListenerDeps, client: WebClient, actor: Actor): Promise<void> {
  const data = await homeData(deps, actor);
  await client.views.publish({ user_id: actor.userId, view: homeView(data) });
}

// App Home is refreshed after a change. Slack limits views.publish (Tier 4: about 100 calls a
// minute per workspace), so a workspace gets a burst of refreshes and then a steady rate; a
// person's refresh waits its turn, one at a time, and every change made while it waits is shown
// by it (the last change always shows). Busy workspaces do not rebuild each page on each sale.
const HOME_PUBLISH_BURST = 100;
const HOME_PUBLISHES_PER_SECOND = 100 / 60;
/**
 * Pages built at once, across workspaces: a burst of refreshes (a busy minute at month end)
 * queues rather than building a hundred pages side by side, which would hold their memory
 * together and take the CPU from the requests people are waiting on.
 */
const HOME_BUILDS_AT_ONCE = 2;

/** A token bucket: take() resolves when a call may go, in the order asked. */
class PublishBudget {
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

interface HomeRefreshes {
  people: Map<string, { started: boolean; again: boolean }>;
  budgets: Map<string, PublishBudget>;
  builds: LimitFunction;
}
const homeRefreshes = new WeakMap<object, HomeRefreshes>();

/** Refreshes a person's App Home after they changed something, without holding up the reply. */
export function refreshHomeInBackground(deps: ListenerDeps, client: WebClient, teamId: string, userId: string): void {
  let refreshes = homeRefreshes.get(deps.db);
  if (!refreshes) {
    refreshes = { people: new Map(), budgets: new Map(), builds: pLimit(HOME_BUILDS_AT_ONCE) };
    homeRefreshes.set(deps.db, refreshes);
  }
  const { people, budgets, builds } = refreshes;
  const key = `${teamId}:${userId}`;
  const pending = people.get(key);
  if (pending) {
    // Not started yet: it will show this change too. Started: one more refresh after it.
    if (pending.started) pending.again = true;
    return;
  }
  let budget = budgets.get(teamId);
  if (!budget) {
    budget = new PublishBudget();
    budgets.set(teamId, budget);
  }
  const person = { started: false, again: false };
  people.set(key, person);
  const run = (): void => {
    budget
      .take()
      .then(() =>
        builds(() => {
          person.started = true;
          // Built as things are when it runs, not as they were when the change was asked for.
          return publishHome(deps, client, resolveActor(deps, client, teamId, userId));
        }),
      )
      .catch((error: unknown) => deps.logger.warn({ err: error, teamId, userId }, 'App Home not refreshed'))
      .finally(() => {
        if (!person.again) {
          people.delete(key);
          return;
        }
        person.started = false;
        person.again = false;
        run();
      });
  };
  run();
}

export interface OpenTargetModalRequest {
  triggerId: string;
  channelId: string | null;
  repId: string | null;
}

/** Builds the Set target modal (current value of the preselected rep) and opens it. */
export async function openTargetModal(deps: ListenerDeps, client: WebClient, actor: Actor, request: OpenTargetModalRequest, beforeOpen: () => Promise<void> = async () => {}): Promise<void> {
  const workspace = await actor.workspace();
  const selection = { subjectType: 'rep' as const, subjectId: request.repId, metric: 'revenue' as const, periodKind: 'month' as const };
  const [choices, current] = await Promise.all([targetFormChoices(deps, actor.teamId), currentTarget(deps, workspace, selection)]);
  const view = targetModal({
    ...choices,
    today: localDate(actor.now, workspace.timezone),
    info: targetInfoText(current, workspace.currency, subjectLabel(selection, choices)),
    initial: request.repId ? { subject: 'rep', repId: request.repId } : {},
    channelId: request.channelId,
  });
  await beforeOpen();
  await client.views.open({ trigger_id: request.triggerId, view });
}
