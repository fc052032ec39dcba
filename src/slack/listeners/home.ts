// Shared by the App Home event, its buttons and the modals they open: publishing a person's
// home view, refreshing it after a change made from it, and opening the Set target modal.
import type { BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { localDate } from '../../domain/periods.js';
import { homeData } from '../../services/home.js';
import { currentTarget, targetFormChoices } from '../../services/targets.js';
import { resolveActor, type Actor } from '../../services/actor.js';
import { openedFromHome } from '../forms.js';
import { homeView } from '../views/home.js';
import { targetInfoText, targetModal } from '../views/target-modal.js';
import type { ListenerDeps } from '../deps.js';
import { subjectLabel } from './target-subject.js';

/** Builds the person's page as things are now and publishes it, unless a newer one of theirs was published first. */
export async function publishHome(deps: ListenerDeps, client: WebClient, actor: Actor): Promise<void> {
  await deps.homeRefreshes.publishNewest(
    `${actor.teamId}:${actor.userId}`,
    async () => homeView(await homeData(deps, actor)),
    (view) => client.views.publish({ user_id: actor.userId, view }),
  );
}

/** Whether a button was pressed in the person's App Home (not in a message or a modal). */
export function isHomeAction(body: BlockAction): boolean {
  return body.container?.type === 'view' && body.view?.type === 'home';
}

/**
 * After a form's change: refreshes the person's App Home when a Home button opened the form
 * (they are looking at it); anywhere else, the page is built when they next open it.
 */
export function refreshHomeIfOpenedThere(
  deps: ListenerDeps,
  client: WebClient,
  teamId: string,
  userId: string,
  privateMetadata: string,
): void {
  if (openedFromHome(privateMetadata)) refreshHomeInBackground(deps, client, teamId, userId);
}

/** Refreshes a person's App Home after they changed something from it, without holding up the reply (paced: home-refreshes.ts). */
export function refreshHomeInBackground(deps: ListenerDeps, client: WebClient, teamId: string, userId: string): void {
  const { people, builds } = deps.homeRefreshes;
  const key = `${teamId}:${userId}`;
  const pending = people.get(key);
  if (pending) {
    // Not started yet: it will show this change too. Started: one more refresh after it.
    if (pending.started) pending.again = true;
    return;
  }
  const budget = deps.homeRefreshes.budget(teamId);
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
  /** Opened from a button in App Home (refreshed after the target is saved). */
  fromHome?: boolean;
}

/** Builds the Set target modal (current value of the preselected rep) and opens it. */
export async function openTargetModal(
  deps: ListenerDeps,
  client: WebClient,
  actor: Actor,
  request: OpenTargetModalRequest,
  beforeOpen: () => Promise<void> = async () => {},
): Promise<void> {
  const workspace = await actor.workspace();
  const selection = { subjectType: 'rep' as const, subjectId: request.repId, metric: 'revenue' as const, periodKind: 'month' as const };
  const [choices, current] = await Promise.all([targetFormChoices(deps, actor.teamId), currentTarget(deps, workspace, selection)]);
  const view = targetModal({
    ...choices,
    today: localDate(actor.now, workspace.timezone),
    info: targetInfoText(current, workspace.currency, subjectLabel(selection, choices)),
    initial: request.repId ? { subject: 'rep', repId: request.repId } : {},
    channelId: request.channelId,
    fromHome: request.fromHome ?? false,
  });
  await beforeOpen();
  await client.views.open({ trigger_id: request.triggerId, view });
}
