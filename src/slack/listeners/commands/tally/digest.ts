// `/tally digest`: list, subscribe this channel (or stop), preview, send now.
import { UserError } from '../../../../errors.js';
import { requireManager } from '../../../../services/actor.js';
import { digestForChannel, digestSubscriptions, subscribeChannel } from '../../../../services/digest-subscriptions.js';
import { sendDigestNow } from '../../../digest-publisher.js';
import { ephemeral } from '../../../views/blocks.js';
import { digestMessage } from '../../../views/digest.js';
import { digestListMessage, digestSendFailedMessage, digestSendMessage, subscribedMessage } from '../../../views/notices.js';
import { digestUnsubscribedMessage } from '../../../views/tally-replies.js';
import type { TallyHandlers } from './request.js';

export const digestCommands: TallyHandlers<'digest.list' | 'digest.here' | 'digest.preview' | 'digest.send' | 'digest.invalid'> = {
  'digest.list': async ({ deps, actor }) => {
    const workspace = await actor.workspace();
    return digestListMessage(await digestSubscriptions(deps, actor.teamId), workspace.timezone);
  },
  'digest.here': async ({ deps, actor, command, parsed }) => {
    const result = await subscribeChannel(deps, actor, {
      channelId: command.channel_id,
      cadence: parsed.cadence,
      teamName: parsed.team,
      time: parsed.time,
      weekday: parsed.weekday,
    });
    if (result.kind === 'unsubscribed') return digestUnsubscribedMessage(result.count, parsed.team);
    const workspace = await actor.workspace();
    const { subscription } = result;
    return subscribedMessage(
      subscription.channel_id,
      result.teamName,
      { cadence: subscription.cadence, time: subscription.at_time, weekday: subscription.weekday },
      workspace.timezone,
    );
  },
  'digest.preview': async ({ deps, actor, command }) => {
    await requireManager(actor, 'preview the digest');
    const workspace = await actor.workspace();
    return digestMessage(await digestForChannel(deps, workspace, command.channel_id));
  },
  'digest.send': async ({ deps, actor, command, respond }) => {
    const { teamId, userId } = actor;
    const outcome = await sendDigestNow(deps, actor, { channelId: command.channel_id });
    if (outcome.kind === 'posting') {
      // Answered before the post (chart, retries, rate limits): Slack waits 3 s at most.
      outcome.posted
        .then(async (result) => {
          if (result !== 'posted' && result !== 'recovered') await respond(ephemeral(digestSendFailedMessage()));
        })
        .catch((error: unknown) => deps.logger.error({ err: error, teamId, userId }, 'digest sent by hand not posted'));
    }
    const workspace = await actor.workspace();
    return digestSendMessage(outcome, workspace.timezone, command.team_domain);
  },
  'digest.invalid': async ({ parsed }) => {
    throw new UserError(parsed.error);
  },
};
