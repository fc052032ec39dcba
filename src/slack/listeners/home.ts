// Shared by the App Home event, its buttons and the modals they open: publishing a person's
// home view, and opening the Set target modal.
import type { WebClient } from '@slack/web-api';
import { localDate } from '../../domain/periods.js';
import { homeData } from '../../services/home.js';
import { currentTarget } from '../../services/targets.js';
import { ensureWorkspace } from '../../store/workspaces.js';
import { homeView } from '../views/home.js';
import { targetInfoText, targetModal } from '../views/target-modal.js';
import type { ListenerDeps } from './index.js';
import { subjectLabel, targetModalChoices } from './target-subject.js';

export async function publishHome(deps: ListenerDeps, client: WebClient, teamId: string, userId: string): Promise<void> {
  const [role, workspace] = await Promise.all([deps.roles.roleOf(client, teamId, userId), ensureWorkspace(deps.db, teamId, deps.config.defaults)]);
  const data = await homeData(deps, workspace, userId, role);
  await client.views.publish({ user_id: userId, view: homeView(data) });
}

// A person's App Home is refreshed once at a time and at most once a second: the changes made
// meanwhile are all shown by one more refresh, so the last change always shows, and someone
// logging sales in a burst does not rebuild the page for each of them.
const HOME_REFRESH_SPACING_MS = 1_000;
const homeRefreshes = new WeakMap<object, Map<string, { again: boolean }>>();

/** Refreshes a person's App Home after they changed something, without holding up the reply. */
export function refreshHomeInBackground(deps: ListenerDeps, client: WebClient, teamId: string, userId: string): void {
  let refreshing = homeRefreshes.get(deps.db);
  if (!refreshing) {
    refreshing = new Map();
    homeRefreshes.set(deps.db, refreshing);
  }
  const key = `${teamId}:${userId}`;
  const pending = refreshing.get(key);
  if (pending) {
    pending.again = true;
    return;
  }
  const state = { again: false };
  refreshing.set(key, state);
  const run = (): void => {
    const startedAt = Date.now();
    publishHome(deps, client, teamId, userId)
      .catch((error: unknown) => deps.logger.warn({ err: error, teamId, userId }, 'App Home not refreshed'))
      .finally(() => {
        if (!state.again) {
          refreshing.delete(key);
          return;
        }
        state.again = false;
        setTimeout(run, Math.max(0, startedAt + HOME_REFRESH_SPACING_MS - Date.now())).unref();
      });
  };
  run();
}

export interface OpenTargetModalRequest {
  teamId: string;
  triggerId: string;
  channelId: string | null;
  repId: string | null;
}

/** Builds the Set target modal (current value of the preselected rep) and opens it. */
export async function openTargetModal(deps: ListenerDeps, client: WebClient, request: OpenTargetModalRequest, beforeOpen: () => Promise<void> = async () => {}): Promise<void> {
  const workspace = await ensureWorkspace(deps.db, request.teamId, deps.config.defaults);
  const selection = { subjectType: 'rep' as const, subjectId: request.repId, metric: 'revenue' as const, periodKind: 'month' as const };
  const [choices, current] = await Promise.all([targetModalChoices(deps, request.teamId), currentTarget(deps, workspace, selection)]);
  const view = targetModal({
    ...choices,
    today: localDate(deps.clock.now(), workspace.timezone),
    info: targetInfoText(current, workspace.currency, subjectLabel(selection, choices)),
    initial: request.repId ? { subject: 'rep', repId: request.repId } : {},
    channelId: request.channelId,
  });
  await beforeOpen();
  await client.views.open({ trigger_id: request.triggerId, view });
}
