// Managing digest subscriptions from Slack: /tally digest here|preview|send.
import type { DigestSubscription, Workspace } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { DEFAULT_SCHEDULE } from '../domain/schedule.js';
import { quoteInput } from '../domain/slack-text.js';
import { UserError } from '../errors.js';
import { insertAudit } from '../store/audit.js';
import { deleteSubscriptions, findChannelSubscription, findSubscription, listSubscriptions, upsertSubscription } from '../store/digests.js';
import { findSalesTeamByName } from '../store/teams.js';
import { buildDigest, type DigestData } from './digest.js';
import { requireManager, type Actor } from './actor.js';
import type { ServiceDeps } from './deps.js';

export interface SubscribeRequest {
  channelId: string;
  cadence: 'weekly' | 'daily' | 'off';
  teamName: string | null;
  time: string | null;
  weekday: number | null;
}

export type SubscribeResult =
  | { kind: 'subscribed'; subscription: DigestSubscription; teamName: string | null }
  | { kind: 'unsubscribed'; count: number };

export async function subscribeChannel(deps: ServiceDeps, actor: Actor, request: SubscribeRequest): Promise<SubscribeResult> {
  const { teamId, userId: actorId } = actor;
  await requireManager(actor, 'schedule digests');
  // The workspace exists before a subscription points at it.
  await actor.workspace();
  const salesTeam = request.teamName ? await findSalesTeamByName(deps.db, teamId, request.teamName) : undefined;
  if (request.teamName && !salesTeam) {
    throw new UserError(
      `There is no team \`${quoteInput(request.teamName)}\`. See the teams with \`/tally teams\`, or leave the team out for the whole company.`,
    );
  }
  const salesTeamId = salesTeam?.id ?? null;
  return deps.db.transaction().execute(async (trx) => {
    if (request.cadence === 'off') {
      const removed = await deleteSubscriptions(trx, teamId, request.channelId, salesTeamId);
      for (const subscription of removed) {
        await insertAudit(trx, {
          teamId,
          actorId,
          action: 'digest.unsubscribed',
          entityType: 'workspace',
          entityId: `digest:${subscription.id}`,
          before: subscription,
          at: deps.clock.now(),
        });
      }
      return { kind: 'unsubscribed', count: removed.length };
    }
    // The schedule it had, so the audit says what changed.
    const before = await findChannelSubscription(trx, teamId, request.channelId, salesTeamId);
    const subscription = await upsertSubscription(trx, {
      teamId,
      channelId: request.channelId,
      salesTeamId,
      cadence: request.cadence,
      time: request.time ?? DEFAULT_SCHEDULE.time,
      weekday: request.weekday ?? DEFAULT_SCHEDULE.weekday,
      createdBy: actorId,
      now: deps.clock.now(),
    });
    await insertAudit(trx, {
      teamId,
      actorId,
      action: 'digest.subscribed',
      entityType: 'workspace',
      entityId: `digest:${subscription.id}`,
      ...(before ? { before } : {}),
      after: subscription,
      at: deps.clock.now(),
    });
    return { kind: 'subscribed', subscription, teamName: salesTeam?.name ?? null };
  });
}

export function digestSubscriptions(deps: Pick<Deps, 'db'>, teamId: string) {
  return listSubscriptions(deps.db, teamId);
}

/** The digest this channel gets (its subscription's team, or the whole company), as of now. */
export async function digestForChannel(deps: Pick<Deps, 'db' | 'clock'>, workspace: Workspace, channelId: string): Promise<DigestData> {
  const subscription = await findSubscription(deps.db, workspace.team_id, channelId);
  return buildDigest(deps, workspace, { sales_team_id: subscription?.sales_team_id ?? null }, deps.clock.now());
}
