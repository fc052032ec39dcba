// A workspace's Slack installation, stored sealed (the Slack edge seals and unseals it), and
// forgetting it when the app is uninstalled or its tokens are revoked.
import type { Deps } from '../deps.js';
import { deleteInstallation, findInstallation, upsertInstallation } from '../store/installations.js';

export interface SealedInstallation {
  teamId: string;
  enterpriseId: string | null;
  botUserId: string | null;
  sealed: string;
  now: Date;
}

export function storeSealedInstallation(deps: Pick<Deps, 'db'>, installation: SealedInstallation): Promise<void> {
  return upsertInstallation(deps.db, installation);
}

/** The sealed installation of a workspace, if Tally is installed there. */
export function sealedInstallation(deps: Pick<Deps, 'db'>, teamId: string): Promise<string | undefined> {
  return findInstallation(deps.db, teamId);
}

/** Forgets a workspace's tokens and stops its scheduled posts; its records stay. */
export function forgetInstallation(deps: Pick<Deps, 'db'>, teamId: string): Promise<{ installations: number; subscriptions: number }> {
  return deleteInstallation(deps.db, teamId);
}
